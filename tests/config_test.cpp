// The configuration file: where it is found, what it may say, how mistakes are reported, and
// how it combines with the command line.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "immutalint/config.hpp"
#include "immutalint/suppression.hpp"
#include "test_support.hpp"

using namespace immutalint;
namespace fs = std::filesystem;

namespace {

Result<Config> parse(const std::string& text) {
  return parse_config(text, "cfg.yaml", *Catalogue::builtin(), *TargetSet::builtin());
}

/// The message of a configuration that must be refused.
std::string refusal(const std::string& text) {
  auto config = parse(text);
  REQUIRE_FALSE(config);
  return config.error().message;
}

/// A repository in a temporary folder: a .git folder, manifests under deploy/.
std::string make_repository() {
  const std::string root = test::make_temp_dir();
  fs::create_directories(root + "/.git");
  return root;
}

constexpr const char* kHostNetworkDaemonSet = R"(apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  namespace: monitoring
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      hostNetwork: true
      containers:
        - name: agent
          image: registry.example/agent:1.0
)";

}  // namespace

TEST_CASE("a configuration file is read with every key") {
  auto config = parse(R"(targets: [aks-acl, aks-osguard]
fail-on: error
format: json
inline-ignores: false
discover-pod-templates: true
checks:
  daemonset: off
  host-network: note
  talos-pod-security: warning
exclude: ["vendor/**"]
ignores:
  - check: [host-pid, host-ipc]
    reason: node exporter
    files: "deploy/*.yaml"
    kind: DaemonSet
    namespace: monitoring
    name: "node-*"
    container: exporter
    until: 2027-03-31
workload-kinds:
  - apiVersion: example.com/v1
    kind: Widget
    pod-templates: [spec.template, "spec.workers[*].template"]
)");
  INFO((config ? std::string() : config.error().message));
  REQUIRE(config);
  CHECK(config->targets->value == "aks-acl,aks-osguard");
  CHECK(config->targets->origin == "cfg.yaml:1");
  CHECK(config->fail_on->value == "error");
  CHECK(config->format->value == "json");
  CHECK_FALSE(config->inline_ignores->value);
  CHECK(config->discover_pod_templates->value);
  REQUIRE(config->checks.size() == 3);
  CHECK(config->checks[0].id == "daemonset");
  CHECK(config->checks[0].value == "off");
  CHECK(config->checks[2].id == "pod-security-baseline");  // a former id reads as the current one
  REQUIRE(config->ignores.size() == 1);
  const Waiver& waiver = config->ignores[0];
  CHECK(waiver.channel == SuppressionChannel::Config);
  CHECK(waiver.checks == std::vector<std::string>{"host-pid", "host-ipc"});
  CHECK(waiver.files == std::vector<std::string>{"deploy/*.yaml"});
  CHECK(waiver.containers == std::vector<std::string>{"exporter"});
  CHECK(waiver.until == "2027-03-31");
  CHECK(waiver.where.span.begin.line == 12);
  REQUIRE(config->workload_kinds.size() == 1);
  CHECK(config->workload_kinds[0].pod_templates.size() == 2);
}

