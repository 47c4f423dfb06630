// Stage 5: findings that the manifests' authors or the configuration accept, each with a reason.
//
// Three channels say that a finding is accepted: an annotation on the object, a comment in the
// text, and an `ignores` entry of the configuration file. Annotations are matched while the
// object is checked (stage 4 has its tree); comments and configuration entries afterwards, over
// all findings. Every waiver is remembered, so that one that matched nothing, or gives no
// reason, is itself reported.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "immutalint/catalogue.hpp"
#include "immutalint/finding.hpp"
#include "immutalint/waiver.hpp"

namespace immutalint {

struct LintResult;

/// True when `annotated_id`, the id in a waiver, names `check`: its id, or a former id, which is
/// then written to `former_id`.
bool accepts(std::string_view annotated_id, const CheckInfo& check, std::string* former_id = nullptr);

/// True when the waiver names `check` and, for an annotation, scopes it to the finding's
/// container (or to none).
bool accepts_on(const Waiver& waiver, const CheckInfo& check, const std::string& container);

/// A wildcard pattern, compiled once and matched against many texts: `*` matches any run of
/// characters, `?` one character, `[abc]`, `[a-z]` and `[!x]` one character of a class (never
/// `/`). With `stop_at_slash` (path globs), `*` and `?` do not match `/`, and `**` as a whole
/// path segment matches whole folders: `**/` any number of them, none included, and a final
/// `/**` everything below; elsewhere `**` is `*`. Matching runs without recursion, in time
/// O(pattern × text) at worst and memory linear in the pattern, whatever either holds.
class Wildcard {
 public:
  Wildcard(std::string_view pattern, bool stop_at_slash);

  bool matches(std::string_view text) const;

 private:
  enum class Kind : std::uint8_t { Literal, AnyChar, Class, Star, DoubleStar };
  struct Token {
    Kind kind = Kind::Literal;
    char literal = 0;
    bool skips_folder = false;  ///< a `**` followed by `/`: may also match nothing, `/` included
    std::size_t class_begin = 0;
    std::size_t class_size = 0;
  };

  bool advances(const Token& token, char c) const;
  void add_with_followers(std::vector<std::size_t>& states, std::size_t state) const;
  void drop_dominated(std::vector<std::size_t>& states) const;

  std::string pattern_;
  std::vector<Token> tokens_;
  bool stop_at_slash_;
};

/// A glob over `/`-separated paths, compiled once: `*` and `?` stop at `/`, `**` spans
/// folders, `[...]` is a class. A leading `./` is ignored in the glob and in the path.
class Glob {
 public:
  explicit Glob(std::string_view pattern);
  bool matches(std::string_view path) const;

 private:
  Wildcard wildcard_;
};

/// `Glob(pattern).matches(path)`.
bool glob_match(std::string_view pattern, std::string_view path);

/// What stage 5 applies, from the configuration and the command line.
struct SuppressionSettings {
  bool inline_comments = true;       ///< false: comments are not honoured (an audit)
  std::vector<Waiver> config;        ///< the configuration file's `ignores`
  std::string config_dir;            ///< their globs are relative to this folder ("" or "." for the working one)
  std::string today;                 ///< YYYY-MM-DD, to tell expired waivers
  std::vector<std::string> enabled;  ///< the checks that ran, sorted: a waiver for another is not "unused"
  /// Severity overrides from the configuration: (check id, severity).
  std::vector<std::pair<std::string, Severity>> severities;
};

/// Matches comments and configuration waivers to the findings not yet accepted, marks expired
/// ones, reports waivers that matched nothing (unused-suppression) or give no reason
/// (suppression-without-reason), applies severity overrides, and recounts the summary.
void apply_suppressions(LintResult& result, const Catalogue& catalogue, const SuppressionSettings& settings);

/// Today's date, YYYY-MM-DD, in UTC.
std::string today_utc();

}  // namespace immutalint
