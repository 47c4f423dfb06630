// Fuzz target: a pattern and a path, split at the first NUL or newline, through the globs of
// `exclude` and `files` and the object names of configuration waivers. On small inputs the glob
// must agree with a reference matcher written independently, from the documented syntax.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "immutalint/lint.hpp"
#include "immutalint/suppression.hpp"

using namespace immutalint;

namespace {

/// One element of a pattern, as the documented syntax reads it.
struct Token {
  enum Kind { Literal, Any, Star, DoubleStar, FolderStar, Class } kind = Literal;
  char literal = 0;
  std::vector<bool> members;  // Class: the bytes it matches
};

/// A well-formed class `[...]` at the start of `pattern` (`!` or `^` negates, `a-z` is a range,
/// a `]` right after the opening bracket is a member): its length, or 0 when it is not closed.
std::size_t read_class(std::string_view pattern, Token& token) {
  token.kind = Token::Class;
  token.members.assign(256, false);
  std::size_t i = 1;
  const bool negate = i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^');
  if (negate) ++i;
  const std::size_t first = i;
  for (; i < pattern.size() && (pattern[i] != ']' || i == first); ++i) {
    const auto low = static_cast<unsigned char>(pattern[i]);
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      const auto high = static_cast<unsigned char>(pattern[i + 2]);
      for (unsigned c = low; c <= high; ++c) token.members[c] = true;
      i += 2;
    } else {
      token.members[low] = true;
    }
  }
  if (i >= pattern.size()) return 0;
  if (negate) token.members.flip();
  return i + 1;
}

/// The documented syntax (docs/ci.md): in a glob, a run of stars that is a whole path segment
/// (at the start or after `/`, at the end or before `/`) spans folders, `**/` also standing for no
/// folder at all; any other run of stars, and every run in a name, is one `*`.
std::vector<Token> tokens_of(std::string_view pattern, bool stop_at_slash) {
  std::vector<Token> tokens;
  for (std::size_t i = 0; i < pattern.size();) {
    Token token;
    if (pattern[i] == '*') {
      const std::size_t run_end = std::min(pattern.find_first_not_of('*', i), pattern.size());
      const bool whole_segment = stop_at_slash && run_end - i >= 2 && (i == 0 || pattern[i - 1] == '/') &&
                                 (run_end == pattern.size() || pattern[run_end] == '/');
      if (whole_segment && run_end < pattern.size()) {
        token.kind = Token::FolderStar;
        i = run_end + 1;
      } else if (whole_segment) {
        token.kind = Token::DoubleStar;
        i = run_end;
      } else {
        token.kind = Token::Star;
        i = run_end;
      }
    } else if (pattern[i] == '?') {
      token.kind = Token::Any;
      ++i;
    } else if (const std::size_t length = pattern[i] == '[' ? read_class(pattern.substr(i), token) : 0; length > 0) {
      i += length;
    } else {
      token = Token{Token::Literal, pattern[i], {}};
      ++i;
    }
    tokens.push_back(std::move(token));
  }
  return tokens;
}

/// The reference: the pattern as a nondeterministic automaton over its tokens, run over the
/// path one byte at a time. `*` and `?` stop at `/` when `stop_at_slash`; `**` spans folders;
/// `**/` is also no folder at all; a class never matches `/`.
bool reference_match(std::string_view pattern, std::string_view path, bool stop_at_slash) {
  const std::vector<Token> tokens = tokens_of(pattern, stop_at_slash);
  const std::size_t end = tokens.size();
  // `states[k]`: token k is next to match. `inside[k]`: a `**/` at k has read part of a folder
  // name, so only the `/` that ends it moves on: it stands for no folder only before reading.
  std::vector<char> states(end + 1, 0);
  std::vector<char> inside(end + 1, 0);
  const auto close = [&](std::vector<char>& set) {
    // Stars and `**/` may match nothing: their successor is live too. Tokens are visited in
    // order, so one forward pass reaches every successor.
    for (std::size_t k = 0; k < end; ++k) {
      const auto kind = tokens[k].kind;
      if (set[k] && (kind == Token::Star || kind == Token::DoubleStar || kind == Token::FolderStar)) set[k + 1] = 1;
    }
  };
  states[0] = 1;
  close(states);
  for (const char c : path) {
    std::vector<char> next(end + 1, 0);
    std::vector<char> next_inside(end + 1, 0);
    for (std::size_t k = 0; k < end; ++k) {
      const Token& token = tokens[k];
      if (token.kind == Token::FolderStar && (states[k] || inside[k])) {
        if (c == '/') next[k + 1] = 1;  // a folder ends: what follows `**/` is next
        next_inside[k] = 1;             // or the folders go on
        continue;
      }
      if (!states[k]) continue;
      switch (token.kind) {
        case Token::Literal:
          if (c == token.literal) next[k + 1] = 1;
          break;
        case Token::Any:
          if (!(stop_at_slash && c == '/')) next[k + 1] = 1;
          break;
        case Token::Class:
          if (c != '/' && token.members[static_cast<unsigned char>(c)]) next[k + 1] = 1;
          break;
        case Token::Star:
          if (!(stop_at_slash && c == '/')) next[k] = 1;
          break;
        case Token::DoubleStar: next[k] = 1; break;
        case Token::FolderStar: break;
      }
    }
    close(next);
    states.swap(next);
    inside.swap(next_inside);
  }
  return states[end] != 0;
}

