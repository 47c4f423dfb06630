// Reads container commands and shell scripts into the simple commands they run. This is a
// reader for finding evidence, not a shell: it never runs anything, and where a value is only
// known at run time it says so (ShellWord::unknown) rather than guessing. Every loop is bounded
// by the input's size, and nesting (`sh -c`, `$(...)`, `${...}`, wrappers) by kMaxDepth; what
// commands share (variables, working directory, chroot) is shared, not copied, so time and
// memory stay linear in the input.
#include "immutalint/shell.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace immutalint {

namespace {

/// Nested `sh -c` scripts, `$(...)`, `${...}` and wrappers: deeper nesting is not read.
constexpr int kMaxDepth = 16;

/// PATH_MAX: the kernel refuses longer paths (ENAMETOOLONG), so `cd` or `chroot` to one fails.
constexpr std::size_t kMaxPathBytes = 4096;

/// What variable values may add to words over one read: this many times the input's size, plus
/// kExpansionFloor. Scripts use a value a few times; `x=<long>; : $x $x $x ...` or doubling
/// (`y=$x$x; z=$y$y`) would otherwise make words, and memory, grow faster than the input.
constexpr std::size_t kExpansionFactor = 16;
constexpr std::size_t kExpansionFloor = 1 << 20;

/// The nsenter or chroot words carried by every command they run are shortened to this.
constexpr std::size_t kMaxEnteredByText = 256;

bool is_name_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

bool is_operator_char(char c) {
  return c == ';' || c == '&' || c == '|' || c == '<' || c == '>' || c == '(' || c == ')';
}

std::string_view basename(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

/// `NAME=value` with a valid shell name before the first '='.
std::optional<std::size_t> assignment_split(std::string_view word) {
  if (word.empty() || !is_name_start(word[0])) return std::nullopt;
  for (std::size_t i = 1; i < word.size(); ++i) {
    if (word[i] == '=') return i;
    if (!is_name_char(word[i])) return std::nullopt;
  }
  return std::nullopt;
}

bool one_of(std::string_view word, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

bool is_shell(std::string_view program) {
  return one_of(program, {"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"});
}

/// A path made absolute against a known working directory, lexically.
std::string join_path(const std::string& dir, std::string_view path) {
  if (path.starts_with("/")) return std::string(path);
  return dir + (dir.ends_with("/") ? "" : "/") + std::string(path);
}

/// `text` cut to at most `limit` bytes (at a UTF-8 character boundary), ending with "...".
std::string shortened(std::string text, std::size_t limit) {
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

void mark_unknown(ShellWord& word) {
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

// ---------------------------------------------------------------------------------------------
// Tokens

void ScriptReader::skip_blanks() {
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (c == ' ' || c == '\t' || c == '\r') {
      ++pos_;
    } else if (c == '\\' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') {
      pos_ += 2;  // line continuation
    } else {
      break;
    }
  }
}

Token ScriptReader::next() {
  skip_blanks();
  Token token;
  if (pos_ >= text_.size()) return token;
  const char c = text_[pos_];
  if (c == '#') {  // a comment: a '#' at the start of a word
    while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
    return next();
  }
  if (c == '\n') {
    ++pos_;
    read_heredoc_bodies();
    token.kind = Token::Kind::Newline;
    return token;
  }
  if (is_operator_char(c)) {
    static constexpr std::array<std::string_view, 19> kOperators = {"&>>", "<<-", "<<<", ";;&", "&&", "||", ";;",
                                                                    ";&",  "|&",  ">>",  ">|",  "&>", "<<", "<>",
                                                                    ">&",  "<&",  "(",   ")",   ";"};
    for (auto op : kOperators) {
      if (text_.substr(pos_, op.size()) == op) {
        token.kind = Token::Kind::Operator;
        token.op = std::string(op);
        pos_ += op.size();
        return token;
      }
    }
    token.kind = Token::Kind::Operator;
    token.op = std::string(1, c);
    ++pos_;
    return token;
  }
  token.kind = Token::Kind::Word;
  token.word = read_word(token.quoted);
  token.adjacent = pos_ < text_.size() && (text_[pos_] == '<' || text_[pos_] == '>');
  return token;
}

void ScriptReader::read_heredoc_bodies() {
  last_heredoc_.reset();
  for (const auto& heredoc : heredocs_) {
    const std::size_t start = pos_;
    std::size_t end_of_body = text_.size();
    while (pos_ < text_.size()) {
      const auto end = text_.find('\n', pos_);
      std::string_view line = text_.substr(pos_, end == std::string_view::npos ? std::string_view::npos : end - pos_);
      const std::size_t line_start = pos_;
      pos_ = end == std::string_view::npos ? text_.size() : end + 1;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (heredoc.strip_tabs) {
        while (!line.empty() && line.front() == '\t') line.remove_prefix(1);
      }
      if (line == heredoc.delimiter) {
        end_of_body = line_start;
        break;
      }
    }
    last_heredoc_ = StdinScript{std::string(text_.substr(start, end_of_body - start)), source_,
                                base_ + static_cast<std::uint32_t>(start)};
  }
  heredocs_.clear();
}

ShellWord ScriptReader::read_word(bool& quoted) {
  ShellWord word;
  word.source = source_;
  word.offset = base_ + static_cast<std::uint32_t>(pos_);
  word.opens_quote = pos_ < text_.size() && (text_[pos_] == '\'' || text_[pos_] == '"');
  quoted = false;
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || is_operator_char(c)) break;
    if (c == '\\') {
      quoted = true;
      if (pos_ + 1 < text_.size()) {
        if (text_[pos_ + 1] != '\n') word.text += text_[pos_ + 1];
        pos_ += 2;
      } else {
        ++pos_;
      }
    } else if (c == '\'') {
      quoted = true;
      const auto close = text_.find('\'', pos_ + 1);
      const auto end = close == std::string_view::npos ? text_.size() : close;
      word.text.append(text_.substr(pos_ + 1, end - pos_ - 1));
      pos_ = close == std::string_view::npos ? text_.size() : close + 1;
    } else if (c == '"') {
      quoted = true;
      ++pos_;
      read_double_quoted(word);
    } else if (c == '$') {
      read_dollar(word, false);
    } else if (c == '`') {
      auto close = text_.find('`', pos_ + 1);
      while (close != std::string_view::npos && text_[close - 1] == '\\') close = text_.find('`', close + 1);
      const auto end = close == std::string_view::npos ? text_.size() : close;
      read_substitution(text_.substr(pos_ + 1, end - pos_ - 1), static_cast<std::uint32_t>(pos_ + 1));
      mark_unknown(word);
      pos_ = close == std::string_view::npos ? text_.size() : close + 1;
    } else {
      word.text += c;
      ++pos_;
    }
  }
  return word;
}

void ScriptReader::read_double_quoted(ShellWord& word) {
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (c == '"') {
      ++pos_;
      return;
    }
    if (c == '\\' && pos_ + 1 < text_.size()) {
      const char escaped = text_[pos_ + 1];
      if (escaped == '$' || escaped == '`' || escaped == '"' || escaped == '\\') {
        word.text += escaped;
      } else if (escaped != '\n') {
        word.text += c;
        word.text += escaped;
      }
      pos_ += 2;
    } else if (c == '$') {
      read_dollar(word, true);
    } else if (c == '`') {
      auto close = text_.find('`', pos_ + 1);
      while (close != std::string_view::npos && text_[close - 1] == '\\') close = text_.find('`', close + 1);
      const auto end = close == std::string_view::npos ? text_.size() : close;
      read_substitution(text_.substr(pos_ + 1, end - pos_ - 1), static_cast<std::uint32_t>(pos_ + 1));
      mark_unknown(word);
      pos_ = close == std::string_view::npos ? text_.size() : close + 1;
    } else {
      word.text += c;
      ++pos_;
    }
  }
}

std::size_t ScriptReader::matching_close(std::size_t open, char opening, char closing) const {
  // Quotes and escapes hide brackets; `$(`, `${` and `(` nest.
  int depth = 0;
  for (std::size_t i = open; i < text_.size(); ++i) {
    const char c = text_[i];
    if (c == '\\') {
      ++i;
    } else if (c == '\'') {
      const auto close = text_.find('\'', i + 1);
      if (close == std::string_view::npos) return text_.size();
      i = close;
    } else if (c == '"') {
      for (++i; i < text_.size() && text_[i] != '"'; ++i) {
        if (text_[i] == '\\') ++i;
      }
      if (i >= text_.size()) return text_.size();
    } else if (c == opening) {
      ++depth;
    } else if (c == closing) {
      if (--depth == 0) return i;
    }
  }
  return text_.size();
}

void ScriptReader::read_substitution(std::string_view inner, std::uint32_t inner_offset) {
  if (depth_ >= kMaxDepth) return;
  // The commands of a substitution run too (in a subshell: its assignments do not last).
  Variables subshell(&variables_);
  ScriptReader nested(inner, source_, base_ + inner_offset, subshell, budget_, scope_, out_, depth_ + 1, state_);
  nested.read();
}

void ScriptReader::expand(ShellWord& word, const std::optional<std::string>& value) {
  if (value && budget_.take(value->size())) {
    word.text += *value;
  } else {
    mark_unknown(word);
  }
}

std::string ScriptReader::expand_default(std::string_view text, bool& unknown) {
  if (depth_ >= kMaxDepth) {
    unknown = true;
    return {};
  }
  // A default value may itself hold expansions: read it as the inside of double quotes.
  std::vector<ShellCommand> ignored;
  ScriptReader nested(text, source_, base_, variables_, budget_, scope_, ignored, depth_ + 1, state_);
  ShellWord word;
  nested.read_double_quoted(word);
  unknown = unknown || word.unknown;
  return word.text;
}

void ScriptReader::read_dollar(ShellWord& word, bool in_double_quotes) {
  const std::size_t start = pos_;
  ++pos_;  // '$'
  if (pos_ >= text_.size()) {
    word.text += '$';
    return;
  }
  const char c = text_[pos_];
  if (c == '(') {
    const bool arithmetic = pos_ + 1 < text_.size() && text_[pos_ + 1] == '(';
    const std::size_t close = matching_close(pos_, '(', ')');
    if (!arithmetic) read_substitution(text_.substr(pos_ + 1, close - pos_ - 1), static_cast<std::uint32_t>(pos_ + 1));
    pos_ = std::min(close + 1, text_.size());
    mark_unknown(word);
    return;
  }
  if (c == '{') {
    const std::size_t close = matching_close(pos_, '{', '}');
    std::string_view body = text_.substr(pos_ + 1, close - pos_ - 1);
    pos_ = std::min(close + 1, text_.size());
    std::size_t name_end = 0;
    while (name_end < body.size() && is_name_char(body[name_end])) ++name_end;
    const std::string name(body.substr(0, name_end));
    std::string_view op = body.substr(name_end);
    const std::optional<std::string>* found = variables_.find(name);
    const bool set = found != nullptr;
    const bool known = set && found->has_value();
    const bool empty = known && (*found)->empty();
    auto use_default = [&](std::string_view rest, bool assign) {
      bool unknown = false;
      std::string value = expand_default(rest, unknown);
      if (assign && !name.empty()) variables_.set(name, unknown ? std::nullopt : std::optional<std::string>(value));
      word.text += value;
      if (unknown) mark_unknown(word);
    };
    if (op.starts_with(":-") || op.starts_with(":=")) {
      if (known && !empty) {
        expand(word, *found);
      } else if (set && !known) {
        mark_unknown(word);  // set from somewhere we cannot see; the default may not apply
      } else {
        use_default(op.substr(2), op[1] == '=');
      }
    } else if ((op.starts_with("-") || op.starts_with("=")) && !op.starts_with("-}")) {
      if (known) {
        expand(word, *found);
      } else if (set) {
        mark_unknown(word);
      } else {
        use_default(op.substr(1), op[0] == '=');
      }
    } else if (op.empty() && known) {
      expand(word, *found);
    } else {
      mark_unknown(word);  // ${#x}, ${x%y}, ${x/y/z}, ${!x}, unknown values
    }
    return;
  }
  if (c == '\'' && !in_double_quotes) {  // $'...': ANSI-C quoting, taken literally
    const auto close = text_.find('\'', pos_ + 1);
    const auto end = close == std::string_view::npos ? text_.size() : close;
    word.text.append(text_.substr(pos_ + 1, end - pos_ - 1));
    pos_ = close == std::string_view::npos ? text_.size() : close + 1;
    return;
  }
  if (is_name_start(c)) {
    std::size_t end = pos_;
    while (end < text_.size() && is_name_char(text_[end])) ++end;
    const std::string name(text_.substr(pos_, end - pos_));
    pos_ = end;
    const std::optional<std::string>* found = variables_.find(name);
    expand(word, found ? *found : std::nullopt);
    return;
  }
  if (std::isdigit(static_cast<unsigned char>(c)) ||
      one_of(std::string_view(&c, 1), {"@", "*", "#", "?", "$", "!", "-"})) {
    ++pos_;
    mark_unknown(word);
    return;
  }
  word.text.append(text_.substr(start, 1));  // a lone '$'
}

void ScriptReader::read() {
  std::vector<ShellWord> words;
  std::vector<ShellRedirect> redirects;
  CommandBuilder builder(variables_, budget_, state_, out_, depth_);
  int conditional_depth = 0;     // inside if, while, until, for and case bodies
  bool after_and_or = false;     // the command follows `&&` or `||`
  std::vector<bool> in_case;     // per open `case`: true while reading a pattern
  bool pending_pattern = false;  // the last flushed command was a `case ... in` head

  // Control keywords before a command, and words that only close a block.
  auto strip_keywords = [&](std::vector<ShellWord>& list) {
    std::size_t first = 0;
    while (first < list.size()) {
      const std::string& w = list[first].text;
      if (one_of(w, {"if", "while", "until"})) {
        ++conditional_depth;
      } else if (one_of(w, {"fi", "done"})) {
        conditional_depth = std::max(0, conditional_depth - 1);
      } else if (!one_of(w, {"then", "else", "elif", "do", "!", "{", "}", "time"})) {
        break;
      }
      ++first;
    }
    list.erase(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(first));
  };
  auto flush = [&] {
    if (words.empty() && redirects.empty()) return;
    strip_keywords(words);
    if (!words.empty() && one_of(words[0].text, {"for", "select"})) {
      ++conditional_depth;  // a loop head: its body runs zero or more times
    } else if (!words.empty() && words[0].text == "function") {
      // `function name {`: a definition, not a command
    } else if (!words.empty() || !redirects.empty()) {
      builder.build(std::move(words), std::move(redirects), scope_, conditional_depth > 0 || after_and_or,
                    last_heredoc_);
    }
    words.clear();
    redirects.clear();
    last_heredoc_.reset();
  };
  while (!budget_.full(out_)) {
    Token token = next();
    if (token.kind == Token::Kind::End) break;
    // A `case` pattern runs to its `)`; `esac` closes the case.
    if (!in_case.empty() && in_case.back()) {
      if (token.kind == Token::Kind::Word && token.word.text == "esac") {
        in_case.pop_back();
        conditional_depth = std::max(0, conditional_depth - 1);
      } else if (token.kind == Token::Kind::Operator && token.op == ")") {
        in_case.back() = false;
      }
      continue;
    }
    if (token.kind == Token::Kind::Newline) {
      flush();
      after_and_or = false;
      continue;
    }
    if (token.kind == Token::Kind::Word) {
      if (!words.empty() && words[0].text == "case" && token.word.text == "in") {
        words.clear();  // the case head: what follows are patterns and their branches
        in_case.push_back(true);
        ++conditional_depth;
        continue;
      }
      if (words.empty() && !in_case.empty() && token.word.text == "esac") {
        in_case.pop_back();
        conditional_depth = std::max(0, conditional_depth - 1);
        continue;
      }
      const bool digits = !token.quoted && !token.word.text.empty() &&
                          std::all_of(token.word.text.begin(), token.word.text.end(),
                                      [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); });
      if (!(digits && token.adjacent)) words.push_back(std::move(token.word));  // "2>": a descriptor, not a word
      continue;
    }
    const std::string& op = token.op;
    if (op == "(") {
      // `NAME=(a b)`: an array assignment; `name() {`: a function definition.
      if (!words.empty() && words.back().text.ends_with("=") && assignment_split(words.back().text)) {
        const std::size_t close = matching_close(pos_ - 1, '(', ')');
        mark_unknown(words.back());
        pos_ = std::min(close + 1, text_.size());
        continue;
      }
      if (words.size() == 1) {
        skip_blanks();
        if (pos_ < text_.size() && text_[pos_] == ')') {
          ++pos_;
          words.clear();
          continue;
        }
      }
    }
    const bool redirect = op == ">" || op == ">>" || op == ">|" || op == "&>" || op == "&>>" || op == "<" ||
                          op == "<<" || op == "<<-" || op == "<<<" || op == "<>" || op == ">&" || op == "<&";
    if (!redirect) {
      flush();
      if (op == ";;" || op == ";&" || op == ";;&") {
        if (!in_case.empty()) in_case.back() = true;  // the next pattern
      }
      after_and_or = op == "&&" || op == "||";
      continue;
    }
    skip_blanks();
    if (pos_ >= text_.size() || text_[pos_] == '\n') break;
    bool quoted = false;
    ShellWord target = read_word(quoted);
    if (op == "<<" || op == "<<-") {
      heredocs_.push_back({target.text, op == "<<-"});
    } else if (op == ">" || op == ">>" || op == ">|" || op == "&>" || op == "&>>") {
      redirects.push_back({std::move(target), op == ">>" || op == "&>>"});
    } else if (op == ">&" && !target.text.empty() && !std::all_of(target.text.begin(), target.text.end(), [](char ch) {
                 return std::isdigit(static_cast<unsigned char>(ch)) || ch == '-';
               })) {
      redirects.push_back({std::move(target), false});  // ">& file" is "&> file"
    }
  }
  (void)pending_pattern;
  flush();
}

