// Real workloads from ../shared/corpus/real, judged as the fact base documents them: the ones
// documented to work on a target stay quiet there (nothing above review), the documented
// breakers are errors at the line that shows the break. The sources are the `workloads:` and
// `sources:` entries of targets/*.yaml.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "immutalint/inputs.hpp"
#include "test_support.hpp"

using namespace immutalint;

namespace {

LintResult lint_corpus(const std::string& path, const std::string& targets) {
  const std::string root = test::shared_dir() + "/corpus/real/" + path;
  auto inputs = collect_inputs({root}, "<stdin>");
  REQUIRE(inputs);
  LintOptions options;
  options.targets = *TargetSet::builtin()->select(targets);
  auto linter = Linter::create(*Catalogue::builtin(), options);
  REQUIRE(linter);
  return linter->lint(*inputs);
}

/// The worst verdict per target of one check's findings (as lead, or lent to the lead) in a
/// corpus file or folder.
std::map<std::string, std::string> verdicts(const std::string& path, const std::string& check) {
  std::map<std::string, Verdict> worst;
  for (const auto& finding : lint_corpus(path, "all").findings.all()) {
    for (const auto& target : finding.targets) {
      const std::string& by = target.check.empty() ? finding.check : target.check;
      if (by == check) worst[target.target] = std::max(worst[target.target], target.verdict);
    }
  }
  std::map<std::string, std::string> out;
  for (const auto& target : TargetSet::builtin()->all()) {
    auto it = worst.find(target.name());
    out[target.name()] = std::string(to_key(it == worst.end() ? Verdict::Ready : it->second));
  }
  return out;
}

void expect(const std::map<std::string, std::string>& got, const std::map<std::string, std::string>& wanted) {
  for (const auto& [target, verdict] : wanted) {
    INFO(target);
    CHECK(got.at(target) == verdict);
  }
}

/// Every finding above review on `targets` for the workloads in `path`, as "check file:line". A
/// path that holds no workload is a mistake of the test, not a quiet result.
std::vector<std::string> failing(const std::string& path, const std::string& targets, const std::string& object = {}) {
  std::vector<std::string> found;
  const LintResult result = lint_corpus(path, targets);
  INFO(path << " on " << targets);
  REQUIRE(result.summary.workloads > 0);
  for (const auto& finding : result.findings.all()) {
    if (finding.severity == Severity::Note) continue;
    if (!object.empty() && (!finding.object || finding.object->name != object)) continue;
    found.push_back(finding.check + " " + finding.file + ":" + std::to_string(finding.span.begin.line));
  }
  return found;
}

/// The finding of `check` (leading or folded in) at a line, and its worst verdict on `target`.
Verdict verdict_at(const std::string& path, const std::string& target, std::uint32_t line, const std::string& check) {
  Verdict worst = Verdict::Ready;
  for (const auto& finding : lint_corpus(path, target).findings.all()) {
    if (finding.span.begin.line != line) continue;
    for (const auto& verdict : finding.targets) {
      const std::string& by = verdict.check.empty() ? finding.check : verdict.check;
      if (by == check) worst = std::max(worst, verdict.verdict);
    }
  }
  return worst;
}

}  // namespace

// Documented to work: quiet.

TEST_CASE("node-exporter, with its read-only mount of /, is quiet where it is documented to run", "[shared]") {
  // OCP-NODE-EXPORTER (RHCOS), TAL-MONITORING; Flatcar, Bottlerocket and OS Guard keep / readable.
  for (const char* target : {"generic", "flatcar", "aks-acl", "aks-osguard", "bottlerocket", "fcos"}) {
    INFO(target);
    CHECK(failing("kube-prometheus/manifests/nodeExporter-daemonset.yaml", target).empty());
  }
  // On Talos only Pod Security speaks: the namespace must allow privileged pods (TAL-PSA).
  for (const auto& finding : failing("kube-prometheus/manifests/nodeExporter-daemonset.yaml", "talos")) {
    CHECK_THAT(finding, Catch::StartsWith("pod-security-baseline "));
  }
}

