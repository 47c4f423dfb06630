// Stage 3: objects, List expansion, the kind -> pod spec table, Windows-only workloads.
#include <catch2/catch.hpp>

#include "immutalint/kube_object.hpp"
#include "immutalint/pod_spec.hpp"
#include "immutalint/yaml_parse.hpp"

using namespace immutalint;

namespace {

ParsedDocument parse_one(const std::string& text) {
  auto documents = parse_yaml_documents(text, 1);
  REQUIRE(documents.size() == 1);
  REQUIRE_FALSE(documents[0].error);
  return std::move(documents.front());
}

}  // namespace

TEST_CASE("YAML without apiVersion and kind is not a Kubernetes object") {
  auto doc = parse_one("name: CI\non: [push]\njobs: {}\n");
  auto objects = find_objects(doc.tree);
  CHECK_FALSE(objects.kubernetes);
  CHECK(objects.objects.empty());
  CHECK(objects.problems.empty());
}

TEST_CASE("a document that is a list of objects is reported as not an object") {
  auto doc = parse_one("- name: first\n- apiVersion: v1\n  kind: Pod\n");
  auto objects = find_objects(doc.tree);
  CHECK(objects.kubernetes);
  REQUIRE(objects.problems.size() == 1);
  CHECK_THAT(objects.problems[0].message, Catch::Contains("is a list, not a Kubernetes object"));
}

TEST_CASE("any other list is not Kubernetes YAML and is skipped silently") {
  // An Ansible playbook, and node pools as `az aks nodepool list -o json` prints them.
  for (const char* text :
       {"- hosts: all\n  tasks:\n  - name: ping\n    ping: {}\n",
        "[{\"name\": \"np1\", \"vmSize\": \"Standard_D2s_v3\", \"osSku\": \"Ubuntu\"}]\n", "- a\n- b\n"}) {
    auto doc = parse_one(text);
    auto objects = find_objects(doc.tree);
    CHECK_FALSE(objects.kubernetes);
    CHECK(objects.problems.empty());
  }
}

TEST_CASE("List items are objects of their own, with their pointer") {
  auto doc = parse_one(
      "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a, namespace: ns}\n"
      "- null\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: b}\n");
  auto objects = find_objects(doc.tree);
  REQUIRE(objects.objects.size() == 2);
  CHECK(objects.objects[0].ref.kind == "Pod");
  CHECK(objects.objects[0].ref.namespace_ == "ns");
  CHECK(objects.objects[0].pointer == "/items/0");
  CHECK(objects.objects[1].ref.name == "b");
  CHECK(objects.objects[1].pointer == "/items/2");
}

TEST_CASE("typed lists such as RoleList are expanded too") {
  auto doc = parse_one(
      "apiVersion: rbac.authorization.k8s.io/v1\nitems:\n- apiVersion: rbac.authorization.k8s.io/v1\n"
      "  kind: Role\n  metadata: {name: r}\nkind: RoleList\n");
  auto objects = find_objects(doc.tree);
  REQUIRE(objects.objects.size() == 1);
  CHECK(objects.objects[0].ref.kind == "Role");
}

TEST_CASE("every workload kind maps to its pod template path") {
  struct Case {
    const char* api_version;
    const char* kind;
    const char* path;
  };
  for (auto c : {Case{"v1", "Pod", "."}, Case{"v1", "PodTemplate", "template"},
                 Case{"v1", "ReplicationController", "spec.template"}, Case{"apps/v1", "Deployment", "spec.template"},
                 Case{"apps/v1", "ReplicaSet", "spec.template"}, Case{"apps/v1", "StatefulSet", "spec.template"},
                 Case{"apps/v1", "DaemonSet", "spec.template"}, Case{"batch/v1", "Job", "spec.template"},
                 Case{"batch/v1", "CronJob", "spec.jobTemplate.spec.template"},
                 Case{"extensions/v1beta1", "DaemonSet", "spec.template"}}) {
    INFO(c.kind);
    const WorkloadKind* kind = find_workload_kind(c.api_version, c.kind);
    REQUIRE(kind);
    CHECK(kind->path == c.path);
    CHECK(kind->layout == PodLayout::Template);
    CHECK_FALSE(check_pod_template_path(kind->path));
  }
  CHECK(find_workload_kind("v1", "ConfigMap") == nullptr);
  CHECK(find_workload_kind("example.com/v1", "Deployment") == nullptr);
}

