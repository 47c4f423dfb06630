// The command's failures are said and counted: a report that cannot be written, a full disk under
// the temporary files, an absurd thread count, a run killed while it holds a copy of the input.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "test_support.hpp"

using namespace immutalint;
namespace fs = std::filesystem;

namespace {

/// Runs `command` in a shell, with the binary as $B, from `dir`; standard output and error go to
/// files there.
test::CommandResult run_shell(const std::string& dir, const std::string& command) {
  const std::string full =
      fmt::format("cd {} && B={} sh -c {} >{} 2>{}", test::shell_quote(dir), test::shell_quote(IMMUTALINT_BINARY),
                  test::shell_quote(command), test::shell_quote(dir + "/.out"), test::shell_quote(dir + "/.err"));
  const int status = std::system(full.c_str());
  test::CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = test::read_file(dir + "/.out");
  result.err = test::read_file(dir + "/.err");
  return result;
}

/// A DaemonSet that runs a ConfigMap script writing into the host's /usr, and `padding` other
/// ConfigMaps before it, so that the script's text is read back from the spool late.
std::string script_workload(int padding) {
  std::string text;
  for (int i = 0; i < padding; ++i) {
    text += fmt::format(
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: pad{}, namespace: ns}}\n"
        "data:\n  run.sh: |\n    echo padding {} to fill the temporary file\n",
        i, i);
  }
  text +=
      "---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: ns}\nspec:\n"
      "  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n    spec:\n"
      "      containers:\n        - name: c\n          image: busybox\n          command: [/scripts/run.sh]\n"
      "          volumeMounts: [{name: h, mountPath: /host/usr}, {name: s, mountPath: /scripts}]\n"
      "      volumes: [{name: h, hostPath: {path: /usr}}, {name: s, configMap: {name: scripts}}]\n"
      "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: scripts, namespace: ns}\n"
      "data:\n  run.sh: |\n    #!/bin/sh\n    cp /payload/agent /host/usr/bin/agent\n";
  return text;
}

}  // namespace

TEST_CASE("a report that cannot be written to standard output exits 2 with the reason") {
  const std::string dir = test::make_temp_dir();
  test::write_file(dir + "/app.yaml", script_workload(0));
  for (const char* format : {"text", "json", "sarif", "github", "matrix", "html"}) {
    INFO(format);
    auto r = run_shell(dir, fmt::format("$B --no-config --fail-on never -f {} app.yaml > /dev/full", format));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("cannot write standard output: No space left on device"));
    CHECK_THAT(r.err, !Catch::Contains("--help"));
  }
  fs::remove_all(dir);
}

TEST_CASE("a report file that cannot be written does not keep the others from being written") {
  const std::string dir = test::make_temp_dir();
  test::write_file(dir + "/app.yaml", script_workload(0));
  auto r = run_shell(dir,
                     "$B --no-config --fail-on never --report json=missing/folder/r.json --report sarif=r.sarif "
                     "app.yaml");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("cannot write missing/folder/r.json: No such file or directory"));
  CHECK_THAT(test::read_file(dir + "/r.sarif"), Catch::Contains("host-binary-install"));
  CHECK_THAT(r.out, Catch::Contains("host-binary-install"));
  fs::remove_all(dir);
}

TEST_CASE("an absurd thread count lints with the threads the system gives") {
  const std::string dir = test::make_temp_dir();
  test::write_file(dir + "/app.yaml", script_workload(20));
  auto one = run_shell(dir, "$B --no-config --fail-on never -j 1 -f json app.yaml");
  auto many = run_shell(dir, "$B --no-config --fail-on never -j 100000 -f json app.yaml");
  CHECK(many.exit_code == 0);
  CHECK(many.err.empty());
  CHECK(many.out == one.out);
  fs::remove_all(dir);
}

TEST_CASE("with a full disk under the temporary files every ConfigMap script is still read") {
  // A file size limit of 512 bytes makes every write to the temporary files fail as a full disk
  // would (EFBIG instead of ENOSPC); standard output is a pipe, which the limit does not cover.
  const std::string dir = test::make_temp_dir();
  test::write_file(dir + "/app.yaml", script_workload(200));
  fs::create_directories(dir + "/tmp");
  auto normal = run_shell(dir, "TMPDIR=tmp $B --no-config -j1 app.yaml | cat");
  auto full = run_shell(dir, "(trap '' XFSZ; ulimit -f 1; TMPDIR=tmp exec $B --no-config -j1 app.yaml) | cat");
  REQUIRE_THAT(normal.out, Catch::Contains("[host-binary-install]"));
  CHECK(full.out == normal.out);
  // And with no temporary folder at all.
  auto none = run_shell(dir, "TMPDIR=no-such-folder $B --no-config -j1 app.yaml | cat");
  CHECK(none.out == normal.out);
  fs::remove_all(dir);
}

TEST_CASE("temporary files honour TMPDIR and are never visible, even while a run is killed") {
  const std::string dir = test::make_temp_dir();
  fs::create_directories(dir + "/tmp");
  test::write_file(dir + "/app.yaml", script_workload(2000));
  // Standard input is a FIFO kept open, so the run is still reading it, and holds its copy, when
  // it is killed.
  auto r = run_shell(dir,
                     "mkfifo in; TMPDIR=tmp $B --no-config --target auto - < in > /dev/null & pid=$!; "
                     "exec 3>in; cat app.yaml >&3; sleep 1; ls -A tmp > listing; "
                     "kill -TERM $pid; wait $pid; echo \"status $?\"; exec 3>&-; ls -A tmp >> listing");
  CHECK_THAT(r.out, Catch::Contains("status 143"));
  CHECK(test::read_file(dir + "/listing").empty());
  fs::remove_all(dir);
}