// ---------------------------------------------------------------------------------------------
// Commands

/// Where a wrapper's options end (at its command, or at `--`). `with_value` are the options
/// that take a value, written attached (`-uroot`, `--user=root`) or as the next word. Short
/// options combine as getopt reads them: in `-at 1`, `-a` is a flag and `-t` takes `1`.
std::size_t end_of_options(const std::vector<ShellWord>& words, std::size_t i,
                           std::initializer_list<std::string_view> with_value) {
  while (i < words.size() && words[i].text.starts_with("-") && words[i].text != "-" && words[i].text != "--") {
    const std::string& w = words[i].text;
    bool value_in_next_word = false;
    if (w.starts_with("--")) {
      value_in_next_word = w.find('=') == std::string::npos && one_of(w, with_value);
    } else {
      for (std::size_t k = 1; k < w.size(); ++k) {
        const char option[] = {'-', w[k], '\0'};
        if (one_of(option, with_value)) {
          value_in_next_word = k + 1 == w.size();  // otherwise the rest of the word is the value
          break;
        }
      }
    }
    i += value_in_next_word ? 2 : 1;
  }
  return std::min(i, words.size());
}

/// Skips a wrapper's options and the `--` that may end them.
std::size_t skip_options(const std::vector<ShellWord>& words, std::size_t i,
                         std::initializer_list<std::string_view> with_value) {
  i = end_of_options(words, i, with_value);
  return i < words.size() && words[i].text == "--" ? i + 1 : i;
}

