// The text report, and the text forms of --list-checks and --explain.
#include <algorithm>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "immutalint/report.hpp"

namespace immutalint {

namespace {

std::string_view color_of(Severity severity) {
  switch (severity) {
    case Severity::Error: return "\x1b[1;31m";
    case Severity::Warning: return "\x1b[1;33m";
    case Severity::Note: return "\x1b[1;36m";
  }
  return "";
}
constexpr std::string_view kDim = "\x1b[2m";
constexpr std::string_view kReset = "\x1b[0m";

std::string plural(std::size_t count, std::string_view word) {
  return fmt::format("{} {}{}", count, word, count == 1 ? "" : "s");
}

/// The second line of a finding: which object, container and template it concerns.
std::string context_line(const Finding& finding) {
  std::vector<std::string> parts;
  if (finding.object) {
    const auto& ref = *finding.object;
    std::string name = ref.namespace_.empty() ? ref.name : ref.namespace_ + "/" + ref.name;
    parts.push_back(fmt::format("in {} {}", ref.kind, name.empty() ? "(unnamed)" : name));
  }
  if (!finding.container.empty()) parts.push_back(fmt::format("container \"{}\"", finding.container));
  if (!finding.source.empty()) parts.push_back(fmt::format("from {}", finding.source));
  return fmt::format("{}", fmt::join(parts, ", "));
}

void write_indented(std::ostream& out, std::string_view text, std::string_view indent) {
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (line.empty()) {
      out << '\n';
    } else {
      out << indent << line << '\n';
    }
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
}

/// "breaks on talos, bottlerocket; likely breaks on flatcar": targets grouped by verdict, worst first.
std::string targets_line(const Finding& finding) {
  std::vector<std::string> groups;
  for (auto verdict : {Verdict::Breaks, Verdict::LikelyBreaks, Verdict::Review}) {
    std::vector<std::string> names;
    for (const auto& target : finding.targets) {
      if (target.verdict == verdict) names.push_back(target.target);
    }
    if (!names.empty()) groups.push_back(fmt::format("{} on {}", to_string(verdict), fmt::join(names, ", ")));
  }
  return fmt::format("{}", fmt::join(groups, "; "));
}

}  // namespace

void write_text_report(std::ostream& out, const LintResult& result, bool color) {
  // With only the default profile every finding is about it; otherwise say which targets each affects.
  const bool name_targets = !(result.targets.size() == 1 && result.targets[0] == "generic");
  for (const auto& finding : result.findings) {
    const std::string severity(to_string(finding.severity));
    fmt::print(out, "{}:{}:{}: {}{}{}: {} {}[{}]{}\n", finding.file, finding.span.begin.line, finding.span.begin.column,
               color ? color_of(finding.severity) : "", severity, color ? kReset : "", finding.message,
               color ? kDim : "", finding.check, color ? kReset : "");
    const std::string context = context_line(finding);
    if (!context.empty()) fmt::print(out, "    {}\n", context);
    if (name_targets && !finding.targets.empty()) fmt::print(out, "    {}\n", targets_line(finding));
    if (finding.rendered) {
      fmt::print(out, "    rendered at {}:{}:{}\n", finding.rendered->file, finding.rendered->span.begin.line,
                 finding.rendered->span.begin.column);
    }
  }
  const Summary& s = result.summary;
  std::string findings = s.errors + s.warnings + s.notes == 0
                             ? std::string("no findings")
                             : fmt::format("{}, {}, {}", plural(s.errors, "error"), plural(s.warnings, "warning"),
                                           plural(s.notes, "note"));
  std::string extra;
  if (s.skipped > 0) extra += fmt::format(", {} skipped (Windows-only)", s.skipped);
  if (s.suppressed > 0) extra += fmt::format(", {} suppressed", s.suppressed);
  std::string targets;
  if (name_targets) targets = fmt::format(" for {}", fmt::join(result.targets, ", "));
  fmt::print(out, "{}, {}, {} ({} checked{}){}: {}\n", plural(s.files, "file"), plural(s.documents, "document"),
             plural(s.objects, "object"), plural(s.workloads, "workload"), extra, targets, findings);
}

void write_check_list_text(std::ostream& out, const Catalogue& catalogue) {
  std::size_t width = 0;
  for (const auto& check : catalogue.checks()) width = std::max(width, check.id.size());
  for (const auto& check : catalogue.checks()) {
    fmt::print(out, "{:<{}}  {:<7}  {}\n", check.id, width, to_string(check.severity), check.summary);
  }
}

void write_explanation(std::ostream& out, const CheckInfo& check, const TargetSet& targets) {
  fmt::print(out, "{} ({})\n  {}\n\nWhy it matters on an immutable node OS:\n", check.id, to_string(check.severity),
             check.summary);
  write_indented(out, check.rationale, "  ");
  out << "\nOn each target:\n";
  if (!check.verdict_rule.empty()) {
    write_indented(out, check.verdict_rule, "  ");
    out << "\n";
  }
  std::size_t width = 0;
  for (const auto& target : targets.all()) width = std::max(width, target.name().size());
  for (const auto& target : targets.all()) {
    const StaticVerdict verdict = check.static_verdict(target);
    if (!check.verdict_rule.empty() && !check.verdicts.count(target.name())) continue;
    fmt::print(out, "  {:<{}}  {:<13}  {}\n", target.name(), width, to_string(verdict.verdict), verdict.why);
  }
  out << "\nHow to fix it:\n";
  write_indented(out, check.remediation, "  ");
  out << "\nReported:\n";
  write_indented(out, check.example_flagged, "    ");
  if (!check.example_clean.empty()) {
    out << "\nNot reported:\n";
    write_indented(out, check.example_clean, "    ");
  }
  fmt::print(out, "\nTo accept it for one object, annotate the object:\n  metadata.annotations: {{\"ignore-check.immutalint.io/{}\": \"<reason>\"}}\n",
             check.id);
}

}  // namespace immutalint