TEST_CASE("CNI DaemonSets documented on these OSes are quiet there", "[shared]") {
  // CALICO-REQS, TAL-CALICO, FLATCAR-K8S, TAL-FLANNEL, BR-OPT-CNI, OCP-MULTUS.
  const std::map<std::string, std::vector<std::string>> documented = {
      {"calico/manifests/calico.yaml", {"generic", "flatcar", "talos", "bottlerocket", "fcos", "aks-acl"}},
      {"calico/manifests/tigera-operator.yaml", {"generic", "flatcar", "talos", "bottlerocket", "fcos", "aks-osguard"}},
      {"flannel/Documentation/kube-flannel.yml", {"generic", "flatcar", "talos", "aks-acl"}},
      {"aws-vpc-cni/config/master/aws-k8s-cni.yaml", {"bottlerocket", "generic"}},
      {"multus-cni/deployments/multus-daemonset-thick.yml", {"generic", "flatcar", "fcos", "bottlerocket"}},
  };
  for (const auto& [path, targets] : documented) {
    for (const auto& target : targets) {
      INFO(path << " on " << target);
      CHECK(failing(path, target).empty());
    }
  }
}

TEST_CASE("CNI installers writing /opt/cni/bin break only once OS Guard enforces IPE", "[shared]") {
  for (const char* path :
       {"flannel/Documentation/kube-flannel.yml", "calico/manifests/calico.yaml",
        "cilium/install/kubernetes/quick-install.yaml", "aws-vpc-cni/config/master/aws-k8s-cni.yaml"}) {
    INFO(path);
    expect(verdicts(path, "host-binary-install"), {{"aks-osguard-enforce", "breaks"},
                                                   {"aks-osguard", "review"},
                                                   {"bottlerocket", "review"},
                                                   {"flatcar", "ready"},
                                                   {"talos", "ready"},
                                                   {"ubuntu", "ready"}});
  }
}

TEST_CASE("the GPU Operator device plugin's read-only mount of / is no break", "[shared]") {
  for (const char* target : {"generic", "flatcar", "aks-acl", "aks-osguard", "bottlerocket", "fcos"}) {
    INFO(target);
    CHECK(failing("nvidia-gpu-operator/assets/state-device-plugin", target).empty());
  }
}

TEST_CASE("host files mounted only to be read are no writes", "[shared]") {
  // /etc/os-release (GPU Operator vGPU manager) and /etc/resolv.conf (canal) on Talos and Bottlerocket.
  for (const char* target : {"talos", "bottlerocket"}) {
    INFO(target);
    CHECK(verdict_at("nvidia-gpu-operator/assets/state-vgpu-manager/0500_daemonset.yaml", target, 135,
                     "host-etc-write") == Verdict::Ready);
    CHECK(verdict_at("calico/manifests/canal-etcd.yaml", target, 800, "host-etc-write") == Verdict::Ready);
    CHECK(verdict_at("calico/manifests/canal-etcd.yaml", target, 800, "host-path-readonly-write") == Verdict::Ready);
  }
}

TEST_CASE("a package manager run inside the container is not a host install", "[shared]") {
  // Longhorn's COS agent runs `zypper install` in its own SUSE image from a ConfigMap script.
  expect(verdicts("longhorn/deploy/prerequisite/longhorn-gke-cos-node-agent.yaml", "host-package-install"),
         {{"generic", "ready"}, {"flatcar", "ready"}, {"talos", "ready"}, {"bottlerocket", "ready"}});
}

TEST_CASE("Falco's driver loader is quiet when its ConfigMap in the same input selects modern_ebpf", "[shared]") {
  for (const char* check : {"kernel-build-on-node", "kernel-module-load"}) {
    INFO(check);
    expect(verdicts("falco/kubernetes/falco/templates", check), {{"generic", "ready"},
                                                                 {"flatcar", "ready"},
                                                                 {"talos", "ready"},
                                                                 {"bottlerocket", "ready"},
                                                                 {"aks-osguard", "ready"}});
  }
}

TEST_CASE("argo-cd and metrics-server stay silent on every target", "[shared]") {
  for (const char* path : {"argo-cd", "metrics-server"}) {
    INFO(path);
    const LintResult result = lint_corpus(path, "all");
    CHECK(result.summary.workloads > 0);
    // argo-cd's folder holds alternative installs of the same objects (install.yaml,
    // namespace-install.yaml, ha/install.yaml): their copies are all it reports, as notes.
    for (const auto& finding : result.findings.all()) {
      CHECK(finding.check == "duplicate-object");
      CHECK(finding.severity == Severity::Note);
    }
  }
}

