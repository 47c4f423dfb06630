// Stage 5: waivers from annotations, comments and the configuration, matched to findings.
#include "immutalint/suppression.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <unordered_map>

#include <fmt/format.h>

#include "immutalint/lint.hpp"
#include "immutalint/text_list.hpp"

namespace immutalint {

namespace {

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

/// A configuration waiver with its globs and name pattern compiled once for all findings.
struct ConfigWaiver {
  const Waiver* waiver = nullptr;
  std::vector<Glob> files;
  std::optional<Wildcard> name;
  bool expired = false;
};

bool config_matches(const ConfigWaiver& config, const Finding& finding, const CheckInfo& check, RelativePaths& paths) {
  const Waiver& waiver = *config.waiver;
  if (!accepts_on(waiver, check, finding.container)) return false;
  if (!config.files.empty()) {
    const std::string& path = paths.of(finding.file);
    if (std::none_of(config.files.begin(), config.files.end(), [&](const Glob& glob) { return glob.matches(path); })) {
      return false;
    }
  }
  const ObjectRef* object = finding.object ? &*finding.object : nullptr;
  if (!waiver.kind.empty() && (!object || object->kind != waiver.kind)) return false;
  if (!waiver.namespace_.empty() && (!object || object->namespace_ != waiver.namespace_)) return false;
  if (config.name && (!object || !config.name->matches(object->name))) return false;
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

bool accepts_on(const Waiver& waiver, const CheckInfo& check, const std::string& container) {
  const auto& ids = waiver.checks;
  if (std::none_of(ids.begin(), ids.end(), [&](const std::string& id) { return accepts(id, check); })) return false;
  const auto& only = waiver.containers;
  return only.empty() || std::find(only.begin(), only.end(), container) != only.end();
}

Wildcard::Wildcard(std::string_view pattern, bool stop_at_slash) : pattern_(pattern), stop_at_slash_(stop_at_slash) {
  // The first `]` at or after a position, searched forward only: positions only grow, so
  // finding every class's end costs one pass even when no `[` is ever closed.
  std::size_t close = pattern.find(']');
  const auto next_close = [&](std::size_t from) {
    if (close != std::string_view::npos && close < from) close = pattern.find(']', from);
    return close;
  };
  for (std::size_t i = 0; i < pattern.size();) {
    const char c = pattern[i];
    if (c == '*') {
      const std::size_t run_end = std::min(pattern.find_first_not_of('*', i), pattern.size());
      // `**` spans folders only as a whole path segment, as in git and bash's globstar: at the
      // start or after `/`, and at the end or before `/`, so that it matches whole folders and
      // never part of a name. Elsewhere a run of stars is one `*`.
      const bool folders = stop_at_slash && run_end - i >= 2 && (i == 0 || pattern[i - 1] == '/') &&
                           (run_end == pattern.size() || pattern[run_end] == '/');
      if (folders) {
        tokens_.push_back(Token{Kind::DoubleStar, 0, run_end < pattern.size(), 0, 0});
      } else {
        tokens_.push_back(Token{Kind::Star, 0, false, 0, 0});
      }
      i = run_end;
      continue;
    }
    if (c == '?') {
      tokens_.push_back(Token{Kind::AnyChar, 0, false, 0, 0});
      ++i;
      continue;
    }
    if (c == '[') {
      // A class ends at the first `]` after its first member (which may itself be `]`).
      std::size_t first = i + 1;
      if (first < pattern.size() && (pattern[first] == '!' || pattern[first] == '^')) ++first;
      const std::size_t end = next_close(first + 1);
      if (end != std::string_view::npos) {
        bool ignored = false;
        const std::size_t size = class_match(pattern.substr(i, end - i + 1), '\0', ignored);
        if (size > 0) {
          tokens_.push_back(Token{Kind::Class, 0, false, i, size});
          i += size;
          continue;
        }
      }
    }
    tokens_.push_back(Token{Kind::Literal, c, false, 0, 0});
    ++i;
  }
}

bool Wildcard::advances(const Token& token, char c) const {
  switch (token.kind) {
    case Kind::Literal: return c == token.literal;
    case Kind::AnyChar: return !(stop_at_slash_ && c == '/');
    case Kind::Class: {
      bool matched = false;
      class_match(std::string_view(pattern_).substr(token.class_begin, token.class_size), c, matched);
      return matched && c != '/';
    }
    case Kind::Star: return !(stop_at_slash_ && c == '/');
    case Kind::DoubleStar: return true;
  }
  return false;
}

/// Adds `state` and the states it reaches without reading a character (what follows a star
/// that matches nothing). `states` stays sorted: states are added in increasing order, and the
/// states reached from one form a contiguous run, so one already present brings nothing new.
void Wildcard::add_with_followers(std::vector<std::size_t>& states, std::size_t state) const {
  while (states.empty() || states.back() < state) {
    states.push_back(state);
    if (state == tokens_.size()) return;
    const Token& token = tokens_[state];
    if (token.kind == Kind::Star || (token.kind == Kind::DoubleStar && !token.skips_folder)) {
      ++state;
    } else if (token.kind == Kind::DoubleStar) {
      states.push_back(state + 1);  // the `/` after `**`
      state += 2;                   // or no folder at all
    } else {
      return;
    }
  }
}

/// Drops the states below the last star that matches any character: every way from an earlier
/// state to the end passes through that star, which can already absorb whatever text they would.
/// This keeps `*a*a*…*b` against a long name linear instead of O(pattern × text).
void Wildcard::drop_dominated(std::vector<std::size_t>& states) const {
  for (std::size_t i = states.size(); i > 1; --i) {
    const std::size_t state = states[i - 1];
    if (state == tokens_.size()) continue;
    const Kind kind = tokens_[state].kind;
    if (kind == Kind::DoubleStar || (kind == Kind::Star && !stop_at_slash_)) {
      states.erase(states.begin(), states.begin() + static_cast<std::ptrdiff_t>(i - 1));
      return;
    }
  }
}

bool Wildcard::matches(std::string_view text) const {
  // The set of pattern positions reached so far, advanced one character at a time: each step
  // costs at most one visit per token, and no position is stored twice.
  std::vector<std::size_t> current;
  std::vector<std::size_t> next;
  add_with_followers(current, 0);
  drop_dominated(current);
  for (const char c : text) {
    next.clear();
    for (const std::size_t state : current) {
      if (state == tokens_.size()) continue;
      const Token& token = tokens_[state];
      if (!advances(token, c)) continue;
      if (token.kind == Kind::DoubleStar && token.skips_folder) {
        // Having matched a character, `**/` is inside a folder: it goes on to the `/` that ends
        // it, and can no longer stand for no folder at all.
        if (next.empty() || next.back() < state) next.push_back(state);
        if (next.back() < state + 1) next.push_back(state + 1);
        continue;
      }
      const bool stays = token.kind == Kind::Star || token.kind == Kind::DoubleStar;
      add_with_followers(next, stays ? state : state + 1);
    }
    if (next.empty()) return false;
    drop_dominated(next);
    current.swap(next);
  }
  return current.back() == tokens_.size();
}

Glob::Glob(std::string_view pattern)
    : wildcard_(pattern.starts_with("./") ? pattern.substr(2) : pattern, /*stop_at_slash=*/true) {}

bool Glob::matches(std::string_view path) const {
  if (path.starts_with("./")) path.remove_prefix(2);
  return wildcard_.matches(path);
}

bool glob_match(std::string_view pattern, std::string_view path) {
  return Glob(pattern).matches(path);
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
  using PlaceKey = std::tuple<std::string, std::uint32_t, std::uint32_t>;
  // An entry written once and aliased many times is one waiver: one node, one place.
  std::vector<ConfigWaiver> config;
  std::set<PlaceKey> declared;
  for (const Waiver& waiver : settings.config) {
    if (!declared.insert(place_key(waiver.where)).second) continue;
    ConfigWaiver& compiled = config.emplace_back();
    compiled.waiver = &waiver;
    for (const auto& glob : waiver.files) compiled.files.emplace_back(glob);
    if (!waiver.name.empty()) compiled.name.emplace(waiver.name, /*stop_at_slash=*/false);
    compiled.expired = !waiver.until.empty() && waiver.until < settings.today;
  }
  std::set<PlaceKey> used;
  // Expired entries whose findings a valid entry accepted instead.
  std::set<PlaceKey> shadowed;
  std::vector<const ConfigWaiver*> expired_matches;
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
          if (accepts_on(*waiver, *check, finding.container)) {
            finding.suppression = suppression_of(*waiver);
            break;
          }
        }
      }
      // A valid entry wins over an expired one wherever they are written; an expired entry
      // decides only when no valid one accepts the finding, and the finding then counts again.
      const ConfigWaiver* valid = nullptr;
      expired_matches.clear();
      for (const ConfigWaiver& entry : finding.suppression ? std::span<const ConfigWaiver>() : config) {
        // Past the valid entry, only expired ones are looked at: they are then stale.
        if ((valid && !entry.expired) || !config_matches(entry, finding, *check, paths)) continue;
        if (entry.expired) {
          expired_matches.push_back(&entry);
        } else {
          valid = &entry;
        }
      }
      if (valid) {
        finding.suppression = suppression_of(*valid->waiver);
        for (const ConfigWaiver* expired : expired_matches) shadowed.insert(place_key(expired->waiver->where));
      } else if (!expired_matches.empty()) {
        finding.suppression = suppression_of(*expired_matches.front()->waiver);
        finding.suppression->expired = true;
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
  all.reserve(waivers.size() + config.size());
  for (const Waiver& waiver : waivers) all.push_back(&waiver);
  for (const ConfigWaiver& entry : config) all.push_back(entry.waiver);
  std::set<PlaceKey> reported;
  for (const Waiver* waiver : all) {
    if (!reported.insert(place_key(waiver->where)).second) continue;  // one place, one report
    const std::string what = describe_waiver(*waiver);
    if (waiver->reason.empty() && waiver->channel != SuppressionChannel::Config) {
      report(check_id(CheckRole::ReasonlessWaiver), *waiver,
             fmt::format("{} gives no reason; say why the finding is accepted, so that the next reader can judge "
                         "whether it still is",
                         what));
    }
    if (used.count(place_key(waiver->where))) continue;
    if (shadowed.count(place_key(waiver->where))) {
      report(check_id(CheckRole::UnusedWaiver), *waiver,
             fmt::format("{} expired after {}, and other waivers accept the findings it matches; remove it", what,
                         waiver->until));
      continue;
    }
    if (waiver->checks.empty()) {
      report(check_id(CheckRole::UnusedWaiver), *waiver, fmt::format("{} names no check id; it matches nothing", what));
      continue;
    }
    std::vector<std::string> unknown;
    for (const auto& id : waiver->checks) {
      if (!catalogue.resolve(id)) unknown.push_back(id);
    }
    if (!unknown.empty()) {
      report(check_id(CheckRole::UnusedWaiver), *waiver,
             fmt::format("{} names {} that immutalint does not know ({}); it matches nothing", what,
                         unknown.size() == 1 ? "a check" : "checks", fmt::join(unknown, ", ")));
      continue;
    }
    // A waiver for a check that did not run may still be needed when it runs.
    if (!std::all_of(waiver->checks.begin(), waiver->checks.end(), enabled)) continue;
    report(check_id(CheckRole::UnusedWaiver), *waiver,
           fmt::format("{} matched no finding; remove it if it is stale", what));
  }
  kept.seal();
  result.findings = std::move(kept);
  result.waivers = std::move(waivers);
  count_by_severity(result);
}

}  // namespace immutalint
