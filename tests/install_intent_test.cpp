// Installers known only by name or install switch (checks/evidence/installers.yaml, install-intent):
// an install through the container's writable mounts of directories the node runs programs from,
// judged at most likely breaks, and nothing where the switch is off or no such mount is writable.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "immutalint/evidence_catalogue.hpp"
#include "test_support.hpp"

using namespace immutalint;

namespace {

/// The host-binary-install findings of `yaml`, judged for every target.
std::vector<Finding> install_findings(const std::string& yaml) {
  const LintResult result = test::lint_text(yaml, "intent.yaml", "all", {"host-binary-install"});
  std::vector<Finding> found;
  for (const auto& finding : result.findings.all()) found.push_back(finding);
  return found;
}

/// The finding's verdict on `target`; nullopt when it does not affect it.
std::optional<Verdict> verdict_on(const Finding& finding, const std::string& target) {
  for (const auto& verdict : finding.targets) {
    if (verdict.target == target) return verdict.verdict;
  }
  return std::nullopt;
}

/// A DaemonSet whose init container `install` has `command`, `env` (YAML list items, may be
/// empty), and mounts the host's `host_path` at /host/dir (read-only when asked).
std::string installer_pod(const std::string& image, const std::string& command, const std::string& env,
                          const std::string& host_path, bool read_only = false) {
  return "apiVersion: apps/v1\n"
         "kind: DaemonSet\n"
         "metadata: {name: installer, namespace: kube-system}\n"
         "spec:\n"
         "  selector: {matchLabels: {app: installer}}\n"
         "  template:\n"
         "    metadata: {labels: {app: installer}}\n"
         "    spec:\n"
         "      initContainers:\n"
         "      - name: install\n"
         "        image: " +
         image + "\n        command: " + command + "\n" + (env.empty() ? "" : "        env:\n" + env) +
         "        volumeMounts:\n"
         "        - {name: host-dir, mountPath: /host/dir" +
         (read_only ? ", readOnly: true" : "") +
         "}\n"
         "      containers:\n"
         "      - {name: pause, image: registry.k8s.io/pause:3.9}\n"
         "      volumes:\n"
         "      - {name: host-dir, hostPath: {path: " +
         host_path + "}}\n";
}

const std::string kMirroredMultus = "registry.example/mirror/multus:v4.1.0";

}  // namespace

TEST_CASE("an installer known by name installs into the CNI bin directory it mounts and is judged by the target") {
  const auto findings = install_findings(
      installer_pod(kMirroredMultus, "[\"/install_multus\", \"--type\", \"thin\"]", "", "/opt/cni/bin"));
  REQUIRE(findings.size() == 1);
  const Finding& install = findings[0];
  CHECK_THAT(install.message, Catch::Contains("runs an installer with /opt/cni/bin mounted writable"));
  CHECK(install.severity == Severity::Warning);
  // IPE enforcing would make it a break if the manifest showed the copy; the installer's name alone
  // says at most likely breaks.
  CHECK(verdict_on(install, "aks-osguard-enforce") == Verdict::LikelyBreaks);
  CHECK(verdict_on(install, "aks-osguard") == Verdict::Review);
  CHECK(verdict_on(install, "bottlerocket") == Verdict::Review);  // reset at boot
  // Writable, and programs installed there run.
  for (const char* ready : {"flatcar", "aks-acl", "talos", "fcos", "generic"}) {
    INFO(ready);
    CHECK_FALSE(verdict_on(install, ready).has_value());
  }
  bool cites_installer = false;
  for (const auto& item : install.evidence) {
    cites_installer = cites_installer || (item.text.find("/install_multus --type thin") != std::string::npos &&
                                          item.text.find("[MULTUS-INSTALL]") != std::string::npos);
  }
  CHECK(cites_installer);
}

