// What a container runs: its command and args, and the shell scripts inside them, read as the
// POSIX shell reads them, down to the simple commands that actually execute.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace immutalint {

/// One word of a command after quote removal and variable expansion.
struct ShellWord {
  std::string text;          ///< the expanded word; a variable whose value is unknown expands to ""
  std::uint32_t source = 0;  ///< which of the texts given to the reader the word comes from
  std::uint32_t offset = 0;  ///< where the word starts in that text
  bool unknown = false;      ///< part of the word came from a value that is not known
  /// A value that is not known came before the word's first '/': the directory it names is not
  /// known either (`$DEST/etc/x`), so it is no evidence of any path.
  bool unknown_before_slash = false;
  bool opens_quote = false;  ///< the word starts with a quote, so its text starts one character later
};

/// An output redirection, `> FILE`, `>> FILE` or `&> FILE`.
struct ShellRedirect {
  ShellWord target;
  bool append = false;
};

/// One simple command as it executes, with the wrappers around it resolved.
struct ShellCommand {
  std::vector<ShellWord> argv;           ///< after assignments and wrappers (sudo, exec, env, ...)
  std::vector<ShellRedirect> redirects;  ///< output redirections
  /// The command runs in PID 1's mount namespace (`nsenter --target 1 --mount`, or
  /// `--mount=/proc/1/ns/mnt`): it sees the host's files, not the container's.
  bool host_namespace = false;
  /// The directory the command was chrooted into, as a path of the container (or of the host,
  /// when `host_namespace` is set); null without chroot. Shared by every command of the chroot,
  /// like `cwd`.
  std::shared_ptr<const std::string> chroot;
  /// The nsenter or chroot words that put the command there, for messages ("nsenter -t 1 -m --");
  /// a long one is shortened, since every command it runs carries it.
  std::string entered_by;
  /// The shell that runs the command after nsenter or chroot (`nsenter -t 1 -m -- sh -c "..."`:
  /// "sh"), which must then be a program of the host; empty when none does.
  std::string host_shell;
  std::shared_ptr<const ShellWord> entry;  ///< the first word of the nsenter or chroot prefix
  /// The script this command runs, when it is `sh FILE`, `. FILE`, `source FILE` or a file
  /// executed directly.
  std::string runs_file;
  /// `runs_file` is not the whole name: part of it is only known at run time
  /// (`sh /scripts/$STEP.sh`: "/scripts/.sh") or it is a pattern (`/scripts/*.sh`).
  bool runs_file_inexact = false;
  /// The working directory, when an earlier `cd` of the same script set it to a known absolute
  /// path; relative paths of the command are relative to it. Null when unknown. The commands
  /// after one `cd` share one string, so that memory does not grow with commands times its length.
  std::shared_ptr<const std::string> cwd;

  /// The program's name without its directory ("/usr/bin/apt-get" -> "apt-get").
  std::string_view program() const;
  /// The arguments after argv[0].
  std::span<const ShellWord> args() const;
  /// The whole command as one line, for messages; beyond kMaxCommandText bytes it is cut and
  /// ends with "...", since messages about every write of a command repeat it.
  std::string text() const;
};

/// The longest text of a command in messages (ShellCommand::text).
inline constexpr std::size_t kMaxCommandText = 1024;

/// Environment variables known when the command starts: name -> value. A name mapped to
/// nullopt is set, but its value is unknown (valueFrom, envFrom).
using ShellEnv = std::map<std::string, std::optional<std::string>>;

/// Reads a container's command and args, items of `argv`, as the runtime runs them: Kubernetes
/// first expands `$(VAR)` from `env`; `sh -c SCRIPT` and wrappers such as `nsenter ... --` are
/// followed into the commands they run. Word sources are indices into `argv`.
///
/// Time and memory are linear in the size of the input: nested scripts see their parent's
/// variables through it rather than through a copy, and what variable values add to words over
/// one read is bounded by a multiple of the input's size (beyond it a value counts as unknown).
/// Reading stops once it has found one command more than `max_commands`: more than that many
/// returned tells the caller that the rest was not read.
std::vector<ShellCommand> read_argv(std::span<const std::string_view> argv, const ShellEnv& env,
                                    std::size_t max_commands = std::numeric_limits<std::size_t>::max());

/// Reads a shell script, given as texts[source], into the simple commands it runs, in order.
/// Here-documents, comments and control keywords are skipped; variables assigned in the script
/// are expanded after their assignment. `max_commands` as for read_argv.
std::vector<ShellCommand> read_script(std::string_view script, std::uint32_t source, const ShellEnv& env,
                                      std::size_t max_commands = std::numeric_limits<std::size_t>::max());

/// True when `path` names a directory entry under `dir` or `dir` itself ("/host/etc/x", "/host").
bool path_within(std::string_view path, std::string_view dir);

}  // namespace immutalint