TEST_CASE("the workload table is sorted by group and kind") {
  auto kinds = workload_kinds();
  for (std::size_t i = 1; i < kinds.size(); ++i) {
    CHECK(std::tie(kinds[i - 1].group, kinds[i - 1].kind) < std::tie(kinds[i].group, kinds[i].kind));
  }
}

TEST_CASE("containers know whether they are init or ephemeral containers") {
  auto doc = parse_one(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers: [{name: i}]\n"
      "  containers: [{name: c, volumeMounts: [{name: v, readOnly: true}, {name: w}]}]\n"
      "  ephemeralContainers: [{name: e}]\n  volumes: [{name: v, hostPath: {path: /x}}]\n");
  auto objects = find_objects(doc.tree);
  REQUIRE(objects.objects.size() == 1);
  auto workload = read_workload(doc.tree, objects.objects[0]);
  REQUIRE(workload.pods.size() == 1);
  const auto& containers = workload.pods[0].containers;
  REQUIRE(containers.size() == 3);
  CHECK(containers[0].kind == ContainerKind::Container);
  CHECK(containers[0].pointer == "/spec/containers/0");
  REQUIRE(containers[0].mounts.size() == 2);
  CHECK(containers[0].mounts[0].read_only);
  CHECK_FALSE(containers[0].mounts[1].read_only);
  CHECK(containers[1].kind == ContainerKind::InitContainer);
  CHECK(containers[2].kind == ContainerKind::EphemeralContainer);
  CHECK(workload.pods[0].volumes.size() == 1);
}

TEST_CASE("a container list written as a mapping is a shape problem") {
  auto doc = parse_one("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    name: c\n");
  auto objects = find_objects(doc.tree);
  auto workload = read_workload(doc.tree, objects.objects[0]);
  REQUIRE(workload.problems.size() == 1);
  CHECK(workload.problems[0].pointer == "/spec/containers");
  CHECK(workload.problems[0].span.begin == Mark{5, 3});
}

TEST_CASE("a quoted boolean is a shape problem") {
  auto doc =
      parse_one("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: \"true\"\n  containers: []\n");
  auto workload = read_workload(doc.tree, find_objects(doc.tree).objects[0]);
  REQUIRE(workload.problems.size() == 1);
  CHECK_THAT(workload.problems[0].message, Catch::Contains("must be a boolean"));
}

TEST_CASE("a null pod template means no pod spec, not a problem") {
  auto doc = parse_one("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  jobTemplate:\n    spec:\n");
  auto workload = read_workload(doc.tree, find_objects(doc.tree).objects[0]);
  CHECK(workload.kind != nullptr);
  CHECK(workload.pods.empty());
  CHECK(workload.problems.empty());
}

TEST_CASE("pods pinned to Windows nodes are recognised") {
  const char* windows[] = {
      "spec: {os: {name: windows}}",
      "spec: {nodeSelector: {kubernetes.io/os: windows}}",
      "spec: {affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: "
      "[{matchExpressions: [{key: kubernetes.io/os, operator: In, values: [windows]}]}]}}}}",
  };
  for (const char* spec : windows) {
    INFO(spec);
    auto doc = parse_one(std::string("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n") + spec + "\n");
    auto workload = read_workload(doc.tree, find_objects(doc.tree).objects[0]);
    REQUIRE(workload.pods.size() == 1);
    CHECK(runs_only_on_windows(doc.tree, workload.pods[0]));
  }
  const char* linux_or_any[] = {
      "spec: {nodeSelector: {kubernetes.io/os: linux}}",
      "spec: {affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: "
      "[{matchExpressions: [{key: kubernetes.io/os, operator: In, values: [windows, linux]}]}]}}}}",
      "spec: {containers: []}",
  };
  for (const char* spec : linux_or_any) {
    INFO(spec);
    auto doc = parse_one(std::string("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n") + spec + "\n");
    auto workload = read_workload(doc.tree, find_objects(doc.tree).objects[0]);
    REQUIRE(workload.pods.size() == 1);
    CHECK_FALSE(runs_only_on_windows(doc.tree, workload.pods[0]));
  }
}
