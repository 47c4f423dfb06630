// The other ways findings leave the tool: GitHub annotations within what GitHub shows, the text
// report and the readiness matrix sized for a CI log and a terminal, findings placed by object,
// several reports in one run, and Helm findings mapped onto chart templates.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ci_log.hpp"
#include "immutalint/helm_mapping.hpp"
#include "immutalint/report.hpp"
#include "test_support.hpp"

using namespace immutalint;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string report_text(ReportFormat format, const LintResult& result, const ReportOptions& options) {
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

/// Columns a terminal gives a line of UTF-8 text without controls.
std::size_t display_width(const std::string& line) {
  return static_cast<std::size_t>(
      std::count_if(line.begin(), line.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

/// A finding made up for a report test, on line `line` of a.yaml.
Finding made_finding(const std::string& check, Severity severity, std::uint32_t line) {
  Finding finding;
  finding.check = check;
  finding.severity = severity;
  finding.file = "a.yaml";
  finding.span.begin = {line, 3};
  finding.span.end = {line, 9};
  finding.message = fmt::format("message {}", line);
  finding.object = ObjectRef{"apps/v1", "DaemonSet", "kube-system", "agent"};
  return finding;
}

LintResult result_of(const std::vector<Finding>& findings) {
  LintResult result;
  for (const auto& finding : findings) result.findings.add(finding);
  result.findings.seal();
  result.targets = {"generic"};
  result.summary.files = 1;
  count_by_severity(result);
  return result;
}

}  // namespace

TEST_CASE("github format annotates warnings and errors with their position and counts the notes") {
  auto r = test::run_cli({"--format", "github", "testdata/host-path-volume/flagged.yaml"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::StartsWith("::warning file=testdata/host-path-volume/flagged.yaml,line=35,col=13,endLine=35,"
                                      "endColumn=") &&
                        Catch::Contains(",title=immutalint host-path-not-creatable::hostPath volume \"positions\""));
  CHECK_THAT(r.out, !Catch::Contains("::notice"));
  CHECK_THAT(r.out, Catch::EndsWith("\n1 file, 1 document, 1 object (1 workload checked): 0 errors, 1 warning, 3 notes "
                                    "(not shown; --show-notes lists them)\n"));
}

TEST_CASE("github format lists notes as notices when asked") {
  const auto result = test::lint_text(test::read_file("testdata/host-path-volume/flagged.yaml"),
                                      "testdata/host-path-volume/flagged.yaml");
  ReportOptions options;
  options.show_notes = true;
  const std::string out = report_text(ReportFormat::Github, result, options);
  CHECK_THAT(out, Catch::StartsWith("::notice file=testdata/host-path-volume/flagged.yaml,line=3,col=1,"));
  CHECK_THAT(out, Catch::Contains("::notice file=testdata/host-path-volume/flagged.yaml,line=32,col=13,endLine=32,"
                                  "endColumn=27,title=immutalint host-path-volume::hostPath volume"));
  CHECK_THAT(out, Catch::EndsWith(": 0 errors, 1 warning, 3 notes\n"));
}

TEST_CASE("github format escapes hostile manifest text so it cannot start a new command") {
  const std::string hostile =
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"evil\\n::error file=x::injected, 100%\"\n"
      "spec:\n  hostPID: true\n  containers: [{name: c, image: i}]\n";
  const auto result = test::lint_text(hostile, "dir,with:odd%name.yaml");
  ReportOptions options;
  options.show_notes = true;
  const std::string out = report_text(ReportFormat::Github, result, options);
  const auto lines = lines_of(out);
  REQUIRE(lines.size() == 2);  // the annotation and the summary
  CHECK_THAT(lines[0], Catch::StartsWith("::notice file=dir%2Cwith%3Aodd%25name.yaml,"));
  CHECK_THAT(lines[0], Catch::Contains("evil%0A::error file=x::injected, 100%25"));
  CHECK_FALSE(lines[1].starts_with("::"));
}

TEST_CASE("github format shows at most ten annotations of a severity and says how many it left out") {
  std::vector<Finding> findings;
  for (std::uint32_t i = 1; i <= 25; ++i) findings.push_back(made_finding("host-pid", Severity::Error, i));
  for (std::uint32_t i = 1; i <= 10; ++i) findings.push_back(made_finding("host-ipc", Severity::Warning, 100 + i));
  for (std::uint32_t i = 1; i <= 12; ++i) findings.push_back(made_finding("daemonset", Severity::Note, 200 + i));
  const auto result = result_of(findings);
  const auto count = [](const std::vector<std::string>& lines, std::string_view prefix) {
    return std::count_if(lines.begin(), lines.end(), [&](const std::string& line) { return line.starts_with(prefix); });
  };
  auto lines = lines_of(report_text(ReportFormat::Github, result, {}));
  CHECK(count(lines, "::error file=") == 9);
  CHECK(count(lines, "::warning file=") == 10);  // ten fit: none is left out
  CHECK(count(lines, "::notice") == 0);
  CHECK(count(lines, "::error ") == 10);
  CHECK(count(lines, "::warning ") == 10);
  CHECK_THAT(lines_of(report_text(ReportFormat::Github, result, {}))[19],
             Catch::Equals("::error title=immutalint::and 16 more errors: see the text report in the job log or the "
                           "SARIF file (--report sarif=FILE or --report text=FILE keeps a full report)"));
  ReportOptions options;
  options.show_notes = true;
  lines = lines_of(report_text(ReportFormat::Github, result, options));
  CHECK(count(lines, "::notice file=") == 9);
  CHECK(count(lines, "::notice title=immutalint::and 3 more notes: ") == 1);
  CHECK(lines.size() == 9 + 1 + 10 + 9 + 1 + 1);
}

TEST_CASE("object locations name the object instead of a line of the stream") {
  Finding on_object = made_finding("host-pid", Severity::Error, 7);
  on_object.file = "cluster";
  Finding hostile = made_finding("host-ipc", Severity::Warning, 9);
  hostile.file = "cluster";
  hostile.object->kind = " ::error::Kind";
  Finding without_object = made_finding("invalid-input", Severity::Error, 2);
  without_object.file = "cluster";
  without_object.object.reset();
  const auto result = result_of({on_object, hostile, without_object});
  ReportOptions options;
  options.object_locations = true;
  const auto text = lines_of(report_text(ReportFormat::Text, result, options));
  CHECK(text[0] == "cluster:2:3: error: message 2 [invalid-input]");
  CHECK(text[1] == "DaemonSet kube-system/agent: error: message 7 [host-pid]");
  CHECK(text[2] == "\\x20::error::Kind kube-system/agent: warning: message 9 [host-ipc]");
  const auto github = lines_of(report_text(ReportFormat::Github, result, options));
  CHECK(github[1] == "::error title=immutalint host-pid::DaemonSet kube-system/agent: message 7");
  CHECK(github[2] == "::warning title=immutalint host-ipc:: ::error::Kind kube-system/agent: message 9");
  const auto azure = lines_of(report_text(ReportFormat::Azure, result, options));
  CHECK(azure[1] == "##vso[task.logissue type=error;code=host-pid]DaemonSet kube-system/agent: message 7 [host-pid]");
  for (const auto& lines : {text, github, azure}) {
    for (const auto& line : lines) {
      INFO(line);
      // At most one command a line, and only one of ours, where it starts.
      const auto commands = test::ci_commands(line);
      const bool ours =
          line.starts_with("::error ") || line.starts_with("::warning ") || line.starts_with("##vso[task.logissue ");
      CHECK(commands.size() == (ours ? 1U : 0U));
    }
  }
}

TEST_CASE("the text report lists notes only when asked and says how to list them") {
  auto r = test::run_cli({"testdata/host-path-volume/flagged.yaml"});
  CHECK_THAT(r.out, !Catch::Contains(": note: "));
  CHECK_THAT(r.out, Catch::StartsWith("testdata/host-path-volume/flagged.yaml:35:13: warning: "));
  CHECK_THAT(r.out, Catch::EndsWith("): 0 errors, 1 warning, 3 notes (not shown; --show-notes lists them)\n"));
  const auto result = test::lint_text(test::read_file("testdata/host-path-volume/flagged.yaml"), "flagged.yaml");
  ReportOptions options;
  options.show_notes = true;
  const std::string shown = report_text(ReportFormat::Text, result, options);
  CHECK_THAT(shown,
             Catch::StartsWith("flagged.yaml:3:1: note: ") && Catch::EndsWith(": 0 errors, 1 warning, 3 notes\n"));
}

TEST_CASE("matrix-markdown lists the workloads that are not ready and counts the others") {
  const std::string input = test::read_file("testdata/host-binary-install/flagged.yaml") + "\n---\n" +
                            test::read_file("testdata/host-network/silent.yaml");
  const auto result = test::lint_text(input, "deploy/all.yaml", "all");
  REQUIRE(result.workloads.size() >= 2);
  const std::string summary = report_text(ReportFormat::MatrixMarkdown, result, {});
  std::size_t table_rows = 0;
  for (const auto& line : lines_of(summary)) table_rows += line.starts_with("| ") && !line.starts_with("| workload");
  std::size_t not_ready = 0;
  ReportOptions all;
  all.all_rows = true;
  const std::string every = report_text(ReportFormat::MatrixMarkdown, result, all);
  std::size_t all_rows = 0;
  for (const auto& line : lines_of(every)) {
    if (!line.starts_with("| ") || line.starts_with("| workload")) continue;
    ++all_rows;
    not_ready += line.find("breaks") != std::string::npos || line.find("not scheduled") != std::string::npos;
  }
  CHECK(all_rows == result.workloads.size());
  CHECK(not_ready >= 1);
  CHECK(table_rows == not_ready);
  CHECK_THAT(summary,
             Catch::Contains(fmt::format("{} ready workloads are not shown (`--all-rows` lists every workload).",
                                         result.workloads.size() - not_ready)));
  CHECK_THAT(every, !Catch::Contains("are not shown"));
  CHECK_THAT(summary, Catch::Contains("\n- talos: "));
}

TEST_CASE("the text matrix fits a terminal when the target list is wide") {
  std::string input = test::read_file("testdata/host-binary-install/flagged.yaml");
  const std::string name = "a-workload-name-long-enough-to-need-shortening-in-any-terminal-of-reasonable-width";
  input += "\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: " + name +
           ", namespace: default}\nspec:\n  containers: [{name: c, image: i}]\n";
  const auto result = test::lint_text(input, "deploy/a/rather/deep/folder/of/manifests/all.yaml", "all");
  REQUIRE(result.targets.size() > 6);
  const std::string matrix = report_text(ReportFormat::Matrix, result, {});
  for (const auto& line : lines_of(matrix)) {
    INFO(line);
    CHECK(display_width(line) <= 120);
  }
  CHECK_THAT(matrix, Catch::StartsWith("workload ") && Catch::Contains("\u2026") &&
                         Catch::Contains("targets:  1 " + result.targets[0]) &&
                         Catch::Contains("B breaks, L likely breaks, r ready with findings to review"));
  CHECK_THAT(matrix, !Catch::Contains(name));
  // A narrow list keeps each cell in words.
  const auto narrow =
      test::lint_text(test::read_file("testdata/host-package-install/flagged.yaml"), "all.yaml", "talos");
  CHECK_THAT(report_text(ReportFormat::Matrix, narrow, {}),
             Catch::Contains("longhorn-cifs-installation  breaks: host-package-install (+1)\n"));
}

TEST_CASE("the readiness summaries of the real corpus fit a job summary and a terminal", "[shared]") {
  const std::string corpus = test::shared_dir() + "/corpus/real";
  auto markdown = test::run_cli({"--target", "all", "--format", "matrix-markdown", "--fail-on", "never", corpus});
  REQUIRE(markdown.exit_code == 0);
  CHECK(markdown.out.size() < 8 * 1024);
  CHECK_THAT(markdown.out, Catch::Contains("workloads are not ready on some target"));
  auto text = test::run_cli({"--target", "all", "--format", "matrix", "--fail-on", "never", corpus});
  REQUIRE(text.exit_code == 0);
  for (const auto& line : lines_of(text.out)) {
    INFO(line);
    CHECK(display_width(line) <= 120);
  }
}

TEST_CASE("several reports are written in one run next to the main format") {
  const std::string dir = test::make_temp_dir();
  auto r = test::run_cli({"--report", "sarif=" + dir + "/out.sarif", "--report", "json=" + dir + "/out.json",
                          "--fail-on", "note", "testdata/host-ipc/flagged.yaml"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("[host-ipc]"));
  auto sarif = json::parse(test::read_file(dir + "/out.sarif"));
  auto report = json::parse(test::read_file(dir + "/out.json"));
  CHECK(sarif["runs"][0]["results"].size() == 1);
  CHECK(report["findings"].size() == 1);
  auto bad = test::run_cli({"--report", "xml=" + dir + "/x", "testdata/host-ipc/flagged.yaml"});
  CHECK(bad.exit_code == 2);
  fs::remove_all(dir);
}

TEST_CASE("findings in Helm output are reported on the chart's template lines") {
  auto r =
      test::run_cli({"--format", "json", "--helm-chart", "testdata/helm/node-agent", "testdata/helm/rendered.yaml"});
  auto report = json::parse(r.out);
  std::map<std::string, std::string> where;  // message -> template:line
  for (const auto& f : report["findings"]) {
    REQUIRE(f.contains("rendered"));
    CHECK(f["rendered"]["file"] == "testdata/helm/rendered.yaml");
    where[f["check"].get<std::string>() + " " + f.value("container", "")] =
        f["file"].get<std::string>() + ":" + std::to_string(f["line"].get<int>());
  }
  CHECK(where["host-network "] == "testdata/helm/node-agent/templates/daemonset.yaml:18");
  CHECK(where["privileged-init-container prepare-host"] == "testdata/helm/node-agent/templates/daemonset.yaml:26");
  CHECK(where["host-path-volume agent"] == "testdata/helm/node-agent/templates/daemonset.yaml:46");
  CHECK(where["daemonset "] == "testdata/helm/node-agent/templates/daemonset.yaml:2");
  CHECK(where["host-ipc "] == "testdata/helm/node-agent/charts/cache/templates/statefulset.yaml:15");
}

TEST_CASE("Helm mapping keeps the rendered location in text and SARIF") {
  auto text =
      test::run_cli({"--show-notes", "--helm-chart", "testdata/helm/node-agent", "testdata/helm/rendered.yaml"});
  CHECK_THAT(text.out, Catch::Contains("testdata/helm/node-agent/templates/daemonset.yaml:18:7: note:") &&
                           Catch::Contains("    rendered at testdata/helm/rendered.yaml:51:7"));
  auto sarif = json::parse(
      test::run_cli({"--format", "sarif", "--helm-chart", "testdata/helm/node-agent", "testdata/helm/rendered.yaml"})
          .out);
  for (const auto& result : sarif["runs"][0]["results"]) {
    CHECK(result["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
          "testdata/helm/rendered.yaml");
  }
}

TEST_CASE("findings whose chart is not given stay on the rendered file") {
  auto r = test::run_cli({"--format", "json", "testdata/helm/rendered.yaml"});
  const auto report = json::parse(r.out);
  for (const auto& f : report["findings"]) {
    CHECK(f["file"] == "testdata/helm/rendered.yaml");
    CHECK_FALSE(f.contains("rendered"));
  }
  auto missing = test::run_cli({"--helm-chart", "testdata/host-ipc", "testdata/helm/rendered.yaml"});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("Chart.yaml"));
}

TEST_CASE("template key lines follow indentation, list items and template actions") {
  const std::string text =
      "spec:\n  {{- if .Values.x }}\n  hostNetwork: true\n  {{- end }}\n  volumes:\n    - name: a\n"
      "      hostPath:\n        path: /a\n    - name: b\n      hostPath:\n        path: {{ .Values.b }}\n";
  auto lines = template_key_lines(text);
  const TemplateKeyLine* host = best_template_line(lines, "/spec/hostNetwork");
  REQUIRE(host);
  CHECK(host->line == 3);
  CHECK(host->column == 3);
  const TemplateKeyLine* second = best_template_line(lines, "/spec/volumes/1/hostPath/path");
  REQUIRE(second);
  CHECK(second->line == 11);
  const TemplateKeyLine* ranged = best_template_line(lines, "/spec/volumes/7/hostPath/path");
  REQUIRE(ranged);
  CHECK(ranged->line == 8);
  CHECK(best_template_line(lines, "/spec/hostPID") == nullptr);
}