TEST_CASE("an installer known by name never makes a break even where the directory is read-only") {
  const auto findings = install_findings(
      installer_pod(kMirroredMultus, "[\"/usr/src/multus-cni/bin/install_multus\"]", "", "/usr/libexec/cni"));
  REQUIRE(findings.size() == 1);
  REQUIRE_FALSE(findings[0].targets.empty());
  for (const auto& verdict : findings[0].targets) {
    INFO(verdict.target);
    CHECK(verdict.verdict == Verdict::LikelyBreaks);
    CHECK_THAT(verdict.why, Catch::Contains("read-only"));
    CHECK_THAT(verdict.why, Catch::Contains("only an installer whose script decides what it writes"));
  }
  CHECK(verdict_on(findings[0], "flatcar") == Verdict::LikelyBreaks);
}

TEST_CASE("a known installer of the same container keeps its own verdict and the name adds nothing") {
  // The Multus image is catalogued with what it writes: that is a break where IPE enforces.
  const auto findings =
      install_findings(installer_pod("ghcr.io/k8snetworkplumbingwg/multus-cni:snapshot",
                                     "[\"/install_multus\", \"--type\", \"thin\"]", "", "/opt/cni/bin"));
  REQUIRE(findings.size() == 1);
  CHECK_THAT(findings[0].message, Catch::Contains("installs programs into /opt/cni/bin"));
  CHECK(verdict_on(findings[0], "aks-osguard-enforce") == Verdict::Breaks);
  for (const auto& item : findings[0].evidence) CHECK_THAT(item.text, !Catch::Contains("what it writes is up to"));
}

TEST_CASE("an install switch set to true is an install and set to false is not") {
  const std::string command = "[\"/init.sh\"]";
  auto with_switch = [&](const std::string& value) {
    return installer_pod("registry.example/csi/azurefile:1.0", command,
                         "        - {name: INSTALL_AZUREFILE_PROXY, value: \"" + value + "\"}\n", "/usr/bin");
  };
  const auto on = install_findings(with_switch("true"));
  REQUIRE(on.size() == 1);
  CHECK_THAT(on[0].message, Catch::Contains("runs an installer with /usr/bin mounted writable"));
  CHECK(verdict_on(on[0], "flatcar") == Verdict::LikelyBreaks);
  CHECK_FALSE(verdict_on(on[0], "ubuntu").has_value());
  bool cites_switch = false;
  for (const auto& item : on[0].evidence)
    cites_switch = cites_switch || item.text.find("sets INSTALL_AZUREFILE_PROXY=true") != std::string::npos;
  CHECK(cites_switch);

  for (const char* off : {"false", "1", ""}) {
    INFO(off);
    const auto findings = install_findings(with_switch(off));
    REQUIRE(findings.size() == 1);  // the writable mount alone: a review, no install
    CHECK_THAT(findings[0].message, Catch::Contains("the manifest shows no install into it"));
    for (const auto& verdict : findings[0].targets) CHECK(verdict.verdict == Verdict::Review);
  }
}

TEST_CASE("an install switch with no writable mount of a directory the node runs programs from is no install") {
  const std::string on = "        - {name: INSTALL_AZUREFILE_PROXY, value: \"true\"}\n";
  CHECK(install_findings(installer_pod("registry.example/csi/azurefile:1.0", "[\"/init.sh\"]", on, "/usr/bin", true))
            .empty());
  CHECK(install_findings(installer_pod("registry.example/csi/azurefile:1.0", "[\"/init.sh\"]", on, "/var/lib/kubelet"))
            .empty());
}

TEST_CASE("an installer's name counts only for the mounts of the container that runs it") {
  const std::string yaml =
      "apiVersion: apps/v1\n"
      "kind: DaemonSet\n"
      "metadata: {name: split, namespace: kube-system}\n"
      "spec:\n"
      "  selector: {matchLabels: {app: split}}\n"
      "  template:\n"
      "    metadata: {labels: {app: split}}\n"
      "    spec:\n"
      "      initContainers:\n"
      "      - {name: install, image: registry.example/mirror/multus:v4.1.0, command: [/install_multus]}\n"
      "      containers:\n"
      "      - name: agent\n"
      "        image: registry.example/agent:1.0\n"
      "        command: [/agent]\n"
      "        volumeMounts: [{name: cnibin, mountPath: /host/opt/cni/bin}]\n"
      "      volumes:\n"
      "      - {name: cnibin, hostPath: {path: /opt/cni/bin}}\n";
  const auto findings = install_findings(yaml);
  REQUIRE(findings.size() == 1);
  CHECK_THAT(findings[0].message, Catch::Contains("the manifest shows no install into it"));
  CHECK(verdict_on(findings[0], "aks-osguard-enforce") == Verdict::Review);
}

