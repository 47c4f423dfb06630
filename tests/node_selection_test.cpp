// The scheduler's reading of nodeSelector, required node affinity and tolerations, as a table of
// Kubernetes' own cases: k8s.io/component-helpers scheduling/corev1/nodeaffinity
// (nodeaffinity_test.go, TestPodMatchesNodeSelectorAndAffinityTerms; helpers_test.go,
// TestMatchNodeSelectorTerms) and k8s.io/api core/v1 toleration_test.go
// (TestTolerationToleratesTaint). The names are theirs.
#include <map>
#include <string>

#include <catch2/catch.hpp>

#include "immutalint/kube_object.hpp"
#include "immutalint/node_selection.hpp"
#include "immutalint/pod_spec.hpp"
#include "immutalint/yaml_parse.hpp"

using namespace immutalint;

namespace {

using Labels = std::map<std::string, std::string, std::less<>>;

/// Whether a node with exactly these labels takes a Pod with this spec.
bool node_takes(const Labels& labels, const std::string& spec) {
  auto documents = parse_yaml_documents("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: " + spec + "\n", 1);
  REQUIRE(documents.size() == 1);
  REQUIRE_FALSE(documents[0].error);
  const YamlTree& tree = documents[0].tree;
  const Workload workload = read_workload(tree, find_objects(tree).objects.at(0));
  REQUIRE(workload.pods.size() == 1);
  const LabelKnowledge node = all_labels_known(labels);
  const NodeRequirements requirements = node_requirements(tree, workload.pods[0]);
  const bool taken = admits(requirements, node);
  // A requirement is named exactly when the pod is not taken and some requirement fails.
  const auto unmet = first_unmet(requirements, node);
  if (taken) CHECK_FALSE(unmet);
  return taken;
}

std::string required(const std::string& terms) {
  return "{affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: " + terms +
         "}}}}";
}

struct Case {
  const char* name;
  Labels node;
  std::string spec;
  bool takes;
};

}  // namespace

TEST_CASE("node selection follows Kubernetes' nodeaffinity cases") {
  const Case cases[] = {
      {"no selector", {}, "{}", true},
      {"missing labels", {}, "{nodeSelector: {foo: bar}}", false},
      {"same labels", {{"foo", "bar"}}, "{nodeSelector: {foo: bar}}", true},
      {"node labels are superset", {{"foo", "bar"}, {"baz", "blah"}}, "{nodeSelector: {foo: bar}}", true},
      {"node labels are subset", {{"foo", "bar"}}, "{nodeSelector: {foo: bar, baz: blah}}", false},
      {"Pod with matchExpressions using In operator that matches the existing node",
       {{"foo", "bar"}},
       required("[{matchExpressions: [{key: foo, operator: In, values: [bar, value2]}]}]"),
       true},
      {"Pod with matchExpressions using Gt operator that matches the existing node",
       {{"kernel-version", "0206"}},
       required("[{matchExpressions: [{key: kernel-version, operator: Gt, values: ['0204']}]}]"),
       true},
      {"Pod with matchExpressions using NotIn operator that matches the existing node",
       {{"mem-type", "DDR3"}},
       required("[{matchExpressions: [{key: mem-type, operator: NotIn, values: [DDR, DDR2]}]}]"),
       true},
      {"Pod with matchExpressions using Exists operator that matches the existing node",
       {{"GPU", "NVIDIA-GRID-K1"}},
       required("[{matchExpressions: [{key: GPU, operator: Exists}]}]"),
       true},
      {"Pod with affinity that don't match node's labels won't schedule onto the node",
       {{"foo", "bar"}},
       required("[{matchExpressions: [{key: foo, operator: In, values: [value1, value2]}]}]"),
       false},
      {"Pod with a nil []NodeSelectorTerm in affinity, can't match the node's labels and won't schedule onto the node",
       {{"foo", "bar"}},
       "{affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {}}}}",
       false},
      {"Pod with an empty []NodeSelectorTerm in affinity, can't match the node's labels and won't schedule onto the "
       "node",
       {{"foo", "bar"}},
       required("[]"),
       false},
      {"Pod with empty MatchExpressions is not a valid value will match no objects and won't schedule onto the node",
       {{"foo", "bar"}},
       required("[{matchExpressions: []}]"),
       false},
      {"Pod with no Affinity will schedule onto a node", {{"foo", "bar"}}, "{containers: []}", true},
      {"Pod with Affinity but nil NodeSelector will schedule onto a node",
       {{"foo", "bar"}},
       "{affinity: {nodeAffinity: {}}}",
       true},
      {"Pod with multiple matchExpressions ANDed that matches the existing node",
       {{"GPU", "NVIDIA-GRID-K1"}},
       required("[{matchExpressions: [{key: GPU, operator: Exists}, {key: GPU, operator: NotIn, values: [AMD, "
                "INTER]}]}]"),
       true},
      {"Pod with multiple matchExpressions ANDed that doesn't match the existing node",
       {{"GPU", "NVIDIA-GRID-K1"}},
       required("[{matchExpressions: [{key: GPU, operator: Exists}, {key: GPU, operator: In, values: [AMD, "
                "INTER]}]}]"),
       false},
      {"Pod with multiple NodeSelectorTerms ORed in affinity, matches the node's labels and will schedule onto the "
       "node",
       {{"foo", "bar"}},
       required("[{matchExpressions: [{key: foo, operator: In, values: [bar, value2]}]}, "
                "{matchExpressions: [{key: diffkey, operator: In, values: [wrong, value2]}]}]"),
       true},
      {"Pod with an Affinity and a PodSpec.NodeSelector(the old thing that we are deprecating) both are satisfied, "
       "will schedule onto the node",
       {{"foo", "bar"}},
       "{nodeSelector: {foo: bar}, affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: "
       "{nodeSelectorTerms: [{matchExpressions: [{key: foo, operator: Exists}]}]}}}}",
       true},
      {"Pod with an Affinity matches node's labels but the PodSpec.NodeSelector(the old thing that we are "
       "deprecating) is not satisfied, won't schedule onto the node",
       {{"foo", "barrrrrr"}},
       "{nodeSelector: {foo: bar}, affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: "
       "{nodeSelectorTerms: [{matchExpressions: [{key: foo, operator: Exists}]}]}}}}",
       false},
      {"Pod with an invalid value in Affinity term won't be scheduled onto the node",
       {{"foo", "bar"}},
       required("[{matchExpressions: [{key: foo, operator: NotIn, values: ['invalid value: ___@#$%^']}]}]"),
       false},
      // helpers_test.go, TestMatchNodeSelectorTerms: a label named like a field is only a label.
      {"labelSelectorTerm with node fields",
       {},
       required("[{matchExpressions: [{key: metadata.name, operator: In, values: [host_1]}]}]"),
       false},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(node_takes(c.node, c.spec) == c.takes);
  }
}

