// GitHub Actions workflow commands: inline annotations on pull requests.
#include <fmt/format.h>
#include <fmt/ostream.h>

#include "immutalint/check.hpp"
#include "immutalint/report.hpp"

namespace immutalint {

namespace {

/// Escaping of a command's message, as the Actions runner decodes it. Text from manifests
/// (names, paths, messages) cannot end the command or start another one.
std::string escape_data(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      default: out += c;
    }
  }
  return out;
}

/// Property values are escaped like data, and also for the separators between properties.
std::string escape_property(std::string_view text) {
  std::string out;
  for (char c : escape_data(text)) {
    switch (c) {
      case ':': out += "%3A"; break;
      case ',': out += "%2C"; break;
      default: out += c;
    }
  }
  return out;
}

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
  for (const auto& finding : result.findings) {
    std::string message = finding.message;
    if (finding.object) message += fmt::format(" (in {})", describe_object(*finding.object));
    fmt::print(out, "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n", command_of(finding.severity),
               escape_property(finding.file), finding.span.begin.line, finding.span.begin.column,
               finding.span.end.line, finding.span.end.column, escape_property("immutalint " + finding.check),
               escape_data(message));
  }
}

}  // namespace immutalint
