// The pre-commit hook in .pre-commit-hooks.yaml, run by Debian's pre-commit in a scratch repository.
#include <sys/wait.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

#include <fmt/format.h>

#include "test_support.hpp"

using immutalint::test::make_temp_dir;
using immutalint::test::read_file;
using immutalint::test::shell_quote;
using immutalint::test::source_dir;
using immutalint::test::write_file;
namespace fs = std::filesystem;

namespace {

struct ShellResult {
  int exit_code = -1;
  std::string output;  // standard output and standard error, interleaved
};

/// Runs `command` with sh from `dir`, isolated from the user's git and pre-commit set-up: HOME,
/// XDG directories and PRE_COMMIT_HOME are under `sandbox`, the system git config is ignored, and
/// the directory of the built immutalint comes first on PATH so that `entry: immutalint` finds it.
ShellResult run_isolated(const std::string& command, const std::string& dir, const std::string& sandbox) {
  const std::string bin_dir = fs::path(IMMUTALINT_BINARY).parent_path().string();
  const std::string env = fmt::format(
      "env -u GIT_DIR -u GIT_WORK_TREE -u GIT_INDEX_FILE -u GIT_CONFIG -u GIT_CONFIG_GLOBAL -u SKIP "
      "HOME={0}/home XDG_CONFIG_HOME={0}/home/.config XDG_CACHE_HOME={0}/home/.cache "
      "PRE_COMMIT_HOME={0}/pre-commit GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1 PATH={1}:\"$PATH\"",
      shell_quote(sandbox), shell_quote(bin_dir));
  const std::string out_file = sandbox + "/output";
  const std::string full = fmt::format("cd {} && {} sh -c {} >{} 2>&1 </dev/null", shell_quote(dir), env,
                                       shell_quote(command), shell_quote(out_file));
  const int status = std::system(full.c_str());
  ShellResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.output = fs::exists(out_file) ? read_file(out_file) : std::string{};
  return result;
}

const char* const kFlagged = R"(apiVersion: v1
kind: Pod
metadata:
  name: probe
spec:
  hostNetwork: true
  containers:
    - name: probe
      image: registry.example/probe:1.0
      securityContext:
        appArmorProfile: {type: Localhost, localhostProfile: probe}
)";

const char* const kClean = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example/web:1.0
)";

/// Removes a directory tree when it goes out of scope, also when an assertion ends the test.
struct RemoveOnExit {
  std::string path;
  ~RemoveOnExit() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

const char* const kCommit =
    "git -c init.defaultBranch=main init -q && git config user.name immutalint-test && "
    "git config user.email immutalint-test@localhost && git add -A && git commit -q -m scratch";

}  // namespace

TEST_CASE("the pre-commit hook fails on a flagged manifest, passes a clean one and skips other files") {
  const std::string sandbox = make_temp_dir();
  const RemoveOnExit cleanup{sandbox};
  fs::create_directories(sandbox + "/home");

  if (run_isolated("command -v pre-commit", sandbox, sandbox).exit_code != 0) {
    FAIL("pre-commit is not on PATH: install Debian's pre-commit package (scripts/install-deps.sh does)");
  }

  // The hook repository holds the checkout's .pre-commit-hooks.yaml, committed: try-repo reads
  // committed and staged files only, so this does not depend on the checkout's git state.
  const std::string hooks = sandbox + "/hooks";
  write_file(hooks + "/.pre-commit-hooks.yaml", read_file(source_dir() + "/.pre-commit-hooks.yaml"));
  auto hooks_repo = run_isolated(kCommit, hooks, sandbox);
  {
    INFO(hooks_repo.output);
    REQUIRE(hooks_repo.exit_code == 0);
  }

  const std::string project = sandbox + "/project";
  write_file(project + "/flagged.yaml", kFlagged);
  write_file(project + "/clean.yaml", kClean);
  write_file(project + "/notes.txt", "hostNetwork: true\n");
  write_file(project + "/values.yaml", "replicas: 2\nhostNetwork: true\n");
  write_file(project + "/charts/agent/Chart.yaml", "apiVersion: v2\nname: agent\nversion: 0.1.0\n");
  write_file(project + "/charts/agent/templates/daemonset.yaml",
             "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: {{ .Release.Name }}\n");
  auto project_repo = run_isolated(kCommit, project, sandbox);
  {
    INFO(project_repo.output);
    REQUIRE(project_repo.exit_code == 0);
  }

  const auto try_repo = [&](const std::string& file) {
    return run_isolated(fmt::format("pre-commit try-repo --color never {} immutalint --files {}", shell_quote(hooks),
                                    shell_quote(file)),
                        project, sandbox);
  };

  SECTION("a flagged manifest fails the hook with the finding") {
    auto r = try_repo("flagged.yaml");
    INFO(r.output);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.output, Catch::Contains("Failed") && Catch::Contains("flagged.yaml:11:9: warning:") &&
                             Catch::Contains("[apparmor-profile]") && !Catch::Contains("flagged.yaml:6:3: note:") &&
                             Catch::Contains("1 note (not shown; --show-notes lists them)"));
  }
  SECTION("a clean manifest passes the hook") {
    auto r = try_repo("clean.yaml");
    INFO(r.output);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.output, Catch::Contains("immutalint....") && Catch::Contains("Passed"));
  }
  SECTION("YAML that holds no Kubernetes object passes the hook") {
    auto r = try_repo("values.yaml");
    INFO(r.output);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.output, Catch::Contains("Passed"));
  }
  SECTION("a Helm chart template is not passed to the hook") {
    auto r = try_repo("charts/agent/templates/daemonset.yaml");
    INFO(r.output);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.output, Catch::Contains("(no files to check)Skipped"));
  }
  SECTION("a file that is neither YAML nor JSON is not passed to the hook") {
    auto r = try_repo("notes.txt");
    INFO(r.output);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.output, Catch::Contains("(no files to check)Skipped"));
  }
}
