// Helpers shared by the tests: paths, files, running the CLI, linting text.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "immutalint/lint.hpp"

namespace immutalint::test {

/// The repository root.
std::string source_dir();
/// The shared test material (third-party corpus, SARIF validator): IMMUTALINT_SHARED_DIR, by
/// default `../shared` beside the repository. When it is missing the calling test is skipped
/// under ctest, and fails under CI=true or when run outside ctest (see tests/CMakeLists.txt).
std::string shared_dir();
/// A file's whole content.
std::string read_file(const std::string& path);
/// Writes `text` to `path`, creating parent directories.
void write_file(const std::string& path, const std::string& text);
/// A new empty directory under the system's temporary directory.
std::string make_temp_dir();

/// `word` quoted for a POSIX shell.
std::string shell_quote(const std::string& word);

/// Output of one run of the immutalint binary.
struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs the built immutalint binary with `args` (shell-quoted here), feeding `stdin_text`,
/// from `working_dir` (default: the repository root). `env` is prepended, e.g. "NO_COLOR=1".
CommandResult run_cli(const std::vector<std::string>& args, const std::string& stdin_text = {},
                      const std::string& working_dir = {}, const std::string& env = {});

/// Lints `text` in memory with all checks (or only those named), judged for `targets` (a
/// --target value).
LintResult lint_text(const std::string& text, const std::string& display_path = "test.yaml",
                     const std::string& targets = "generic", const std::vector<std::string>& only = {});

/// The ids of the findings, in report order.
std::vector<std::string> check_ids(const LintResult& result);

/// The ids of the findings and of the observations folded into them as context.
std::vector<std::string> observed_checks(const LintResult& result);

/// A target's worst verdict among a run's findings, with the sources that verdict cites.
struct WorstVerdict {
  Verdict verdict = Verdict::Ready;
  std::string source;
};

/// The worst verdict per target name over every finding of `result`.
std::map<std::string, WorstVerdict> worst_verdicts(const LintResult& result);

/// A unified diff (`diff -u` style, 3 lines of context) from `expected` to `actual`; empty when
/// they are equal.
std::string unified_diff(const std::string& expected, const std::string& actual, const std::string& expected_name,
                         const std::string& actual_name);

}  // namespace immutalint::test