TEST_CASE("node selection compares keys and values as written, and Gt and Lt as integers") {
  CHECK_FALSE(node_takes({{"kubernetes.azure.com/os-sku", "AzureLinux"}},
                         "{nodeSelector: {kubernetes.azure.com/os-sku: azurelinux}}"));
  CHECK_FALSE(node_takes({{"Foo", "bar"}}, "{nodeSelector: {foo: bar}}"));
  CHECK_FALSE(
      node_takes({{"foo", "bar"}}, required("[{matchExpressions: [{key: foo, operator: in, values: [bar]}]}]")));
  const std::string lt_ten = required("[{matchExpressions: [{key: cores, operator: Lt, values: ['10']}]}]");
  CHECK(node_takes({{"cores", "9"}}, lt_ten));
  CHECK_FALSE(node_takes({{"cores", "10"}}, lt_ten));
  CHECK_FALSE(node_takes({{"cores", "100"}}, lt_ten));  // not a string comparison
  CHECK_FALSE(node_takes({{"cores", "nine"}}, lt_ten));
  CHECK_FALSE(node_takes({}, lt_ten));
  // A bound that is not one integer is refused by the API server: no node takes the term.
  CHECK_FALSE(node_takes({{"cores", "9"}}, required("[{matchExpressions: [{key: cores, operator: Lt, values: ['1', "
                                                    "'20']}]}]")));
  CHECK_FALSE(
      node_takes({{"cores", "9"}}, required("[{matchExpressions: [{key: cores, operator: Gt, values: [x]}]}]")));
  // Exists with values, and NotIn without, are refused too.
  CHECK_FALSE(
      node_takes({{"foo", "bar"}}, required("[{matchExpressions: [{key: foo, operator: Exists, values: [bar]}]}]")));
  CHECK_FALSE(node_takes({{"foo", "bar"}}, required("[{matchExpressions: [{key: foo, operator: NotIn}]}]")));
  CHECK(node_takes({}, required("[{matchExpressions: [{key: foo, operator: DoesNotExist}]}]")));
}

