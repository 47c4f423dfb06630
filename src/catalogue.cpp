// Reads and validates the check catalogue; severities and texts come from here, not from code.
#include "immutalint/catalogue.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>
#include <re2/re2.h>

#include "catalogue_data.hpp"
#include "immutalint/target.hpp"
#include "immutalint/yaml_parse.hpp"

namespace immutalint {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::Note: return "note";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "warning";
}

std::optional<Severity> parse_severity(std::string_view text) {
  if (text == "note") return Severity::Note;
  if (text == "warning") return Severity::Warning;
  if (text == "error") return Severity::Error;
  return std::nullopt;
}

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::Ready: return "ready";
    case Verdict::Review: return "review";
    case Verdict::LikelyBreaks: return "likely breaks";
    case Verdict::Breaks: return "breaks";
  }
  return "review";
}

std::string_view to_key(Verdict verdict) {
  switch (verdict) {
    case Verdict::Ready: return "ready";
    case Verdict::Review: return "review";
    case Verdict::LikelyBreaks: return "likely-breaks";
    case Verdict::Breaks: return "breaks";
  }
  return "review";
}

std::optional<Verdict> parse_verdict(std::string_view key) {
  for (auto verdict : {Verdict::Ready, Verdict::Review, Verdict::LikelyBreaks, Verdict::Breaks}) {
    if (to_key(verdict) == key) return verdict;
  }
  return std::nullopt;
}

Severity severity_of(Verdict verdict) {
  switch (verdict) {
    case Verdict::Breaks: return Severity::Error;
    case Verdict::LikelyBreaks: return Severity::Warning;
    case Verdict::Review:
    case Verdict::Ready: return Severity::Note;
  }
  return Severity::Note;
}

Verdict verdict_of(Severity severity) {
  switch (severity) {
    case Severity::Error: return Verdict::Breaks;
    case Severity::Warning: return Verdict::LikelyBreaks;
    case Severity::Note: return Verdict::Review;
  }
  return Verdict::Review;
}

bool report_order(const Finding& a, const Finding& b) {
  auto key = [](const Finding& f) {
    return std::tie(f.file, f.span.begin, f.check, f.span.end, f.field, f.container, f.message, f.source);
  };
  return key(a) < key(b);
}

namespace {

bool is_kebab_case(std::string_view id) {
  if (id.empty() || id.front() == '-' || id.back() == '-') return false;
  return std::all_of(id.begin(), id.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

Result<CheckInfo> parse_check(const std::string& file_name, const std::string& text) {
  auto fail = [&](const std::string& why) { return Error{fmt::format("checks/{}: {}", file_name, why)}; };
  auto documents = parse_yaml_documents(text, 1);
  if (documents.size() != 1) return fail("expected exactly one YAML document");
  const ParsedDocument& doc = documents.front();
  if (doc.error) return fail(fmt::format("line {}: {}", doc.error->mark.line, doc.error->message));
  const YamlTree& tree = doc.tree;
  if (!tree.is_mapping(tree.root())) return fail("expected a mapping");

  auto text_of = [&](NodeId parent, std::string_view key) -> std::string {
    auto value = tree.scalar(tree.get(parent, key));
    return value ? std::string(*value) : std::string();
  };
  CheckInfo info;
  info.id = text_of(tree.root(), "id");
  info.summary = text_of(tree.root(), "summary");
  info.rationale = text_of(tree.root(), "rationale");
  info.remediation = text_of(tree.root(), "remediation");
  const NodeId example = tree.get(tree.root(), "example");
  info.example_flagged = text_of(example, "flagged");
  info.example_clean = text_of(example, "clean");
  auto severity = parse_severity(text_of(tree.root(), "severity"));

  if (!is_kebab_case(info.id)) return fail("`id` must be kebab-case");
  if (file_name != info.id + ".yaml") return fail("the file name must be the check id followed by .yaml");
  if (!severity) return fail("`severity` must be error, warning or note");
  info.severity = *severity;
  if (info.summary.empty() || info.summary.find('\n') != std::string::npos) return fail("`summary` must be one line");
  if (info.rationale.empty()) return fail("`rationale` is required");
  if (info.remediation.empty()) return fail("`remediation` is required");
  if (info.example_flagged.empty()) return fail("`example.flagged` is required");
  for (const auto& entry : tree.entries(tree.get(tree.root(), "targets"))) {
    if (entry.key == "rule") {
      info.verdict_rule = text_of(tree.get(tree.root(), "targets"), "rule");
      continue;
    }
    auto verdict = parse_verdict(text_of(entry.value, "verdict"));
    if (!verdict) return fail(fmt::format("targets.{}: `verdict` must be ready, review, likely-breaks or breaks", entry.key));
    info.verdicts[entry.key] = StaticVerdict{*verdict, text_of(entry.value, "why")};
    if (info.verdicts[entry.key].why.empty()) return fail(fmt::format("targets.{}: `why` is required", entry.key));
  }
  for (NodeId item : tree.items(tree.get(tree.root(), "patterns"))) {
    PatternInfo pattern{text_of(item, "name"), text_of(item, "regex")};
    const re2::RE2 compiled(pattern.regex, re2::RE2::Quiet);
    if (pattern.name.empty() || !compiled.ok()) {
      return fail(fmt::format("pattern `{}`: {}", pattern.name, pattern.name.empty() ? "needs a name" : compiled.error()));
    }
    info.patterns.push_back(std::move(pattern));
  }
  for (const auto& entry : tree.entries(tree.root())) {
    static constexpr std::string_view kKnown[] = {"id",          "severity", "summary", "rationale",
                                                  "remediation", "example",  "targets", "patterns"};
    if (std::find(std::begin(kKnown), std::end(kKnown), entry.key) == std::end(kKnown)) {
      return fail(fmt::format("unknown field `{}`", entry.key));
    }
  }
  return info;
}

}  // namespace

Result<Catalogue> Catalogue::parse(std::span<const std::pair<std::string, std::string>> files) {
  Catalogue catalogue;
  for (const auto& [name, text] : files) {
    auto info = parse_check(name, text);
    if (!info) return info.error();
    catalogue.checks_.push_back(std::move(info).value());
  }
  std::sort(catalogue.checks_.begin(), catalogue.checks_.end(),
            [](const CheckInfo& a, const CheckInfo& b) { return a.id < b.id; });
  return catalogue;
}

const Result<Catalogue>& Catalogue::builtin() {
  static const Result<Catalogue> catalogue = [] {
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& file : detail::embedded_check_files()) files.emplace_back(file.name, file.text);
    return parse(files);
  }();
  return catalogue;
}

StaticVerdict CheckInfo::static_verdict(const Target& target) const {
  if (auto it = verdicts.find(target.name()); it != verdicts.end()) return it->second;
  if (auto it = verdicts.find("default"); it != verdicts.end()) return it->second;
  return StaticVerdict{verdict_of(severity), std::string(summary)};
}

const CheckInfo* Catalogue::find(std::string_view id) const {
  auto it = std::lower_bound(checks_.begin(), checks_.end(), id,
                             [](const CheckInfo& info, std::string_view key) { return info.id < key; });
  return it != checks_.end() && it->id == id ? &*it : nullptr;
}

}  // namespace immutalint
