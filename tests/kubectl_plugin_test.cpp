// kubectl-immutalint: the plugin reads the cluster with kubectl and lints it with --target auto.
// A stand-in kubectl on PATH records its arguments and answers `get` from a recorded cluster as
// kubectl does: only the kinds asked for, only the namespace asked for (cluster-scoped kinds
// whatever the namespace).
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

using namespace immutalint;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

/// `kubectl get RESOURCE,... [--namespace NS | --all-namespaces] -o yaml` answered from the
/// recorded List cluster.yaml beside it: its items of the kinds asked for, in scope, as one List.
/// Without --namespace or --all-namespaces it reads namespace "default", as kubectl does.
constexpr const char* kFakeKubectl = R"sh(#!/bin/sh
here=$(dirname "$0")
printf '%s\n' "$@" > "$here/kubectl.args"
resources= namespace=default all=
while [ $# -gt 0 ]; do
  case "$1" in
    get) resources=$2; shift 2 ;;
    -n|--namespace) namespace=$2; shift 2 ;;
    --namespace=*) namespace=${1#--namespace=}; shift ;;
    -A|--all-namespaces) all=1; shift ;;
    --context|--kubeconfig) shift 2 ;;
    *) shift ;;
  esac
done
[ -z "$all" ] || namespace=
kinds=,
for resource in $(echo "$resources" | tr , ' '); do
  case "$resource" in
    nodes) kind=Node ;; namespaces) kind=Namespace ;; configmaps) kind=ConfigMap ;;
    deployments) kind=Deployment ;; replicasets) kind=ReplicaSet ;; statefulsets) kind=StatefulSet ;;
    daemonsets) kind=DaemonSet ;; replicationcontrollers) kind=ReplicationController ;;
    cronjobs) kind=CronJob ;; jobs) kind=Job ;; pods) kind=Pod ;;
    *) echo "error: the server doesn't have a resource type \"$resource\"" >&2; exit 1 ;;
  esac
  kinds="$kinds$kind,"
done
printf 'apiVersion: v1\nkind: List\nitems:\n'
awk -v kinds="$kinds" -v namespace="$namespace" '
  function flush() {
    cluster_scoped = kind == "Node" || kind == "Namespace"
    if (item != "" && index(kinds, "," kind ",") && (namespace == "" || cluster_scoped || in_namespace == namespace))
      printf "%s", item
    item = ""; kind = ""; in_namespace = ""
  }
  /^- / { flush(); inside = 1 }
  /^[^- ]/ { flush(); inside = 0 }
  inside { item = item $0 "\n" }
  inside && /^  kind: / { kind = $2 }
  inside && /^    namespace: / { in_namespace = $2 }
  END { flush() }
' "$here/cluster.yaml"
)sh";

/// A folder with the stand-in `kubectl`, answering from `dump`; or failing, as kubectl does
/// when it cannot reach the cluster, when `dump` is empty.
std::string fake_kubectl(const std::string& dump) {
  const std::string dir = test::make_temp_dir();
  test::write_file(dir + "/cluster.yaml", dump);
  test::write_file(dir + "/kubectl", dump.empty()
                                         ? "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$(dirname \"$0\")/kubectl.args\"\n"
                                           "echo 'error: You must be logged in to the server' >&2\nexit 1\n"
                                         : kFakeKubectl);
  fs::permissions(dir + "/kubectl", fs::perms::owner_all);
  return dir;
}

/// Runs the plugin from `dir` (so that relative file names land there).
test::CommandResult run_plugin(const std::string& dir, const std::string& args) {
  const std::string out = dir + "/out", err = dir + "/err";
  fs::create_directories(dir + "/tmp");
  const std::string command = "cd " + test::shell_quote(dir) + " && TMPDIR=" + test::shell_quote(dir + "/tmp") +
                              " PATH=" + test::shell_quote(dir) +
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

std::string fixture(const std::string& path) {
  return test::read_file(test::source_dir() + "/" + path);
}

/// "Kind namespace/name" of each finding, with the check: "host-binary-install Deployment shop/agent-installer".
std::multiset<std::string> finding_objects(const json& report) {
  std::multiset<std::string> objects;
  for (const auto& finding : report["findings"]) {
    const auto& object = finding["object"];
    objects.insert(finding["check"].get<std::string>() + " " + object["kind"].get<std::string>() + " " +
                   object.value("namespace", "") + "/" + object["name"].get<std::string>());
  }
  return objects;
}

const std::string kResources =
    "nodes,namespaces,configmaps,deployments,replicasets,statefulsets,daemonsets,replicationcontrollers,cronjobs,jobs,"
    "pods";

}  // namespace

