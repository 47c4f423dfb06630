// Input that once made the pipeline silently wrong or slow: Node objects the pool scan did not
// see, az pool lists dropped for one bad entry, decoy copies of an object, and aliases that fan
// one job out into thousands of pods.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "immutalint/kube_object.hpp"
#include "immutalint/node_pools.hpp"
#include "immutalint/scheduling_pools.hpp"
#include "immutalint/yaml_parse.hpp"
#include "test_support.hpp"

using namespace immutalint;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string hostile(const std::string& name) {
  return test::source_dir() + "/testdata/hostile/" + name;
}

/// The pools scan_pools finds in one file holding `text`.
std::vector<SchedulingPool> pools_in(const std::string& text, const std::string& file_name = "nodes.yaml") {
  const std::string dir = test::make_temp_dir();
  test::write_file(dir + "/" + file_name, text);
  InputSet inputs;
  inputs.files.push_back({file_name, dir + "/" + file_name});
  auto pools = scan_pools(inputs, *NodeOsRules::builtin(), *TargetSet::builtin(), {});
  fs::remove_all(dir);
  return pools;
}

/// True when the text parses to at least one object of kind Node in the core group, as the lint
/// pipeline reads it.
bool parses_to_node(const std::string& text) {
  for (const ParsedDocument& doc : parse_yaml_documents(text, 1)) {
    if (doc.error || doc.empty) continue;
    for (const auto& object : find_objects(doc.tree).objects) {
      if (object.ref.kind == "Node" && api_group(object.ref.api_version).empty()) return true;
    }
  }
  return false;
}

const std::string kNodeRest =
    "metadata:\n"
    "  name: n1\n"
    "  labels: {kubernetes.azure.com/agentpool: flat, kubernetes.io/os: linux, kubernetes.azure.com/os-sku: Flatcar}\n"
    "status: {nodeInfo: {osImage: \"Flatcar Container Linux by Kinvolk 3975.2.0\", kernelVersion: \"6.1\"}}\n";

/// A Node's kind, however YAML and JSON let it be written: each, with the rest of a Node of pool
/// "flat", is a Node to the parser.
const std::vector<std::string> kNodeKinds = {
    "kind: Node\n",
    "kind:                                  Node\n",
    "kind:\tNode\n",
    "kind: \"N\\u006fde\"\n",
    "kind: \"N\\u006Fde\"\n",
    "kind: \"\\u004e\\u006f\\u0064\\u0065\"\n",
    "kind: \"\\x4eode\"\n",
    "kind: \"N\\x6fde\"\n",
    "kind: \"\\U0000004eode\"\n",
    "kind: \"No\\\n    de\"\n",    // an escaped line break joins the lines
    "kind: \"No\\\r\n    de\"\n",  // the same with a CRLF line end
    "kind: 'Node'\n",
    "kind: \"Node\"\n",
    "\"kind\": Node\n",
    "? kind\n: Node\n",
    "kind: # the kind\n  Node\n",
    "kind: !!str Node\n",
    "kind: |-\n  Node\n",
    "kind: &kind Node\n",
    "kind: Node # a comment\n",
    "kind: Node\t# a comment after a tab\n",
    "kind: Node   \n",
    "kind: Node\r\n",
    "kind: \"Node\\\n  \"\n",      // an escaped line break before the closing quote
    "kind: \"No\\\n\\\n  de\"\n",  // two in a row
    "kind: \"\\\n  Node\"\n",
    "kind: !<tag:yaml.org,2002:str> Node\n",
    "kind: &kind !!str Node\n",
    "kind: # a comment that ends in a backslash \\\n  Node\n",
    "ki\\u006ed: Node\n",  // a plain key is not unescaped: not `kind`, so the test below skips it
    "\"ki\\u006ed\": \"N\\u006fde\"\n",
};

}  // namespace

TEST_CASE("the pool pre-filter lets through every spelling of a Node kind that the parser reads") {
  for (const std::string& kind : kNodeKinds) {
    const std::string text = "apiVersion: v1\n" + kind + kNodeRest;
    INFO(text);
    if (!parses_to_node(text)) {
      CHECK(kind.starts_with("ki\\u006ed: "));  // the only spelling above that is not a Node
      continue;
    }
    CHECK(may_hold_pools(text));
    const auto pools = pools_in(text);
    REQUIRE(pools.size() == 1);
    CHECK(pools.front().name == "flat");
    CHECK(pools.front().target->name() == "aks-acl");
  }
}

