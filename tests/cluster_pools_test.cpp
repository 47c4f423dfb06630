// --target auto: the cluster's node pools, read from Node objects or az aks output, decide which
// OS each workload is judged for; --plan-pool asks what moving a pool would break.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "immutalint/scheduling_pools.hpp"
#include "immutalint/yaml_parse.hpp"
#include "test_support.hpp"

using namespace immutalint;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kCluster = "testdata/cluster/mixed-cluster.yaml";

std::vector<SchedulingPool> cluster_pools(std::span<const PoolPlan> plans = {}) {
  InputSet inputs;
  inputs.files.push_back({kCluster, test::source_dir() + "/" + kCluster});
  return scan_pools(inputs, *NodeOsRules::builtin(), *TargetSet::builtin(), plans);
}

const SchedulingPool& named(const std::vector<SchedulingPool>& pools, const std::string& name) {
  for (const auto& pool : pools) {
    if (pool.name == name) return pool;
  }
  FAIL("no pool " << name);
  throw std::logic_error("unreachable");
}

/// The targets each workload's findings are judged for, by object.
std::map<std::string, std::set<std::string>> judged_targets(const json& report) {
  std::map<std::string, std::set<std::string>> found;
  for (const auto& finding : report["findings"]) {
    auto& targets =
        found[finding["object"]["kind"].get<std::string>() + " " + finding["object"]["name"].get<std::string>()];
    for (const auto& verdict : finding["targets"]) targets.insert(verdict["target"].get<std::string>());
  }
  return found;
}

}  // namespace

TEST_CASE("Node objects group into pools, each with the target its OS stands for") {
  const auto pools = cluster_pools();
  REQUIRE(pools.size() == 5);
  CHECK(named(pools, "system").target->name() == "ubuntu");
  CHECK(named(pools, "apps").target->name() == "ubuntu");
  CHECK(named(pools, "acl").target->name() == "aks-acl");
  CHECK(named(pools, "osguard").target->name() == "aks-osguard");
  CHECK_FALSE(named(pools, "win").linux);
  CHECK(named(pools, "win").target == nullptr);
  CHECK(named(pools, "apps").nodes == 2);
  // What every node of a pool carries, not what one node does.
  CHECK(named(pools, "apps").labels.count("kubernetes.io/hostname") == 0);
  CHECK(named(pools, "apps").labels.at("kubernetes.azure.com/os-sku") == "Ubuntu");
  REQUIRE(named(pools, "system").taints.size() == 1);
  CHECK(named(pools, "system").taints[0].key == "CriticalAddonsOnly");
  CHECK_THAT(named(pools, "osguard").identified_by, Catch::Contains("AzureLinuxOSGuard"));
  CHECK(targets_of(pools, *TargetSet::builtin()).size() == 3);
}

TEST_CASE("each workload is judged only for the pools it can be scheduled on") {
  auto run = test::run_cli({"--target", "auto", "--format", "json", "--fail-on", "never", kCluster});
  REQUIRE(run.exit_code == 0);
  const json report = json::parse(run.out);
  CHECK(report["targets"] == json::array({"aks-acl", "aks-osguard", "ubuntu"}));
  CHECK(report["pools"].size() == 5);
  const auto judged = judged_targets(report);
  // A blanket toleration: every Linux pool, tainted or not.
  CHECK(judged.at("DaemonSet node-exporter") == std::set<std::string>{"aks-acl", "aks-osguard"});
  // No toleration: not the tainted system and osguard pools.
  CHECK(judged.at("DaemonSet tool-installer") == std::set<std::string>{"aks-acl"});
  // Pinned by pool name, and tolerating that pool's taint.
  CHECK(judged.at("Deployment hosts-sync") == std::set<std::string>{"aks-acl"});
  CHECK(judged.at("Deployment vpn-gateway") == std::set<std::string>{"aks-osguard"});
  // Pinned to the Ubuntu SKU: nothing is said of it for the immutable pools.
  CHECK(judged.count("Deployment legacy-billing") == 0);
  // Owned ReplicaSet and Pod are folded into their Deployment.
  CHECK(report["summary"]["folded"] == 2);
  CHECK(judged.count("ReplicaSet legacy-billing-5d8f7c9b4") == 0);
  // A Job that asks for a GPU pool the cluster lacks.
  const auto& job = judged.at("Job train-resnet");
  CHECK(job == std::set<std::string>{"aks-acl", "aks-osguard", "ubuntu"});
}

