// Evidence that a workload takes from the ConfigMaps it mounts: node-problem-detector's system log
// monitors that read the systemd journal (journald-dependency), and installers that a ConfigMap
// script runs (host-binary-install), each judged per target and silent where nothing is read or run.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "immutalint/evidence_catalogue.hpp"
#include "test_support.hpp"

using namespace immutalint;

namespace {

/// The findings of one check on `yaml`, judged for `targets`.
std::vector<Finding> findings_of(const std::string& yaml, const std::string& check, const std::string& targets) {
  const LintResult result = test::lint_text(yaml, "config-map.yaml", targets, {check});
  std::vector<Finding> found;
  for (const auto& finding : result.findings.all()) found.push_back(finding);
  return found;
}

/// A fixture of the repository, as text.
std::string fixture(const std::string& path) {
  return test::read_file(test::source_dir() + "/testdata/" + path);
}

/// The finding's verdict on `target`; nullopt when it does not affect it.
std::optional<Verdict> verdict_on(const Finding& finding, const std::string& target) {
  for (const auto& verdict : finding.targets) {
    if (verdict.target == target) return verdict.verdict;
  }
  return std::nullopt;
}

/// True when one of the finding's evidence items holds `text` at `line`.
bool has_evidence(const Finding& finding, const std::string& text, std::uint32_t line) {
  for (const auto& item : finding.evidence) {
    if (item.text.find(text) != std::string::npos && item.place.span.begin.line == line) return true;
  }
  return false;
}

/// node-problem-detector's ConfigMap with a kmsg monitor and a monitor whose plugin is `plugin`,
/// and its DaemonSet, whose container runs `command` (a YAML flow list) and mounts the ConfigMap
/// at /config when `mounted`.
std::string npd(const std::string& plugin, const std::string& command, bool mounted = true) {
  return "apiVersion: v1\n"
         "kind: ConfigMap\n"
         "metadata: {name: npd-config, namespace: kube-system}\n"
         "data:\n"
         "  kernel-monitor.json: |\n"
         "    {\"plugin\": \"kmsg\", \"logPath\": \"/dev/kmsg\", \"source\": \"kernel-monitor\"}\n"
         "  systemd-monitor.json: |\n"
         "    {\n"
         "      \"plugin\": \"" +
         plugin +
         "\",\n"
         "      \"pluginConfig\": {\"source\": \"systemd\"},\n"
         "      \"source\": \"systemd-monitor\"\n"
         "    }\n"
         "---\n"
         "apiVersion: apps/v1\n"
         "kind: DaemonSet\n"
         "metadata: {name: npd, namespace: kube-system}\n"
         "spec:\n"
         "  selector: {matchLabels: {app: npd}}\n"
         "  template:\n"
         "    metadata: {labels: {app: npd}}\n"
         "    spec:\n"
         "      containers:\n"
         "      - name: npd\n"
         "        image: registry.k8s.io/node-problem-detector/node-problem-detector:v0.8.19\n"
         "        command: " +
         command + "\n" +
         (mounted ? "        volumeMounts: [{name: config, mountPath: /config, readOnly: true}]\n"
                    "      volumes: [{name: config, configMap: {name: npd-config}}]\n"
                  : "");
}

// Only the journald monitor: node-problem-detector has no monitor left to start.
const std::string kJournalOnly = "[/node-problem-detector, --config.system-log-monitor=/config/systemd-monitor.json]";

// Quoted: in a flow sequence a comma would end the item.
const std::string kBothMonitors =
    "[/node-problem-detector, "
    "\"--config.system-log-monitor=/config/kernel-monitor.json,/config/systemd-monitor.json\"]";

/// The GPU Operator's toolkit container: a ConfigMap entrypoint script `script` (lines of a block
/// scalar, indented by four) that the container runs, with /usr/local/nvidia mounted writable.
std::string toolkit(const std::string& script) {
  return "apiVersion: v1\n"
         "kind: ConfigMap\n"
         "metadata: {name: toolkit-entrypoint, namespace: gpu-operator}\n"
         "data:\n"
         "  entrypoint.sh: |\n"
         "    #!/bin/sh\n" +
         script +
         "---\n"
         "apiVersion: apps/v1\n"
         "kind: DaemonSet\n"
         "metadata: {name: toolkit, namespace: gpu-operator}\n"
         "spec:\n"
         "  selector: {matchLabels: {app: toolkit}}\n"
         "  template:\n"
         "    metadata: {labels: {app: toolkit}}\n"
         "    spec:\n"
         "      containers:\n"
         "      - name: toolkit\n"
         "        image: registry.example/container-toolkit-mirror:v1\n"
         "        command: [/bin/sh, -c]\n"
         "        args: [/bin/entrypoint.sh]\n"
         "        env: [{name: ROOT, value: /usr/local/nvidia}]\n"
         "        volumeMounts:\n"
         "        - {name: entrypoint, mountPath: /bin/entrypoint.sh, subPath: entrypoint.sh, readOnly: true}\n"
         "        - {name: install-dir, mountPath: /usr/local/nvidia}\n"
         "      volumes:\n"
         "      - {name: entrypoint, configMap: {name: toolkit-entrypoint, defaultMode: 448}}\n"
         "      - {name: install-dir, hostPath: {path: /usr/local/nvidia}}\n";
}

}  // namespace