TEST_CASE("an installer that a ConfigMap script of the container runs counts as its install") {
  const std::string path = "testdata/host-binary-install/intent-toolkit-entrypoint.yaml";
  const LintResult result =
      test::lint_text(test::read_file(test::source_dir() + "/" + path), path, "all", {"host-binary-install"});
  std::vector<Finding> findings;
  for (const auto& finding : result.findings.all()) findings.push_back(finding);
  REQUIRE(findings.size() == 1);
  CHECK_THAT(findings[0].message, Catch::Contains("runs an installer with /usr/local/nvidia mounted writable"));
  CHECK(verdict_on(findings[0], "flatcar") == Verdict::LikelyBreaks);
  CHECK(verdict_on(findings[0], "bottlerocket") == Verdict::LikelyBreaks);
  CHECK_FALSE(verdict_on(findings[0], "fcos").has_value());  // /usr/local links into the writable /var
  bool in_script = false;
  for (const auto& item : findings[0].evidence) {
    in_script =
        in_script || (item.text.find("runs `nvidia-toolkit` in script \"entrypoint.sh\"") != std::string::npos &&
                      item.place.span.begin.line == 28);
  }
  CHECK(in_script);
}

TEST_CASE("the built-in catalogue names installers by program and switch with their sources") {
  const auto& catalogue = EvidenceCatalogue::builtin();
  REQUIRE(catalogue);
  REQUIRE_FALSE(catalogue->install_intents().empty());
  bool multus = false;
  bool azurefile_switch = false;
  for (const auto& intent : catalogue->install_intents()) {
    INFO(intent.name);
    CHECK(catalogue->sources().count(intent.source) == 1);
    multus = multus || intent.runs == std::vector<std::string>{"install_multus"};
    auto it = intent.env.find("INSTALL_AZUREFILE_PROXY");
    azurefile_switch = azurefile_switch || (it != intent.env.end() && it->second == std::vector<std::string>{"true"});
  }
  CHECK(multus);
  CHECK(azurefile_switch);
}

TEST_CASE("an install-intent entry without a program or switch or with a program path is refused") {
  auto parse = [](const std::string& entry) {
    const std::vector<std::pair<std::string, std::string>> files{
        {"intent.yaml", "sources:\n  SRC: \"a source\"\ninstall-intent:\n  - " + entry + "\n"}};
    return EvidenceCatalogue::parse(files);
  };
  CHECK(parse("{name: ok, does: installs, runs: [install-cni.sh], source: SRC}"));
  CHECK(parse("{name: ok, does: installs, env: {INSTALL_X: [\"true\"]}, source: SRC}"));

  auto refused = parse("{name: neither, does: installs, source: SRC}");
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().message, Catch::Contains("needs `runs` or `env`"));
  refused = parse("{name: path, does: installs, runs: [/install-cni.sh], source: SRC}");
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().message, Catch::Contains("without a directory"));
  refused = parse("{name: no-values, does: installs, env: {INSTALL_X: []}, source: SRC}");
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().message, Catch::Contains("INSTALL_X"));
  refused = parse("{name: unsourced, does: installs, runs: [install-cni.sh], source: ELSEWHERE}");
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().message, Catch::Contains("ELSEWHERE"));
  refused = parse("{name: extra, does: installs, runs: [install-cni.sh], writes: [/opt/cni/bin], source: SRC}");
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().message, Catch::Contains("unknown field `writes`"));
}