TEST_CASE("the pool pre-filter lets through Node objects in JSON and flow mappings") {
  const std::string labels =
      R"("labels": {"kubernetes.azure.com/agentpool": "flat", "kubernetes.azure.com/os-sku": "Flatcar"})";
  for (const std::string& text : std::vector<std::string>{
           R"({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1", )" + labels + "}}",
           R"({"apiVersion":"v1","kind":"N\u006fde","metadata":{"name":"n1",)" + labels + "}}",
           R"({"apiVersion": "v1", "kind" :   "\u004E\u006F\u0064\u0065", "metadata": {"name": "n1", )" + labels + "}}",
           "{apiVersion: v1, kind: Node, metadata: {name: n1, labels: {kubernetes.azure.com/agentpool: flat}}}",
           "{apiVersion: v1, \"kind\":Node, metadata: {name: n1, labels: {kubernetes.azure.com/agentpool: flat}}}",
           "{apiVersion: v1, kind:\n   Node , metadata: {name: n1, labels: {kubernetes.azure.com/agentpool: flat}}}",
           "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Node, metadata: {name: n1, labels: "
           "{kubernetes.azure.com/agentpool: flat}}}\n",
       }) {
    INFO(text);
    REQUIRE(parses_to_node(text));
    CHECK(may_hold_pools(text));
    const auto pools = pools_in(text, "nodes.json");
    REQUIRE(pools.size() == 1);
    CHECK(pools.front().name == "flat");
  }
}

TEST_CASE("the pool pre-filter lets through az pool output whatever the case or escapes of vmSize") {
  for (const std::string_view vm_size : {"vmSize", "vmsize", "VMSIZE", "vm\\u0053ize", "\\u0076mSize"}) {
    const std::string text = "[{\"name\": \"flat\", \"" + std::string(vm_size) +
                             "\": \"Standard_D4s_v5\", \"osType\": \"Linux\", \"osSku\": \"AzureContainerLinux\"}]";
    INFO(text);
    CHECK(may_hold_pools(text));
    const auto pools = pools_in(text, "pools.json");
    REQUIRE(pools.size() == 1);
    CHECK(pools.front().name == "flat");
  }
}

TEST_CASE("the pool pre-filter still skips documents that cannot hold a pool") {
  for (const std::string& text : {
           std::string("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {type: NodePort}\n"),
           std::string("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {nodeName: n1, nodeSelector: {}}\n"),
           std::string("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  run.sh: \"printf 'a\\\\nb' \\\n"
                       "    | tee /x\"\n  page: \"\\u003cb\\u003e\"\n"),
           std::string("groups: [{alert: NodeFilesystemSpaceFillingUp}, {alert: KubeNodeNotReady}]\n"),
           std::string("{\"title\": \"Kubernetes / Node Exporter\", \"description\": \"Node \\u0026 pod\"}\n"),
           std::string("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  help: Node exporter metrics\n"),
           std::string("{\"panels\": [{\"title\": \"Duration From Node\"}, {\"title\": \"Object Node\"}]}\n"),
           std::string("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  run.sh: |\n    curl -fsSL \\\n"
                       "      https://example.com/install.sh | sh\n"),
           std::string("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {size: '\\x41ize'}\n"),
       }) {
    INFO(text);
    CHECK_FALSE(may_hold_pools(text));
  }
}

TEST_CASE("Node objects spelled with blanks or escapes give their pool to --target auto") {
  for (const std::string file : {"normal.yaml", "spaced.yaml", "escaped.yaml"}) {
    INFO(file);
    auto run = test::run_cli({"--no-config", "--target", "auto", "--format", "json", "--fail-on", "never",
                              hostile("pool-prefilter-misses-valid-node-documents/" + file)});
    REQUIRE(run.exit_code == 0);
    CHECK(json::parse(run.out)["targets"] == json::array({"aks-acl"}));
    CHECK(run.err.empty());
  }
}

