// AKS node pools: `az aks` output recognised by shape, the pool model, node-pool-blocker per
// target, --plan-pool, and the SARIF of a judged cluster.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "immutalint/lint.hpp"
#include "immutalint/node_pools.hpp"
#include "immutalint/yaml_parse.hpp"
#include "test_support.hpp"

using namespace immutalint;
namespace fs = std::filesystem;

namespace {

std::optional<NodePoolDocument> pools_of(const std::string& text) {
  auto documents = parse_yaml_documents(text, 1);
  REQUIRE(documents.size() == 1);
  REQUIRE_FALSE(documents[0].error);
  return read_node_pools(documents[0].tree, "pools.json");
}

/// One pool as `az aks nodepool show` prints it, with `extra` properties added.
std::string pool_json(const std::string& name, const std::string& os_sku, const std::string& vm_size,
                      const std::string& extra = {}) {
  return "{\"name\": \"" + name + "\", \"osType\": \"Linux\", \"osSku\": \"" + os_sku + "\", \"vmSize\": \"" + vm_size +
         "\", \"mode\": \"User\"" + (extra.empty() ? "" : ", " + extra) + "}";
}

constexpr const char* kTrustedLaunch = "\"securityProfile\": {\"enableSecureBoot\": true, \"enableVtpm\": true}";

std::vector<Finding> blockers(const std::string& text, const std::string& targets) {
  std::vector<Finding> found;
  for (auto& finding : test::lint_text(text, "pools.json", targets).findings.all()) {
    if (finding.check == check_id(CheckRole::NodePools)) found.push_back(std::move(finding));
  }
  return found;
}

std::vector<std::string> targets_of(const Finding& finding) {
  std::vector<std::string> names;
  for (const auto& verdict : finding.targets) names.push_back(verdict.target);
  return names;
}

std::string repository_file(const std::string& relative) {
  return test::read_file(test::source_dir() + "/" + relative);
}

}  // namespace

TEST_CASE("az aks nodepool list, nodepool show and aks show output are recognised by shape") {
  auto list = pools_of(repository_file("testdata/node-pool-blocker/nodepool-list.json"));
  REQUIRE(list);
  CHECK(list->source == PoolSource::NodePoolList);
  REQUIRE(list->pools.size() == 9);
  const NodePool& legacy = list->pools[1];
  CHECK(legacy.name == "legacy");
  CHECK(legacy.cluster == "shop-prod");  // from the pool's resource id
  CHECK(legacy.pointer == "/1");
  CHECK(legacy.fips.is_true());
  CHECK(legacy.vm_size.text == "Standard_D8_v3");
  CHECK(legacy.vm_size.span.begin.line == 73);
  CHECK_FALSE(legacy.trusted_launch());
  CHECK(legacy.labels.at("workload") == "legacy-batch");
  CHECK(legacy.node_image_version.text == "AKSUbuntu-2204fipscontainerd-202509.23.0");
  const NodePool& system = list->pools[0];
  CHECK(system.trusted_launch());
  CHECK(system.mode.text == "System");
  CHECK(system.taints == std::vector<std::string>{"CriticalAddonsOnly=true:NoSchedule"});
  CHECK(list->pools[3].confidential_security_type());
  CHECK(list->pools[4].artifact_streaming.is_true());
  CHECK(list->pools[5].pod_sandboxing());
  CHECK(list->pools[7].gpu_driver.text == "None");
  CHECK_FALSE(list->pools[8].linux());

  auto cluster = pools_of(repository_file("testdata/node-pool-blocker/cluster-show.json"));
  REQUIRE(cluster);
  CHECK(cluster->source == PoolSource::ClusterShow);
  REQUIRE(cluster->pools.size() == 2);
  CHECK(cluster->pools[1].name == "apps");
  CHECK(cluster->pools[1].pointer == "/agentPoolProfiles/1");
  CHECK(cluster->pools[1].cluster == "shop-prod");
  CHECK(cluster->pools[1].node_os_upgrade_channel.text == "SecurityPatch");
  CHECK(cluster->pools[1].channel_from_cluster);

  auto show = pools_of(pool_json("one", "Ubuntu", "Standard_D4ds_v5"));
  REQUIRE(show);
  CHECK(show->source == PoolSource::NodePoolShow);
  // The REST API's spelling (enableFIPS, osSKU, enableVTPM) reads the same.
  auto rest = pools_of(
      "{\"name\": \"rest\", \"osSKU\": \"AzureLinux\", \"vmSize\": \"Standard_D4ds_v5\", \"enableFIPS\": true, "
      "\"securityProfile\": {\"enableSecureBoot\": true, \"enableVTPM\": true}}");
  REQUIRE(rest);
  CHECK(rest->pools[0].os_sku.text == "AzureLinux");
  CHECK(rest->pools[0].fips.is_true());
  CHECK(rest->pools[0].trusted_launch());
}