/// True when the nsenter options put the command in PID 1's mount namespace.
bool nsenter_reaches_host_files(const std::vector<ShellWord>& words, std::size_t begin, std::size_t end) {
  bool pid1 = false;
  bool mount = false;
  bool any_namespace = false;
  for (std::size_t i = begin; i < end; ++i) {
    const std::string& w = words[i].text;
    if (w.find("/proc/1/ns/mnt") != std::string::npos) return true;
    if (w == "-t" || w == "--target") {
      if (i + 1 < end && words[i + 1].text == "1") pid1 = true;
      ++i;
      continue;
    }
    if (w == "--target=1" || w == "-t1") pid1 = true;
    if (w == "-a" || w == "--all" || w == "--mount" || w.starts_with("--mount=")) {
      mount = true;
      any_namespace = true;
    }
    if (w.starts_with("--") &&
        one_of(w.substr(0, w.find('=')), {"--uts", "--ipc", "--net", "--pid", "--user", "--cgroup", "--time"})) {
      any_namespace = true;
    }
    if (w.size() > 1 && w[0] == '-' && w[1] != '-') {
      // Short options may be combined: -m, -mn, -t1, -m/proc/1/ns/mnt.
      for (std::size_t k = 1; k < w.size(); ++k) {
        const char o = w[k];
        if (o == 't') {
          if (w.substr(k + 1) == "1") pid1 = true;
          if (k + 1 == w.size() && i + 1 < end && words[i + 1].text == "1") pid1 = true;
          break;
        }
        if (o == 'm') {
          mount = true;
          any_namespace = true;
          break;  // -mFILE: the rest is the file
        }
        if (o == 'a') {
          mount = true;
          any_namespace = true;
        }
        if (one_of(std::string_view(&w[k], 1), {"u", "i", "n", "p", "U", "C", "T"})) any_namespace = true;
      }
    }
  }
  // Without namespace options, nsenter enters all of the target's namespaces.
  return pid1 && (mount || !any_namespace);
}