TEST_CASE("kubectl immutalint lints the cluster's workloads for the OS of each node pool") {
  const std::string dir = fake_kubectl(fixture("testdata/cluster/mixed-cluster.yaml"));
  auto run = run_plugin(dir, "--context prod --kubeconfig=/etc/kube/prod --format json --fail-on never");
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CHECK(test::read_file(dir + "/kubectl.args") ==
        "--context\nprod\n--kubeconfig=/etc/kube/prod\nget\n" + kResources + "\n--all-namespaces\n-o\nyaml\n");
  const auto report = json::parse(run.out);
  CHECK(report["targets"] == json::array({"aks-acl", "aks-osguard", "ubuntu"}));
  CHECK(report["findings"][0]["file"] == "cluster");
  // The Deployment's ReplicaSet and Pod are read, and folded into it.
  CHECK(report["summary"]["folded"] == 2);

  // Options go to immutalint: a planned migration, and its exit status.
  auto planned = run_plugin(dir, "--plan-pool apps=aks-acl --plan-pool system=aks-acl");
  CHECK(planned.exit_code == 1);
  CHECK_THAT(planned.out, Catch::Contains("no node pool of the cluster can run this pod"));
  fs::remove_all(dir);
}

TEST_CASE("kubectl immutalint reports a controller and what it owns once") {
  // The Deployment's two Pods come through a ReplicaSet, the CronJob's Pod through a Job: each
  // finding is on the controller, once, and the CronJob's rests on its ConfigMap's script.
  const std::string dir = fake_kubectl(fixture("testdata/kubectl-plugin/owned-workloads.yaml"));
  auto run = run_plugin(dir, "--format json --fail-on never");
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const auto report = json::parse(run.out);
  CHECK(report["targets"] == json::array({"aks-acl", "ubuntu"}));
  CHECK(finding_objects(report) == std::multiset<std::string>{"host-binary-install Deployment shop/agent-installer",
                                                              "host-binary-install CronJob batch/node-cleanup"});
  CHECK(report["summary"]["workloads"] == 2);
  CHECK(report["summary"]["folded"] == 5);
  // The text report names each object rather than a line of kubectl's output.
  auto text = run_plugin(dir, "--fail-on never");
  CHECK_THAT(text.out, Catch::StartsWith("Deployment shop/agent-installer: error: the pod installs programs into "
                                         "/usr/bin/agent, which the node runs [host-binary-install]\n"));
  CHECK_THAT(text.out, Catch::Contains("\nCronJob batch/node-cleanup: error: "));
  CHECK_THAT(text.out, !Catch::Contains("cluster:"));
  // --locations file is the user's to choose.
  auto lines = run_plugin(dir, "--fail-on never --locations file");
  CHECK_THAT(lines.out, Catch::StartsWith("cluster:"));
  fs::remove_all(dir);
}

TEST_CASE("kubectl immutalint reads one namespace with the nodes and namespaces of the cluster") {
  const std::string dir = fake_kubectl(fixture("testdata/kubectl-plugin/owned-workloads.yaml"));
  for (const std::string scope : {"-n shop", "--namespace shop", "--namespace=shop", "-nshop"}) {
    INFO(scope);
    auto run = run_plugin(dir, scope + " --format json --fail-on never");
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    CHECK(test::read_file(dir + "/kubectl.args") == "get\n" + kResources + "\n--namespace\nshop\n-o\nyaml\n");
    const auto report = json::parse(run.out);
    // The nodes were read: the pools' OSes are the targets.
    CHECK(report["targets"] == json::array({"aks-acl", "ubuntu"}));
    CHECK(finding_objects(report) == std::multiset<std::string>{"host-binary-install Deployment shop/agent-installer"});
    CHECK(report["summary"]["folded"] == 3);
  }
  // -A wins over --namespace, as in kubectl.
  auto all = run_plugin(dir, "-n shop -A --format json --fail-on never");
  CHECK(test::read_file(dir + "/kubectl.args") == "get\n" + kResources + "\n--all-namespaces\n-o\nyaml\n");
  CHECK(json::parse(all.out)["findings"].size() == 2);
  // Named targets need no nodes.
  auto named = run_plugin(dir, "--target talos --format json --fail-on never");
  INFO(named.err);
  CHECK(named.exit_code == 0);
  CHECK_THAT(test::read_file(dir + "/kubectl.args"), Catch::StartsWith("get\nnamespaces,configmaps,"));
  CHECK(json::parse(named.out)["targets"] == json::array({"talos"}));
  fs::remove_all(dir);
}