TEST_CASE("a journald monitor that node-problem-detector's command names in its ConfigMap breaks on talos") {
  const auto findings = findings_of(npd("journald", kJournalOnly), "journald-dependency", "all");
  REQUIRE(findings.size() == 1);
  const Finding& finding = findings[0];
  CHECK_THAT(finding.message, Catch::Contains("reads the systemd journal"));
  CHECK_THAT(finding.message, Catch::Contains("systemd-monitor.json of ConfigMap kube-system/npd-config"));
  CHECK(verdict_on(finding, "talos") == Verdict::Breaks);
  // Every other target keeps a journal.
  for (const char* target : {"generic", "flatcar", "bottlerocket", "aks-acl", "aks-osguard", "fcos", "ubuntu"}) {
    INFO(target);
    CHECK_FALSE(verdict_on(finding, target).has_value());
  }
  // The setting that selects the journal, at its line in the ConfigMap.
  CHECK(has_evidence(finding, "sets plugin: journald (pluginConfig.source: systemd)", 9));
  CHECK(has_evidence(finding, "[NPD-JOURNALD]", 9));
}

TEST_CASE("beside monitors that start, a journald monitor that cannot is a review on talos") {
  // node-problem-detector starts the monitors it can and runs without the others.
  const auto findings = findings_of(npd("journald", kBothMonitors), "journald-dependency", "talos");
  REQUIRE(findings.size() == 1);
  CHECK(verdict_on(findings[0], "talos") == Verdict::Review);
  CHECK(findings[0].severity == Severity::Note);
  const std::string plugin_too =
      "[/node-problem-detector, --config.system-log-monitor=/config/systemd-monitor.json, "
      "--config.custom-plugin-monitor=/config/health-checker.json]";
  const auto with_plugin = findings_of(npd("journald", plugin_too), "journald-dependency", "talos");
  REQUIRE(with_plugin.size() == 1);
  CHECK(verdict_on(with_plugin[0], "talos") == Verdict::Review);
}

TEST_CASE("the same journald monitor gives no finding on bottlerocket and flatcar") {
  CHECK(findings_of(npd("journald", kBothMonitors), "journald-dependency", "bottlerocket,flatcar").empty());
}

TEST_CASE("node-problem-detector with only kmsg and file log monitors stays quiet on talos") {
  CHECK(findings_of(npd("filelog", kBothMonitors), "journald-dependency", "talos").empty());
  CHECK(findings_of(npd("kmsg", kBothMonitors), "journald-dependency", "talos").empty());
}