std::string join_words(const std::vector<ShellWord>& words, std::size_t begin, std::size_t end) {
  std::string text;
  for (std::size_t i = begin; i < end && i < words.size(); ++i) {
    if (!text.empty()) text += ' ';
    text += words[i].text;
  }
  return text;
}

void CommandBuilder::emit(std::vector<ShellWord> argv, std::vector<ShellRedirect> redirects, const Scope& scope) {
  if (budget_.full(out_)) return;
  ShellCommand command;
  command.argv = std::move(argv);
  command.redirects = std::move(redirects);
  command.host_namespace = scope.host_namespace;
  command.chroot = scope.chroot;
  command.entered_by = scope.entered_by;
  command.host_shell = scope.host_shell;
  command.entry = scope.entry;
  command.cwd = state_.cwd;
  const std::string_view program = command.program();
  const ShellWord* runs = nullptr;
  if (program == "." || program == "source") {
    if (command.argv.size() > 1) runs = &command.argv[1];
  } else if (is_shell(program)) {
    // `sh [options] FILE`: the first operand is the script.
    for (std::size_t i = 1; i < command.argv.size(); ++i) {
      const std::string& w = command.argv[i].text;
      if (w == "-o" || w == "+o") {
        ++i;
      } else if (!w.starts_with("-") && !w.starts_with("+")) {
        runs = &command.argv[i];
        break;
      }
    }
  } else if (!command.argv.empty() && command.argv[0].text.find('/') != std::string::npos) {
    runs = &command.argv[0];
  }
  if (runs) {
    command.runs_file = runs->text;
    // A directory that is not known either (`sh $DIR/run.sh`) names no file at all.
    command.runs_file_inexact =
        !runs->unknown_before_slash && (runs->unknown || runs->text.find_first_of("*?[") != std::string::npos);
  }
  out_.push_back(std::move(command));
}

