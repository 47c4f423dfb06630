// SARIF output: valid against the OASIS SARIF 2.1.0 schema (vendored in tests/schemas/, checked
// with scripts/validate-sarif.py), valid for GitHub code scanning (../shared/sarif/validate-sarif
// --strict, when ../shared is there) for files inside the SARIF root, able to name files anywhere,
// linked to the rule reference, complete, and with fingerprints that do not move when the file is
// edited elsewhere.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "immutalint/report.hpp"
#include "test_support.hpp"

using namespace immutalint;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

/// Runs a validator command line on SARIF files; returns its exit code and output.
test::CommandResult run_validator(const std::string& validator, const std::vector<std::string>& files) {
  std::string command = validator;
  for (const auto& file : files) command += " " + test::shell_quote(file);
  const std::string dir = test::make_temp_dir();
  const int status = std::system((command + " >" + test::shell_quote(dir + "/out") + " 2>&1").c_str());
  test::CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = test::read_file(dir + "/out");
  fs::remove_all(dir);
  return result;
}

/// The project's own validator: the vendored OASIS schema, with Debian's python3-jsonschema.
test::CommandResult validate_schema(const std::vector<std::string>& files) {
  return run_validator(test::shell_quote(test::source_dir() + "/scripts/validate-sarif.py") + " --quiet", files);
}

/// The shared validator: the schema and GitHub code scanning's upload rules.
test::CommandResult validate_github(const std::vector<std::string>& files) {
  return run_validator(test::shell_quote(test::shared_dir() + "/sarif/validate-sarif") + " --strict --quiet", files);
}

/// Writes the SARIF of each testdata folder into `dir`; returns the files.
std::vector<std::string> golden_sarif(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& folder : fs::directory_iterator(test::source_dir() + "/testdata")) {
    if (!folder.is_directory()) continue;
    const std::string name = folder.path().filename().string();
    auto r = test::run_cli({"--format", "sarif", "--allow-empty", "--sarif-category", name, "--output",
                            dir + "/" + name + ".sarif", "testdata/" + name},
                           "");
    INFO(r.err);
    CHECK(r.exit_code <= 1);
    files.push_back(dir + "/" + name + ".sarif");
  }
  std::sort(files.begin(), files.end());
  return files;
}

/// The fingerprint of each result, keyed by rule and message.
std::map<std::string, std::string> fingerprints(const json& log) {
  std::map<std::string, std::string> out;
  for (const auto& result : log["runs"][0]["results"]) {
    out[result["ruleId"].get<std::string>() + " " + result["message"]["text"].get<std::string>()] =
        result["partialFingerprints"]["primaryLocationLineHash"];
  }
  return out;
}

std::set<int> start_lines(const json& log) {
  std::set<int> lines;
  for (const auto& result : log["runs"][0]["results"]) {
    lines.insert(result["locations"][0]["physicalLocation"]["region"]["startLine"].get<int>());
  }
  return lines;
}

}  // namespace

TEST_CASE("the SARIF of every golden fixture is valid against the OASIS SARIF 2.1.0 schema") {
  const std::string dir = test::make_temp_dir();
  const auto files = golden_sarif(dir);
  REQUIRE(files.size() > 8);
  auto v = validate_schema(files);
  INFO(v.out);
  CHECK(v.exit_code == 0);
  fs::remove_all(dir);
}