TEST_CASE("mistakes in the configuration are reported at their line and column") {
  CHECK(refusal("targets: flatcar\ncolour: red\n") ==
        "cfg.yaml:2:1: unknown key `colour`; the keys are targets, fail-on, format, inline-ignores, "
        "discover-pod-templates, show-notes, all-rows, allow-empty, checks, exclude, ignores and workload-kinds");
  CHECK(refusal("fail-on: sometimes\n") ==
        "cfg.yaml:1:10: `fail-on` must be one of error, warning, note, never, not \"sometimes\"");
  CHECK(refusal("checks:\n  host-netwrok: off\n") ==
        "cfg.yaml:2:3: unknown check id 'host-netwrok' (did you mean host-network?)");
  CHECK(refusal("checks:\n  no-such-thing: off\n") ==
        "cfg.yaml:2:3: unknown check id 'no-such-thing' (see immutalint --list-checks)");
  CHECK(refusal("checks:\n  host-network: loud\n") ==
        "cfg.yaml:2:17: `host-network` must be one of off, on, note, warning, error, not \"loud\"");
  CHECK(refusal("checks:\n  invalid-input: off\n") ==
        "cfg.yaml:2:18: invalid-input cannot be turned off: broken input is always reported");
  CHECK(refusal("targets: [flatcar, windows-2019]\n") ==
        "cfg.yaml:1:20: unknown target 'windows-2019' (see immutalint --list-targets)");
  CHECK(refusal("targets: \"talos, flatcr\"\n") == "cfg.yaml:1:10: unknown target 'flatcr' (did you mean flatcar?)");
  CHECK(refusal("fial-on: error\n") == "cfg.yaml:1:1: unknown key `fial-on` (did you mean fail-on?)");
  CHECK(refusal("ignores:\n  - check: host-pid\n    reasn: x\n") ==
        "cfg.yaml:2:5: an ignores entry needs `reason`: why the finding is accepted\n"
        "cfg.yaml:3:5: unknown key `reasn` in an ignores entry (did you mean reason?)");
  CHECK(refusal("ignores:\n  - check: [host-pid, host-netwrk]\n    reason: x\n") ==
        "cfg.yaml:2:23: unknown check id 'host-netwrk' (did you mean host-network?)");
  CHECK(refusal("ignores:\n  - check: host-pid\n") ==
        "cfg.yaml:2:5: an ignores entry needs `reason`: why the finding is accepted");
  CHECK(refusal("ignores:\n  - reason: because\n") ==
        "cfg.yaml:2:5: an ignores entry needs `check`: the check id, or a list of them");
  CHECK(refusal("ignores:\n  - check: host-pid\n    reason: x\n    until: 31.03.2027\n") ==
        "cfg.yaml:4:12: `until` must be a date written YYYY-MM-DD");
  CHECK(refusal("ignores:\n  - check: host-pid\n    reason: x\n    owner: me\n") ==
        "cfg.yaml:4:5: unknown key `owner` in an ignores entry; the keys are check, reason, files, kind, namespace, "
        "name, container and until");
  CHECK_THAT(refusal("workload-kinds:\n  - apiVersion: example.com/v1\n    kind: Widget\n"
                     "    pod-templates: [spec.template.spec]\n"),
             Catch::StartsWith("cfg.yaml:4:21: "));
  CHECK(refusal("exclude: vendor\n") == "cfg.yaml:1:10: `exclude` must be a list of strings");
  CHECK(refusal("inline-ignores: maybe\n") == "cfg.yaml:1:17: `inline-ignores` must be true or false");
  CHECK(refusal("fail-on: error\nfail-on: note\n") ==
        "cfg.yaml:2:1: key \"fail-on\" is repeated (first at line 1); say it once");
  CHECK(refusal("- fail-on\n") == "cfg.yaml:1:1: the configuration must be a mapping of settings");
  CHECK_THAT(refusal("targets: [flatcar\n"), Catch::StartsWith("cfg.yaml:"));
}

TEST_CASE("every mistake of a configuration file is reported in one run") {
  const std::string message = refusal(R"(targets: [talos, flatcr]
fail-on: sometimes
colour: red
checks:
  host-netwrok: off
  daemonset: loud
  host-pid: note
ignores:
  - check: host-pid
  - check: bogus-check
    reason: x
    until: 2027-02-30
inline-ignores: true
inline-ignores: false
)");
  CHECK(message ==
        "cfg.yaml:1:18: unknown target 'flatcr' (did you mean flatcar?)\n"
        "cfg.yaml:2:10: `fail-on` must be one of error, warning, note, never, not \"sometimes\"\n"
        "cfg.yaml:3:1: unknown key `colour`; the keys are targets, fail-on, format, inline-ignores, "
        "discover-pod-templates, show-notes, all-rows, allow-empty, checks, exclude, ignores and workload-kinds\n"
        "cfg.yaml:5:3: unknown check id 'host-netwrok' (did you mean host-network?)\n"
        "cfg.yaml:6:14: `daemonset` must be one of off, on, note, warning, error, not \"loud\"\n"
        "cfg.yaml:9:5: an ignores entry needs `reason`: why the finding is accepted\n"
        "cfg.yaml:10:12: unknown check id 'bogus-check' (see immutalint --list-checks)\n"
        "cfg.yaml:12:12: `until` must be a day of the calendar, and 2027-02-30 is not\n"
        "cfg.yaml:14:1: key \"inline-ignores\" is repeated (first at line 13); say it once");
}