TEST_CASE("JSON and YAML that are not AKS node pools are not read as pools") {
  for (const std::string& text : {
           std::string(R"({"name": "storefront", "version": "2.4.0", "mode": "production"})"),
           std::string(R"([{"name": "a", "vmSize": "Standard_D4ds_v5"}])"),  // nothing only a pool has
           std::string(R"([])"),
           std::string(R"({"agentPoolProfiles": []})"),
           std::string("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"),
           std::string("apiVersion: x/v1\nkind: Pool\nname: a\nvmSize: Standard_D4ds_v5\nosType: Linux\n"),
       }) {
    INFO(text);
    CHECK_FALSE(pools_of(text));
    CHECK(blockers(text, "aks-acl,aks-osguard").empty());
  }
}

TEST_CASE("node-pool-blocker reports each documented blocker once per pool, on the targets it blocks") {
  struct Case {
    std::string pool;
    std::string blocker;  // in the finding's cause
    std::vector<std::string> targets;
    std::string source;  // a key the verdict cites
  };
  const std::vector<Case> cases = {
      {pool_json("p", "Ubuntu", "Standard_D8_v3", kTrustedLaunch),
       "gen1-size",
       {"aks-acl", "aks-osguard"},
       "AKS-NODEIMG"},
      {pool_json("p", "Ubuntu", "Standard_D4ds_v5",
                 R"("securityProfile": {"enableSecureBoot": true, "enableVtpm": false})"),
       "trusted-launch",
       {"aks-acl", "aks-osguard"},
       "AKS-ACL-LIM"},
      {pool_json("p", "Ubuntu", "Standard_DC4as_v5"), "confidential-vm", {"aks-acl", "aks-osguard"}, "AKS-CVM"},
      {pool_json("p", "Ubuntu", "Standard_D4ds_v5", R"("securityProfile": {"securityType": "ConfidentialVM"})"),
       "confidential-vm",
       {"aks-acl", "aks-osguard"},
       "AKS-CVM"},
      {pool_json("p", "Ubuntu", "Standard_M64s", kTrustedLaunch),
       "no-trusted-launch-size",
       {"aks-acl", "aks-osguard"},
       "AKS-ACL-LIM"},
      {pool_json("p", "Ubuntu", "Standard_D4ds_v5",
                 std::string(kTrustedLaunch) + R"(, "artifactStreamingProfile": {"enabled": true})"),
       "artifact-streaming",
       {"aks-acl", "aks-osguard"},
       "AZL-OSG-LIM"},
      {pool_json("p", "Ubuntu", "Standard_D4ds_v5",
                 std::string(kTrustedLaunch) + R"(, "nodeOsUpgradeChannel": "Unmanaged")"),
       "node-os-upgrade-channel",
       {"aks-acl", "aks-osguard"},
       "AKS-NODEOS"},
      {pool_json("p", "AzureLinux", "Standard_D4s_v5",
                 std::string(kTrustedLaunch) + R"(, "workloadRuntime": "KataVmIsolation")"),
       "pod-sandboxing",
       {"aks-acl", "aks-osguard", "ubuntu"},
       "AKS-KATA"},
      {pool_json("p", "Ubuntu", "Standard_NC24ads_A100_v4", kTrustedLaunch), "nvidia-gpu", {"aks-osguard"}, "AKS-GPU"},
      {pool_json("p", "Ubuntu", "Standard_ND96isr_MI300X_v5", kTrustedLaunch),
       "amd-gpu",
       {"aks-acl", "aks-osguard"},
       "AKS-GPU"},
      {pool_json("p", "Flatcar", "Standard_D4ds_v5", kTrustedLaunch), "retired-os-sku", {"aks-acl"}, "AKS-FC-RET"},
  };
  for (const auto& c : cases) {
    INFO(c.pool);
    const auto found = blockers(c.pool, "aks-acl,aks-osguard,ubuntu");
    const auto it =
        std::find_if(found.begin(), found.end(), [&](const Finding& f) { return f.cause.ends_with(": " + c.blocker); });
    REQUIRE(it != found.end());
    CHECK(std::count_if(found.begin(), found.end(), [&](const Finding& f) { return f.cause == it->cause; }) == 1);
    CHECK(targets_of(*it) == c.targets);
    CHECK(it->object->kind == "AgentPool");
    CHECK(std::any_of(it->targets.begin(), it->targets.end(),
                      [&](const TargetVerdict& v) { return v.source.find(c.source) != std::string::npos; }));
    // Only the Kata pool breaks on Ubuntu (AKS offers Pod Sandboxing on AzureLinux only).
    for (const auto& other : found) {
      const auto names = targets_of(other);
      if (c.blocker != "pod-sandboxing") CHECK(std::count(names.begin(), names.end(), "ubuntu") == 0);
    }
  }
  // AMD GPUs on ACL rest on a guess: likely breaks, a warning at most on that target.
  const auto amd = blockers(pool_json("p", "Ubuntu", "Standard_ND96isr_MI300X_v5", kTrustedLaunch), "aks-acl");
  REQUIRE(amd.size() == 1);
  CHECK(amd[0].targets[0].verdict == Verdict::LikelyBreaks);
  CHECK(amd[0].severity == Severity::Warning);
}