TEST_CASE("one malformed entry of az aks nodepool list leaves the other pools and is reported") {
  const std::string dir = hostile("az-pool-list-one-bad-entry-drops-all-pools");
  auto documents = parse_yaml_documents(test::read_file(dir + "/pools-one-entry-without-vmsize.json"), 1);
  REQUIRE(documents.size() == 1);
  auto read = read_node_pools(documents[0].tree, "pools.json");
  REQUIRE(read);
  REQUIRE(read->pools.size() == 2);
  CHECK(read->pools[0].name == "flat");
  CHECK(read->pools[1].name == "sys");
  REQUIRE(read->problems.size() == 1);
  CHECK(read->problems[0].pointer == "/2");
  CHECK(read->problems[0].span.begin.line == 19);
  CHECK_THAT(read->problems[0].message, Catch::Contains("node pool \"virtual\"") && Catch::Contains("no vmSize"));

  for (const std::string pools : {"pools-ok.json", "pools-one-entry-without-vmsize.json"}) {
    INFO(pools);
    auto run = test::run_cli({"--no-config", "--target", "auto", "--format", "json", pools, "workload.yaml"}, {}, dir);
    const json report = json::parse(run.out);
    CHECK(report["targets"] == json::array({"aks-acl", "ubuntu"}));
    std::vector<std::string> invalid;
    for (const auto& finding : report["findings"]) {
      if (finding["check"] == "invalid-input") invalid.push_back(finding["message"].get<std::string>());
    }
    if (pools == "pools-ok.json") {
      CHECK(invalid.empty());
    } else {
      REQUIRE(invalid.size() == 1);
      CHECK_THAT(invalid[0], Catch::Contains("no vmSize") && Catch::Contains("left out"));
    }
    CHECK(run.exit_code == 1);
  }
}

TEST_CASE("each bad entry of a pool list or a cluster's agentPoolProfiles says what it lacks") {
  const std::string good = R"({"name": "a", "vmSize": "Standard_D4s_v5", "osSku": "Ubuntu"})";
  const auto problems_of = [](const std::string& text) {
    auto documents = parse_yaml_documents(text, 1);
    REQUIRE(documents.size() == 1);
    auto read = read_node_pools(documents[0].tree, "pools.json");
    REQUIRE(read);
    CHECK(read->pools.size() == 1);
    std::vector<std::string> messages;
    for (const auto& problem : read->problems) messages.push_back(problem.message);
    return messages;
  };
  auto list = problems_of("[" + good + R"(, {"vmSize": "x", "mode": "User"}, "b", {"name": "c", "vmSize": "y"}])");
  REQUIRE(list.size() == 3);
  CHECK_THAT(list[0], Catch::Contains("entry 1 ") && Catch::Contains("no name"));
  CHECK_THAT(list[1], Catch::Contains("entry 2 ") && Catch::Contains("is a string"));
  CHECK_THAT(list[2], Catch::Contains("node pool \"c\"") && Catch::Contains("none of osType"));
  auto cluster = problems_of(R"({"name": "shop", "agentPoolProfiles": [)" + good + R"(, {"name": "d"}]})");
  REQUIRE(cluster.size() == 1);
  CHECK_THAT(cluster[0], Catch::Contains("az aks show") && Catch::Contains("no vmSize"));
}

TEST_CASE("of two ConfigMaps of the same name the last in input order is the one a workload runs") {
  auto run = test::run_cli({"--no-config", "--show-notes", "."}, {}, hostile("duplicate-configmap-first-wins-decoy"),
                           "NO_COLOR=1");
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.out, Catch::Contains("[host-binary-install]") &&
                          Catch::Contains("runs `cp /payload/agent /host/usr/bin/agent` in script \"run.sh\" of "
                                          "ConfigMap ns/scripts (99-real.yaml:7)"));
  CHECK_THAT(run.out, Catch::Contains("00-decoy.yaml:1:1: note: ConfigMap ns/scripts is defined again at "
                                      "99-real.yaml:1; kubectl apply keeps the last definition, so this one is "
                                      "replaced [duplicate-object]"));
  CHECK_THAT(run.out, Catch::Contains("evidence: the definition kubectl apply keeps (99-real.yaml:1)"));
  // Nothing else is defined twice.
  CHECK(run.out.find("[duplicate-object]") == run.out.rfind("[duplicate-object]"));
}

