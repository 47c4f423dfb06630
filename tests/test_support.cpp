// Helpers shared by the tests.
#include "test_support.hpp"

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

namespace immutalint::test {

namespace fs = std::filesystem;

std::string source_dir() { return IMMUTALINT_SOURCE_DIR; }

std::string shared_dir() { return (fs::path(IMMUTALINT_SOURCE_DIR).parent_path() / "shared").string(); }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string make_temp_dir() {
  std::string pattern = (fs::temp_directory_path() / "immutalint-test-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

std::string shell_quote(const std::string& word) {
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

CommandResult run_cli(const std::vector<std::string>& args, const std::string& stdin_text,
                      const std::string& working_dir, const std::string& env) {
  const std::string dir = make_temp_dir();
  write_file(dir + "/stdin", stdin_text);
  std::string command = fmt::format("cd {} && {} {}", shell_quote(working_dir.empty() ? source_dir() : working_dir),
                                    env, shell_quote(IMMUTALINT_BINARY));
  for (const auto& arg : args) command += " " + shell_quote(arg);
  command += fmt::format(" <{} >{} 2>{}", shell_quote(dir + "/stdin"), shell_quote(dir + "/out"),
                         shell_quote(dir + "/err"));
  const int status = std::system(command.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_file(dir + "/out");
  result.err = read_file(dir + "/err");
  fs::remove_all(dir);
  return result;
}

LintResult lint_text(const std::string& text, const std::string& display_path, const std::string& targets,
                     const std::vector<std::string>& only) {
  LintOptions options;
  options.only = only;
  auto selected = TargetSet::builtin()->select(targets);
  if (!selected) throw std::runtime_error(selected.error().message);
  options.targets = *selected;
  auto linter = Linter::create(*Catalogue::builtin(), options);
  if (!linter) throw std::runtime_error(linter.error().message);
  return linter->lint_text(text, display_path);
}

std::vector<std::string> check_ids(const LintResult& result) {
  std::vector<std::string> ids;
  for (const auto& finding : result.findings) ids.push_back(finding.check);
  return ids;
}

std::vector<std::string> observed_checks(const LintResult& result) {
  std::vector<std::string> ids;
  for (const auto& finding : result.findings) {
    ids.push_back(finding.check);
    for (const auto& related : finding.related) ids.push_back(related.check);
  }
  return ids;
}

}  // namespace immutalint::test
