// The formats of CI systems other than GitHub: JUnit XML valid against the Jenkins xUnit schema,
// GitLab Code Quality valid against GitLab's own schema, and Azure Pipelines logging commands
// whose properties and messages no input can end.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ci_log.hpp"
#include "immutalint/report.hpp"
#include "test_support.hpp"

using namespace immutalint;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

/// Runs a shell command; its exit code and its standard output and error together.
test::CommandResult run_shell(const std::string& command) {
  const std::string dir = test::make_temp_dir();
  const int status = std::system((command + " >" + test::shell_quote(dir + "/out") + " 2>&1").c_str());
  test::CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = test::read_file(dir + "/out");
  fs::remove_all(dir);
  return result;
}

/// xmllint --schema with the vendored Jenkins xUnit JUnit schema.
test::CommandResult validate_junit(const std::string& file) {
  return run_shell("xmllint --noout --schema " + test::shell_quote(test::source_dir() + "/tests/schemas/junit-10.xsd") +
                   " " + test::shell_quote(file));
}

/// tests/validate_code_quality.py: GitLab's schema for each issue, and the documented fields.
test::CommandResult validate_code_quality(const std::string& file) {
  return run_shell(test::shell_quote(test::source_dir() + "/tests/validate_code_quality.py") + " " +
                   test::shell_quote(file));
}

std::string report(ReportFormat format, const LintResult& result, const ReportOptions& options = {}) {
  std::ostringstream out;
  write_report(out, format, result, *Catalogue::builtin(), options);
  return out.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

/// A finding made up for a report test.
Finding made_finding(const std::string& check, Severity severity, const std::string& file, std::uint32_t line,
                     const std::string& message, const std::string& name = "agent") {
  Finding finding;
  finding.check = check;
  finding.severity = severity;
  finding.file = file;
  finding.span.begin = {line, 3};
  finding.span.end = {line, 9};
  finding.message = message;
  finding.object = ObjectRef{"apps/v1", "DaemonSet", "kube-system", name};
  return finding;
}

LintResult result_of(const std::vector<Finding>& findings) {
  LintResult result;
  for (const auto& finding : findings) result.findings.add(finding);
  result.findings.seal();
  result.targets = {"generic"};
  result.summary.files = 2;
  count_by_severity(result);
  return result;
}

const std::string kHostileText = "a & b <c> \"d\" 'e' \x01\x1b[31m ##[error] ##vso[task.complete]; ] 100%\r\nnext\xff";

}  // namespace

TEST_CASE("the JUnit report is valid against the Jenkins xUnit schema with a failed case per finding") {
  const std::string dir = test::make_temp_dir();
  auto r = test::run_cli({"--format", "junit", "--output", dir + "/report.xml", "--fail-on", "never", "--target", "all",
                          "testdata/host-path-volume", "testdata/host-root-mount/flagged.yaml"});
  REQUIRE(r.exit_code == 0);
  const std::string xml = test::read_file(dir + "/report.xml");
  auto v = validate_junit(dir + "/report.xml");
  INFO(v.out);
  CHECK(v.exit_code == 0);
  CHECK_THAT(xml, Catch::StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"immutalint\""));
  CHECK_THAT(xml, Catch::Contains("<testsuite name=\"testdata/host-root-mount/flagged.yaml\""));
  CHECK_THAT(xml, Catch::Contains("<failure message=") && Catch::Contains("type=\"note\"") &&
                      Catch::Contains("type=\"warning\""));
  // The counts add up: one failed test case per finding, notes included.
  auto sarif = json::parse(test::run_cli({"--format", "sarif", "--fail-on", "never", "--target", "all",
                                          "testdata/host-path-volume", "testdata/host-root-mount/flagged.yaml"})
                               .out);
  const std::size_t findings = sarif["runs"][0]["results"].size();
  REQUIRE(findings > 3);
  CHECK_THAT(xml, Catch::Contains(fmt::format("tests=\"{}\" failures=\"{}\"", findings, findings)));
  std::size_t cases = 0;
  for (auto at = xml.find("<testcase "); at != std::string::npos; at = xml.find("<testcase ", at + 1)) ++cases;
  CHECK(cases == findings);
  fs::remove_all(dir);
}

TEST_CASE("the schema check of the JUnit report rejects a report that breaks the schema") {
  const std::string dir = test::make_temp_dir();
  test::write_file(dir + "/bad.xml",
                   "<?xml version=\"1.0\"?>\n<testsuites><testsuite name=\"x\" tests=\"1\" failures=\"0\" errors=\"0\">"
                   "<testcase classname=\"no name\"/></testsuite></testsuites>\n");
  CHECK(validate_junit(dir + "/bad.xml").exit_code != 0);
  fs::remove_all(dir);
}

