// Known breaking workloads from ../shared/corpus/real are reported for the targets the fact
// base says they break on, and known clean workloads stay silent everywhere.
#include <catch2/catch.hpp>

#include <map>

#include "immutalint/inputs.hpp"
#include "test_support.hpp"

using namespace immutalint;

namespace {

/// The worst verdict per target of one check's findings in a corpus file or folder.
std::map<std::string, std::string> verdicts(const std::string& path, const std::string& check) {
  const std::string root = test::shared_dir() + "/corpus/real/" + path;
  auto inputs = collect_inputs({root}, "<stdin>");
  REQUIRE(inputs);
  LintOptions options;
  options.targets = *TargetSet::builtin()->select("all");
  auto linter = Linter::create(*Catalogue::builtin(), options);
  REQUIRE(linter);
  std::map<std::string, Verdict> worst;
  for (const auto& finding : linter->lint(*inputs).findings) {
    if (finding.check != check) continue;
    for (const auto& target : finding.targets) worst[target.target] = std::max(worst[target.target], target.verdict);
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

}  // namespace

TEST_CASE("kured's reboots break on Talos and Bottlerocket and need review on general-purpose nodes") {
  expect(verdicts("kured/kured-ds.yaml", "reboot-from-pod"),
         {{"talos", "breaks"}, {"bottlerocket", "breaks"}, {"aks-acl", "likely-breaks"}, {"aks-osguard", "likely-breaks"},
          {"fcos", "likely-breaks"}, {"flatcar", "review"}, {"ubuntu", "review"}});
}

TEST_CASE("Longhorn's prerequisite installers break wherever there is no package manager") {
  expect(verdicts("longhorn/deploy/prerequisite", "host-package-install"),
         {{"flatcar", "breaks"}, {"aks-acl", "breaks"}, {"aks-osguard", "breaks"}, {"talos", "breaks"},
          {"bottlerocket", "breaks"}, {"fcos", "breaks"}, {"ubuntu", "ready"}});
  expect(verdicts("longhorn/deploy/prerequisite", "nsenter-host"),
         {{"talos", "breaks"}, {"bottlerocket", "breaks"}, {"flatcar", "likely-breaks"}, {"ubuntu", "review"}});
}

TEST_CASE("the GPU Operator toolkit cannot create /usr/local/nvidia on read-only /usr targets") {
  expect(verdicts("nvidia-gpu-operator/assets/state-container-toolkit", "host-path-not-creatable"),
         {{"flatcar", "breaks"}, {"aks-acl", "breaks"}, {"aks-osguard", "breaks"}, {"talos", "breaks"},
          {"bottlerocket", "breaks"}, {"fcos", "ready"}, {"ubuntu", "ready"}});
}

TEST_CASE("GPU driver installers that mount the host root break on every immutable target") {
  expect(verdicts("gke-accelerators/nvidia-driver-installer/ubuntu/daemonset.yaml", "host-root-mount"),
         {{"generic", "breaks"}, {"flatcar", "breaks"}, {"talos", "breaks"}, {"bottlerocket", "breaks"},
          {"aks-osguard", "breaks"}, {"ubuntu", "review"}});
}

TEST_CASE("Falco's and Sysdig's driver loaders are reported where kernel headers are missing") {
  // They mount the module tree with /usr and /boot; whether they build a module or pick a
  // CO-RE probe is decided at run time, so the verdict stops at likely breaks.
  for (const char* path : {"falco/kubernetes/falco/templates/daemonset.yaml", "kubernetes-examples/_archived/sysdig-cloud"}) {
    INFO(path);
    expect(verdicts(path, "kernel-build-on-node"),
           {{"flatcar", "likely-breaks"}, {"talos", "likely-breaks"}, {"aks-osguard", "likely-breaks"},
            {"fcos", "likely-breaks"}, {"bottlerocket", "likely-breaks"}, {"ubuntu", "ready"}});
  }
  expect(verdicts("falco/kubernetes/falco/templates/daemonset.yaml", "kernel-module-load"), {{"talos", "breaks"}});
}

TEST_CASE("CNI installers writing /opt/cni/bin break only once OS Guard enforces IPE") {
  for (const char* path : {"flannel/Documentation/kube-flannel.yml", "calico/manifests/calico.yaml",
                           "cilium/install/kubernetes/quick-install.yaml"}) {
    INFO(path);
    expect(verdicts(path, "host-binary-install"),
           {{"aks-osguard-enforce", "breaks"}, {"aks-osguard", "likely-breaks"}, {"bottlerocket", "review"},
            {"flatcar", "ready"}, {"talos", "ready"}, {"ubuntu", "ready"}});
  }
}

TEST_CASE("FlexVolume users are reported, and break where the plugin directory is read-only or gone") {
  expect(verdicts("kubernetes-examples/_archived/volumes/flexvolume", "flexvolume-plugin"),
         {{"flatcar", "breaks"}, {"fcos", "breaks"}, {"talos", "breaks"}, {"ubuntu", "review"}});
}

TEST_CASE("argo-cd and metrics-server stay silent on every target") {
  for (const char* path : {"argo-cd", "metrics-server"}) {
    INFO(path);
    const std::string root = test::shared_dir() + "/corpus/real/" + path;
    auto inputs = collect_inputs({root}, "<stdin>");
    REQUIRE(inputs);
    LintOptions options;
    options.targets = *TargetSet::builtin()->select("all");
    auto result = Linter::create(*Catalogue::builtin(), options)->lint(*inputs);
    CHECK(result.summary.workloads > 0);
    CHECK(result.findings.empty());
  }
}

TEST_CASE("no verdict that rests on a guess says breaks") {
  const std::string root = test::shared_dir() + "/corpus/real";
  auto inputs = collect_inputs({root}, "<stdin>");
  REQUIRE(inputs);
  LintOptions options;
  options.targets = *TargetSet::builtin()->select("all");
  auto result = Linter::create(*Catalogue::builtin(), options)->lint(*inputs);
  std::size_t breaks = 0;
  for (const auto& finding : result.findings) {
    for (const auto& target : finding.targets) {
      if (target.verdict != Verdict::Breaks) continue;
      ++breaks;
      INFO(finding.check << " on " << target.target << ": " << target.why);
      CHECK(target.why.find(", guess]") == std::string::npos);
    }
  }
  CHECK(breaks > 100);
}

TEST_CASE("the readiness matrix renders for the real corpus in text and Markdown") {
  auto text = test::run_cli({"--target", "all", "--format", "matrix", "--fail-on", "never", test::shared_dir() + "/corpus/real"});
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::StartsWith("workload") && Catch::Contains("DaemonSet kube-system/kured") &&
                           Catch::Contains("talos: ") && Catch::Contains("breaks: reboot-from-pod"));
  auto markdown = test::run_cli({"--target", "talos,flatcar", "--format", "matrix-markdown", "--fail-on", "never",
                                 test::shared_dir() + "/corpus/real/kured"});
  CHECK_THAT(markdown.out, Catch::StartsWith("## Node OS readiness\n\n| workload | flatcar | talos |\n|---|---|---|\n"));
}
