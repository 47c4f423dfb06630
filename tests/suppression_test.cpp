// Waivers: annotations, comments and configuration entries, each with a reason, in every report.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "immutalint/suppression.hpp"
#include "test_support.hpp"

using namespace immutalint;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

/// A DaemonSet with three findings on generic: daemonset (line 4), host-network (line 17) and
/// host-pid (line 18), and host-path-volume on its container "agent" (line 25). It carries an
/// annotation for host-path-volume scoped to "agent", a comment above host-network, and a
/// comment on host-pid's own line.
constexpr const char* kAgent = R"(# A log agent.
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  namespace: logging
  annotations:
    ignore-check.immutalint.io/host-path-volume: "[agent] reads the node's logs, read-only"
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata:
      labels: {app: agent}
    spec:
      # immutalint: ignore host-network -- ships to the node-local collector
      hostNetwork: true
      hostPID: true  # immutalint: ignore host-pid,host-ipc -- tails every process's journal
      containers:
        - name: agent
          image: registry.example/agent:1.0
          volumeMounts: [{name: logs, mountPath: /var/log, readOnly: true}]
      volumes:
        - name: logs
          hostPath: {path: /var/log}
)";

/// A repository holding the agent and a configuration file.
std::string make_repository(const std::string& config) {
  const std::string root = test::make_temp_dir();
  fs::create_directories(root + "/.git");
  test::write_file(root + "/deploy/agent.yaml", kAgent);
  if (!config.empty()) test::write_file(root + "/.immutalint.yaml", config);
  return root;
}

json findings_of(const std::string& out) {
  return json::parse(out)["findings"];
}