void CommandBuilder::read_nested(const std::string& text, std::uint32_t source, std::uint32_t base,
                                 const Scope& scope) {
  if (depth_ >= kMaxDepth) return;
  Variables subshell(&variables_);
  ScriptReader reader(text, source, base, subshell, budget_, scope, out_, depth_ + 1, state_);
  reader.read();
}

bool CommandBuilder::unwrap(std::vector<ShellWord>& words, Scope& scope, std::vector<ShellRedirect>& redirects,
                            const std::optional<StdinScript>& stdin_script) {
  for (int hops = 0; hops < kMaxDepth && !words.empty(); ++hops) {
    const std::string_view program = basename(words[0].text);
    std::size_t rest = 0;
    if (program == "sudo") {
      rest = skip_options(words, 1, {"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T"});
    } else if (program == "exec") {
      rest = skip_options(words, 1, {"-a"});
      if (rest >= words.size()) {
        // `exec >file 2>&1`: redirects the rest of the script.
        if (!redirects.empty()) emit({}, std::move(redirects), scope);
        return false;
      }
    } else if (program == "env") {
      rest = skip_options(words, 1, {"-u", "-C", "-S"});
      while (rest < words.size() && assignment_split(words[rest].text)) ++rest;
    } else if (one_of(program, {"nohup", "command", "builtin", "setsid", "time", "stdbuf", "unbuffer", "tini",
                                "dumb-init", "catatonit"})) {
      rest = skip_options(words, 1, {"-i", "-o", "-e", "-s", "-p", "-g"});
    } else if (one_of(program, {"gosu", "su-exec", "s6-setuidgid", "chpst"})) {
      rest = skip_options(words, 1, {"-u", "-U"});
      if (rest < words.size()) ++rest;  // the user
    } else if (program == "runuser") {
      rest = skip_options(words, 1, {"-u", "-g", "-G", "--user", "--group"});
    } else if (program == "timeout") {
      rest = skip_options(words, 1, {"-s", "-k", "--signal", "--kill-after"});
      if (rest < words.size()) ++rest;  // the duration
    } else if (one_of(program, {"nice", "ionice"})) {
      rest = skip_options(words, 1, {"-n", "-c", "-p", "--adjustment", "--class", "--classdata"});
    } else if (program == "taskset" || program == "flock") {
      rest = skip_options(words, 1, {"-w", "-E", "--timeout", "--conflict-exit-code"});
      if (rest < words.size()) ++rest;  // the mask or lock file
    } else if (program == "busybox" && words.size() > 1 && !words[1].text.starts_with("-")) {
      rest = 1;
    } else if (program == "nsenter") {
      // -t, -S, -G take a value; -r and -w take an optional value written attached.
      const std::size_t options_end = end_of_options(words, 1, {"-t", "--target", "-S", "-G", "--setuid", "--setgid"});
      if (nsenter_reaches_host_files(words, 1, options_end)) {
        scope.host_namespace = true;
        scope.chroot.reset();
        scope.host_shell.clear();
        scope.entered_by = shortened(
            join_words(words, 0, options_end + (options_end < words.size() && words[options_end].text == "--")),
            kMaxEnteredByText);
        scope.entry = std::make_shared<const ShellWord>(words[0]);
      }
      rest = options_end < words.size() && words[options_end].text == "--" ? options_end + 1 : options_end;
      if (rest >= words.size()) return false;  // an interactive shell on the host: nothing to read
    } else if (program == "chroot") {
      std::size_t i = skip_options(words, 1, {"--userspec", "--groups"});
      if (i >= words.size()) return false;
      if (words[i].text.size() >= kMaxPathBytes) return false;  // chroot fails: nothing runs
      scope.chroot = words[i].unknown_before_slash || words[i].text.empty()
                         ? nullptr
                         : std::make_shared<const std::string>(words[i].text);
      scope.host_shell.clear();
      scope.entered_by = shortened(join_words(words, 0, i + 1), kMaxEnteredByText);
      scope.entry = std::make_shared<const ShellWord>(words[0]);
      rest = i + 1;
      if (rest >= words.size()) {
        // `chroot DIR` alone starts a shell, which may read a here-document.
        if (stdin_script) read_nested(stdin_script->text, stdin_script->source, stdin_script->base, scope);
        return false;
      }
    } else if (is_shell(program)) {
      // After nsenter or chroot the shell is the host's (or the chrooted tree's) own program.
      if ((scope.host_namespace || scope.chroot) && scope.host_shell.empty()) scope.host_shell = std::string(program);
      std::size_t i = 1;
      bool dash_c = false;
      while (i < words.size() && words[i].text.size() > 1 && (words[i].text[0] == '-' || words[i].text[0] == '+') &&
             words[i].text != "--") {
        const std::string& w = words[i].text;
        if (w[0] == '-' && w[1] != '-' && w.find('c') != std::string::npos) dash_c = true;
        if (w == "-o" || w == "+o") ++i;
        ++i;
      }
      if (dash_c) {
        if (i >= words.size()) return false;
        const ShellWord& script = words[i];
        // Offsets of the nested script point into the text that holds the script word.
        read_nested(script.text, script.source, script.offset + (script.opens_quote ? 1 : 0), scope);
        // A redirection of the whole `sh -c` applies to what the script prints.
        if (!redirects.empty()) emit({words[0]}, std::move(redirects), scope);
        return false;
      }
      if (i >= words.size() && stdin_script) {
        // `sh <<EOF`: the here-document is the script.
        read_nested(stdin_script->text, stdin_script->source, stdin_script->base, scope);
        return false;
      }
      return true;  // `sh FILE`: runs a script file
    } else {
      return true;
    }
    if (rest == 0 || rest >= words.size()) return rest < words.size();
    words.erase(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(rest));
  }
  return !words.empty();
}