TEST_CASE("a configuration with very many mistakes lists fifty and counts the rest") {
  std::string text = "checks:\n";
  for (int i = 0; i < 70; ++i) text += "  no-such-check-" + std::to_string(i) + ": off\n";
  const std::string message = refusal(text);
  const auto lines = std::count(message.begin(), message.end(), '\n') + 1;
  CHECK(lines == static_cast<long>(kMaxConfigProblems) + 1);
  CHECK_THAT(message, Catch::StartsWith("cfg.yaml:2:3: unknown check id 'no-such-check-0'"));
  CHECK_THAT(message, Catch::EndsWith("\ncfg.yaml: 20 more mistakes not shown"));
}

TEST_CASE("the report keys and allow-empty are read from the configuration") {
  auto config = parse("show-notes: true\nall-rows: false\nallow-empty: true\ntargets: \"talos, flatcar\"\n");
  INFO((config ? std::string() : config.error().message));
  REQUIRE(config);
  CHECK(config->show_notes->value);
  CHECK(config->show_notes->origin == "cfg.yaml:1");
  CHECK_FALSE(config->all_rows->value);
  CHECK(config->allow_empty->value);
  CHECK(config->targets->value == "talos,flatcar");
  CHECK(refusal("show-notes: yes please\n") == "cfg.yaml:1:13: `show-notes` must be true or false");
}

TEST_CASE("a configuration file that cannot be read says why") {
  const std::string dir = test::make_temp_dir();
  auto folder = load_config(dir, *Catalogue::builtin(), *TargetSet::builtin());
  REQUIRE_FALSE(folder);
  CHECK(folder.error().message == "cannot read the configuration " + dir + ": not a regular file");
  auto missing = load_config(dir + "/none.yaml", *Catalogue::builtin(), *TargetSet::builtin());
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message == "cannot read the configuration " + dir + "/none.yaml: No such file or directory");
  fs::remove_all(dir);
}

TEST_CASE("an empty configuration file says nothing") {
  auto config = parse("# nothing yet\n");
  REQUIRE(config);
  CHECK_FALSE(config->targets);
  CHECK(config->ignores.empty());
}

TEST_CASE("a mistake in the configuration stops the run with exit status 2") {
  const std::string repo = make_repository();
  test::write_file(repo + "/.immutalint.yaml", "targets: flatcar\nchecks:\n  no-such-check: off\n");
  test::write_file(repo + "/deploy/ds.yaml", kHostNetworkDaemonSet);
  auto run = test::run_cli({"deploy"}, {}, repo);
  CHECK(run.exit_code == 2);
  CHECK(run.out.empty());
  CHECK_THAT(run.err, Catch::StartsWith("immutalint: error: .immutalint.yaml:3:3: unknown check id 'no-such-check'"));
  fs::remove_all(repo);
}

