// The shell reader's parts, shared by src/shell.cpp (commands: wrappers, nested shells, the
// public entry points) and src/shell_script_reader.cpp (the lexer: words, quotes, expansions,
// here-documents). Bounds and budgets are in one place, here.
#pragma once

#include "immutalint/shell.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace immutalint::shell_reading {

/// Nested `sh -c` scripts, `$(...)`, `${...}` and wrappers: deeper nesting is not read.
inline constexpr int kMaxDepth = 16;

/// PATH_MAX: the kernel refuses longer paths (ENAMETOOLONG), so `cd` or `chroot` to one fails.
inline constexpr std::size_t kMaxPathBytes = 4096;

/// What variable values may add to words over one read: this many times the input's size, plus
/// kExpansionFloor. Scripts use a value a few times; `x=<long>; : $x $x $x ...` or doubling
/// (`y=$x$x; z=$y$y`) would otherwise make words, and memory, grow faster than the input.
inline constexpr std::size_t kExpansionFactor = 16;
inline constexpr std::size_t kExpansionFloor = 1 << 20;

/// The nsenter or chroot words carried by every command they run are shortened to this.
inline constexpr std::size_t kMaxEnteredByText = 256;

inline bool is_name_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
inline bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

inline bool is_operator_char(char c) {
  return c == ';' || c == '&' || c == '|' || c == '<' || c == '>' || c == '(' || c == ')';
}

