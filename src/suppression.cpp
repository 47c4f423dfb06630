// Stage 5: waivers from annotations, comments and the configuration, matched to findings.
#include "immutalint/suppression.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "immutalint/lint.hpp"

namespace immutalint {

namespace {

std::string_view trim(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return {};
  const auto end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

/// Splits "a, b,c" into its non-empty parts.
std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> parts;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view part = trim(text.substr(0, comma));
    if (!part.empty()) parts.emplace_back(part);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return parts;
}

/// A reason that starts with `[a,b]` names the containers it is for.
void read_container_scope(std::string_view value, Waiver& waiver) {
  value = trim(value);
  if (value.starts_with('[')) {
    const auto close = value.find(']');
    if (close != std::string_view::npos) {
      waiver.containers = split_list(value.substr(1, close - 1));
      value = trim(value.substr(close + 1));
    }
  }
  waiver.reason = std::string(value);
}

/// Matches one character class `[...]` at the start of `pattern` against `c`; returns the
/// class's length, or 0 when it is not a well-formed class.
std::size_t class_match(std::string_view pattern, char c, bool& matched) {
  std::size_t i = 1;
  const bool negate = i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^');
  if (negate) ++i;
  const std::size_t first = i;
  bool hit = false;
  for (; i < pattern.size() && (pattern[i] != ']' || i == first); ++i) {
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      hit = hit || (pattern[i] <= c && c <= pattern[i + 2]);
      i += 2;
    } else {
      hit = hit || pattern[i] == c;
    }
  }
  if (i >= pattern.size()) return 0;
  matched = hit != negate;
  return i + 1;
}

/// `*` and `?` (which stop at `/` when `stop_at_slash`), `**` and classes. Memoised over
/// (pattern position, text position), so no pattern takes more than quadratic time.
class Wildcard {
 public:
  Wildcard(std::string_view pattern, std::string_view text, bool stop_at_slash)
      : pattern_(pattern), text_(text), stop_(stop_at_slash), memo_((pattern.size() + 1) * (text.size() + 1), 0) {}

  bool match(std::size_t p, std::size_t t) {
    char& seen = memo_[p * (text_.size() + 1) + t];
    if (seen == 0) seen = compute(p, t) ? 1 : 2;
    return seen == 1;
  }

 private:
  bool compute(std::size_t p, std::size_t t) {
    if (p == pattern_.size()) return t == text_.size();
    const char c = pattern_[p];
    if (c == '*') {
      const bool double_star = p + 1 < pattern_.size() && pattern_[p + 1] == '*';
      const std::size_t next = p + (double_star ? 2 : 1);
      // `**/` also matches no folder at all.
      if (double_star && next < pattern_.size() && pattern_[next] == '/' && match(next + 1, t)) return true;
      if (match(next, t)) return true;
      const bool crosses = double_star || !stop_;
      return t < text_.size() && (crosses || text_[t] != '/') && match(p, t + 1);
    }
    if (t == text_.size()) return false;
    const char here = text_[t];
    if (c == '?') return !(stop_ && here == '/') && match(p + 1, t + 1);
    if (c == '[') {
      bool matched = false;
      const std::size_t length = class_match(pattern_.substr(p), here, matched);
      if (length > 0) return matched && here != '/' && match(p + length, t + 1);
    }
    return c == here && match(p + 1, t + 1);
  }

  std::string_view pattern_;
  std::string_view text_;
  bool stop_;
  std::vector<char> memo_;  // 0 unknown, 1 matches, 2 does not
};

bool wildcard_match(std::string_view pattern, std::string_view text, bool stop_at_slash) {
  return Wildcard(pattern, text, stop_at_slash).match(0, 0);
}

bool name_match(std::string_view pattern, std::string_view name) {
  return wildcard_match(pattern, name, false);
}

/// A finding's place in the input as read: Helm findings moved onto a template were found in
/// the rendered text, where comments were read too.
std::pair<const std::string*, std::uint32_t> input_line(const Finding& finding) {
  if (finding.rendered) return {&finding.rendered->file, finding.rendered->span.begin.line};
  return {&finding.file, finding.span.begin.line};
}

/// A finding's path relative to the configuration's folder, for its globs.
class RelativePaths {
 public:
  explicit RelativePaths(std::string base) : base_(std::move(base)) {}
  const std::string& of(const std::string& file) {
    auto [it, added] = cache_.try_emplace(file);
    if (added) {
      namespace fs = std::filesystem;
      std::error_code error;
      const fs::path base = fs::absolute(base_.empty() ? fs::path(".") : fs::path(base_), error).lexically_normal();
      const fs::path path = fs::absolute(fs::path(file), error).lexically_normal();
      it->second = path.lexically_relative(base).generic_string();
      if (it->second.empty()) it->second = file;
    }
    return it->second;
  }