TEST_CASE("a journald monitor of the ConfigMap that the command does not name is not read") {
  const std::string kernel_only = "[/node-problem-detector, --config.system-log-monitor=/config/kernel-monitor.json]";
  CHECK(findings_of(npd("journald", kernel_only), "journald-dependency", "talos").empty());
}

TEST_CASE("a journald monitor named by the command counts only when the ConfigMap is mounted where it is named") {
  CHECK(findings_of(npd("journald", kBothMonitors, false), "journald-dependency", "talos").empty());
  const std::string elsewhere = "[/node-problem-detector, --config.system-log-monitor=/etc/npd/systemd-monitor.json]";
  CHECK(findings_of(npd("journald", elsewhere), "journald-dependency", "talos").empty());
}

TEST_CASE("the option's value may follow it as a word and the command may be a shell script") {
  const std::string spaced = "[/node-problem-detector, --config.system-log-monitor, /config/systemd-monitor.json]";
  CHECK(findings_of(npd("journald", spaced), "journald-dependency", "talos").size() == 1);
  const std::string deprecated = "[/node-problem-detector, --system-log-monitors=/config/systemd-monitor.json]";
  CHECK(findings_of(npd("journald", deprecated), "journald-dependency", "talos").size() == 1);
  const std::string shell =
      "[/bin/sh, -c, \"exec /node-problem-detector --config.system-log-monitor=/config/systemd-monitor.json\"]";
  CHECK(findings_of(npd("journald", shell), "journald-dependency", "talos").size() == 1);
}

TEST_CASE("a journald monitor and a hostPath of the journal it reads are one finding at the mount") {
  const LintResult result = test::lint_text(fixture("journald-dependency/npd-config-journald-mount.yaml"),
                                            "npd-config-journald-mount.yaml", "talos", {"journald-dependency"});
  std::vector<Finding> findings;
  for (const auto& finding : result.findings.all()) findings.push_back(finding);
  REQUIRE(findings.size() == 1);
  CHECK_THAT(findings[0].message, Catch::Contains("hostPath volume \"journal\" reads the systemd journal"));
  CHECK(verdict_on(findings[0], "talos") == Verdict::Breaks);
  CHECK(has_evidence(findings[0],
                     "docker-monitor.json of ConfigMap kube-system/node-problem-detector-config sets "
                     "plugin: journald",
                     20));
  CHECK(findings[0].related.empty());
}

TEST_CASE("the built-in catalogue reads node-problem-detector's json configuration keys") {
  const auto& catalogue = EvidenceCatalogue::builtin();
  REQUIRE(catalogue);
  REQUIRE(catalogue->config_journal().size() == 1);
  const ConfigJournal& npd_entry = catalogue->config_journal().front();
  CHECK(catalogue->sources().count(npd_entry.source) == 1);
  CHECK(npd_entry.values == std::vector<std::string>{"journald"});
  CHECK(catalogue->names_config_key("docker-monitor.json"));
  CHECK_FALSE(catalogue->names_config_key("entrypoint.sh"));
}

TEST_CASE("a config-journal entry without options or with a bad key pattern is refused") {
  auto parse = [](const std::string& entry) {
    const std::vector<std::pair<std::string, std::string>> files{
        {"journal.yaml", "sources:\n  SRC: \"a source\"\nconfig-journal:\n  - " + entry + "\n"}};
    return EvidenceCatalogue::parse(files);
  };
  CHECK(
      parse("{name: ok, does: reads, flags: [--config], key-pattern: '\\.json$', json: plugin, values: [journald], "
            "source: SRC}"));
  auto refused = parse("{name: no-flags, does: reads, key-pattern: x, json: plugin, values: [journald], source: SRC}");
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().message, Catch::Contains("`flags`"));
  refused = parse(
      "{name: bad, does: reads, flags: [--config], key-pattern: '(', json: plugin, values: [journald], "
      "source: SRC}");
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().message, Catch::Contains("key-pattern"));
  refused = parse("{name: no-values, does: reads, flags: [--config], key-pattern: x, json: plugin, source: SRC}");
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().message, Catch::Contains("`values`"));
  refused = parse(
      "{name: typo, does: reads, flags: [--config], key-pattern: x, json: plugin, values: [journald], "
      "sorce: SRC}");
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().message, Catch::Contains("sorce"));
}