// Documented to break: errors at the line that shows it.

TEST_CASE("the GPU Operator driver container is an error at its nvidia-driver init command", "[shared]") {
  CHECK(verdict_at("nvidia-gpu-operator/assets/state-driver/0500_daemonset.yaml", "generic", 95,
                   "kernel-build-on-node") == Verdict::Breaks);
  expect(verdicts("nvidia-gpu-operator/assets/state-driver", "kernel-build-on-node"), {{"flatcar", "breaks"},
                                                                                       {"talos", "breaks"},
                                                                                       {"bottlerocket", "breaks"},
                                                                                       {"aks-osguard", "breaks"},
                                                                                       {"fcos", "breaks"},
                                                                                       {"ubuntu", "ready"}});
}

TEST_CASE("the kata manager's LOAD_KERNEL_MODULES is read, and its vhost modules are built into Talos's kernel",
          "[shared]") {
  // A review, not ready: the load is seen. vhost_vsock and vhost_net are CONFIG_...=y on Talos.
  CHECK(verdict_at("nvidia-gpu-operator/assets/state-kata-manager/0600_daemonset.yaml", "talos", 40,
                   "kernel-module-load") == Verdict::Review);
  // In-tree vhost modules are signed: a review where only signed modules load.
  CHECK(verdict_at("nvidia-gpu-operator/assets/state-kata-manager/0600_daemonset.yaml", "bottlerocket", 40,
                   "kernel-module-load") == Verdict::Review);
}

TEST_CASE("copying binaries into the host's /usr is an error", "[shared]") {
  // azurefile-proxy into /usr/bin (AZF-INIT); multus into /usr/libexec/cni on OS Guard's signed /usr.
  CHECK(verdict_at("azurefile-csi-driver/deploy/csi-azurefile-node.yaml", "generic", 222, "host-binary-install") ==
        Verdict::Breaks);
  CHECK(verdict_at("multus-cni/deployments/multus-daemonset-crio.yml", "aks-osguard", 233, "host-binary-install") ==
        Verdict::Breaks);
}

TEST_CASE("kured's reboots break on Talos and Bottlerocket and need review on general-purpose nodes", "[shared]") {
  expect(verdicts("kured/kured-ds.yaml", "reboot-from-pod"), {{"talos", "breaks"},
                                                              {"bottlerocket", "breaks"},
                                                              {"aks-acl", "review"},
                                                              {"aks-osguard", "review"},
                                                              {"fcos", "review"},
                                                              {"flatcar", "review"},
                                                              {"ubuntu", "review"}});
}

TEST_CASE("Longhorn's prerequisite installers break wherever there is no package manager", "[shared]") {
  expect(verdicts("longhorn/deploy/prerequisite", "host-package-install"), {{"flatcar", "breaks"},
                                                                            {"aks-acl", "breaks"},
                                                                            {"aks-osguard", "breaks"},
                                                                            {"talos", "breaks"},
                                                                            {"bottlerocket", "breaks"},
                                                                            {"fcos", "breaks"},
                                                                            {"ubuntu", "ready"}});
  expect(verdicts("longhorn/deploy/prerequisite", "nsenter-host"),
         {{"talos", "breaks"}, {"bottlerocket", "breaks"}, {"flatcar", "review"}, {"ubuntu", "review"}});
}

TEST_CASE("the GPU Operator toolkit cannot create /usr/local/nvidia on read-only /usr targets", "[shared]") {
  expect(verdicts("nvidia-gpu-operator/assets/state-container-toolkit", "host-path-not-creatable"),
         {{"flatcar", "breaks"},
          {"aks-acl", "breaks"},
          {"aks-osguard", "breaks"},
          {"talos", "breaks"},
          {"bottlerocket", "breaks"},
          {"fcos", "ready"},
          {"ubuntu", "ready"}});
}

