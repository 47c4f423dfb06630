// GitLab Code Quality: the findings as a JSON array of issues, which merge requests show in their
// Code Quality widget and on the changed lines.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "immutalint/baseline.hpp"
#include "immutalint/escape.hpp"
#include "immutalint/report.hpp"
#include "report/json_stream.hpp"

namespace immutalint {

using Json = nlohmann::ordered_json;

namespace {

/// GitLab's scale is info, minor, major, critical, blocker.
std::string_view severity_of(Severity severity) {
  switch (severity) {
    case Severity::Error: return "critical";
    case Severity::Warning: return "major";
    case Severity::Note: return "info";
  }
  return "major";
}

/// `file` relative to `root` (the working directory when empty), or as given when it lies
/// outside: GitLab resolves paths against the repository.
std::string path_in(const std::string& file, const std::string& root) {
  namespace fs = std::filesystem;
  const fs::path base = fs::absolute(root.empty() ? "." : root).lexically_normal();
  const fs::path relative = fs::absolute(file).lexically_normal().lexically_relative(base);
  if (relative.empty() || *relative.begin() == "..") return file;
  return relative.generic_string();
}

}  // namespace

void write_gitlab_report(std::ostream& out, const LintResult& result, const ReportOptions& options) {
  // The fingerprint is what SARIF's rests on (check, object, container, field; the file for a
  // finding without an object), with the file added: GitLab compares issues across the whole
  // project. A second equal finding gets its number, so that no two issues share one.
  std::map<std::string, std::size_t> occurrences;
  JsonArrayWriter issues(out, 0);
  result.findings.for_each([&](const Finding& finding) {
    if (finding.suppressed()) return;
    const std::string path = path_in(finding.file, options.sarif_root);
    const std::string identity = stable_identity(finding, path);
    const std::size_t occurrence = ++occurrences[identity];
    std::string description = finding.message;
    if (finding.object) description += fmt::format(" (in {})", finding.object->describe());
    Json issue;
    issue["type"] = "issue";
    issue["description"] = std::move(description);
    issue["check_name"] = finding.check;
    issue["fingerprint"] = fingerprint_of(occurrence == 1 ? identity : fmt::format("{}|{}", identity, occurrence));
    issue["severity"] = severity_of(finding.severity);
    issue["location"] = {{"path", path}, {"lines", {{"begin", std::max<std::uint32_t>(finding.span.begin.line, 1)}}}};
    escape::utf8_strings(issue);  // JSON is UTF-8; U+FFFD marks what was not
    issues.add(issue);
  });
  issues.close();
  out << '\n';
}

}  // namespace immutalint