TEST_CASE("a blocker is reported at the line of the property that shows it") {
  const std::string text =
      "[\n"
      "  {\n"
      "    \"name\": \"legacy\",\n"
      "    \"osSku\": \"Ubuntu\",\n"
      "    \"osType\": \"Linux\",\n"
      "    \"enableFips\": true,\n"
      "    \"securityProfile\": {\"enableSecureBoot\": false, \"enableVtpm\": false},\n"
      "    \"vmSize\": \"Standard_D8_v3\"\n"
      "  }\n"
      "]\n";
  const auto found = blockers(text, "aks-acl");
  REQUIRE(found.size() == 2);
  for (const auto& finding : found) {
    if (finding.cause.ends_with("trusted-launch")) {
      CHECK(finding.span.begin.line == 7);
      CHECK(finding.field == "/0/securityProfile/enableSecureBoot");
    } else {
      CHECK(finding.span.begin.line == 8);
      CHECK(finding.field == "/0/vmSize");
    }
  }
}

TEST_CASE("the same pools are quiet on Ubuntu, and a pool is not judged for the SKU it runs") {
  // Every pool of the recorded cluster but the Kata one, which needs AzureLinux.
  const auto quiet =
      test::lint_text(repository_file("testdata/node-pool-blocker/ubuntu-quiet.json"), "x.json", "ubuntu");
  CHECK(quiet.findings.empty());
  // An ACL pool is not judged for ACL, an OS Guard pool not for OS Guard; judged for the other, it is.
  const std::string acl = pool_json("acl", "AzureContainerLinux", "Standard_NC24ads_A100_v4", kTrustedLaunch);
  CHECK(blockers(acl, "aks-acl").empty());
  CHECK(targets_of(blockers(acl, "aks-osguard").at(0)) == std::vector<std::string>{"aks-osguard"});
  const std::string osguard =
      pool_json("osg", "AzureLinuxOSGuard", "Standard_D4ds_v5", R"("nodeOsUpgradeChannel": "SecurityPatch")");
  CHECK(blockers(osguard, "aks-osguard,aks-osguard-enforce").empty());
  // Targets outside AKS have no node pool facts.
  CHECK(blockers(repository_file("testdata/node-pool-blocker/nodepool-list.json"),
                 "generic,flatcar,talos,bottlerocket,fcos")
            .empty());
  // Windows pools are not judged for Linux SKUs.
  CHECK(
      blockers(R"({"name": "win", "osType": "Windows", "osSku": "Windows2022", "vmSize": "Standard_D8_v3"})", "aks-acl")
          .empty());
}