void CommandBuilder::build(std::vector<ShellWord> words, std::vector<ShellRedirect> redirects, Scope scope,
                           bool conditional, const std::optional<StdinScript>& stdin_script) {
  // Assignments: on their own they set shell variables; before a command only its environment.
  std::size_t assignments = 0;
  while (assignments < words.size() && assignment_split(words[assignments].text)) ++assignments;
  if (assignments == words.size() ||
      (!words.empty() && one_of(words[0].text, {"export", "local", "readonly", "declare", "typeset"}))) {
    for (const auto& word : words) {
      if (auto eq = assignment_split(word.text)) {
        // A value set on only some paths is not known afterwards.
        variables_.set(word.text.substr(0, *eq), word.unknown || conditional
                                                     ? std::nullopt
                                                     : std::optional<std::string>(word.text.substr(*eq + 1)));
      }
    }
    if (!redirects.empty()) emit({}, std::move(redirects), scope);  // `> file` alone creates the file
    return;
  }
  words.erase(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(assignments));
  // `cd DIR` moves the script; relative paths after it are relative to DIR when it is known.
  // The commands after it share the one string.
  if (!words.empty() && one_of(words[0].text, {"cd", "pushd"})) {
    std::optional<std::string> cwd;
    if (words.size() >= 2 && words[1].text.starts_with("/") && !words[1].unknown && !conditional) {
      cwd = words[1].text;
    } else if (words.size() >= 2 && state_.cwd && !words[1].unknown && !words[1].text.starts_with("-") &&
               !conditional) {
      cwd = join_path(*state_.cwd, words[1].text);
    }
    // Beyond PATH_MAX the directory is not known: `cd` to it fails.
    state_.cwd = cwd && cwd->size() < kMaxPathBytes ? std::make_shared<const std::string>(std::move(*cwd)) : nullptr;
    return;
  }
  if (!unwrap(words, scope, redirects, stdin_script)) return;
  emit(std::move(words), std::move(redirects), scope);
}