 private:
  std::string base_;
  std::unordered_map<std::string, std::string> cache_;
};

bool config_matches(const Waiver& waiver, const Finding& finding, const CheckInfo& check, RelativePaths& paths) {
  if (!waiver.accepts_check_on(check, finding.container)) return false;
  if (!waiver.files.empty()) {
    const std::string& path = paths.of(finding.file);
    if (std::none_of(waiver.files.begin(), waiver.files.end(),
                     [&](const std::string& glob) { return glob_match(glob, path); })) {
      return false;
    }
  }
  const ObjectRef* object = finding.object ? &*finding.object : nullptr;
  if (!waiver.kind.empty() && (!object || object->kind != waiver.kind)) return false;
  if (!waiver.namespace_.empty() && (!object || object->namespace_ != waiver.namespace_)) return false;
  if (!waiver.name.empty() && (!object || !name_match(waiver.name, object->name))) return false;
  return true;
}

Suppression suppression_of(const Waiver& waiver) {
  return Suppression{waiver.channel, waiver.reason, waiver.where, waiver.until, false};
}

/// The key that tells which declared waiver a suppression came from.
std::tuple<std::string, std::uint32_t, std::uint32_t> place_key(const Place& place) {
  return {place.file, place.span.begin.line, place.span.begin.column};
}

std::string describe_waiver(const Waiver& waiver) {
  switch (waiver.channel) {
    case SuppressionChannel::Annotation:
      return fmt::format("the annotation {}{} on {}", kIgnoreAnnotationPrefix, fmt::join(waiver.checks, ","),
                         waiver.object_label);
    case SuppressionChannel::Comment:
      if (waiver.checks.empty()) return "the comment `immutalint: ignore`";
      return fmt::format("the comment `immutalint: ignore {}`", fmt::join(waiver.checks, ","));
    case SuppressionChannel::Config: break;
  }
  return fmt::format("the ignores entry for {}", fmt::join(waiver.checks, ","));
}

}  // namespace

bool accepts(std::string_view annotated_id, const CheckInfo& check, std::string* former_id) {
  if (annotated_id == check.id) return true;
  if (std::find(check.aliases.begin(), check.aliases.end(), annotated_id) == check.aliases.end()) return false;
  if (former_id) *former_id = std::string(annotated_id);
  return true;
}

bool Waiver::accepts_check_on(const CheckInfo& check, const std::string& container) const {
  if (std::none_of(checks.begin(), checks.end(), [&](const std::string& id) { return accepts(id, check); })) {
    return false;
  }
  return containers.empty() || std::find(containers.begin(), containers.end(), container) != containers.end();
}

std::vector<Waiver> annotation_waivers(const YamlTree& tree, const KubeObject& object, const std::string& file) {
  std::vector<Waiver> found;
  const NodeId annotations = tree.get(tree.get(object.root, "metadata"), "annotations");
  for (const auto& entry : tree.entries(annotations)) {
    const std::string_view key = entry.key;
    if (!key.starts_with(kIgnoreAnnotationPrefix)) continue;
    Waiver waiver;
    waiver.channel = SuppressionChannel::Annotation;
    waiver.checks.emplace_back(key.substr(kIgnoreAnnotationPrefix.size()));
    read_container_scope(tree.scalar(entry.value).value_or(""), waiver);
    waiver.where = Place{file, tree.span_of(entry), {}};
    waiver.object_label = object.ref.describe();
    found.push_back(std::move(waiver));
  }
  return found;
}

std::vector<Waiver> inline_waivers(std::string_view text, std::uint32_t first_line, const std::string& file) {
  std::vector<Waiver> found;
  // Lines are counted from the previous marker on, so that many markers cost one pass.
  std::uint32_t line = first_line;
  std::size_t counted_to = 0;
  std::size_t at = text.find(kInlineMarker);
  while (at != std::string_view::npos) {
    const std::size_t newline = text.rfind('\n', at);
    const std::size_t line_start = newline == std::string_view::npos ? 0 : newline + 1;
    line += static_cast<std::uint32_t>(std::count(text.begin() + counted_to, text.begin() + line_start, '\n'));
    counted_to = line_start;
    std::size_t line_end = text.find('\n', at);
    if (line_end == std::string_view::npos) line_end = text.size();
    // The marker must open a comment: `#`, blanks, then the marker.
    const std::string_view before = text.substr(line_start, at - line_start);
    const auto hash = before.rfind('#');
    const bool comment = hash != std::string_view::npos && trim(before.substr(hash + 1)).empty() &&
                         (hash == 0 || before[hash - 1] == ' ' || before[hash - 1] == '\t');
    std::string_view rest = trim(text.substr(at + kInlineMarker.size(), line_end - at - kInlineMarker.size()));
    if (comment && rest.starts_with("ignore") && (rest.size() == 6 || rest[6] == ' ' || rest[6] == '\t')) {
      rest = trim(rest.substr(6));
      Waiver waiver;
      waiver.channel = SuppressionChannel::Comment;
      const auto dashes = rest.find("--");
      waiver.checks = split_list(rest.substr(0, dashes));
      if (dashes != std::string_view::npos) waiver.reason = std::string(trim(rest.substr(dashes + 2)));
      const auto column = static_cast<std::uint32_t>(hash + 1);
      waiver.where =
          Place{file, Span{{line, column}, {line, static_cast<std::uint32_t>(line_end - line_start + 1)}}, {}};
      found.push_back(std::move(waiver));
    }
    at = text.find(kInlineMarker, line_end);
  }
  return found;
}