TEST_CASE("a clean run's JUnit report has a passing test case for each file with a workload") {
  auto result = test::lint_text(test::read_file("testdata/host-network/silent.yaml"), "deploy/app.yaml");
  REQUIRE(result.findings.empty());
  REQUIRE_FALSE(result.workloads.empty());
  const std::string xml = report(ReportFormat::Junit, result);
  CHECK_THAT(xml,
             Catch::Contains("tests=\"1\" failures=\"0\"") &&
                 Catch::Contains("<testcase name=\"deploy/app.yaml: no findings\" classname=\"deploy/app.yaml\"/>"));
  // Without the workloads, one case stands for the run.
  result.workloads.clear();
  CHECK_THAT(report(ReportFormat::Junit, result), Catch::Contains("<testcase name=\"1 file, ") &&
                                                      Catch::Contains("no findings\" classname=\"immutalint\"/>"));
  const std::string dir = test::make_temp_dir();
  test::write_file(dir + "/clean.xml", xml);
  CHECK(validate_junit(dir + "/clean.xml").exit_code == 0);
  fs::remove_all(dir);
}

TEST_CASE("the JUnit report escapes XML and replaces what XML 1.0 cannot hold") {
  auto result = result_of(
      {made_finding("host-pid", Severity::Error, "dir/" + kHostileText + ".yaml", 4, kHostileText, kHostileText)});
  const std::string xml = report(ReportFormat::Junit, result);
  CHECK_THAT(xml, Catch::Contains("a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; \\x01\\x1b[31m #&#35;[error] "
                                  "#&#35;vso[task.complete]; ] 100%\\r\\nnext\xEF\xBF\xBD"));
  for (unsigned char c : xml) {
    if (c < 0x20) CHECK((c == '\n'));  // no control character, not even one XML allows, from the input
  }
  CHECK(test::ci_commands(xml).empty());
  const std::string dir = test::make_temp_dir();
  test::write_file(dir + "/hostile.xml", xml);
  auto v = validate_junit(dir + "/hostile.xml");
  INFO(v.out);
  CHECK(v.exit_code == 0);
  fs::remove_all(dir);
}

TEST_CASE("the GitLab Code Quality report is valid against GitLab's schema with stable fingerprints") {
  const std::string dir = test::make_temp_dir();
  for (const char* name : {"flagged", "flagged-reformatted"}) {
    auto r = test::run_cli({"--format", "gitlab", "--output", dir + "/" + name + ".json", "--fail-on", "never",
                            std::string("testdata/host-path-volume/") + name + ".yaml"});
    REQUIRE(r.exit_code == 0);
    auto v = validate_code_quality(dir + "/" + name + ".json");
    INFO(v.out);
    CHECK(v.exit_code == 0);
  }
  const json before = json::parse(test::read_file(dir + "/flagged.json"));
  const json after = json::parse(test::read_file(dir + "/flagged-reformatted.json"));
  REQUIRE(before.size() >= 4);
  std::set<std::string> severities;
  std::map<std::string, std::string> by_description;  // the reformatted file moves every finding
  for (const auto& issue : before) {
    severities.insert(issue["severity"].get<std::string>());
    CHECK(issue["location"]["path"] == "testdata/host-path-volume/flagged.yaml");
    by_description[issue["check_name"].get<std::string>() + issue["description"].get<std::string>()] =
        issue["fingerprint"];
  }
  CHECK(severities == std::set<std::string>{"info", "major"});
  for (const auto& issue : after) {
    // Same check, object, container and field; another file: the file is part of the fingerprint.
    const auto key = issue["check_name"].get<std::string>() + issue["description"].get<std::string>();
    REQUIRE(by_description.count(key) == 1);
    CHECK(by_description[key] != issue["fingerprint"]);
  }
  // Run again: the same fingerprints.
  auto again = test::run_cli({"--format", "gitlab", "--fail-on", "never", "testdata/host-path-volume/flagged.yaml"});
  CHECK(json::parse(again.out) == before);
  fs::remove_all(dir);
}