/// Kubernetes' own expansion of `$(VAR)` in command and args: from the container's env; `$$`
/// is a literal `$`; a reference it cannot resolve is left as written.
ShellWord expand_kubernetes(std::string_view item, std::uint32_t source, const ShellEnv& env, ReadBudget& budget) {
  ShellWord word;
  word.source = source;
  for (std::size_t i = 0; i < item.size(); ++i) {
    if (item[i] == '$' && i + 1 < item.size() && item[i + 1] == '$') {
      word.text += '$';
      ++i;
      continue;
    }
    if (item[i] == '$' && i + 1 < item.size() && item[i + 1] == '(') {
      const auto close = item.find(')', i);
      if (close != std::string_view::npos) {
        const std::string name(item.substr(i + 2, close - i - 2));
        auto it = env.find(name);
        if (it != env.end()) {
          if (it->second && budget.take(it->second->size())) {
            word.text += *it->second;
          } else {
            mark_unknown(word);
          }
          i = close;
          continue;
        }
      }
    }
    word.text += item[i];
  }
  return word;
}

}  // namespace

std::string_view ShellCommand::program() const {
  if (argv.empty()) return {};
  return basename(argv[0].text);
}

std::span<const ShellWord> ShellCommand::args() const {
  if (argv.empty()) return {};
  return std::span<const ShellWord>(argv).subspan(1);
}