inline std::string_view basename(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

/// `NAME=value` with a valid shell name before the first '='.
inline std::optional<std::size_t> assignment_split(std::string_view word) {
  if (word.empty() || !is_name_start(word[0])) return std::nullopt;
  for (std::size_t i = 1; i < word.size(); ++i) {
    if (word[i] == '=') return i;
    if (!is_name_char(word[i])) return std::nullopt;
  }
  return std::nullopt;
}

inline bool one_of(std::string_view word, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

inline bool is_shell(std::string_view program) {
  return one_of(program, {"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"});
}

/// A path made absolute against a known working directory, lexically.
inline std::string join_path(const std::string& dir, std::string_view path) {
  if (path.starts_with("/")) return std::string(path);
  return dir + (dir.ends_with("/") ? "" : "/") + std::string(path);
}

/// `text` cut to at most `limit` bytes (at a UTF-8 character boundary), ending with "...".
inline std::string shortened(std::string text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t cut = limit > 3 ? limit - 3 : 0;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text + "...";
}

/// The variables a script sees: its own assignments, over those of the script that runs it, over
/// the container's environment. A subshell (`$(...)`, `sh -c`) reads in a scope of its own, so
/// its assignments do not last; it looks through its parent rather than copying it, which would
/// cost the size of the environment for every substitution.
class Variables {
 public:
  explicit Variables(const ShellEnv& environment) : environment_(&environment) {}
  explicit Variables(const Variables* parent) : parent_(parent) {}

  /// The variable's value: nullptr when it is not set; a null optional when set to a value that
  /// is not known.
  const std::optional<std::string>* find(const std::string& name) const {
    for (const Variables* scope = this; scope; scope = scope->parent_) {
      if (auto it = scope->own_.find(name); it != scope->own_.end()) return &it->second;
      if (scope->environment_) {
        if (auto it = scope->environment_->find(name); it != scope->environment_->end()) return &it->second;
      }
    }
    return nullptr;
  }
  void set(const std::string& name, std::optional<std::string> value) { own_[name] = std::move(value); }

 private:
  const Variables* parent_ = nullptr;
  const ShellEnv* environment_ = nullptr;
  ShellEnv own_;  // a std::map: values found stay valid while others are set
};

/// What one read may still produce: the bytes variable values add to words (kExpansionFactor),
/// and commands.
class ReadBudget {
 public:
  ReadBudget(std::size_t input_bytes, std::size_t max_commands)
      : expansion_left_(kExpansionFactor * input_bytes + kExpansionFloor), max_commands_(max_commands) {}

  /// Takes `bytes` from what expansions may add; false, taking nothing, when fewer are left.
  bool take(std::size_t bytes) {
    if (bytes > expansion_left_) return false;
    expansion_left_ -= bytes;
    return true;
  }
  /// True once `out` holds one command more than the read may return: reading stops there.
  bool full(const std::vector<ShellCommand>& out) const { return out.size() > max_commands_; }

 private:
  std::size_t expansion_left_;
  std::size_t max_commands_;
};

/// Where commands run: inherited by the commands of nested scripts.
struct Scope {
  bool host_namespace = false;
  std::shared_ptr<const std::string> chroot;
  std::string host_shell;  // ShellCommand::host_shell
  std::string entered_by;
  std::shared_ptr<const ShellWord> entry;
};

/// A here-document's body, when a shell reads it as its script.
struct StdinScript {
  std::string text;
  std::uint32_t source = 0;
  std::uint32_t base = 0;
};

struct Token {
  enum class Kind { Word, Operator, Newline, End };
  Kind kind = Kind::End;
  std::string op;         // for operators
  ShellWord word;         // for words
  bool quoted = false;    // some part of the word was quoted or escaped
  bool adjacent = false;  // the next character is a redirection, with no blank between
};

inline void mark_unknown(ShellWord& word) {
  word.unknown = true;
  if (word.text.find('/') == std::string::npos) word.unknown_before_slash = true;
}

/// State of one script that outlives a single command: the working directory, shared with the
/// commands that run in it.
struct ScriptState {
  std::shared_ptr<const std::string> cwd;
};

/// Turns the words of one simple command into ShellCommands: assignments, wrappers and nested
/// shells are resolved here. Shared by scripts and by container argv.
class CommandBuilder {
 public:
  CommandBuilder(Variables& variables, ReadBudget& budget, ScriptState& state, std::vector<ShellCommand>& out,
                 int depth)
      : variables_(variables), budget_(budget), state_(state), out_(out), depth_(depth) {}

  /// `conditional`: the command runs only on some paths (an if or case branch, a loop, after
  /// `&&` or `||`), so the values it assigns are not known afterwards.
  void build(std::vector<ShellWord> words, std::vector<ShellRedirect> redirects, Scope scope, bool conditional,
             const std::optional<StdinScript>& stdin_script);

 private:
  bool unwrap(std::vector<ShellWord>& words, Scope& scope, std::vector<ShellRedirect>& redirects,
              const std::optional<StdinScript>& stdin_script);
  void emit(std::vector<ShellWord> argv, std::vector<ShellRedirect> redirects, const Scope& scope);
  void read_nested(const std::string& text, std::uint32_t source, std::uint32_t base, const Scope& scope);

  Variables& variables_;
  ReadBudget& budget_;
  ScriptState& state_;
  std::vector<ShellCommand>& out_;
  int depth_;
};

/// Tokenizes one script and turns its simple commands into ShellCommands.
class ScriptReader {
 public:
  ScriptReader(std::string_view text, std::uint32_t source, std::uint32_t base, Variables& variables,
               ReadBudget& budget, Scope scope, std::vector<ShellCommand>& out, int depth, ScriptState state = {})
      : text_(text),
        source_(source),
        base_(base),
        variables_(variables),
        budget_(budget),
        scope_(std::move(scope)),
        out_(out),
        depth_(depth),
        state_(std::move(state)) {}

  void read();

 private:
  friend class CommandBuilder;

  Token next();
  void skip_blanks();
  void read_heredoc_bodies();
  ShellWord read_word(bool& quoted);
  /// A `...` command substitution at pos_: read as a nested script; its output is unknown.
  void read_backquoted(ShellWord& word);
  void read_double_quoted(ShellWord& word);
  void read_dollar(ShellWord& word, bool in_double_quotes);
  void read_substitution(std::string_view inner, std::uint32_t inner_offset);
  std::size_t matching_close(std::size_t open, char opening, char closing) const;
  std::string expand_default(std::string_view text, bool& unknown);
  void expand(ShellWord& word, const std::optional<std::string>& value);

  std::string_view text_;
  std::uint32_t source_;
  std::uint32_t base_;  // offset of text_ within the source text
  Variables& variables_;
  ReadBudget& budget_;
  Scope scope_;
  std::vector<ShellCommand>& out_;
  int depth_;
  ScriptState state_;
  std::size_t pos_ = 0;
  struct Heredoc {
    std::string delimiter;
    bool strip_tabs;
  };
  std::vector<Heredoc> heredocs_;
  std::optional<StdinScript> last_heredoc_;  // the body read at the last line end, for a shell that reads it
};

}  // namespace immutalint::shell_reading