TEST_CASE("a pool on the retired Flatcar for AKS SKU is told its successor") {
  const auto found = blockers(pool_json("edge", "Flatcar", "Standard_D4ds_v5", kTrustedLaunch), "aks-acl,aks-osguard");
  REQUIRE(found.size() == 1);
  CHECK_THAT(found[0].message, Catch::Contains("retired OS SKU Flatcar") && Catch::Contains("aks-acl"));
  REQUIRE(found[0].targets.size() == 1);
  CHECK(found[0].targets[0].target == "aks-acl");
  CHECK(found[0].targets[0].source == "AKS-FC-RET");
  CHECK_THAT(found[0].targets[0].why, Catch::Contains("2026-09-08"));
}

TEST_CASE("a pool named by --plan-pool is judged for its target only, and unknown pools are named") {
  const std::string file = "testdata/node-pool-blocker/nodepool-list.json";
  auto planned = test::run_cli(
      {"--target", "ubuntu", "--plan-pool", "train=aks-osguard", "--plan-pool", "missing=aks-acl", "--no-color", file});
  CHECK(planned.exit_code == 1);
  CHECK_THAT(planned.out,
             Catch::Contains("node pool train has NVIDIA GPUs") &&
                 Catch::Contains("breaks on aks-osguard: aks-osguard node pools do not support NVIDIA GPUs"));
  // The other pools are judged for --target (ubuntu): only the Kata pool breaks there.
  CHECK_THAT(planned.out,
             Catch::Contains("node pool sandbox runs Pod Sandboxing") && !Catch::Contains("node pool legacy"));
  CHECK_THAT(planned.err, Catch::Contains("--plan-pool names node pool missing, which no input describes"));

  auto acl_only = test::run_cli({"--target", "aks-osguard", "--plan-pool", "train=aks-acl", "--no-color", file});
  CHECK_THAT(acl_only.out, !Catch::Contains("node pool train"));

  auto unknown_target = test::run_cli({"--plan-pool", "train=windows", file});
  CHECK(unknown_target.exit_code == 2);
  CHECK_THAT(unknown_target.err, Catch::Contains("--plan-pool train=windows: unknown target"));
  auto malformed = test::run_cli({"--plan-pool", "train", file});
  CHECK(malformed.exit_code == 2);
  CHECK_THAT(malformed.err, Catch::Contains("--plan-pool takes NAME=TARGET"));
}

TEST_CASE("the SARIF of a judged cluster passes validate-sarif --strict", "[shared]") {
  const std::string validator = test::shared_dir() + "/sarif/validate-sarif";
  REQUIRE(fs::is_regular_file(validator));
  const std::string dir = test::make_temp_dir();
  const std::string sarif = dir + "/pools.sarif";
  auto run =
      test::run_cli({"--target", "aks-acl,aks-osguard", "--format", "sarif", "--output", sarif,
                     "testdata/node-pool-blocker/nodepool-list.json", "testdata/node-pool-blocker/cluster-show.json"});
  CHECK(run.exit_code == 1);
  CHECK_THAT(test::read_file(sarif), Catch::Contains("node-pool-blocker"));
  const int status = std::system((test::shell_quote(validator) + " --strict --quiet " + test::shell_quote(sarif) +
                                  " >" + test::shell_quote(dir + "/out") + " 2>&1")
                                     .c_str());
  INFO(test::read_file(dir + "/out"));
  CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  fs::remove_all(dir);
}