TEST_CASE("a planned pool shows what moving it to another OS SKU would break (--plan-pool)") {
  auto run = test::run_cli({"--target", "auto", "--plan-pool", "apps=aks-acl", "--plan-pool", "system=aks-acl",
                            "--format", "json", kCluster});
  CHECK(run.exit_code == 1);
  CHECK(run.err.empty());
  const json report = json::parse(run.out);
  CHECK(report["targets"] == json::array({"aks-acl", "aks-osguard"}));
  bool pinned = false;
  for (const auto& finding : report["findings"]) {
    if (finding["object"]["name"] != "legacy-billing") continue;
    pinned = true;
    CHECK(finding["check"] == "os-sku-pinning");
    CHECK(finding["severity"] == "error");
    CHECK_THAT(finding["message"].get<std::string>(),
               Catch::Contains("asks for kubernetes.azure.com/os-sku=Ubuntu, and the nodes carry "
                               "kubernetes.azure.com/os-sku=AzureContainerLinux"));
  }
  CHECK(pinned);
  for (const auto& pool : report["pools"]) {
    if (pool["name"] == "apps") CHECK(pool["plannedFrom"] == "ubuntu");
  }
  auto unknown = test::run_cli({"--target", "auto", "--plan-pool", "gpu=aks-acl", "--fail-on", "never", kCluster});
  CHECK_THAT(unknown.err, Catch::Contains("--plan-pool names node pool gpu, which no input describes"));
}

TEST_CASE("auto targets read standard input twice, and fall back to generic without pools") {
  const std::string cluster = test::read_file(test::source_dir() + "/" + kCluster);
  auto piped = test::run_cli({"--target", "auto", "--format", "json", "--fail-on", "never", "-"}, cluster);
  REQUIRE(piped.exit_code == 0);
  CHECK(json::parse(piped.out)["targets"] == json::array({"aks-acl", "aks-osguard", "ubuntu"}));

  auto bare = test::run_cli({"--target", "auto", "--format", "json", "--fail-on", "never", "testdata/daemonset"});
  CHECK(json::parse(bare.out)["targets"] == json::array({"generic"}));
  CHECK_THAT(bare.err, Catch::Contains("describes no node pool running Linux"));
}

TEST_CASE("az aks nodepool list output gives the pools too") {
  const std::string dir = test::make_temp_dir();
  test::write_file(dir + "/pools.json",
                   test::read_file(test::source_dir() + "/testdata/node-pool-blocker/nodepool-list.json"));
  test::write_file(dir + "/app.yaml", R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: ledger, namespace: bank}
spec:
  selector: {matchLabels: {app: ledger}}
  template:
    metadata: {labels: {app: ledger}}
    spec:
      nodeSelector: {kubernetes.azure.com/agentpool: edge}
      containers: [{name: app, image: registry.example/ledger:1}]
)");
  auto run = test::run_cli({"--target", "auto", "--format", "json", "--fail-on", "never", "."}, {}, dir);
  const json report = json::parse(run.out);
  bool edge = false;
  for (const auto& pool : report["pools"]) {
    if (pool["name"] != "edge") continue;
    edge = true;
    CHECK(pool["target"] == "aks-acl");  // Flatcar for AKS: judged with its successor's profile
  }
  CHECK(edge);
  fs::remove_all(dir);
}

