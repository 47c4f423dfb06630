// GPU pods pinned to a node architecture: the label values a pod's placement admits, the
// targets' nvidia_gpu_arches facts, and the gpu-unsupported verdicts built on them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "immutalint/fact_keys.hpp"
#include "immutalint/kube_object.hpp"
#include "immutalint/placement.hpp"
#include "immutalint/target.hpp"
#include "immutalint/yaml_parse.hpp"
#include "test_support.hpp"

using namespace immutalint;

namespace {

const NodeLabelFact kArch{"kubernetes.io/arch", {"beta.kubernetes.io/arch"}, {"amd64", "arm64"}, {}};

/// The architectures a pod whose spec holds `placement` (indented lines) admits.
std::vector<std::string> admitted(const std::string& placement) {
  auto documents = parse_yaml_documents(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n" + placement + "  containers: [{name: c, image: i}]\n",
      1);
  REQUIRE(documents.size() == 1);
  const YamlTree& tree = documents.front().tree;
  Workload workload = read_workload(tree, find_objects(tree).objects.front());
  REQUIRE(workload.pods.size() == 1);
  return admitted_label_values(tree, workload.pods.front(), kArch);
}

/// A required node affinity whose terms are `terms`, each a flow list of matchExpressions.
std::string affinity(const std::vector<std::string>& terms) {
  std::string text =
      "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n"
      "        nodeSelectorTerms:\n";
  for (const auto& term : terms) text += "          - matchExpressions: [" + term + "]\n";
  return text;
}

using Values = std::vector<std::string>;

/// The worst verdict of gpu-unsupported on `target`, "ready" when it gives none.
std::string verdict_on(const LintResult& result, const std::string& target) {
  Verdict worst = Verdict::Ready;
  for (const auto& finding : result.findings.all()) {
    if (finding.check != "gpu-unsupported") continue;
    for (const auto& verdict : finding.targets) {
      if (verdict.target == target) worst = std::max(worst, verdict.verdict);
    }
  }
  return std::string(to_key(worst));
}

}  // namespace

TEST_CASE("a pod's node selector and required affinity decide which architectures it admits") {
  CHECK(admitted("") == Values{"amd64", "arm64"});
  CHECK(admitted("  nodeSelector: {kubernetes.io/arch: arm64}\n") == Values{"arm64"});
  CHECK(admitted("  nodeSelector: {beta.kubernetes.io/arch: arm64}\n") == Values{"arm64"});
  // The scheduler compares values as written: no node carries ARM64.
  CHECK(admitted("  nodeSelector: {kubernetes.io/arch: ARM64}\n").empty());
  CHECK(admitted("  nodeSelector: {kubernetes.io/os: linux}\n") == Values{"amd64", "arm64"});
  CHECK(admitted(affinity({"{key: kubernetes.io/arch, operator: In, values: [arm64]}"})) == Values{"arm64"});
  CHECK(admitted(affinity({"{key: kubernetes.io/arch, operator: NotIn, values: [amd64]}"})) == Values{"arm64"});
  CHECK(admitted(affinity({"{key: kubernetes.io/arch, operator: NotIn, values: [s390x]}"})) ==
        Values{"amd64", "arm64"});
  CHECK(admitted(affinity({"{key: kubernetes.io/arch, operator: Exists}"})) == Values{"amd64", "arm64"});
  CHECK(admitted(affinity({"{key: kubernetes.io/arch, operator: DoesNotExist}"})).empty());
  // Terms are alternatives: either architecture will do.
  CHECK(admitted(affinity({"{key: kubernetes.io/arch, operator: In, values: [arm64]}",
                           "{key: kubernetes.io/arch, operator: In, values: [amd64]}"})) == Values{"amd64", "arm64"});
  // A term's other requirements on other labels do not rule an architecture out.
  CHECK(
      admitted(affinity({"{key: kubernetes.io/arch, operator: In, values: [arm64]}, {key: gpu, operator: Exists}"})) ==
      Values{"arm64"});
  // The node selector and the affinity must both hold.
  CHECK(admitted("  nodeSelector: {kubernetes.io/arch: amd64}\n" +
                 affinity({"{key: kubernetes.io/arch, operator: In, values: [arm64]}"}))
            .empty());
}

TEST_CASE("every target names only known architectures in nvidia_gpu_arches and ACL names amd64 alone") {
  const auto& targets = *TargetSet::builtin();
  for (const auto& target : targets.all()) {
    INFO(target.name());
    const Fact& arches = target.fact(facts::nvidia_gpu_arches);
    std::string rest = arches.value;
    for (const char* known : {"amd64", "arm64"}) {
      if (auto at = rest.find(known); at != std::string::npos) rest.erase(at, std::string(known).size());
    }
    CHECK(rest.find_first_not_of(' ') == std::string::npos);
    CHECK_FALSE(arches.evidence.source.empty());
  }
  const Target* acl = targets.find("aks-acl");
  REQUIRE(acl != nullptr);
  CHECK(acl->fact(facts::nvidia_gpu_arches).value == "amd64");
  CHECK(acl->fact(facts::nvidia_gpu_arches).evidence.confidence == Confidence::Documented);
}

TEST_CASE("an NVIDIA GPU pod pinned to arm64 breaks on aks-acl alone among the targets with NVIDIA drivers") {
  const std::string fixture = test::read_file(test::source_dir() + "/testdata/gpu-unsupported/arm64-gb200.yaml");
  const LintResult pinned = test::lint_text(fixture, "arm64-gb200.yaml", "all", {"gpu-unsupported"});
  CHECK(verdict_on(pinned, "aks-acl") == "breaks");
  CHECK(verdict_on(pinned, "aks-osguard") == "breaks");  // no NVIDIA GPUs at all
  for (const char* target : {"generic", "ubuntu", "flatcar", "bottlerocket", "fcos"}) {
    INFO(target);
    CHECK(verdict_on(pinned, target) == "ready");
  }
  // The same pod pinned to amd64 instead is ready on aks-acl.
  std::string amd64 = fixture;
  amd64.replace(amd64.rfind("- arm64"), 7, "- amd64");
  CHECK(verdict_on(test::lint_text(amd64, "amd64.yaml", "aks-acl", {"gpu-unsupported"}), "aks-acl") == "ready");
}

TEST_CASE("the arm64 verdict on aks-acl cites the ACL overview and points at the architecture pin") {
  const LintResult result =
      test::lint_text(test::read_file(test::source_dir() + "/testdata/gpu-unsupported/arm64-pinned.yaml"),
                      "arm64-pinned.yaml", "aks-acl", {"gpu-unsupported"});
  const auto findings = result.findings.all();
  REQUIRE(findings.size() == 2);
  for (const auto& finding : findings) {
    REQUIRE(finding.targets.size() == 1);
    CHECK(finding.targets.front().source == "AKS-ACL");
    CHECK_THAT(finding.targets.front().why, Catch::Contains("only on amd64 nodes"));
    REQUIRE(finding.evidence.size() == 1);
    CHECK_THAT(finding.evidence.front().text, Catch::Contains("only schedules on arm64 nodes"));
  }
  CHECK(findings[0].evidence.front().place.field == "/spec/template/spec/nodeSelector/kubernetes.io~1arch");
  CHECK(findings[1].evidence.front().place.field == "/spec/template/spec/affinity");
}
