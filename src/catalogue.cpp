// Reads and validates the check catalogue; severities and texts come from here, not from code.
#include "immutalint/catalogue.hpp"
#include "immutalint/fact_keys.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>
#include <re2/re2.h>

#include "catalogue_data.hpp"
#include "immutalint/enum_names.hpp"
#include "immutalint/target.hpp"
#include "immutalint/yaml_parse.hpp"

namespace immutalint {

namespace {

constexpr EnumNames<Severity, 3> kSeverityNames{
    {{Severity::Note, "note"}, {Severity::Warning, "warning"}, {Severity::Error, "error"}}};
// The spelling of data files and JSON; messages write "likely breaks".
constexpr EnumNames<Verdict, 4> kVerdictKeys{{{Verdict::Ready, "ready"},
                                              {Verdict::Review, "review"},
                                              {Verdict::LikelyBreaks, "likely-breaks"},
                                              {Verdict::Breaks, "breaks"}}};
constexpr EnumNames<Confidence, 4> kConfidenceNames{{{Confidence::Guess, "guess"},
                                                     {Confidence::Issue, "issue"},
                                                     {Confidence::Code, "code"},
                                                     {Confidence::Documented, "documented"}}};
constexpr EnumNames<Action, 6> kActionNames{{{Action::Posture, "posture"},
                                             {Action::Requires, "requires"},
                                             {Action::Runs, "runs"},
                                             {Action::Creates, "creates"},
                                             {Action::Writes, "writes"},
                                             {Action::Installs, "installs"}}};
constexpr EnumNames<CheckKind, 3> kCheckKindNames{
    {{CheckKind::Posture, "posture"}, {CheckKind::Evidence, "evidence"}, {CheckKind::Input, "input"}}};

}  // namespace

std::string_view to_string(Severity severity) {
  return name_of(kSeverityNames, severity);
}
std::optional<Severity> parse_severity(std::string_view text) {
  return value_of(kSeverityNames, text);
}

std::string_view to_string(Verdict verdict) {
  return verdict == Verdict::LikelyBreaks ? "likely breaks" : to_key(verdict);
}
std::string_view to_key(Verdict verdict) {
  return name_of(kVerdictKeys, verdict);
}
std::optional<Verdict> parse_verdict(std::string_view key) {
  return value_of(kVerdictKeys, key);
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

std::string_view to_string(Confidence confidence) {
  return name_of(kConfidenceNames, confidence);
}
std::optional<Confidence> parse_confidence(std::string_view text) {
  return value_of(kConfidenceNames, text);
}

std::string_view to_string(Action action) {
  return name_of(kActionNames, action);
}

constexpr EnumNames<SuppressionChannel, 3> kSuppressionChannelNames{{{SuppressionChannel::Annotation, "annotation"},
                                                                     {SuppressionChannel::Comment, "comment"},
                                                                     {SuppressionChannel::Config, "config"}}};
std::string_view to_string(SuppressionChannel channel) {
  return name_of(kSuppressionChannelNames, channel);
}

std::string_view to_string(CheckKind kind) {
  return name_of(kCheckKindNames, kind);
}
std::optional<CheckKind> parse_check_kind(std::string_view text) {
  return value_of(kCheckKindNames, text);
}

Verdict worst_verdict(const Finding& finding) {
  Verdict worst = Verdict::Ready;
  for (const auto& target : finding.targets) worst = std::max(worst, target.verdict);
  return worst;
}

const std::vector<std::string>& CheckParams::list(std::string_view name) const {
  static const std::vector<std::string> kEmpty;
  read_.emplace(name);
  auto it = lists_.find(name);
  if (it != lists_.end()) return it->second;
  missing_.emplace(name);
  return kEmpty;
}

const std::map<std::string, std::vector<std::string>>& CheckParams::table(std::string_view name) const {
  static const std::map<std::string, std::vector<std::string>> kEmpty;
  read_.emplace(name);
  auto it = tables_.find(name);
  if (it != tables_.end()) return it->second;
  missing_.emplace(name);
  return kEmpty;
}

const std::vector<PatternInfo>& CheckParams::patterns(std::string_view name) const {
  static const std::vector<PatternInfo> kEmpty;
  read_.emplace(name);
  auto it = patterns_.find(name);
  if (it != patterns_.end()) return it->second;
  missing_.emplace(name);
  return kEmpty;
}

FactKey CheckParams::fact(std::string_view value) const {
  if (auto key = find_fact_key(value)) return *key;
  unknown_facts_.emplace(value);
  return facts::kAll.front();
}

std::vector<std::string> CheckParams::unread() const {
  std::vector<std::string> names;
  for (const auto& [name, group] : patterns_) {
    if (!read_.count(name)) names.push_back(name);
  }
  for (const auto& [name, list] : lists_) {
    if (!read_.count(name)) names.push_back(name);
  }
  for (const auto& [name, table] : tables_) {
    if (!read_.count(name)) names.push_back(name);
  }
  return names;
}

bool report_order(const Finding& a, const Finding& b) {
  auto key = [](const Finding& f) {
    return std::tie(f.file, f.span.begin, f.check, f.span.end, f.field, f.container, f.message, f.source, f.object);
  };
  return key(a) < key(b);
}

namespace {

bool is_kebab_case(std::string_view id) {
  if (id.empty() || id.front() == '-' || id.back() == '-') return false;
  return std::all_of(id.begin(), id.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

}  // namespace

/// Reads one checks/<id>.yaml, reporting the first thing wrong with it.
class CatalogueReader {
 public:
  CatalogueReader(const std::string& file_name, const YamlTree& tree) : file_(file_name), tree_(tree) {}

  Result<CheckInfo> read() {
    const NodeId root = tree_.root();
    if (!tree_.is_mapping(root)) return fail("expected a mapping");
    for (const auto& entry : tree_.entries(root)) {
      static constexpr std::string_view kKnown[] = {"id",      "aliases",   "kind",        "severity",
                                                    "summary", "rationale", "remediation", "example",
                                                    "targets", "ladder",    "patterns",    "params"};
      if (std::find(std::begin(kKnown), std::end(kKnown), entry.key) == std::end(kKnown)) {
        return fail(fmt::format("unknown field `{}`", entry.key));
      }
    }
    CheckInfo info;
    info.id = text(root, "id");
    info.summary = text(root, "summary");
    info.rationale = text(root, "rationale");
    info.remediation = text(root, "remediation");
    const NodeId example = tree_.get(root, "example");
    info.example_flagged = text(example, "flagged");
    info.example_clean = text(example, "clean");
    auto severity = parse_severity(text(root, "severity"));

    if (!is_kebab_case(info.id)) return fail("`id` must be kebab-case");
    if (file_ != info.id + ".yaml") return fail("the file name must be the check id followed by .yaml");
    for (NodeId alias : tree_.items(tree_.get(root, "aliases"))) {
      info.aliases.emplace_back(tree_.scalar(alias).value_or(""));
      if (!is_kebab_case(info.aliases.back())) return fail("every alias in `aliases` must be a kebab-case check id");
    }
    auto kind = parse_check_kind(text(root, "kind"));
    if (!kind) return fail("`kind` must be posture, evidence or input");
    info.kind = *kind;
    if (!severity) return fail("`severity` must be error, warning or note");
    info.severity = *severity;
    if (info.summary.empty() || info.summary.find('\n') != std::string::npos) return fail("`summary` must be one line");
    if (info.rationale.empty()) return fail("`rationale` is required");
    if (info.remediation.empty()) return fail("`remediation` is required");
    if (info.example_flagged.empty()) return fail("`example.flagged` is required");

    const NodeId targets = tree_.get(root, "targets");
    for (const auto& entry : tree_.entries(targets)) {
      if (entry.key == "rule") {
        info.targets_rule = text(targets, "rule");
        continue;
      }
      auto verdict = parse_verdict(text(entry.value, "verdict"));
      if (!verdict)
        return fail(fmt::format("targets.{}: `verdict` must be ready, review, likely-breaks or breaks", entry.key));
      StaticVerdict row{*verdict, text(entry.value, "why"), text(entry.value, "source"), Confidence::Guess};
      if (row.why.empty()) return fail(fmt::format("targets.{}: `why` is required", entry.key));
      if (auto confidence = text(entry.value, "confidence"); !confidence.empty()) {
        auto parsed = parse_confidence(confidence);
        if (!parsed)
          return fail(fmt::format("targets.{}: `confidence` must be documented, code, issue or guess", entry.key));
        row.confidence = *parsed;
      }
      info.targets[entry.key] = std::move(row);
    }
    // A fixed table is what findings say, so each verdict above review cites its fact. A check
    // that judges from facts (`rule`) cites them in each finding; its table shows the example.
    for (const auto& [target, row] : info.targets) {
      if (info.targets_rule.empty() && row.verdict > Verdict::Review && row.source.empty()) {
        return fail(fmt::format("targets.{}: a verdict above review needs the `source` of the target fact it rests on",
                                target));
      }
    }
    if (info.kind == CheckKind::Input && tree_.find(root, "targets")) {
      return fail("an input check carries no per-target verdicts: drop `targets`");
    }
    if (info.kind != CheckKind::Input && info.targets.empty()) return fail("`targets` needs a verdict per target");
    // The severity users see is the worst the check can say.
    if (info.kind == CheckKind::Posture) {
      for (const auto& [target, row] : info.targets) {
        if (row.verdict > Verdict::Review) {
          return fail(fmt::format("targets.{}: a posture check says at most review", target));
        }
      }
      if (info.severity != Severity::Note) return fail("a posture check's `severity` is note");
    } else if (info.kind == CheckKind::Evidence) {
      Verdict worst = Verdict::Ready;
      for (const auto& [target, row] : info.targets) worst = std::max(worst, row.verdict);
      if (info.severity != severity_of(worst)) {
        return fail(
            fmt::format("`severity` must be {}, the worst verdict of its table", to_string(severity_of(worst))));
      }
    }

    const NodeId ladder = tree_.get(root, "ladder");
    info.ladder = Ladder{text(ladder, "breaks"), text(ladder, "likely-breaks"), text(ladder, "review")};
    if (info.kind == CheckKind::Evidence && (info.ladder.breaks.empty() || info.ladder.review.empty())) {
      return fail("an evidence check states its `ladder`: what makes it say breaks, likely-breaks and review");
    }
    // patterns: group -> [{name, regex}]; a check reads a group by name, like a parameter.
    for (const auto& group : tree_.entries(tree_.get(root, "patterns"))) {
      if (!tree_.is_sequence(group.value)) return fail(fmt::format("pattern group `{}` must be a list", group.key));
      auto& patterns = info.params.patterns_[group.key];
      for (NodeId item : tree_.items(group.value)) {
        PatternInfo pattern{text(item, "name"), text(item, "regex")};
        const re2::RE2 compiled(pattern.regex, re2::RE2::Quiet);
        if (pattern.name.empty() || !compiled.ok()) {
          return fail(
              fmt::format("pattern `{}`: {}", pattern.name, pattern.name.empty() ? "needs a name" : compiled.error()));
        }
        patterns.push_back(std::move(pattern));
      }
    }
    for (const auto& entry : tree_.entries(tree_.get(root, "params"))) {
      if (tree_.is_mapping(entry.value)) {
        auto& table = info.params.tables_[entry.key];
        for (const auto& row : tree_.entries(entry.value)) table[row.key] = strings(row.value);
      } else if (tree_.is_sequence(entry.value)) {
        info.params.lists_[entry.key] = strings(entry.value);
      } else {
        return fail(fmt::format("params.{}: expected a list or a table of lists", entry.key));
      }
    }
    return info;
  }

 private:
  Error fail(const std::string& why) const { return Error{fmt::format("checks/{}: {}", file_, why)}; }

  std::string text(NodeId parent, std::string_view key) const {
    auto value = tree_.scalar(tree_.get(parent, key));
    return value ? std::string(*value) : std::string();
  }

  std::vector<std::string> strings(NodeId node) const {
    std::vector<std::string> out;
    if (tree_.is_scalar(node)) out.emplace_back(*tree_.scalar(node));
    for (NodeId item : tree_.items(node)) out.emplace_back(tree_.scalar(item).value_or(""));
    return out;
  }

  const std::string& file_;
  const YamlTree& tree_;
};

namespace {

Result<CheckInfo> parse_check(const std::string& file_name, const std::string& text) {
  auto documents = parse_yaml_documents(text, 1);
  if (documents.size() != 1) return Error{fmt::format("checks/{}: expected exactly one YAML document", file_name)};
  const ParsedDocument& doc = documents.front();
  if (doc.error)
    return Error{fmt::format("checks/{}: line {}: {}", file_name, doc.error->mark.line, doc.error->message)};
  return CatalogueReader(file_name, doc.tree).read();
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
  // An id or a former id names one check only.
  std::set<std::string_view> names;
  for (const auto& info : catalogue.checks_) {
    for (const auto& name : info.aliases) {
      if (!names.insert(name).second) return Error{fmt::format("checks/{}.yaml: `{}` names two checks", info.id, name)};
    }
    if (!names.insert(info.id).second)
      return Error{fmt::format("checks/{}.yaml: `{}` names two checks", info.id, info.id)};
  }
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
  if (auto it = targets.find(target.name()); it != targets.end()) return it->second;
  if (auto it = targets.find("default"); it != targets.end()) return it->second;
  return StaticVerdict{Verdict::Ready, std::string(summary), {}, Confidence::Guess};
}

const CheckInfo* Catalogue::resolve(std::string_view id) const {
  if (const CheckInfo* info = find(id)) return info;
  for (const auto& info : checks_) {
    if (std::find(info.aliases.begin(), info.aliases.end(), id) != info.aliases.end()) return &info;
  }
  return nullptr;
}

const CheckInfo* Catalogue::find(std::string_view id) const {
  auto it = std::lower_bound(checks_.begin(), checks_.end(), id,
                             [](const CheckInfo& info, std::string_view key) { return info.id < key; });
  return it != checks_.end() && it->id == id ? &*it : nullptr;
}

}  // namespace immutalint