TEST_CASE("an installer that a ConfigMap script runs is an install into the read-only /usr/local of the targets") {
  const auto findings = findings_of(toolkit("    sleep 5\n    exec nvidia-toolkit\n"), "host-binary-install", "all");
  REQUIRE(findings.size() == 1);
  CHECK_THAT(findings[0].message, Catch::Contains("/usr/local/nvidia"));
  // Known by name only: what it writes is up to its image, so at most likely breaks.
  for (const char* target : {"talos", "bottlerocket", "aks-osguard-enforce", "flatcar"}) {
    INFO(target);
    CHECK(verdict_on(findings[0], target) == Verdict::LikelyBreaks);
  }
  CHECK(has_evidence(findings[0], "runs `nvidia-toolkit` in script \"entrypoint.sh\"", 8));
}

TEST_CASE("a ConfigMap script that does not run the installer gives no install") {
  const auto findings = findings_of(toolkit("    sleep 5\n    echo nvidia-toolkit\n"), "host-binary-install", "all");
  // What is left is the writable mount itself: posture, a review at most.
  REQUIRE(findings.size() == 1);
  CHECK_THAT(findings[0].message, Catch::Contains("the manifest shows no install into it"));
  for (const auto& verdict : findings[0].targets) {
    INFO(verdict.target);
    CHECK(verdict.verdict == Verdict::Review);
  }
}

TEST_CASE("the real node-problem-detector deployment loses only its docker monitor on talos", "[shared]") {
  const std::string dir = test::shared_dir() + "/corpus/real/node-problem-detector/deployment/";
  const std::string yaml = test::read_file(dir + "node-problem-detector-config.yaml") + "\n---\n" +
                           test::read_file(dir + "node-problem-detector.yaml");
  const auto findings = findings_of(yaml, "journald-dependency", "all");
  REQUIRE(findings.size() == 1);
  CHECK_THAT(findings[0].message, Catch::Contains("docker-monitor.json of ConfigMap "
                                                  "kube-system/node-problem-detector-config (plugin: journald)"));
  // Its kernel and read-only monitors read /dev/kmsg and start: the journald one alone is lost.
  REQUIRE(findings[0].targets.size() == 1);
  CHECK(verdict_on(findings[0], "talos") == Verdict::Review);
}

TEST_CASE("the GPU Operator's real toolkit entrypoint installs into /usr/local/nvidia", "[shared]") {
  const std::string dir = test::shared_dir() + "/corpus/real/nvidia-gpu-operator/assets/state-container-toolkit/";
  const std::string yaml =
      test::read_file(dir + "0400_configmap.yaml") + "\n---\n" + test::read_file(dir + "0500_daemonset.yaml");
  const auto findings = findings_of(yaml, "host-binary-install", "talos,bottlerocket,aks-osguard-enforce,flatcar,fcos");
  REQUIRE(findings.size() == 1);
  CHECK_THAT(findings[0].message, Catch::Contains("runs an installer with /usr/local/nvidia mounted writable"));
  for (const char* target : {"talos", "bottlerocket", "aks-osguard-enforce", "flatcar"}) {
    INFO(target);
    CHECK(verdict_on(findings[0], target) == Verdict::LikelyBreaks);
  }
  CHECK_FALSE(verdict_on(findings[0], "fcos").has_value());
}
