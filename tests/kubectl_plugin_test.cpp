// kubectl-immutalint: the plugin reads the cluster with kubectl and lints it with --target auto.
// A stand-in kubectl on PATH records its arguments and prints a recorded cluster.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

using namespace immutalint;
namespace fs = std::filesystem;

namespace {

/// A folder with a `kubectl` that writes its arguments to kubectl.args and prints `dump`, or
/// fails when `dump` is empty.
std::string fake_kubectl(const std::string& dump) {
  const std::string dir = test::make_temp_dir();
  test::write_file(dir + "/cluster.yaml", dump);
  test::write_file(dir + "/kubectl",
                   "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$(dirname \"$0\")/kubectl.args\"\n" +
                       std::string(dump.empty() ? "echo 'error: You must be logged in to the server' >&2\nexit 1\n"
                                                : "cat \"$(dirname \"$0\")/cluster.yaml\"\n"));
  fs::permissions(dir + "/kubectl", fs::perms::owner_all);
  return dir;
}

test::CommandResult run_plugin(const std::string& dir, const std::string& args) {
  const std::string out = dir + "/out", err = dir + "/err";
  fs::create_directories(dir + "/tmp");
  const std::string command = "TMPDIR=" + test::shell_quote(dir + "/tmp") + " PATH=" + test::shell_quote(dir) +
                              ":\"$PATH\" IMMUTALINT=" + test::shell_quote(IMMUTALINT_BINARY) + " " +
                              test::shell_quote(test::source_dir() + "/scripts/kubectl-immutalint") + " " + args +
                              " >" + test::shell_quote(out) + " 2>" + test::shell_quote(err);
  const int status = std::system(command.c_str());
  test::CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = test::read_file(out);
  result.err = test::read_file(err);
  return result;
}

}  // namespace

TEST_CASE("kubectl immutalint lints the cluster's workloads for the OS of each node pool") {
  const std::string dir = fake_kubectl(test::read_file(test::source_dir() + "/testdata/cluster/mixed-cluster.yaml"));
  auto run = run_plugin(dir, "--context prod --format json --fail-on never");
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CHECK(test::read_file(dir + "/kubectl.args") ==
        "--context\nprod\nget\nnodes,daemonsets,deployments,statefulsets,jobs,cronjobs,pods,configmaps,namespaces\n"
        "--all-namespaces\n-o\nyaml\n");
  const auto report = nlohmann::json::parse(run.out);
  CHECK(report["targets"] == nlohmann::json::array({"aks-acl", "aks-osguard", "ubuntu"}));
  CHECK(report["findings"][0]["file"] == "cluster");
  CHECK(report["summary"]["folded"] == 2);

  // Options go to immutalint: a planned migration, and its exit status.
  auto planned = run_plugin(dir, "--plan-pool apps=aks-acl --plan-pool system=aks-acl");
  CHECK(planned.exit_code == 1);
  CHECK_THAT(planned.out, Catch::Contains("no node pool of the cluster can run this pod"));
  fs::remove_all(dir);
}

TEST_CASE("kubectl immutalint fails with its own exit status when kubectl does") {
  const std::string dir = fake_kubectl("");
  auto run = run_plugin(dir, "");
  CHECK(run.exit_code == 4);
  CHECK_THAT(run.err, Catch::Contains("You must be logged in"));
  CHECK_THAT(run.err, Catch::Contains("nothing was linted"));
  fs::remove_all(dir);
}

TEST_CASE("kubectl immutalint does not lint the partial dump of a kubectl that failed") {
  // kubectl prints what it could read and fails on the rest (Forbidden on ConfigMaps): findings on
  // that dump would miss every script, and exit 1 would read as "findings".
  const std::string dir = fake_kubectl(test::read_file(test::source_dir() + "/testdata/cluster/mixed-cluster.yaml"));
  test::write_file(dir + "/kubectl", test::read_file(dir + "/kubectl") +
                                         "echo 'Error from server (Forbidden): configmaps is forbidden' >&2\nexit 1\n");
  auto run = run_plugin(dir, "--fail-on never");
  CHECK(run.exit_code == 4);
  CHECK(run.out.empty());
  CHECK_THAT(run.err, Catch::Contains("Forbidden"));
  // Nothing of the dump is left behind.
  CHECK(fs::is_empty(dir + "/tmp"));
  fs::remove_all(dir);
}