TEST_CASE("GitLab Code Quality maps severities and gives equal findings their own fingerprints") {
  auto result = result_of({made_finding("host-pid", Severity::Error, "a.yaml", 4, "one"),
                           made_finding("host-pid", Severity::Error, "a.yaml", 9, "one"),
                           made_finding("host-ipc", Severity::Warning, "a.yaml", 5, "two"),
                           made_finding("daemonset", Severity::Note, "b.yaml", 1, "three")});
  const json issues = json::parse(report(ReportFormat::Gitlab, result));
  REQUIRE(issues.size() == 4);
  std::map<std::string, std::string> severity;
  std::set<std::string> fingerprints;
  for (const auto& issue : issues) {
    severity[issue["check_name"]] = issue["severity"];
    fingerprints.insert(issue["fingerprint"].get<std::string>());
    CHECK(issue["location"]["lines"]["begin"].get<int>() >= 1);
  }
  CHECK(severity ==
        std::map<std::string, std::string>{{"host-pid", "critical"}, {"host-ipc", "major"}, {"daemonset", "info"}});
  CHECK(fingerprints.size() == 4);
  CHECK(issues[0]["description"] == "one (in DaemonSet kube-system/agent)");
  CHECK(issues[0]["location"]["path"] == "a.yaml");
}

TEST_CASE("the GitLab report of hostile text is valid JSON that carries no runner command") {
  auto result = result_of({made_finding("host-pid", Severity::Error, "dir/x.yaml", 4, kHostileText, kHostileText)});
  const std::string text = report(ReportFormat::Gitlab, result);
  const json issues = json::parse(text);  // nlohmann rejects strings that are not UTF-8
  REQUIRE(issues.size() == 1);
  CHECK_THAT(issues[0]["description"].get<std::string>(), Catch::Contains("##vso[task.complete]; ] 100%\r\nnext"));
  CHECK(test::ci_commands(text).empty());
}

TEST_CASE("Azure Pipelines logging commands carry errors and warnings with their place") {
  auto r = test::run_cli({"--format", "azure", "--fail-on", "never", "testdata/host-package-install/flagged.yaml"});
  REQUIRE(r.exit_code == 0);
  const auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 2);
  CHECK_THAT(lines[0], Catch::StartsWith("##vso[task.logissue type=error;sourcepath=testdata/host-package-install/"
                                         "flagged.yaml;linenumber=12;columnnumber=14;code=host-package-install]init "
                                         "container \"cifs-installation\" runs `nsenter "));
  // No notes without show_notes; the last line is the summary, which is no command.
  CHECK_THAT(r.out, !Catch::Contains("\nnote: "));
  CHECK_THAT(lines.back(), Catch::Contains(" notes (not shown; --show-notes lists them)"));
  CHECK(test::ci_commands(lines.back()).empty());
}

TEST_CASE("Azure logging commands escape what would end a property or the command") {
  auto result = result_of({made_finding("host-pid", Severity::Error, "dir/a;b]c%d.yaml", 4, kHostileText),
                           made_finding("daemonset", Severity::Note, "dir/n.yaml", 2, "a note ##vso[x.y]z")});
  const std::string text = report(ReportFormat::Azure, result);
  const auto lines = lines_of(text);
  REQUIRE(lines.size() == 2);  // the note is not shown, then the summary
  CHECK(lines[0] ==
        "##vso[task.logissue type=error;sourcepath=dir/a%3Bb%5Dc%AZP25d.yaml;linenumber=4;columnnumber=3;"
        "code=host-pid]a & b <c> \"d\" 'e' %01%1B[31m #%23[error%5D #%23vso[task.complete%5D%3B %5D "
        "100%AZP25%0D%0Anext%FF "
        "(in DaemonSet kube-system/agent) [host-pid]");
  // The agent's own parser (Command.TryParse): the first ']' after "##vso[" ends the properties,
  // which split at ';' and then at the first '='.
  const std::string info = lines[0].substr(6, lines[0].find(']') - 6);
  CHECK(info ==
        "task.logissue type=error;sourcepath=dir/a%3Bb%5Dc%AZP25d.yaml;linenumber=4;columnnumber=3;code=host-pid");
  ReportOptions options;
  options.show_notes = true;
  const auto with_notes = lines_of(report(ReportFormat::Azure, result, options));
  REQUIRE(with_notes.size() == 3);
  CHECK(with_notes[1] == "note: dir/n.yaml:2:3: a note #\\x23vso[x.y]z (in DaemonSet kube-system/agent) [daemonset]");
  for (const auto& line : with_notes) {
    const auto commands = test::ci_commands(line);
    CHECK(commands.size() == (line.starts_with("##vso[task.logissue ") ? 1U : 0U));
  }
}
