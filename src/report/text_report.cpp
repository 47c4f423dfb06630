// The text report, and the text forms of --list-checks and --explain.
#include <algorithm>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "immutalint/escape.hpp"
#include "immutalint/report.hpp"
#include "immutalint/suppression.hpp"
#include "immutalint/target.hpp"
#include "report/log_lines.hpp"

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

/// The second line of a finding: which object, container and template it concerns. The object
/// is left out when the first line names it already.
std::string context_line(const Finding& finding, bool object_named) {
  std::vector<std::string> parts;
  if (finding.object && !object_named) {
    const auto& ref = *finding.object;
    const std::string name = ref.qualified_name();
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

/// "breaks on talos, bottlerocket; likely breaks on flatcar": targets grouped by verdict, worst
/// first, leaving out `skip`.
std::string targets_line(const Finding& finding, Verdict skip) {
  std::vector<std::string> groups;
  for (auto verdict : {Verdict::Breaks, Verdict::LikelyBreaks, Verdict::Review}) {
    if (verdict == skip) continue;
    std::vector<std::string> names;
    for (const auto& target : finding.targets) {
      if (target.verdict == verdict) names.push_back(target.target);
    }
    if (!names.empty()) groups.push_back(fmt::format("{} on {}", to_string(verdict), fmt::join(names, ", ")));
  }
  return fmt::format("{}", fmt::join(groups, "; "));
}

/// "breaks on talos (and bottlerocket): /etc is ro on talos (TAL-ARCH, documented)": the worst
/// verdict and the fact it rests on, for the first target that has it.
std::string claim_line(const Finding& finding) {
  const Verdict worst = worst_verdict(finding);
  const TargetVerdict* first = nullptr;
  std::vector<std::string> others;
  for (const auto& target : finding.targets) {
    if (target.verdict != worst) continue;
    if (!first) {
      first = &target;
    } else {
      others.push_back(target.target);
    }
  }
  if (!first) return {};
  std::string line = fmt::format("{} on {}", to_string(worst), first->target);
  if (!others.empty()) line += fmt::format(" (and {})", fmt::join(others, ", "));
  line += ": " + first->why;
  if (!first->source.empty()) line += fmt::format(" ({}, {})", first->source, to_string(first->confidence));
  if (!first->check.empty() && first->check != finding.check) line += fmt::format(" [{}]", first->check);
  return line;
}

/// "an error", "a warning", "a note".
std::string article(Severity severity) {
  return severity == Severity::Error ? "an error" : fmt::format("a {}", to_string(severity));
}

/// Where a piece of context is: " (line 40)", or " (file.yaml:40)" in another file; nothing for
/// a line of a stream that the report places by object.
std::string where(const Finding& finding, const Place& place, bool by_object) {
  if (place.file.empty() || place.file == finding.file) {
    return by_object ? std::string() : fmt::format(" (line {})", place.span.begin.line);
  }
  return fmt::format(" ({}:{})", place.file, place.span.begin.line);
}

constexpr std::size_t kMaxContextLines = 4;

/// An indented line of context, every input-derived part of it escaped.
void print_context(std::ostream& out, std::string_view line) {
  fmt::print(out, "    {}\n", escape::text(line));
}

/// With only the default profile every finding is about it; otherwise say which targets each affects.
bool names_targets(const LintResult& result) {
  return !(result.targets.size() == 1 && result.targets[0] == kDefaultTarget);
}

}  // namespace

namespace log_lines {

bool listed(const Finding& finding, const ReportOptions& options, bool show_suppressed) {
  if (finding.suppressed() && !show_suppressed) return false;
  return finding.severity != Severity::Note || options.show_notes;
}

std::optional<std::string> object_place(const Finding& finding, const ReportOptions& options) {
  if (!options.object_locations || !finding.object) return std::nullopt;
  const std::string name = finding.object->qualified_name();
  return fmt::format("{} {}", finding.object->kind, name.empty() ? "(unnamed)" : name);
}

std::string summary(const LintResult& result, const ReportOptions& options) {
  const Summary& s = result.summary;
  std::string findings = s.errors + s.warnings + s.notes == 0
                             ? std::string("no findings")
                             : fmt::format("{}, {}, {}", plural(s.errors, "error"), plural(s.warnings, "warning"),
                                           plural(s.notes, "note"));
  if (s.notes > 0 && !options.show_notes) findings += " (not shown; --show-notes lists them)";
  std::string extra;
  if (s.skipped > 0) extra += fmt::format(", {} skipped (Windows-only)", s.skipped);
  if (s.suppressed > 0) extra += fmt::format(", {} suppressed", s.suppressed);
  if (s.baselined > 0) extra += fmt::format(", {} in the baseline", s.baselined);
  if (s.folded > 0) extra += fmt::format(", {} owned objects folded into their controllers", s.folded);
  std::string targets;
  if (names_targets(result)) targets = fmt::format(" for {}", fmt::join(result.targets, ", "));
  return fmt::format("{}, {}, {} ({} checked{}){}: {}", plural(s.files, "file"), plural(s.documents, "document"),
                     plural(s.objects, "object"), plural(s.workloads, "workload"), extra, targets, findings);
}

std::vector<std::string> details(const Finding& finding, const LintResult& result, bool object_named) {
  std::vector<std::string> lines;
  const std::string context = context_line(finding, object_named);
  if (!context.empty()) lines.push_back(context);
  if (finding.suppression) lines.push_back(describe_suppression(*finding.suppression));
  const bool name_targets = names_targets(result);
  const std::size_t verdict_line = lines.size();
  if (finding.severity != Severity::Note) {
    if (auto claim = claim_line(finding); !claim.empty()) lines.push_back(claim);
    if (name_targets) {
      if (auto rest = targets_line(finding, worst_verdict(finding)); !rest.empty()) lines.push_back(rest);
    }
  } else if (name_targets && !finding.targets.empty()) {
    lines.push_back(targets_line(finding, Verdict::Ready));
  }
  // A severity set by the configuration is not what the verdict gives: say so where the verdict is.
  if (!finding.targets.empty() && finding.severity != severity_of(worst_verdict(finding))) {
    const std::string set_by =
        fmt::format("reported as {} by the configuration's severity for {}; the verdict alone gives {}",
                    article(finding.severity), finding.check, article(severity_of(worst_verdict(finding))));
    if (lines.size() > verdict_line) {
      lines[verdict_line] += " (" + set_by + ")";
    } else {
      lines.push_back(targets_line(finding, Verdict::Ready) + " (" + set_by + ")");
    }
  }
  for (std::size_t i = 0; i < finding.evidence.size() && i < kMaxContextLines; ++i) {
    lines.push_back(fmt::format("evidence: {}{}", finding.evidence[i].text,
                                where(finding, finding.evidence[i].place, object_named)));
  }
  if (finding.evidence.size() > kMaxContextLines) {
    lines.push_back(fmt::format("evidence: and {} more", finding.evidence.size() - kMaxContextLines));
  }
  for (std::size_t i = 0; i < finding.related.size() && i < kMaxContextLines; ++i) {
    const auto& related = finding.related[i];
    // Another workload on a shared cause is named, with its place even when objects locate.
    const std::string about = related.object ? " " + related.object->describe() : std::string();
    lines.push_back(fmt::format("also [{}]{}: {}{}", related.check, about, related.message,
                                where(finding, related.place, object_named && !related.object)));
  }
  if (finding.related.size() > kMaxContextLines) {
    lines.push_back(
        fmt::format("also: {} more observations on the same cause", finding.related.size() - kMaxContextLines));
  }
  if (finding.rendered) {
    lines.push_back(fmt::format("rendered at {}:{}:{}", finding.rendered->file, finding.rendered->span.begin.line,
                                finding.rendered->span.begin.column));
  }
  return lines;
}

}  // namespace log_lines

void write_text_report(std::ostream& out, const LintResult& result, const ReportOptions& options) {
  const bool color = options.color;
  result.findings.for_each([&](const Finding& finding) {
    if (!log_lines::listed(finding, options, options.show_suppressed)) return;
    const std::string severity = finding.suppressed() ? fmt::format("suppressed {}", to_string(finding.severity))
                                                      : std::string(to_string(finding.severity));
    const std::optional<std::string> object = log_lines::object_place(finding, options);
    // The line starts with input (a path, or an object's kind): line_start keeps it from
    // starting a runner command.
    const std::string place = object ? escape::line_start(*object)
                                     : fmt::format("{}:{}:{}", escape::line_start(finding.file, true),
                                                   finding.span.begin.line, finding.span.begin.column);
    fmt::print(out, "{}: {}{}{}: {} {}[{}]{}\n", place, color ? color_of(finding.severity) : "", severity,
               color ? kReset : "", escape::text(finding.message), color ? kDim : "", finding.check,
               color ? kReset : "");
    for (const auto& line : log_lines::details(finding, result, object.has_value())) print_context(out, line);
  });
  out << log_lines::summary(result, options) << '\n';
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
  out << "\nWhat it says, and on what evidence:\n";
  if (check.kind == CheckKind::Posture) {
    out << "  review       posture only (a hostPath, a host namespace, privileges, a DaemonSet): never more than\n"
           "               a review; the evidence checks judge what the pod does with it\n";
  } else if (check.kind == CheckKind::Input) {
    out << "  a problem with the input itself, not a verdict on any target\n";
  } else {
    const std::pair<std::string_view, const std::string*> ladder[] = {{"breaks", &check.ladder.breaks},
                                                                      {"likely breaks", &check.ladder.likely_breaks},
                                                                      {"review", &check.ladder.review}};
    for (const auto& [verdict, text] : ladder) {
      if (text->empty()) continue;
      fmt::print(out, "  {}\n", verdict);
      write_indented(out, *text, "    ");
    }
    out << "  A verdict above review needs both the manifest's evidence and a cited target fact; a fact\n"
           "  that is a guess caps it at likely breaks.\n";
  }
  out << "\nOn each target:\n";
  if (check.kind == CheckKind::Input) out << "  (no per-target verdicts)\n";
  if (!check.targets_rule.empty()) {
    write_indented(out, check.targets_rule, "  ");
    out << "\n";
  }
  std::size_t width = 0;
  for (const auto& target : targets.all()) width = std::max(width, target.name().size());
  for (const auto& target : targets.all()) {
    const StaticVerdict verdict = check.static_verdict(target);
    if (!check.targets_rule.empty() && !check.targets.count(target.name())) continue;
    if (check.kind == CheckKind::Input) break;
    std::string why = verdict.why;
    if (!verdict.source.empty()) why += fmt::format(" ({}, {})", verdict.source, to_string(verdict.confidence));
    fmt::print(out, "  {:<{}}  {:<13}  {}\n", target.name(), width, to_string(verdict.verdict), why);
  }
  out << "\nHow to fix it:\n";
  write_indented(out, check.remediation, "  ");
  out << "\nReported:\n";
  write_indented(out, check.example_flagged, "    ");
  if (!check.example_clean.empty()) {
    out << "\nNot reported:\n";
    write_indented(out, check.example_clean, "    ");
  }
  fmt::print(
      out, "\nTo accept it for one object, annotate the object:\n  metadata.annotations: {{\"{}{}\": \"<reason>\"}}\n",
      kIgnoreAnnotationPrefix, check.id);
}

}  // namespace immutalint