TEST_CASE("GKE's GPU driver installer is pinned to GKE's own nodes, so no other target runs it", "[shared]") {
  // It requires cloud.google.com/gke-accelerator, a label GKE puts only on its nodes
  // (GKE-NODE-LABELS): not scheduled anywhere else, so nothing it would do there is a verdict.
  const std::string path =
      test::shared_dir() + "/corpus/real/gke-accelerators/nvidia-driver-installer/ubuntu/daemonset.yaml";
  expect(verdicts("gke-accelerators/nvidia-driver-installer/ubuntu/daemonset.yaml", "kernel-build-on-node"),
         {{"generic", "ready"},
          {"flatcar", "ready"},
          {"talos", "ready"},
          {"aks-osguard", "ready"},
          {"bottlerocket", "ready"},
          {"ubuntu", "ready"}});
  const auto matrix = test::run_cli({"--no-config", "--target", "talos,flatcar", "--format", "matrix", path});
  CHECK(matrix.exit_code == 0);
  CHECK_THAT(matrix.out,
             Catch::Contains("talos: 0 ready (0 to review), 0 likely breaks, 0 breaks, 1 not scheduled there"));
  CHECK_THAT(matrix.out,
             Catch::Contains("flatcar: 0 ready (0 to review), 0 likely breaks, 0 breaks, 1 not scheduled there"));
}

TEST_CASE("Sysdig's driver loader shape is reported where kernel headers are missing", "[shared]") {
  // It mounts the module tree with /usr and /boot; whether it builds a module or picks a CO-RE
  // probe is decided at run time, so the verdict stops at likely breaks.
  expect(verdicts("kubernetes-examples/_archived/sysdig-cloud", "kernel-build-on-node"),
         {{"flatcar", "likely-breaks"},
          {"talos", "likely-breaks"},
          {"aks-osguard", "likely-breaks"},
          {"fcos", "likely-breaks"},
          {"bottlerocket", "likely-breaks"},
          {"ubuntu", "ready"}});
}

TEST_CASE("FlexVolume users break where no plugin directory exists and need review elsewhere", "[shared]") {
  expect(verdicts("kubernetes-examples/_archived/volumes/flexvolume", "flexvolume-plugin"),
         {{"talos", "breaks"}, {"flatcar", "review"}, {"bottlerocket", "review"}, {"ubuntu", "ready"}});
}

// Properties of the whole corpus.

TEST_CASE("on the real corpus, posture alone never makes a warning or an error", "[shared]") {
  for (const auto& finding : lint_corpus("", kDefaultTarget.data()).findings.all()) {
    if (finding.severity == Severity::Note || finding.check == "duplicate-key" || finding.check == "invalid-input")
      continue;
    INFO(finding.check << " " << finding.file << ":" << finding.span.begin.line);
    CHECK(finding.action != Action::Posture);
    for (const auto& target : finding.targets) {
      if (target.verdict > Verdict::Review) CHECK_FALSE(target.source.empty());
    }
  }
}

TEST_CASE("on the real corpus, no object line carries two warnings or errors", "[shared]") {
  std::set<std::string> seen;
  for (const auto& finding : lint_corpus("", kDefaultTarget.data()).findings.all()) {
    if (finding.severity == Severity::Note || !finding.object) continue;
    const std::string line = finding.file + ":" + std::to_string(finding.span.begin.line) + " " + finding.object->name;
    INFO(line << " " << finding.check);
    CHECK(seen.insert(line).second);
  }
}

TEST_CASE("no verdict that rests on a guess says breaks", "[shared]") {
  const LintResult result = lint_corpus("", "all");
  std::size_t breaks = 0;
  for (const auto& finding : result.findings.all()) {
    for (const auto& target : finding.targets) {
      if (target.verdict != Verdict::Breaks) continue;
      ++breaks;
      INFO(finding.check << " on " << target.target << ": " << target.why);
      CHECK(target.confidence != Confidence::Guess);
      CHECK_FALSE(target.source.empty());
    }
  }
  CHECK(breaks > 50);
}

TEST_CASE("the readiness matrix renders for the real corpus in text and Markdown", "[shared]") {
  auto text = test::run_cli(
      {"--target", "all", "--format", "matrix", "--fail-on", "never", test::shared_dir() + "/corpus/real"});
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::StartsWith("workload") && Catch::Contains("DaemonSet kube-system/kured") &&
                           Catch::Contains("talos: ") && Catch::Contains("breaks: reboot-from-pod") &&
                           Catch::Contains("ready (review "));
  auto markdown = test::run_cli({"--target", "talos,flatcar", "--format", "matrix-markdown", "--fail-on", "never",
                                 test::shared_dir() + "/corpus/real/kured"});
  CHECK_THAT(markdown.out,
             Catch::StartsWith("## Node OS readiness\n\n| workload | flatcar | talos |\n|---|---|---|\n"));
}