TEST_CASE("the index and duplicate-object give the same answer whatever the number of jobs") {
  const std::string dir = test::make_temp_dir();
  for (int i = 0; i < 40; ++i) {
    std::string text;
    for (int j = 0; j < 5; ++j) {
      text += fmt::format(
          "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: scripts-{}, namespace: ns}}\ndata:\n"
          "  run.sh: |\n    cp /payload/{}-{} /host/usr/bin/agent-{}\n---\n",
          j, i, j, j);
    }
    test::write_file(dir + fmt::format("/{:02}-maps.yaml", i), text);
  }
  std::string app;
  for (int j = 0; j < 5; ++j) {
    app += fmt::format(
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {{name: agent-{0}, namespace: ns}}\nspec:\n  template:\n"
        "    spec:\n      containers:\n        - name: c\n          image: busybox\n"
        "          command: [sh, /scripts/run.sh]\n"
        "          volumeMounts: [{{name: s, mountPath: /scripts}}, {{name: h, mountPath: /host/usr}}]\n"
        "      volumes: [{{name: s, configMap: {{name: scripts-{0}}}}}, {{name: h, hostPath: {{path: /usr}}}}]\n---\n",
        j);
  }
  test::write_file(dir + "/20-app.yaml", app);
  auto one = test::run_cli({"--no-config", "--jobs", "1", "--format", "json", "."}, {}, dir);
  auto four = test::run_cli({"--no-config", "--jobs", "4", "--format", "json", "."}, {}, dir);
  CHECK(one.out == four.out);
  const json report = json::parse(one.out);
  std::size_t duplicates = 0;
  std::size_t installs = 0;
  for (const auto& finding : report["findings"]) {
    if (finding["check"] == "duplicate-object") ++duplicates;
    if (finding["check"] != "host-binary-install") continue;
    ++installs;
    // The last file's script, 39-maps.yaml, is the one that runs.
    CHECK_THAT(finding["evidence"][0]["text"].get<std::string>(), Catch::Contains("/payload/39-"));
  }
  // Each file's five copies of the next file's ConfigMaps are one finding.
  CHECK(duplicates == 39);
  CHECK(installs == 5);
  fs::remove_all(dir);
}

TEST_CASE("duplicate-object reports every earlier copy of any object and nothing that differs") {
  const std::string text = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, uid: d1}
spec: {template: {spec: {containers: [{name: c, image: i}]}}}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-1
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, controller: true}]
spec: {template: {spec: {containers: [{name: c, image: i}]}}}
---
apiVersion: v1
kind: List
items:
  - {apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: shop}}
  - apiVersion: apps/v1
    kind: ReplicaSet
    metadata:
      name: web-1
      namespace: shop
      ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, controller: true}]
  - {apiVersion: v1, kind: Service, metadata: {name: web}}
  - {apiVersion: v1, kind: Service, metadata: {name: web, namespace: shop}}
  - {apiVersion: v1, kind: Service, metadata: {name: web, namespace: other}}
  - {apiVersion: extensions/v1beta1, kind: Deployment, metadata: {name: web, namespace: shop}}
  - {apiVersion: batch/v1, kind: Job, metadata: {generateName: run-, namespace: shop}}
  - {apiVersion: batch/v1, kind: Job, metadata: {generateName: run-, namespace: shop}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec: {template: {spec: {containers: [{name: c, image: i}]}}}
)";
  auto result = test::lint_text(text, "dump.yaml");
  std::vector<Finding> reported;
  for (const auto& finding : result.findings.all()) {
    if (finding.check == check_id(CheckRole::DuplicateObject)) reported.push_back(finding);
  }
  // The copies one file makes are one finding, at the first replaced object, the others its
  // evidence: both Deployments before the last, and the owned ReplicaSet (an object like any
  // other). The Services in three namespaces, the older API group's Deployment and the Jobs
  // named by generateName are not copies.
  REQUIRE(reported.size() == 1);
  const Finding& finding = reported[0];
  CHECK(finding.severity == Severity::Note);
  REQUIRE(finding.object);
  CHECK(finding.object->describe() == "Deployment shop/web");
  CHECK(finding.span.begin == Mark{1, 1});
  CHECK(finding.message ==
        "Deployment shop/web and 2 more definitions of this file are replaced by later ones in this file; kubectl "
        "apply keeps the last definition of each object");
  std::vector<std::string> evidence;
  for (const auto& item : finding.evidence) {
    evidence.push_back(fmt::format("{} {}:{}", item.text, item.place.span.begin.line, item.place.span.begin.column));
  }
  CHECK(evidence == std::vector<std::string>{"the next definition 17:5", "the definition kubectl apply keeps 31:1",
                                             "ReplicaSet shop/web-1 is replaced too 6:1",
                                             "Deployment shop/web is replaced too 17:5"});
}