bool glob_match(std::string_view pattern, std::string_view path) {
  if (pattern.starts_with("./")) pattern.remove_prefix(2);
  if (path.starts_with("./")) path.remove_prefix(2);
  return wildcard_match(pattern, path, true);
}

std::string today_utc() {
  const auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::chrono::year_month_day date{days};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                     static_cast<unsigned>(date.day()));
}

void apply_suppressions(LintResult& result, const Catalogue& catalogue, const SuppressionSettings& settings) {
  std::vector<Waiver> waivers = std::move(result.waivers);
  if (!settings.inline_comments) {
    std::erase_if(waivers, [](const Waiver& w) { return w.channel == SuppressionChannel::Comment; });
  }
  // Comments by (file, line), for the finding's line and the line above it.
  std::map<std::pair<std::string, std::uint32_t>, std::vector<const Waiver*>> comments;
  for (const Waiver& waiver : waivers) {
    if (waiver.channel == SuppressionChannel::Comment)
      comments[{waiver.where.file, waiver.where.span.begin.line}].push_back(&waiver);
  }
  RelativePaths paths(settings.config_dir);
  std::set<std::tuple<std::string, std::uint32_t, std::uint32_t>> used;
  std::map<std::string, Severity, std::less<>> severities(settings.severities.begin(), settings.severities.end());

  FindingStore kept;
  result.findings.for_each([&](const Finding& original) {
    Finding finding = original;
    const CheckInfo* check = catalogue.find(finding.check);
    if (check && !finding.suppression) {
      const auto [file, line] = input_line(finding);
      for (const std::uint32_t at : {line, line - 1}) {
        auto it = comments.find({*file, at});
        if (at == 0 || it == comments.end() || finding.suppression) continue;
        for (const Waiver* waiver : it->second) {
          if (waiver->accepts_check_on(*check, finding.container)) {
            finding.suppression = suppression_of(*waiver);
            break;
          }
        }
      }
      for (const Waiver& waiver : settings.config) {
        if (finding.suppression) break;
        if (!config_matches(waiver, finding, *check, paths)) continue;
        finding.suppression = suppression_of(waiver);
        finding.suppression->expired = !waiver.until.empty() && waiver.until < settings.today;
      }
    }
    if (finding.suppression) used.insert(place_key(finding.suppression->where));
    if (auto it = severities.find(finding.check); it != severities.end()) finding.severity = it->second;
    kept.add(finding);
  });

  // Waivers that matched nothing, and waivers without a reason.
  const auto enabled = [&](const std::string& id) {
    const CheckInfo* info = catalogue.resolve(id);
    return info && std::binary_search(settings.enabled.begin(), settings.enabled.end(), info->id);
  };
  const auto report = [&](std::string_view check_id, const Waiver& waiver, std::string message) {
    const CheckInfo* info = catalogue.find(check_id);
    if (!info || !enabled(info->id)) return;
    Finding finding;
    finding.check = std::string(check_id);
    finding.severity = info->severity;
    finding.file = waiver.where.file;
    finding.span = waiver.where.span;
    finding.message = std::move(message);
    if (auto it = severities.find(finding.check); it != severities.end()) finding.severity = it->second;
    kept.add(finding);
  };
  std::vector<const Waiver*> all;
  for (const Waiver& waiver : waivers) all.push_back(&waiver);
  for (const Waiver& waiver : settings.config) all.push_back(&waiver);
  for (const Waiver* waiver : all) {
    const std::string what = describe_waiver(*waiver);
    if (waiver->reason.empty() && waiver->channel != SuppressionChannel::Config) {
      report(kSuppressionWithoutReasonCheck, *waiver,
             fmt::format("{} gives no reason; say why the finding is accepted, so that the next reader can judge "
                         "whether it still is",
                         what));
    }
    if (used.count(place_key(waiver->where))) continue;
    if (waiver->checks.empty()) {
      report(kUnusedSuppressionCheck, *waiver, fmt::format("{} names no check id; it matches nothing", what));
      continue;
    }
    std::vector<std::string> unknown;
    for (const auto& id : waiver->checks) {
      if (!catalogue.resolve(id)) unknown.push_back(id);
    }
    if (!unknown.empty()) {
      report(kUnusedSuppressionCheck, *waiver,
             fmt::format("{} names {} that immutalint does not know ({}); it matches nothing", what,
                         unknown.size() == 1 ? "a check" : "checks", fmt::join(unknown, ", ")));
      continue;
    }
    // A waiver for a check that did not run may still be needed when it runs.
    if (!std::all_of(waiver->checks.begin(), waiver->checks.end(), enabled)) continue;
    report(kUnusedSuppressionCheck, *waiver, fmt::format("{} matched no finding; remove it if it is stale", what));
  }
  kept.seal();
  result.findings = std::move(kept);
  result.waivers = std::move(waivers);
  count_by_severity(result);
}

}  // namespace immutalint
