// Reads container commands and shell scripts into the simple commands they run. This is a
// reader for finding evidence, not a shell: it never runs anything, and where a value is only
// known at run time it says so (ShellWord::unknown) rather than guessing. Every loop is bounded
// by the input's size, and nesting (`sh -c`, `$(...)`, `${...}`, wrappers) by kMaxDepth; what
// commands share (variables, working directory, chroot) is shared, not copied, so time and
// memory stay linear in the input.
#include "immutalint/shell.hpp"

#include "shell_internal.hpp"

namespace immutalint::shell_reading {

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

}  // namespace immutalint::shell_reading

namespace immutalint {

using namespace shell_reading;

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