std::string_view without_dot_slash(std::string_view text) {
  if (text.starts_with("./")) text.remove_prefix(2);
  return text;
}

/// Config waivers over one finding whose object is named `path` and whose file is `path`: the
/// first waiver matches by object name, the second by file glob.
bool name_waiver_matches(std::string_view pattern, std::string_view path) {
  const Catalogue& catalogue = *Catalogue::builtin();
  Finding finding;
  finding.check = "host-pid";
  finding.severity = Severity::Note;
  finding.message = "fuzz";
  finding.file = std::string(path);
  finding.span = Span{{1, 1}, {1, 2}};
  finding.object = ObjectRef{"v1", "Pod", "ns", std::string(path)};
  LintResult result;
  result.findings.add(finding);
  result.findings.seal();

  SuppressionSettings settings;
  settings.today = "2026-01-01";
  settings.enabled = {std::string(check_id(CheckRole::UnusedWaiver)), "host-pid"};
  settings.config_dir = "fuzz-repo";
  Waiver by_name;
  by_name.channel = SuppressionChannel::Config;
  by_name.checks = {"host-pid"};
  by_name.reason = "by name";
  by_name.name = std::string(pattern);
  by_name.where = Place{"fuzz-repo/.immutalint.yaml", Span{{2, 3}, {2, 4}}, {}};
  Waiver by_file = by_name;
  by_file.name.clear();
  by_file.files = {std::string(pattern)};
  by_file.where.span = Span{{5, 3}, {5, 4}};
  settings.config = {by_name, by_file};
  apply_suppressions(result, catalogue, settings);

  bool by_name_matched = false;
  result.findings.for_each([&](const Finding& f) {
    if (f.check == "host-pid" && f.suppression && f.suppression->where.span.begin.line == 2) by_name_matched = true;
  });
  return by_name_matched;
}

// The reference is linear per byte of path and token: keep the comparison cheap.
constexpr std::size_t kReferenceLimit = 1024;

/// Inputs the reference speaks for: small ones, with an ASCII pattern (the syntax says nothing
/// of ranges between bytes above 0x7f, which depend on the signedness of char).
bool comparable(std::string_view pattern, std::string_view path) {
  return pattern.size() <= kReferenceLimit && path.size() <= kReferenceLimit &&
         std::all_of(pattern.begin(), pattern.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t cut = input.find_first_of(std::string_view("\0\n", 2));
  const std::string_view pattern = input.substr(0, cut);
  const std::string_view path = cut == std::string_view::npos ? input : input.substr(cut + 1);

  const bool matched = glob_match(pattern, path);
  if (comparable(pattern, path) &&
      matched != reference_match(without_dot_slash(pattern), without_dot_slash(path), true)) {
    std::fprintf(stderr, "glob_match(\"%.*s\", \"%.*s\") is %d; the documented syntax says %d\n",
                 static_cast<int>(pattern.size()), pattern.data(), static_cast<int>(path.size()), path.data(), matched,
                 !matched);
    std::abort();
  }

  const bool name_matched = name_waiver_matches(pattern, path);
  // Names have no folders: only `*` and `?` are documented for them, with `*` spanning `/`. An
  // empty name is no condition: the waiver matches any object.
  const bool documented_name =
      !pattern.empty() && pattern.find('[') == std::string_view::npos && pattern.find("**") == std::string_view::npos;
  if (documented_name && comparable(pattern, path) && name_matched != reference_match(pattern, path, false)) {
    std::fprintf(stderr, "the waiver name \"%.*s\" on object \"%.*s\" matched: %d; the documented syntax says %d\n",
                 static_cast<int>(pattern.size()), pattern.data(), static_cast<int>(path.size()), path.data(),
                 name_matched, !name_matched);
    std::abort();
  }
  return 0;
}