TEST_CASE("the configuration is found from the working directory up to the repository root") {
  const std::string repo = make_repository();
  test::write_file(repo + "/.immutalint.yaml", "targets: [talos]\nfail-on: never\n");
  test::write_file(repo + "/deploy/apps/ds.yaml", kHostNetworkDaemonSet);
  SECTION("from a folder below the root") {
    auto run = test::run_cli({"--print-config"}, {}, repo + "/deploy/apps");
    REQUIRE(run.exit_code == 0);
    CHECK_THAT(run.out, Catch::Contains("targets: \"talos\""));
    CHECK_THAT(run.out, Catch::Contains("/.immutalint.yaml:1"));
  }
  SECTION("not above the repository root") {
    fs::create_directories(repo + "/deploy/.git");
    auto run = test::run_cli({"--print-config"}, {}, repo + "/deploy/apps");
    REQUIRE(run.exit_code == 0);
    CHECK_THAT(run.out, Catch::Contains("(no configuration file)"));
  }
  SECTION("--no-config ignores it") {
    auto run = test::run_cli({"--no-config", "--print-config"}, {}, repo);
    CHECK_THAT(run.out, Catch::Contains("targets: \"generic\""));
    CHECK_THAT(run.out, Catch::Contains("# default"));
  }
  SECTION("--config names another file") {
    test::write_file(repo + "/ci/strict.yaml", "fail-on: note\n");
    auto run = test::run_cli({"--config", "ci/strict.yaml", "--print-config"}, {}, repo);
    CHECK_THAT(run.out, Catch::Contains("fail-on: note"));
    CHECK_THAT(run.out, Catch::Contains("# ci/strict.yaml:1"));
    auto missing = test::run_cli({"--config", "ci/none.yaml", "deploy"}, {}, repo);
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.err, Catch::Contains("ci/none.yaml: the configuration file does not exist"));
  }
  fs::remove_all(repo);
}

TEST_CASE("the command line wins over the configuration, and --print-config says where each value came from") {
  const std::string repo = make_repository();
  test::write_file(repo + "/.immutalint.yaml", "targets: [talos]\nfail-on: never\nchecks:\n  daemonset: off\n");
  test::write_file(repo + "/deploy/ds.yaml", kHostNetworkDaemonSet);
  auto printed = test::run_cli({"--target", "flatcar", "--print-config"}, {}, repo);
  CHECK_THAT(printed.out, Catch::Contains("targets: \"flatcar\""));
  CHECK_THAT(printed.out, Catch::Matches("(.|\n)*targets: \"flatcar\" +# command line(.|\n)*"));
  CHECK_THAT(printed.out, Catch::Matches("(.|\n)*fail-on: never +# .immutalint.yaml:2(.|\n)*"));
  CHECK_THAT(printed.out, Catch::Matches("(.|\n)*  daemonset: off +# .immutalint.yaml:4(.|\n)*"));

  // The file's targets and check settings apply to a run...
  auto from_file = test::run_cli({"--format", "json", "deploy"}, {}, repo);
  auto report = nlohmann::json::parse(from_file.out);
  CHECK(report["targets"] == nlohmann::json::array({"talos"}));
  for (const auto& finding : report["findings"]) CHECK(finding["check"] != "daemonset");
  CHECK(from_file.exit_code == 0);  // fail-on: never
  // ...and the command line's win; --only brings back a check the file turns off.
  auto overridden =
      test::run_cli({"--format", "json", "--target", "flatcar", "--only", "daemonset", "deploy"}, {}, repo);
  report = nlohmann::json::parse(overridden.out);
  CHECK(report["targets"] == nlohmann::json::array({"flatcar"}));
  REQUIRE(report["findings"].size() == 1);
  CHECK(report["findings"][0]["check"] == "daemonset");
  fs::remove_all(repo);
}

TEST_CASE("exclude leaves matching inputs out, and the configuration file is never linted") {
  const std::string repo = make_repository();
  test::write_file(repo + "/.immutalint.yaml", "exclude: [\"vendor/**\", \"deploy/*-test.yaml\"]\n");
  test::write_file(repo + "/deploy/ds.yaml", kHostNetworkDaemonSet);
  test::write_file(repo + "/deploy/ds-test.yaml", kHostNetworkDaemonSet);
  test::write_file(repo + "/vendor/chart/templates/ds.yaml", kHostNetworkDaemonSet);
  auto run = test::run_cli({"--format", "json", "."}, {}, repo);
  auto report = nlohmann::json::parse(run.out);
  CHECK(report["summary"]["files"] == 1);
  for (const auto& finding : report["findings"]) CHECK(finding["file"] == "deploy/ds.yaml");
  fs::remove_all(repo);
}