TEST_CASE("the schema validator rejects SARIF that breaks the schema and input that is not SARIF") {
  const std::string dir = test::make_temp_dir();
  auto valid = json::parse(test::run_cli({"--format", "sarif", "testdata/host-root-mount/flagged.yaml"}).out);
  REQUIRE(valid["runs"][0]["results"].size() >= 1);
  test::write_file(dir + "/valid.sarif", valid.dump());
  CHECK(validate_schema({dir + "/valid.sarif"}).exit_code == 0);

  auto wrong_version = valid;
  wrong_version["version"] = "2.0.0";
  auto unknown_property = valid;
  unknown_property["runs"][0]["results"][0]["severity"] = "error";  // SARIF's name is "level"
  auto bad_line = valid;
  bad_line["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0;
  const std::map<std::string, std::string> broken = {{"wrong-version", wrong_version.dump()},
                                                     {"unknown-property", unknown_property.dump()},
                                                     {"line-zero", bad_line.dump()},
                                                     {"not-json", "{\"version\": \"2.1.0\", "}};
  for (const auto& [name, text] : broken) {
    INFO(name);
    test::write_file(dir + "/" + name + ".sarif", text);
    auto v = validate_schema({dir + "/valid.sarif", dir + "/" + name + ".sarif"});
    INFO(v.out);
    CHECK(v.exit_code == 1);
    CHECK_THAT(v.out, Catch::Contains(name + ".sarif"));
    CHECK_THAT(v.out, !Catch::Contains("valid.sarif:"));
  }
  fs::remove_all(dir);
}

TEST_CASE("the SARIF of every golden fixture passes validate-sarif --strict", "[shared]") {
  REQUIRE(fs::is_regular_file(test::shared_dir() + "/sarif/validate-sarif"));
  const std::string dir = test::make_temp_dir();
  const auto files = golden_sarif(dir);
  REQUIRE(files.size() > 8);
  auto v = validate_github(files);
  INFO(v.out);
  CHECK(v.exit_code == 0);
  fs::remove_all(dir);
}

TEST_CASE("the SARIF of the whole shared corpus passes validate-sarif --strict", "[shared]") {
  // Every manifest, those in hidden fixture folders included.
  const std::string corpus = test::shared_dir() + "/corpus";
  std::vector<std::string> args = {"--format", "sarif", "--sarif-category", "corpus", "--fail-on", "never"};
  for (const auto& entry : fs::recursive_directory_iterator(corpus)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && (name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json"))) {
      args.push_back(fs::relative(entry.path(), corpus).generic_string());
    }
  }
  REQUIRE(args.size() > 1000);
  const std::string dir = test::make_temp_dir();
  args.insert(args.begin(), {"--output", dir + "/corpus.sarif"});
  auto r = test::run_cli(args, "", corpus);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto log = json::parse(test::read_file(dir + "/corpus.sarif"));
  CHECK(log["runs"][0]["results"].size() > 1000);
  auto v = validate_github({dir + "/corpus.sarif"});
  INFO(v.out);
  CHECK(v.exit_code == 0);
  fs::remove_all(dir);
}

TEST_CASE("SARIF describes every enabled check as a rule and indexes results into it") {
  auto r = test::run_cli({"--format", "sarif", "--disable", "daemonset", "testdata/host-root-mount/flagged.yaml"});
  auto log = json::parse(r.out);
  const auto& run = log["runs"][0];
  const auto& rules = run["tool"]["driver"]["rules"];
  std::set<std::string> ids;
  for (const auto& rule : rules) {
    ids.insert(rule["id"].get<std::string>());
    CHECK(rule["properties"]["tags"].size() >= 1);
    CHECK_FALSE(rule["help"]["markdown"].get<std::string>().empty());
  }
  CHECK(ids.count("host-root-mount") == 1);
  CHECK(ids.count("invalid-input") == 1);
  CHECK(ids.count("daemonset") == 0);
  CHECK(ids.size() == Catalogue::builtin()->checks().size() - 1);
  for (const auto& result : run["results"]) {
    CHECK(rules[result["ruleIndex"].get<std::size_t>()]["id"] == result["ruleId"]);
    const auto& location = result["locations"][0];
    CHECK(location["physicalLocation"]["artifactLocation"]["uri"] == "testdata/host-root-mount/flagged.yaml");
    CHECK(location["logicalLocations"][0]["fullyQualifiedName"] == "Pod/ops/node-shell");
    const auto& region = location["physicalLocation"]["region"];
    CHECK(region["endColumn"].get<int>() > region["startColumn"].get<int>());
  }
  CHECK(run["tool"]["driver"]["semanticVersion"] == "0.1.0");
  CHECK(run["invocations"][0]["executionSuccessful"] == true);
}

TEST_CASE("a clean run still has a results array and the category in automationDetails") {
  auto r = test::run_cli({"--format", "sarif", "--sarif-category", "manifests", "testdata/host-network/silent.yaml"});
  auto log = json::parse(r.out);
  CHECK(log["runs"][0]["results"].is_array());
  CHECK(log["runs"][0]["results"].empty());
  CHECK(log["runs"][0]["automationDetails"]["id"] == "manifests/");
}

TEST_CASE("input errors appear as tool execution notifications too") {
  auto r = test::run_cli({"--format", "sarif", "testdata/invalid-input/unclosed-quote.yaml"});
  auto log = json::parse(r.out);
  const auto& notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"];
  REQUIRE(notes.size() == 1);
  CHECK(notes[0]["level"] == "error");
  CHECK_THAT(notes[0]["message"]["text"].get<std::string>(), Catch::Contains("unexpected end of stream"));
}

TEST_CASE("SARIF fingerprints survive inserted lines and reformatting") {
  // flagged-reformatted.yaml is flagged.yaml with lines inserted above, another indentation
  // style and keys reordered: every finding moves, no fingerprint may change.
  auto before = json::parse(test::run_cli({"--format", "sarif", "testdata/host-path-volume/flagged.yaml"}).out);
  auto after =
      json::parse(test::run_cli({"--format", "sarif", "testdata/host-path-volume/flagged-reformatted.yaml"}).out);
  REQUIRE(before["runs"][0]["results"].size() >= 4);
  CHECK(after["runs"][0]["results"].size() == before["runs"][0]["results"].size());
  CHECK(start_lines(before) != start_lines(after));
  CHECK(fingerprints(before) == fingerprints(after));
  // A different object gets different fingerprints.
  auto other = json::parse(test::run_cli({"--format", "sarif", "testdata/host-root-mount/flagged.yaml"}).out);
  for (const auto& [key, hash] : fingerprints(other)) {
    for (const auto& [key2, hash2] : fingerprints(before)) CHECK(hash != hash2);
  }
}

TEST_CASE("a file outside the SARIF root gets an absolute file URI and a notification says so") {
  const std::string dir = test::make_temp_dir();
  test::write_file(dir + "/de ploy/agent.yaml", test::read_file("testdata/host-ipc/flagged.yaml"));
  auto r = test::run_cli({"--format", "sarif", "--output", dir + "/out.sarif", dir + "/de ploy"});
  REQUIRE(r.exit_code == 0);
  const json log = json::parse(test::read_file(dir + "/out.sarif"));
  const auto& run = log["runs"][0];
  REQUIRE(run["results"].size() == 1);
  const auto& artifact = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
  const std::string absolute = fs::absolute(dir).lexically_normal().generic_string();
  CHECK(artifact["uri"] == "file://" + absolute + "/de%20ploy/agent.yaml");
  CHECK_FALSE(artifact.contains("uriBaseId"));
  const auto& notes = run["invocations"][0]["toolExecutionNotifications"];
  REQUIRE(notes.size() == 1);
  CHECK(notes[0]["level"] == "warning");
  CHECK_THAT(notes[0]["message"]["text"].get<std::string>(),
             Catch::StartsWith("1 result is in files outside the SARIF root file:///"));
  auto v = validate_schema({dir + "/out.sarif"});
  INFO(v.out);
  CHECK(v.exit_code == 0);
  // Inside the root, relative as before; --report writes its file for input outside it too.
  auto inside = test::run_cli({"--format", "sarif", "--sarif-root", "testdata", "testdata/host-ipc/flagged.yaml"});
  CHECK(
      json::parse(inside.out)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
      "host-ipc/flagged.yaml");
  fs::create_directories(dir + "/repo");
  auto report = test::run_cli({"--report", "sarif=out.sarif", "../de ploy"}, "", dir + "/repo");
  CHECK(report.exit_code == 0);
  CHECK(json::parse(test::read_file(dir + "/repo/out.sarif"))["runs"][0]["results"].size() == 1);
  fs::remove_all(dir);
}

TEST_CASE("a file named by its absolute path inside the SARIF root gets a relative URI") {
  const std::string file = test::source_dir() + "/testdata/host-ipc/flagged.yaml";
  auto r = test::run_cli({"--format", "sarif", file});
  const json log = json::parse(r.out);
  const auto& artifact = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
  CHECK(artifact["uri"] == "testdata/host-ipc/flagged.yaml");
  CHECK(artifact["uriBaseId"] == "%SRCROOT%");
  CHECK_FALSE(log["runs"][0]["invocations"][0].contains("toolExecutionNotifications"));
}

TEST_CASE("each SARIF rule links to its section of the rule reference when the project has an address") {
  const auto result = test::lint_text(test::read_file("testdata/host-ipc/flagged.yaml"));
  ReportOptions options;
  options.enabled_checks = Linter::create(*Catalogue::builtin(), {})->enabled_checks();
  options.project_url = "https://example.org/immutalint/";
  std::ostringstream out;
  write_report(out, ReportFormat::Sarif, result, *Catalogue::builtin(), options);
  const json log = json::parse(out.str());
  const auto& driver = log["runs"][0]["tool"]["driver"];
  CHECK(driver["informationUri"] == "https://example.org/immutalint/");
  const std::string reference = test::read_file("docs/checks.md");
  REQUIRE(driver["rules"].size() == options.enabled_checks.size());
  for (const auto& rule : driver["rules"]) {
    const std::string id = rule["id"];
    INFO(id);
    CHECK(rule["helpUri"] == "https://example.org/immutalint/blob/main/docs/checks.md#" + id);
    // The anchor is that of the check's heading: GitHub makes "## host-ipc" into #host-ipc.
    CHECK_THAT(reference, Catch::Contains("\n## " + id + "\n"));
  }
  // Without an address, neither is written (both are optional in SARIF).
  options.project_url.clear();
  std::ostringstream bare;
  write_report(bare, ReportFormat::Sarif, result, *Catalogue::builtin(), options);
  const json without = json::parse(bare.str());
  CHECK_FALSE(without["runs"][0]["tool"]["driver"].contains("informationUri"));
  for (const auto& rule : without["runs"][0]["tool"]["driver"]["rules"]) CHECK_FALSE(rule.contains("helpUri"));
  const std::string dir = test::make_temp_dir();
  test::write_file(dir + "/linked.sarif", out.str());
  test::write_file(dir + "/bare.sarif", bare.str());
  auto v = validate_schema({dir + "/linked.sarif", dir + "/bare.sarif"});
  INFO(v.out);
  CHECK(v.exit_code == 0);
  fs::remove_all(dir);
}

TEST_CASE("SARIF with help links and files named by absolute paths passes validate-sarif --strict", "[shared]") {
  REQUIRE(fs::is_regular_file(test::shared_dir() + "/sarif/validate-sarif"));
  const std::string dir = test::make_temp_dir();
  auto r = test::run_cli({"--format", "sarif", "--output", dir + "/out.sarif", "--fail-on", "never",
                          test::source_dir() + "/testdata/host-path-volume", "testdata/host-root-mount/flagged.yaml"});
  REQUIRE(r.exit_code == 0);
  const json log = json::parse(test::read_file(dir + "/out.sarif"));
  // Rules link to their docs when the build knows the project's address, and name none otherwise.
  const bool has_homepage = !std::string_view(IMMUTALINT_HOMEPAGE).empty();
  CHECK(log["runs"][0]["tool"]["driver"]["rules"][0].contains("helpUri") == has_homepage);
  CHECK(log["runs"][0]["tool"]["driver"].contains("informationUri") == has_homepage);
  auto v = validate_github({dir + "/out.sarif"});
  INFO(v.out);
  CHECK(v.exit_code == 0);
  fs::remove_all(dir);
}

TEST_CASE("SARIF with suppressions of every kind, expired and unused waivers passes validate-sarif --strict",
          "[shared]") {
  REQUIRE(fs::is_regular_file(test::shared_dir() + "/sarif/validate-sarif"));
  const std::string repo = test::make_temp_dir();
  fs::create_directories(repo + "/.git");
  test::write_file(repo + "/.immutalint.yaml", R"yaml(ignores:
  - check: host-network
    reason: "the collector listens on the node address (OPS-12)"
    kind: DaemonSet
  - check: host-pid
    reason: "reviewed once"
    until: 2000-01-01
  - check: host-ipc
    reason: "stale"
)yaml");
  test::write_file(repo + "/deploy/agent.yaml", R"yaml(apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  annotations:
    ignore-check.immutalint.io/daemonset: "reviewed for Flatcar (PLAT-3)"
    ignore-check.immutalint.io/host-path-volume: ""
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      hostNetwork: true
      hostPID: true
      # immutalint: ignore privileged-container -- loads the driver once
      containers:
        - name: agent
          image: registry.example/agent:1.0
          securityContext: {privileged: true}
          volumeMounts: [{name: logs, mountPath: /var/log}]
      volumes:
        - {name: logs, hostPath: {path: /var/log}}
)yaml");
  auto r = test::run_cli({"--format", "sarif", "--fail-on", "never", "--output", "out.sarif", "deploy"}, "", repo);
  REQUIRE(r.exit_code == 0);
  const json log = json::parse(test::read_file(repo + "/out.sarif"));
  std::set<std::string> kinds;
  for (const auto& result : log["runs"][0]["results"]) {
    for (const auto& suppression : result.value("suppressions", json::array())) kinds.insert(suppression["kind"]);
  }
  CHECK(kinds == std::set<std::string>{"external", "inSource"});
  auto v = validate_github({repo + "/out.sarif"});
  INFO(v.out);
  CHECK(v.exit_code == 0);
  fs::remove_all(repo);
}