TEST_CASE("kubectl immutalint --save-dump keeps the dump to read lines and make a baseline from") {
  const std::string dir = fake_kubectl(fixture("testdata/kubectl-plugin/owned-workloads.yaml"));
  auto run = run_plugin(dir, "--save-dump dump.yaml --write-baseline baseline.json");
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const std::string dump = dir + "/dump.yaml";
  CHECK_THAT(test::read_file(dump), Catch::Contains("kind: ReplicaSet") && Catch::Contains("kind: ConfigMap"));
  // Only its owner may read it: ConfigMaps may hold what others should not see.
  CHECK((fs::status(dump).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
  // immutalint on the saved dump gives the plugin's findings, with their lines, and the baseline
  // the plugin wrote takes them all.
  auto lines = test::run_cli({"--target", "auto", "--fail-on", "never", "dump.yaml"}, "", dir);
  CHECK_THAT(lines.out, Catch::StartsWith("dump.yaml:") && Catch::Contains("in Deployment shop/agent-installer"));
  auto baselined = test::run_cli({"--target", "auto", "--baseline", "baseline.json", "dump.yaml"}, "", dir);
  CHECK(baselined.exit_code == 0);
  CHECK_THAT(baselined.out, Catch::Contains("no findings") && Catch::Contains("2 in the baseline"));
  // And the other way round: a later run of the plugin with the same dump name.
  auto again = run_plugin(dir, "--save-dump dump.yaml --baseline baseline.json");
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Catch::Contains("2 in the baseline"));
  CHECK(fs::is_empty(dir + "/tmp"));
  fs::remove_all(dir);
}

TEST_CASE("kubectl immutalint has its own help and refuses an option without its value") {
  const std::string dir = fake_kubectl(fixture("testdata/kubectl-plugin/owned-workloads.yaml"));
  auto help = run_plugin(dir, "--help");
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::StartsWith("Usage: kubectl immutalint") && Catch::Contains("-n, --namespace NS") &&
                           Catch::Contains("--save-dump FILE") && Catch::Contains("immutalint --help"));
  CHECK_FALSE(fs::exists(dir + "/kubectl.args"));
  for (const char* args : {"-n", "--context", "--save-dump"}) {
    INFO(args);
    auto missing = run_plugin(dir, args);
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.err, Catch::Contains("needs a value"));
  }
  CHECK_FALSE(fs::exists(dir + "/kubectl.args"));
  fs::remove_all(dir);
}

TEST_CASE("kubectl immutalint runs the immutalint beside it when krew links it from another folder") {
  // krew unpacks both programs into its store and links the plugin from its bin folder.
  const std::string dir = fake_kubectl(fixture("testdata/kubectl-plugin/owned-workloads.yaml"));
  fs::create_directories(dir + "/store/v1");
  fs::create_directories(dir + "/bin");
  fs::copy_file(test::source_dir() + "/scripts/kubectl-immutalint", dir + "/store/v1/kubectl-immutalint");
  test::write_file(dir + "/store/v1/immutalint", "#!/bin/sh\necho \"immutalint from the store: $*\"\n");
  fs::permissions(dir + "/store/v1/immutalint", fs::perms::owner_all);
  fs::create_symlink("../store/v1/kubectl-immutalint", dir + "/bin/kubectl-immutalint");
  const std::string command = "cd " + test::shell_quote(dir) + " && PATH=" + test::shell_quote(dir) +
                              ":\"$PATH\" bin/kubectl-immutalint --fail-on never > out 2> err";
  CHECK(std::system(command.c_str()) == 0);
  INFO(test::read_file(dir + "/err"));
  CHECK(test::read_file(dir + "/out") ==
        "immutalint from the store: --target auto --locations object --stdin-filename cluster --fail-on never -\n");
  fs::remove_all(dir);
}

TEST_CASE("kubectl immutalint fails with its own exit status when kubectl does") {
  const std::string dir = fake_kubectl("");
  auto run = run_plugin(dir, "--save-dump saved.yaml");
  CHECK(run.exit_code == 4);
  CHECK_THAT(run.err, Catch::Contains("You must be logged in"));
  CHECK_THAT(run.err, Catch::Contains("nothing was linted"));
  // A failed read is not kept as if it were the cluster.
  CHECK_FALSE(fs::exists(dir + "/saved.yaml"));
  fs::remove_all(dir);
}

TEST_CASE("kubectl immutalint does not lint the partial dump of a kubectl that failed") {
  // kubectl prints what it could read and fails on the rest (Forbidden on ConfigMaps): findings on
  // that dump would miss every script, and exit 1 would read as "findings".
  const std::string dir = fake_kubectl(fixture("testdata/cluster/mixed-cluster.yaml"));
  test::write_file(dir + "/kubectl", test::read_file(dir + "/kubectl") +
                                         "echo 'Error from server (Forbidden): configmaps is forbidden' >&2\nexit 1\n");
  auto run = run_plugin(dir, "--fail-on never --save-dump saved.yaml");
  CHECK(run.exit_code == 4);
  CHECK(run.out.empty());
  CHECK_THAT(run.err, Catch::Contains("Forbidden"));
  // Nothing of the dump is left behind, nor saved.
  CHECK(fs::is_empty(dir + "/tmp"));
  CHECK_FALSE(fs::exists(dir + "/saved.yaml"));
  fs::remove_all(dir);
}
