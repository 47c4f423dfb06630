// GitHub Actions workflow commands: inline annotations on pull requests, as many as GitHub shows.
#include <array>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "immutalint/check.hpp"
#include "immutalint/escape.hpp"
#include "immutalint/report.hpp"
#include "report/log_lines.hpp"

namespace immutalint {

namespace {

std::string_view command_of(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "notice";
  }
  return "warning";
}

std::string_view plural_of(Severity severity) {
  switch (severity) {
    case Severity::Error: return "errors";
    case Severity::Warning: return "warnings";
    case Severity::Note: return "notes";
  }
  return "warnings";
}

}  // namespace

void write_github_report(std::ostream& out, const LintResult& result, const ReportOptions& options) {
  // GitHub Actions shows at most 10 error, 10 warning and 10 notice annotations per step, and 50
  // per job; it drops the rest without a word (actions/toolkit, docs/problem-matchers.md,
  // "Limitations"). So a severity with more than 10 findings gets 9 of them and a tenth
  // annotation that says how many the annotations leave out and where they are; 3 x 10 stays
  // within a job's 50.
  const auto index = [](Severity severity) { return static_cast<std::size_t>(severity); };
  std::array<std::size_t, 3> total{};
  result.findings.for_each([&](const Finding& finding) {
    if (log_lines::listed(finding, options, false)) ++total[index(finding.severity)];
  });
  std::array<std::size_t, 3> shown_limit{};
  for (std::size_t i = 0; i < total.size(); ++i) {
    shown_limit[i] = total[i] > kGithubAnnotationsPerSeverity ? kGithubAnnotationsPerSeverity - 1 : total[i];
  }
  std::array<std::size_t, 3> written{};
  result.findings.for_each([&](const Finding& finding) {
    if (!log_lines::listed(finding, options, false)) return;
    if (written[index(finding.severity)] == shown_limit[index(finding.severity)]) return;
    ++written[index(finding.severity)];
    const std::string title = escape::github_property("immutalint " + finding.check);
    if (auto object = log_lines::object_place(finding, options)) {
      // A line of a stream nobody has: the annotation names the object and belongs to no file.
      fmt::print(out, "::{} title={}::{}\n", command_of(finding.severity), title,
                 escape::github_data(fmt::format("{}: {}", *object, finding.message)));
      return;
    }
    std::string message = finding.message;
    if (finding.object) message += fmt::format(" (in {})", finding.object->describe());
    fmt::print(out, "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n", command_of(finding.severity),
               escape::github_property(finding.file), finding.span.begin.line, finding.span.begin.column,
               finding.span.end.line, finding.span.end.column, title, escape::github_data(message));
  });
  for (auto severity : {Severity::Error, Severity::Warning, Severity::Note}) {
    const std::size_t left_out = total[index(severity)] - written[index(severity)];  // 0 or at least 2
    if (left_out == 0) continue;
    fmt::print(out,
               "::{} title=immutalint::and {} more {}: see the text report in the job log or the SARIF file "
               "(--report sarif=FILE or --report text=FILE keeps a full report)\n",
               command_of(severity), left_out, plural_of(severity));
  }
  out << log_lines::summary(result, options) << '\n';
}

}  // namespace immutalint
