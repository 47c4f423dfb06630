// The shell reader's lexer: a script's text into words (quotes, escapes, `$` expansions with
// their budget, command substitutions) and operators, and here-document bodies.
#include "shell_internal.hpp"

namespace immutalint::shell_reading {

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
      read_backquoted(word);
    } else {
      word.text += c;
      ++pos_;
    }
  }
  return word;
}

void ScriptReader::read_backquoted(ShellWord& word) {
  auto close = text_.find('`', pos_ + 1);
  while (close != std::string_view::npos && text_[close - 1] == '\\') close = text_.find('`', close + 1);
  const auto end = close == std::string_view::npos ? text_.size() : close;
  read_substitution(text_.substr(pos_ + 1, end - pos_ - 1), static_cast<std::uint32_t>(pos_ + 1));
  mark_unknown(word);
  pos_ = close == std::string_view::npos ? text_.size() : close + 1;
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
      read_backquoted(word);
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

}  // namespace immutalint::shell_reading