TEST_CASE("matchFields name nodes, which a manifest does not know: such a term is taken to hold") {
  // Kubernetes judges these by the node's name (TestPodMatchesNodeSelectorAndAffinityTerms, "Pod
  // with matchFields ..."); here the name is unknown, so the labels decide.
  const std::string fields_only = "{matchFields: [{key: metadata.name, operator: In, values: [node_1]}]}";
  CHECK(node_takes({}, required("[" + fields_only + "]")));
  CHECK(node_takes({{"foo", "bar"}}, required("[{matchFields: [{key: metadata.name, operator: In, values: [node_1]}], "
                                              "matchExpressions: [{key: foo, operator: In, values: [bar]}]}]")));
  CHECK_FALSE(node_takes({{"foo", "baz"}}, required("[{matchFields: [{key: metadata.name, operator: In, values: "
                                                    "[node_1]}], matchExpressions: [{key: foo, operator: In, values: "
                                                    "[bar]}]}]")));
}

TEST_CASE("the unmet requirement is the nodeSelector's, else the first failing term's") {
  auto documents = parse_yaml_documents(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  affinity:\n    nodeAffinity:\n"
      "      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n"
      "        - {}\n"
      "        - matchExpressions: [{key: a, operator: Exists}, {key: b, operator: In, values: ['1']}]\n"
      "        - matchExpressions: [{key: c, operator: Exists}]\n",
      1);
  const YamlTree& tree = documents.at(0).tree;
  const Workload workload = read_workload(tree, find_objects(tree).objects.at(0));
  const NodeRequirements requirements = node_requirements(tree, workload.pods.at(0));
  const std::vector<std::string> none;
  auto unmet = first_unmet(requirements, [&](std::string_view key) { return key == "a" ? nullptr : &none; });
  REQUIRE(unmet);
  CHECK(unmet->key == "b");
  CHECK(unmet->pointer ==
        "/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/"
        "nodeSelectorTerms/1/matchExpressions/1");
  CHECK(unmet->entry == "values");
  // What the profile does not describe rules nothing out.
  CHECK_FALSE(first_unmet(requirements, [](std::string_view) { return nullptr; }));
}

TEST_CASE("tolerations follow Kubernetes' TestTolerationToleratesTaint cases") {
  struct TolerationCase {
    const char* name;
    const char* toleration;
    Taint taint;
    bool tolerated;
  };
  const TolerationCase cases[] = {
      {"toleration and taint have the same key and effect, and operator is Exists, and taint has no value, expect "
       "tolerated",
       "{key: foo, operator: Exists, effect: NoSchedule}",
       {"foo", "", "NoSchedule"},
       true},
      {"toleration and taint have the same key and effect, and operator is Exists, and taint has some value, expect "
       "tolerated",
       "{key: foo, operator: Exists, effect: NoSchedule}",
       {"foo", "bar", "NoSchedule"},
       true},
      {"toleration and taint have the same effect, toleration has empty key and operator is Exists, means match all "
       "taints, expect tolerated",
       "{key: '', operator: Exists, effect: NoSchedule}",
       {"foo", "bar", "NoSchedule"},
       true},
      {"toleration and taint have the same key, effect and value, and operator is Equal, expect tolerated",
       "{key: foo, operator: Equal, value: bar, effect: NoSchedule}",
       {"foo", "bar", "NoSchedule"},
       true},
      {"toleration and taint have the same key and effect, but different values, and operator is Equal, expect not "
       "tolerated",
       "{key: foo, operator: Equal, value: value1, effect: NoSchedule}",
       {"foo", "value2", "NoSchedule"},
       false},
      {"toleration and taint have the same key and value, but different effects, and operator is Equal, expect not "
       "tolerated",
       "{key: foo, operator: Equal, value: bar, effect: NoSchedule}",
       {"foo", "bar", "NoExecute"},
       false},
      // Not Kubernetes' names: an empty operator is Equal, an empty effect any effect, and an
      // operator Kubernetes does not know (here lower case) tolerates nothing.
      {"empty operator means Equal", "{key: foo, value: bar}", {"foo", "bar", "NoExecute"}, true},
      {"empty operator with another value", "{key: foo}", {"foo", "bar", "NoSchedule"}, false},
      {"unknown operator", "{key: foo, operator: exists}", {"foo", "bar", "NoSchedule"}, false},
      // Gt and Lt are behind the TaintTolerationComparisonOperators feature gate, off by default.
      {"Gt without the feature gate", "{key: sla, operator: Gt, value: '750'}", {"sla", "950", "NoSchedule"}, false},
  };
  for (const TolerationCase& c : cases) {
    INFO(c.name);
    auto documents = parse_yaml_documents(std::string("tolerations: [") + c.toleration + "]\n", 1);
    const YamlTree& tree = documents.at(0).tree;
    CHECK(tolerates(tree, tree.get(tree.root(), "tolerations"), c.taint) == c.tolerated);
  }
}
