// The component knowledge base: its data parses, every documented outcome names a known
// component, components are recognised by their containers and versions, and the outcomes the
// targets document shape the verdicts (works caps, works-with-config names the change, breaks
// is an error), with docs/components.md kept in step with the data.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "immutalint/components.hpp"
#include "immutalint/kube_object.hpp"
#include "immutalint/report.hpp"
#include "immutalint/target.hpp"
#include "immutalint/yaml_parse.hpp"
#include "test_support.hpp"

using namespace immutalint;
using namespace immutalint::test;

namespace {

/// A DaemonSet of one container with `image`, plus `extra` lines of its pod spec (indented).
std::string daemonset(const std::string& image, const std::string& extra = "",
                      const std::string& container_extra = "") {
  return "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: kube-system}\nspec:\n"
         "  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n"
         "    spec:\n" +
         extra + "      containers:\n      - name: agent\n        image: " + image + "\n" + container_extra;
}

std::optional<RecognisedComponent> recognise(const std::string& manifest, std::vector<ParsedDocument>& keep) {
  keep = parse_yaml_documents(manifest, 1);
  REQUIRE(keep.size() == 1);
  const YamlTree& tree = keep.front().tree;
  static std::vector<Workload> workloads;  // the pod views must outlive the call
  workloads.push_back(read_workload(tree, find_objects(tree).objects.front()));
  REQUIRE(workloads.back().pods.size() == 1);
  return recognise_component(*ComponentCatalogue::builtin(), tree, workloads.back().pods.front());
}

/// The known-component verdict on `target`, "ready" when none.
std::string component_verdict(const LintResult& result, const std::string& target) {
  Verdict worst = Verdict::Ready;
  for (const auto& finding : result.findings.all()) {
    for (const auto& verdict : finding.targets) {
      const std::string& by = verdict.check.empty() ? finding.check : verdict.check;
      if (by == "known-component" && verdict.target == target) worst = std::max(worst, verdict.verdict);
    }
  }
  return std::string(to_key(worst));
}

}  // namespace

TEST_CASE("the component knowledge base parses and every documented outcome names one of its components") {
  const auto& components = ComponentCatalogue::builtin();
  INFO((components ? std::string() : components.error().message));
  REQUIRE(components);
  CHECK(components->all().size() >= 10);
  for (const auto& target : TargetSet::builtin()->all()) {
    for (const auto& row : target.workloads()) {
      INFO(target.name() << ": " << row.workload);
      CHECK(components->find(row.workload) != nullptr);
      CHECK_FALSE(row.evidence.source.empty());
    }
  }
}

TEST_CASE("a component catalogue with a bad pattern or an unknown field is rejected") {
  std::vector<std::pair<std::string, std::string>> files = {
      {"x.yaml", "components:\n  - {name: x, title: X, match: [{image: '(unclosed'}]}\n"}};
  auto bad_pattern = ComponentCatalogue::parse(files);
  REQUIRE_FALSE(bad_pattern);
  CHECK_THAT(bad_pattern.error().message, Catch::Contains("pattern"));
  files = {{"x.yaml", "components:\n  - {name: x, title: X, match: [{tag: v1}]}\n"}};
  REQUIRE_FALSE(ComponentCatalogue::parse(files));
  files = {{"x.yaml", "components:\n  - {name: x, title: X}\n  - {name: x, title: Y}\n"}};
  REQUIRE_FALSE(ComponentCatalogue::parse(files));
}

TEST_CASE("components are recognised by image or container name and read their version from the tag") {
  std::vector<ParsedDocument> keep;
  const std::string daemon = "        command: [longhorn-manager, -d, daemon]\n";
  auto longhorn = recognise(daemonset("docker.io/longhornio/longhorn-manager:v1.7.2", "", daemon), keep);
  REQUIRE(longhorn);
  CHECK(longhorn->component->name == "longhorn");
  CHECK(longhorn->version == "1.7.2");
  auto untagged = recognise(daemonset("longhornio/longhorn-manager:master-head", "", daemon), keep);
  REQUIRE(untagged);
  CHECK(untagged->version.empty());
  auto digest = recognise(daemonset("nvcr.io/nvidia/k8s-device-plugin:v0.17.0@sha256:abc"), keep);
  REQUIRE(digest);
  CHECK(digest->component->name == "nvidia-device-plugin");
  CHECK(digest->version == "0.17.0");
  // The GPU Operator fills in its images itself: its driver container is known by name.
  std::vector<ParsedDocument> keep2;
  auto driver = recognise(
      "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {a: d}}\n"
      "  template:\n    metadata: {labels: {a: d}}\n    spec:\n      containers:\n"
      "      - {name: nvidia-driver-ctr, image: FILLED BY THE OPERATOR}\n",
      keep2);
  REQUIRE(driver);
  CHECK(driver->component->name == "gpu-operator-driver");
  CHECK_FALSE(recognise(daemonset("registry.k8s.io/sig-storage/local-volume-provisioner:v2.6.0"), keep));
  CHECK_FALSE(recognise(daemonset("gcr.io/gke-release/nvidia-gpu-device-plugin@sha256:6b25"), keep));
}