const json* find(const json& findings, const std::string& check) {
  for (const auto& finding : findings) {
    if (finding["check"] == check) return &finding;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("inline comments and scoped annotations accept their findings and the summary counts them") {
  const std::string repo = make_repository("");
  auto text = test::run_cli({"--show-notes", "deploy"}, {}, repo);
  CHECK(text.out ==
        "deploy/agent.yaml:4:1: note: DaemonSet \"agent\" runs on every node; verify it on the target node OS "
        "[daemonset]\n"
        "    in DaemonSet logging/agent\n"
        "1 file, 1 document, 1 object (1 workload checked, 3 suppressed): 0 errors, 0 warnings, 1 note\n");
  CHECK(text.exit_code == 0);

  SECTION("--show-suppressed shows each with its waiver and reason") {
    auto shown = test::run_cli({"--show-notes", "--show-suppressed", "deploy"}, {}, repo);
    CHECK_THAT(shown.out, Catch::Contains("deploy/agent.yaml:17:7: suppressed note: the pod shares the host's "
                                          "network namespace"));
    CHECK_THAT(shown.out, Catch::Contains("    accepted by the comment at deploy/agent.yaml:16: ships to the "
                                          "node-local collector\n"));
    CHECK_THAT(shown.out, Catch::Contains("    accepted by the comment at deploy/agent.yaml:18: tails every "
                                          "process's journal\n"));
    CHECK_THAT(shown.out, Catch::Contains("    accepted by the annotation at deploy/agent.yaml:9: reads the node's "
                                          "logs, read-only\n"));
  }
  SECTION("JSON leaves them out, or shows them with --show-suppressed") {
    auto hidden = test::run_cli({"--format", "json", "deploy"}, {}, repo);
    CHECK(findings_of(hidden.out).size() == 1);
    CHECK(json::parse(hidden.out)["summary"]["suppressed"] == 3);
    auto shown = test::run_cli({"--format", "json", "--show-suppressed", "deploy"}, {}, repo);
    const json findings = findings_of(shown.out);
    CHECK(findings.size() == 4);
    const json* network = find(findings, "host-network");
    REQUIRE(network);
    CHECK((*network)["suppression"] == json{{"channel", "comment"},
                                            {"reason", "ships to the node-local collector"},
                                            {"file", "deploy/agent.yaml"},
                                            {"line", 16},
                                            {"expired", false}});
    const json* volume = find(findings, "host-path-volume");
    REQUIRE(volume);
    CHECK((*volume)["suppression"]["channel"] == "annotation");
  }
  SECTION("SARIF carries them as inSource suppressions with their justification") {
    auto sarif = test::run_cli({"--format", "sarif", "deploy"}, {}, repo);
    const json results = json::parse(sarif.out)["runs"][0]["results"];
    CHECK(results.size() == 4);
    for (const auto& result : results) {
      if (result["ruleId"] == "daemonset") {
        CHECK_FALSE(result.contains("suppressions"));
        continue;
      }
      REQUIRE(result.contains("suppressions"));
      CHECK(result["suppressions"][0]["kind"] == "inSource");
      CHECK(result["suppressions"][0]["status"] == "accepted");
      CHECK(result["suppressions"][0]["location"]["physicalLocation"]["artifactLocation"]["uri"] ==
            "deploy/agent.yaml");
      if (result["ruleId"] == "host-pid") {
        CHECK(result["suppressions"][0]["justification"] == "tails every process's journal");
      }
    }
    auto omitted = test::run_cli({"--format", "sarif", "--sarif-omit-suppressed", "deploy"}, {}, repo);
    CHECK(json::parse(omitted.out)["runs"][0]["results"].size() == 1);
  }
  SECTION("--no-inline-ignores turns the comments off, not the annotations") {
    auto audit = test::run_cli({"--format", "json", "--no-inline-ignores", "deploy"}, {}, repo);
    const json findings = findings_of(audit.out);
    CHECK(find(findings, "host-network"));
    CHECK(find(findings, "host-pid"));
    CHECK_FALSE(find(findings, "host-path-volume"));
    CHECK_FALSE(find(findings, "unused-suppression"));
  }
  fs::remove_all(repo);
}

TEST_CASE("an annotation scoped to containers accepts nothing on other containers") {
  const std::string manifest = R"(apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    ignore-check.immutalint.io/privileged-container: "[installer] loads the driver once"
spec:
  containers:
    - name: installer
      image: registry.example/i:1
      securityContext: {privileged: true}
    - name: sidecar
      image: registry.example/s:1
      securityContext: {privileged: true}
)";
  auto result = test::lint_text(manifest, "pod.yaml");
  std::vector<std::string> open, accepted;
  for (const auto& finding : result.findings.all()) {
    if (finding.check != "privileged-container") continue;
    (finding.suppressed() ? accepted : open).push_back(finding.container);
  }
  CHECK(open == std::vector<std::string>{"sidecar"});
  CHECK(accepted == std::vector<std::string>{"installer"});
}

TEST_CASE("configuration waivers match by check, file, kind, namespace, name and container, until their day") {
  const std::string config = R"yaml(ignores:
  - check: host-network
    reason: "the agent ships to the node-local collector (OPS-12)"
    files: "deploy/*.yaml"
    kind: DaemonSet
    namespace: logging
    name: "ag*"
  - check: daemonset
    reason: "reviewed for Flatcar (PLAT-3)"
    until: 2000-01-01
  - check: host-path-volume
    reason: "only for another container"
    container: collector
  - check: host-ipc
    reason: "stale"
)yaml";
  const std::string repo = make_repository(config);
  // Comments would accept host-network themselves: turn them off so the configuration decides.
  auto run = test::run_cli({"--format", "json", "--show-suppressed", "--no-inline-ignores", "deploy"}, {}, repo);
  const json findings = findings_of(run.out);

  const json* network = find(findings, "host-network");
  REQUIRE(network);
  CHECK((*network)["suppression"]["channel"] == "config");
  CHECK((*network)["suppression"]["file"] == ".immutalint.yaml");
  CHECK((*network)["suppression"]["line"] == 2);

  // Expired: the finding counts again, and says that its waiver expired.
  const json* daemonset = find(findings, "daemonset");
  REQUIRE(daemonset);
  CHECK((*daemonset)["suppression"]["expired"] == true);
  CHECK((*daemonset)["suppression"]["until"] == "2000-01-01");
  CHECK(json::parse(run.out)["summary"]["note"] >= 1);

  // Other entries: a container that does not match; a check with no finding.
  std::vector<int> unused_lines;
  for (const auto& finding : findings) {
    if (finding["check"] == "unused-suppression") {
      CHECK(finding["file"] == ".immutalint.yaml");
      unused_lines.push_back(finding["line"]);
    }
  }
  CHECK(unused_lines == std::vector<int>{11, 14});

  auto text = test::run_cli({"--show-notes", "--no-inline-ignores", "deploy"}, {}, repo);
  CHECK_THAT(text.out, Catch::Contains("    the waiver at .immutalint.yaml:8 expired after 2000-01-01: reviewed for "
                                       "Flatcar (PLAT-3)\n"));
  CHECK_THAT(text.out, Catch::Contains(".immutalint.yaml:14:5: note: the ignores entry for host-ipc matched no "
                                       "finding; remove it if it is stale [unused-suppression]"));

  auto sarif = test::run_cli({"--format", "sarif", "--no-inline-ignores", "deploy"}, {}, repo);
  const json log = json::parse(sarif.out);
  for (const auto& result : log["runs"][0]["results"]) {
    if (result["ruleId"] == "host-network") CHECK(result["suppressions"][0]["kind"] == "external");
    if (result["ruleId"] == "daemonset") {
      CHECK_FALSE(result.contains("suppressions"));
      CHECK_THAT(result["properties"]["expiredWaiver"].get<std::string>(), Catch::Contains("expired after"));
    }
  }
  fs::remove_all(repo);
}