TEST_CASE("an ignore-check annotation accepts duplicate-object on the copy it is on") {
  const std::string text =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n"
      "    ignore-check.immutalint.io/duplicate-object: \"the overlay replaces it\"\n---\n"
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n";
  auto result = test::lint_text(text);
  std::size_t duplicates = 0;
  for (const auto& finding : result.findings.all()) {
    if (finding.check != check_id(CheckRole::DuplicateObject)) continue;
    ++duplicates;
    CHECK(finding.suppressed());
  }
  CHECK(duplicates == 1);
  CHECK(result.summary.warnings == 0);
  auto disabled = test::run_cli({"--no-config", "--disable", "duplicate-object", "--stdin-filename", "a.yaml", "-"},
                                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n"
                                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");
  CHECK(disabled.exit_code == 0);
  CHECK(disabled.out.find("duplicate-object") == std::string::npos);
}

namespace {

/// A JobSet whose replicatedJobs list aliases one job `aliases` times, as gen.py writes it; without
/// `anchor`, the job is the one an earlier JobSet of the document anchors.
std::string aliased_jobset(std::size_t aliases, const std::string& name = "js", bool anchor = true) {
  std::string text = "apiVersion: jobset.x-k8s.io/v1alpha2\nkind: JobSet\nmetadata: {name: " + name +
                     ", namespace: ns}\n" +
                     (anchor ? "t: &t {template: {spec: {template: {spec: {hostPID: true, containers: [{name: c, "
                               "image: i, command: [sh, -c, 'cp a /host/usr/bin/b'], volumeMounts: [{name: h, "
                               "mountPath: /host/usr}]}], volumes: [{name: h, hostPath: {path: /usr}}]}}}}}\n"
                             : "") +
                     "spec:\n  replicatedJobs: [";
  for (std::size_t i = 0; i < aliases; ++i) text += i == 0 ? "*t" : ", *t";
  return text + "]\n";
}

std::vector<Finding> findings_of(const LintResult& result, std::string_view check) {
  std::vector<Finding> found;
  for (auto& finding : result.findings.all()) {
    if (finding.check == check) found.push_back(std::move(finding));
  }
  return found;
}

}  // namespace

TEST_CASE("a JobSet that aliases one job thousands of times is one finding and is not linted") {
  const auto start = std::chrono::steady_clock::now();
  auto result = test::lint_text(aliased_jobset(20000), "jobset.yaml");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  const auto invalid = findings_of(result, check_id(CheckRole::InvalidInput));
  REQUIRE(invalid.size() == 1);
  CHECK(invalid[0].message ==
        "aliases expand this JobSet to 20000 pods with 20000 containers, and the document repeats more than 1000 "
        "pods and containers through aliases; it is not linted");
  CHECK(invalid[0].span.begin.line == 2);
  CHECK(findings_of(result, "host-binary-install").empty());
  CHECK(result.summary.workloads == 0);
  // Before the budget, 20,000 pods took half a minute.
  CHECK(elapsed < std::chrono::seconds(2));
}

TEST_CASE("a few aliased jobs are linted like jobs written out") {
  auto result = test::lint_text(aliased_jobset(3), "jobset.yaml");
  CHECK(findings_of(result, check_id(CheckRole::InvalidInput)).empty());
  CHECK_FALSE(findings_of(result, "host-binary-install").empty());
  CHECK(result.summary.workloads == 1);
}

TEST_CASE("the alias budget is the document's, shared by its objects, and spares objects written out") {
  // Two JobSets of 200 aliases each (399 and 400 repeats) stay within it; a third passes it.
  std::string text = "apiVersion: v1\nkind: List\nitems:\n";
  for (const std::string name : {"a", "b", "c"}) {
    const std::string item = aliased_jobset(200, name, name == "a");
    // As List items, indented under `- `.
    std::string indented = "- ";
    for (char c : item) {
      indented += c;
      if (c == '\n') indented += "  ";
    }
    text += indented.substr(0, indented.size() - 2);
  }
  text += "- {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: i}]}}\n";
  auto result = test::lint_text(text, "list.yaml");
  const auto invalid = findings_of(result, check_id(CheckRole::InvalidInput));
  REQUIRE(invalid.size() == 1);
  REQUIRE(invalid[0].object);
  CHECK(invalid[0].object->name == "c");
  CHECK(result.summary.workloads == 3);  // a, b, and the Pod after c

  // Aliased containers count as much as aliased pods.
  std::string containers =
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nc: &c {name: c, image: i}\nspec:\n  containers: [";
  for (int i = 0; i < 1500; ++i) containers += i == 0 ? "*c" : ", *c";
  containers += "]\n";
  const auto rejected = findings_of(test::lint_text(containers), check_id(CheckRole::InvalidInput));
  REQUIRE(rejected.size() == 1);
  CHECK_THAT(rejected[0].message, Catch::StartsWith("aliases expand this Pod to 1 pod with 1500 containers"));
}