TEST_CASE("versions compare part by part") {
  CHECK(version_at_least("1.6.0", "1.6.0"));
  CHECK(version_at_least("1.10.1", "1.6.0"));
  CHECK(version_at_least("2", "1.6.0"));
  CHECK_FALSE(version_at_least("1.5.9", "1.6.0"));
  CHECK_FALSE(version_at_least("", "1.6.0"));
  CHECK(version_at_least("", ""));
}

TEST_CASE("Longhorn is an error on Bottlerocket and names its configuration on Talos and Flatcar") {
  const std::string daemon = "        command: [longhorn-manager, -d, daemon]\n";
  const LintResult result = lint_text(daemonset("longhornio/longhorn-manager:v1.7.2", "", daemon), "longhorn.yaml",
                                      "bottlerocket,talos,flatcar,fcos");
  CHECK(component_verdict(result, "bottlerocket") == "breaks");
  CHECK(component_verdict(result, "talos") == "review");
  CHECK(component_verdict(result, "flatcar") == "review");
  CHECK(component_verdict(result, "fcos") == "ready");
  // Talos documents Longhorn from 1.6.0 on: an older one gets no such row.
  const LintResult old =
      lint_text(daemonset("longhornio/longhorn-manager:v1.5.3", "", daemon), "longhorn.yaml", "talos");
  CHECK(component_verdict(old, "talos") == "ready");
  // The same image's one-shot jobs are not the manager's daemon.
  const std::string deployer = "        command: [longhorn-manager, -d, deploy-driver]\n";
  const LintResult job =
      lint_text(daemonset("longhornio/longhorn-manager:v1.7.2", "", deployer), "longhorn.yaml", "bottlerocket");
  CHECK(component_verdict(job, "bottlerocket") == "ready");
}

TEST_CASE("the NVIDIA device plugin needs runtimeClassName nvidia on Talos and is quiet with it") {
  const std::string image = "nvcr.io/nvidia/k8s-device-plugin:v0.17.0";
  CHECK(component_verdict(lint_text(daemonset(image), "dp.yaml", "talos"), "talos") == "likely-breaks");
  const LintResult configured = lint_text(daemonset(image, "      runtimeClassName: nvidia\n"), "dp.yaml", "talos");
  CHECK(component_verdict(configured, "talos") == "ready");
  for (const auto& finding : configured.findings.all()) CHECK(finding.severity == Severity::Note);
}

TEST_CASE("a component documented to work has its other findings capped at review there") {
  // aws-node on Bottlerocket: its init container installs into the writable /opt/cni/bin overlay.
  const std::string aws_node =
      daemonset("602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.23.1",
                "      volumes:\n      - {name: bin, hostPath: {path: /usr/local/bin}}\n",
                "        volumeMounts: [{name: bin, mountPath: /host/usr/local/bin}]\n        command: [sh, -c, 'cp /x "
                "/host/usr/local/bin/x']\n");
  const auto capped = worst_verdicts(lint_text(aws_node, "aws.yaml", "bottlerocket,talos"));
  REQUIRE(capped.count("bottlerocket"));
  CHECK(capped.at("bottlerocket").verdict == Verdict::Review);
  // Talos documents nothing about it: the write into its read-only /usr/local keeps its verdict.
  REQUIRE(capped.count("talos"));
  CHECK(capped.at("talos").verdict >= Verdict::LikelyBreaks);
}

TEST_CASE("docs/components.md matches the component data (regenerate with scripts/update-docs.sh)") {
  std::ostringstream generated;
  write_component_list_markdown(generated, *ComponentCatalogue::builtin(), *TargetSet::builtin());
  CHECK(read_file(source_dir() + "/docs/components.md") == generated.str());
}

TEST_CASE("the component list and the known-component explanation show the entries and their sources") {
  const auto listed = run_cli({"--list-components"});
  CHECK(listed.exit_code == 0);
  CHECK_THAT(listed.out, Catch::Contains("longhorn: Longhorn's manager"));
  CHECK_THAT(listed.out, Catch::Contains("bottlerocket: breaks [bottlerocket-os/bottlerocket#3276"));
  const auto explained = run_cli({"--explain", "known-component"});
  CHECK(explained.exit_code == 0);
  CHECK_THAT(explained.out, Catch::Contains("talos: works-with-config (from 1.6.0) [LH-TALOS]"));
  const auto json = run_cli({"--list-components", "--format", "json"});
  CHECK_THAT(json.out, Catch::Contains("\"requiresPod\""));
}
