// JUnit XML: findings as failed test cases, for the test views of Azure Pipelines
// (PublishTestResults, JUnit), GitLab (artifacts:reports:junit) and Jenkins.
#include <set>
#include <utility>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "immutalint/escape.hpp"
#include "immutalint/report.hpp"
#include "report/log_lines.hpp"

namespace immutalint {

namespace {

/// What JUnit readers show as a test's name: the check, the object and the line.
std::string test_name(const Finding& finding) {
  if (!finding.object) return fmt::format("{} (line {})", finding.check, finding.span.begin.line);
  return fmt::format("{} {} (line {})", finding.check, finding.object->describe(), finding.span.begin.line);
}

}  // namespace

void write_junit_report(std::ostream& out, const LintResult& result) {
  // Every finding fails its test case, notes included: the report is read in a test view, not a
  // log. Waived findings are left out, as in the log formats.
  ReportOptions everything;
  everything.show_notes = true;
  const auto reported = [&](const Finding& finding) { return log_lines::listed(finding, everything, false); };

  // The findings come in report order, file by file; a suite's counts precede its cases, so a
  // first pass counts each run of one file.
  std::vector<std::pair<std::string, std::size_t>> suites;
  std::size_t failures = 0;
  result.findings.for_each([&](const Finding& finding) {
    if (!reported(finding)) return;
    if (suites.empty() || suites.back().first != finding.file) suites.emplace_back(finding.file, 0);
    ++suites.back().second;
    ++failures;
  });

  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  if (failures == 0) {
    // A clean run: one passing case per file that holds a workload (the files the run knows by
    // name), or one for the whole run, so that a test view never reads "no tests".
    std::vector<std::string> files;
    std::set<std::string> seen;
    for (const auto& workload : result.workloads) {
      if (seen.insert(workload.file).second) files.push_back(workload.file);
    }
    const std::size_t tests = files.empty() ? 1 : files.size();
    fmt::print(out, "<testsuites name=\"immutalint\" tests=\"{}\" failures=\"0\" errors=\"0\">\n", tests);
    fmt::print(out, "  <testsuite name=\"immutalint\" tests=\"{}\" failures=\"0\" errors=\"0\" skipped=\"0\">\n",
               tests);
    if (files.empty()) {
      fmt::print(out, "    <testcase name=\"{}\" classname=\"immutalint\"/>\n",
                 escape::xml(log_lines::summary(result, everything)));
    }
    for (const auto& file : files) {
      fmt::print(out, "    <testcase name=\"{}: no findings\" classname=\"{}\"/>\n", escape::xml(file),
                 escape::xml(file));
    }
    out << "  </testsuite>\n</testsuites>\n";
    return;
  }

  fmt::print(out, "<testsuites name=\"immutalint\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n", failures, failures);
  std::size_t suite = 0;
  std::size_t left = 0;  // cases still to write in the open suite
  result.findings.for_each([&](const Finding& finding) {
    if (!reported(finding)) return;
    if (left == 0) {
      const auto& [file, count] = suites[suite++];
      fmt::print(out, "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">\n",
                 escape::xml(file), count, count);
      left = count;
    }
    const std::string file = escape::xml(finding.file);
    fmt::print(out, "    <testcase name=\"{}\" classname=\"{}\">\n", escape::xml(test_name(finding)), file);
    // The text starts each line with the tool's own words; input's line breaks are escaped.
    fmt::print(out, "      <failure message=\"{}\" type=\"{}\">at {}:{}:{}: {} [{}]", escape::xml(finding.message),
               to_string(finding.severity), file, finding.span.begin.line, finding.span.begin.column,
               escape::xml(finding.message), finding.check);
    for (const auto& line : log_lines::details(finding, result, false)) out << '\n' << escape::xml(line);
    out << "</failure>\n    </testcase>\n";
    if (--left == 0) out << "  </testsuite>\n";
  });
  out << "</testsuites>\n";
}

}  // namespace immutalint