TEST_CASE("a severity from the configuration is the severity of the check's findings") {
  const std::string repo = make_repository();
  test::write_file(repo + "/.immutalint.yaml", "checks:\n  host-network: error\n");
  test::write_file(repo + "/deploy/ds.yaml", kHostNetworkDaemonSet);
  auto run = test::run_cli({"--format", "json", "deploy"}, {}, repo);
  auto report = nlohmann::json::parse(run.out);
  bool seen = false;
  for (const auto& finding : report["findings"]) {
    if (finding["check"] != "host-network") continue;
    seen = true;
    CHECK(finding["severity"] == "error");
  }
  CHECK(seen);
  CHECK(run.exit_code == 1);
  fs::remove_all(repo);
}

TEST_CASE("workload kinds and discovery from the configuration and the command line reach the linter") {
  const std::string repo = make_repository();
  const std::string widget = R"(apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
  namespace: apps
spec:
  workers:
    - template:
        spec:
          hostPID: true
          containers: [{name: main, image: registry.example/w:1}]
)";
  test::write_file(repo + "/deploy/widget.yaml", widget);
  auto unknown = test::run_cli({"--format", "json", "deploy"}, {}, repo);
  CHECK(nlohmann::json::parse(unknown.out)["summary"]["workloads"] == 0);

  auto discovered = test::run_cli({"--format", "json", "--discover-pod-templates", "deploy"}, {}, repo);
  CHECK(nlohmann::json::parse(discovered.out)["summary"]["workloads"] == 1);
  CHECK_THAT(discovered.err, Catch::Contains("spec.workers[*].template"));

  test::write_file(repo + "/.immutalint.yaml",
                   "workload-kinds:\n  - apiVersion: example.com/v1\n    kind: Widget\n"
                   "    pod-templates: [\"spec.workers[*].template\"]\n");
  auto declared = test::run_cli({"--format", "json", "deploy"}, {}, repo);
  auto report = nlohmann::json::parse(declared.out);
  CHECK(report["summary"]["workloads"] == 1);
  REQUIRE(report["findings"].size() == 1);
  CHECK(report["findings"][0]["check"] == "host-pid");
  CHECK(report["findings"][0]["line"] == 10);
  CHECK(declared.err.empty());
  fs::remove_all(repo);
}

TEST_CASE("globs match paths as the configuration documents them") {
  CHECK(glob_match("vendor/**", "vendor/a/b/c.yaml"));
  CHECK(glob_match("vendor/**", "vendor/c.yaml"));
  CHECK_FALSE(glob_match("vendor/**", "deploy/vendor/c.yaml"));
  CHECK(glob_match("deploy/*.yaml", "deploy/a.yaml"));
  CHECK_FALSE(glob_match("deploy/*.yaml", "deploy/sub/a.yaml"));
  CHECK(glob_match("a/**/b.yaml", "a/b.yaml"));
  CHECK(glob_match("a/**/b.yaml", "a/x/y/b.yaml"));
  CHECK(glob_match("**/*.yaml", "x.yaml"));
  CHECK(glob_match("deploy/?.yaml", "deploy/a.yaml"));
  CHECK_FALSE(glob_match("deploy/?.yaml", "deploy/ab.yaml"));
  CHECK(glob_match("deploy/[ab].yaml", "deploy/b.yaml"));
  CHECK_FALSE(glob_match("deploy/[!ab].yaml", "deploy/b.yaml"));
  CHECK(glob_match("./deploy/*.yaml", "deploy/a.yaml"));
  // Many stars against a long path that does not match: no backtracking, so it answers at once.
  CHECK_FALSE(glob_match("*a*a*a*a*a*a*a*a*a*a*a*b", std::string(4000, 'a')));
}