TEST_CASE("a pool accepts a pod by its labels and taints as the scheduler does") {
  SchedulingPool pool;
  pool.labels = {{"kubernetes.io/os", "linux"}, {"tier", "gold"}, {"cores", "16"}};
  pool.taints = {{"dedicated", "db", "NoSchedule"}, {"soft", "", "PreferNoSchedule"}};
  auto block = [&](const std::string& spec) {
    auto docs = parse_yaml_documents(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n" + spec + "  containers: [{name: c, image: i}]\n", 1);
    const YamlTree& tree = docs.front().tree;
    auto objects = find_objects(tree);
    Workload workload = read_workload(tree, objects.objects.front());
    REQUIRE(workload.pods.size() == 1);
    return pool_block(tree, workload.pods.front(), pool);
  };
  CHECK(block(""));  // the NoSchedule taint is not tolerated
  CHECK_FALSE(block("  tolerations: [{key: dedicated, operator: Equal, value: db, effect: NoSchedule}]\n"));
  CHECK_FALSE(block("  tolerations: [{key: dedicated, operator: Exists}]\n"));
  CHECK_FALSE(block("  tolerations: [{operator: Exists}]\n"));
  CHECK(block("  tolerations: [{key: dedicated, operator: Equal, value: web}]\n"));
  CHECK(block("  tolerations: [{key: dedicated, operator: Exists, effect: NoExecute}]\n"));
  const std::string tolerate = "  tolerations: [{operator: Exists}]\n";
  CHECK_FALSE(block(tolerate + "  nodeSelector: {tier: gold}\n"));
  CHECK(block(tolerate + "  nodeSelector: {tier: silver}\n"));
  const auto affinity = [&](const std::string& expression) {
    return block(tolerate +
                 "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n"
                 "        nodeSelectorTerms:\n          - matchExpressions: [" +
                 expression + "]\n");
  };
  CHECK_FALSE(affinity("{key: cores, operator: Gt, values: ['8']}"));
  CHECK(affinity("{key: cores, operator: Lt, values: ['8']}"));
  CHECK_FALSE(affinity("{key: gpu, operator: DoesNotExist}"));
  CHECK(affinity("{key: gpu, operator: Exists}"));
  CHECK_FALSE(affinity("{key: tier, operator: NotIn, values: [silver]}"));
  CHECK(affinity("{key: tier, operator: In, values: [silver, bronze]}"));
}

TEST_CASE("the readiness grids say where a workload is not scheduled, rather than calling it ready") {
  auto matrix = test::run_cli({"--target", "auto", "--format", "matrix", "--fail-on", "never", kCluster});
  CHECK_THAT(matrix.out,
             Catch::Matches("(.|\n)*\nDeployment billing/legacy-billing +- +- +\\. +not scheduled\n(.|\n)*"));
  CHECK_THAT(matrix.out, Catch::Contains("aks-osguard: 2 ready (2 to review), 0 likely breaks, 1 breaks, 3 not "
                                         "scheduled there"));
  auto page = test::run_cli({"--target", "auto", "--format", "html", "--fail-on", "never", kCluster});
  CHECK_THAT(page.out, Catch::Contains("<span class=\"off\">not scheduled here</span>"));
}

TEST_CASE("with auto targets, AKS pools are judged for re-creation only where a plan moves them") {
  const std::string pools = test::source_dir() + "/testdata/node-pool-blocker/nodepool-list.json";
  auto quiet = test::run_cli({"--target", "auto", "--format", "json", "--fail-on", "never", pools});
  const json quiet_report = json::parse(quiet.out);
  CHECK(quiet_report["pools"].size() == 9);
  for (const auto& finding : quiet_report["findings"]) CHECK(finding["check"] != "node-pool-blocker");
  auto planned = test::run_cli(
      {"--target", "auto", "--plan-pool", "legacy=aks-acl", "--format", "json", "--fail-on", "never", pools});
  const json planned_report = json::parse(planned.out);
  std::set<std::string> judged;
  for (const auto& finding : planned_report["findings"]) {
    if (finding["check"] == "node-pool-blocker") judged.insert(finding["object"]["name"].get<std::string>());
  }
  CHECK(judged == std::set<std::string>{"legacy"});
}