TEST_CASE("waivers that accept nothing, or give no reason, are reported where they are written") {
  const std::string manifest = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    ignore-check.immutalint.io/host-network: "needs the node address"
    ignore-check.immutalint.io/no-such-check: "typo"
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      # immutalint: ignore host-pid
      hostPID: true
      containers: [{name: web, image: registry.example/web:1}]
)";
  auto result = test::lint_text(manifest, "web.yaml");
  std::vector<std::pair<std::string, std::uint32_t>> reported;
  for (const auto& finding : result.findings.all()) {
    if (!finding.suppressed()) reported.emplace_back(finding.check, finding.span.begin.line);
  }
  CHECK(reported == std::vector<std::pair<std::string, std::uint32_t>>{
                        {"unused-suppression", 6}, {"unused-suppression", 7}, {"suppression-without-reason", 13}});
  CHECK(result.summary.suppressed == 1);
  CHECK(result.summary.warnings == 1);

  // A waiver for a check that did not run is not "unused": it may be needed when it runs.
  auto only = test::lint_text(manifest, "web.yaml", "generic", {"host-pid", "unused-suppression"});
  for (const auto& finding : only.findings.all()) {
    if (finding.check == "unused-suppression") CHECK(finding.span.begin.line == 7);
  }
}

TEST_CASE("a comment in a Helm template accepts the finding reported on that template") {
  const std::string chart = test::make_temp_dir();
  test::write_file(chart + "/Chart.yaml", "apiVersion: v2\nname: agent\nversion: 1.0.0\n");
  test::write_file(chart + "/templates/daemonset.yaml", R"(apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: {{ .Release.Name }}-agent
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      {{- if .Values.hostNetwork }}
      # immutalint: ignore host-network -- the chart's documented host-network mode
      hostNetwork: true
      {{- end }}
      containers:
        - name: agent
          image: {{ .Values.image }}
)");
  // What `helm template` writes for it: the comment is kept, the actions are gone.
  const std::string rendered = R"(---
# Source: agent/templates/daemonset.yaml
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: release-agent
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      # immutalint: ignore host-network -- the chart's documented host-network mode
      hostNetwork: true
      containers:
        - name: agent
          image: registry.example/agent:1.0
)";
  auto run = test::run_cli(
      {"--helm-chart", chart, "--stdin-filename", "rendered.yaml", "--format", "json", "--show-suppressed", "-"},
      rendered, chart);
  const json findings = findings_of(run.out);
  const json* network = find(findings, "host-network");
  REQUIRE(network);
  CHECK((*network)["line"] == 12);  // on the template
  CHECK((*network)["suppression"]["channel"] == "comment");
  CHECK_FALSE(find(findings, "unused-suppression"));
  fs::remove_all(chart);
}

TEST_CASE("a suppressed finding is not recorded in a baseline, and a baseline does not take it") {
  const std::string repo = make_repository("");
  auto written = test::run_cli({"--write-baseline", "baseline.json", "deploy"}, {}, repo);
  const json baseline = json::parse(test::read_file(repo + "/baseline.json"));
  REQUIRE(baseline["findings"].size() == 1);
  CHECK(baseline["findings"][0]["check"] == "daemonset");
  auto run = test::run_cli({"--format", "json", "--baseline", "baseline.json", "deploy"}, {}, repo);
  const json summary = json::parse(run.out)["summary"];
  CHECK(summary["baselined"] == 1);
  CHECK(summary["suppressed"] == 3);
  fs::remove_all(repo);
}

TEST_CASE("the inline marker is read only in comments") {
  auto waivers = inline_waivers(
      "a: 1 # immutalint: ignore x,y -- why\n"
      "b: \"immutalint: ignore z\"\n"
      "#immutalint: ignore w\n"
      "url: http://host#immutalint: ignore v\n",
      10, "f.yaml");
  REQUIRE(waivers.size() == 2);
  CHECK(waivers[0].checks == std::vector<std::string>{"x", "y"});
  CHECK(waivers[0].reason == "why");
  CHECK(waivers[0].where.span.begin == Mark{10, 6});
  CHECK(waivers[1].checks == std::vector<std::string>{"w"});
  CHECK(waivers[1].reason.empty());
  CHECK(waivers[1].where.span.begin.line == 12);
}