std::string ShellCommand::text() const {
  std::string text = entered_by;
  for (const auto& word : argv) {
    if (!text.empty()) text += ' ';
    const bool plain = !word.text.empty() && std::all_of(word.text.begin(), word.text.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) ||
             std::string_view("-_./=:,@%+").find(c) != std::string_view::npos;
    });
    text += plain ? word.text : "'" + word.text + "'";
  }
  for (const auto& redirect : redirects) text += (redirect.append ? " >> " : " > ") + redirect.target.text;
  return shortened(std::move(text), kMaxCommandText);
}

std::vector<ShellCommand> read_argv(std::span<const std::string_view> argv, const ShellEnv& env,
                                    std::size_t max_commands) {
  std::vector<ShellCommand> out;
  if (argv.empty()) return out;
  std::size_t input_bytes = 0;
  for (std::string_view item : argv) input_bytes += item.size();
  ReadBudget budget(input_bytes, max_commands);
  std::vector<ShellWord> words;
  for (std::size_t i = 0; i < argv.size(); ++i)
    words.push_back(expand_kubernetes(argv[i], static_cast<std::uint32_t>(i), env, budget));
  // The runtime executes argv directly: no word splitting, no shell, until a shell is named.
  Variables variables(env);
  ScriptState state;
  CommandBuilder builder(variables, budget, state, out, 0);
  builder.build(std::move(words), {}, Scope{}, false, std::nullopt);
  return out;
}

std::vector<ShellCommand> read_script(std::string_view script, std::uint32_t source, const ShellEnv& env,
                                      std::size_t max_commands) {
  std::vector<ShellCommand> out;
  Variables variables(env);
  ReadBudget budget(script.size(), max_commands);
  ScriptReader reader(script, source, 0, variables, budget, Scope{}, out, 0);
  reader.read();
  return out;
}

bool path_within(std::string_view path, std::string_view dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.remove_suffix(1);
  if (dir == "/") return path.starts_with("/");
  return path == dir || (path.starts_with(dir) && path.size() > dir.size() && path[dir.size()] == '/');
}

}  // namespace immutalint
