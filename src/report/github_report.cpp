// GitHub Actions workflow commands: inline annotations on pull requests.
#include <fmt/format.h>
#include <fmt/ostream.h>

#include "immutalint/check.hpp"
#include "immutalint/report.hpp"
#include "report/escape.hpp"

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

}  // namespace

void write_github_report(std::ostream& out, const LintResult& result) {
  result.findings.for_each([&](const Finding& finding) {
    if (finding.suppressed()) return;
    std::string message = finding.message;
    if (finding.object) message += fmt::format(" (in {})", finding.object->describe());
    fmt::print(out, "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n", command_of(finding.severity),
               escape::github_property(finding.file), finding.span.begin.line, finding.span.begin.column,
               finding.span.end.line, finding.span.end.column, escape::github_property("immutalint " + finding.check),
               escape::github_data(message));
  });
}

}  // namespace immutalint
