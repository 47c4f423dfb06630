// Stage 3: objects, List expansion, the kind -> pod spec table, Windows-only workloads.
#include <catch2/catch.hpp>

#include "immutalint/kube_object.hpp"
#include "immutalint/pod_spec.hpp"
#include "immutalint/yaml_parse.hpp"
#include "test_support.hpp"

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
      // Every term must rule Linux out, and NotIn does so as well as In.
      "spec: {affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: "
      "[{matchExpressions: [{key: kubernetes.io/os, operator: NotIn, values: [linux]}]}, "
      "{matchExpressions: [{key: beta.kubernetes.io/os, operator: In, values: [windows]}]}]}}}}",
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
      "spec: {affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: "
      "[{matchExpressions: [{key: kubernetes.io/os, operator: In, values: [windows]}]}, "
      "{matchExpressions: [{key: kubernetes.io/arch, operator: In, values: [amd64]}]}]}}}}",
      "spec: {containers: []}",
      // No node at all takes it (values are case-sensitive): not a Windows pod either.
      "spec: {nodeSelector: {kubernetes.io/os: Windows}}",
  };
  for (const char* spec : linux_or_any) {
    INFO(spec);
    auto doc = parse_one(std::string("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n") + spec + "\n");
    auto workload = read_workload(doc.tree, find_objects(doc.tree).objects[0]);
    REQUIRE(workload.pods.size() == 1);
    CHECK_FALSE(runs_only_on_windows(doc.tree, workload.pods[0]));
  }
}

namespace {

Workload read_first(const ParsedDocument& doc, const WorkloadReading& reading = {}) {
  auto objects = find_objects(doc.tree);
  REQUIRE(objects.objects.size() == 1);
  return read_workload(doc.tree, objects.objects[0], reading);
}

std::vector<std::string> pod_pointers(const Workload& workload) {
  std::vector<std::string> pointers;
  for (const auto& pod : workload.pods) pointers.push_back(pod.pointer);
  return pointers;
}

}  // namespace

TEST_CASE("the kinds of OpenKruise, JobSet, Knative and Argo have their pod template paths") {
  struct Case {
    const char* api_version;
    const char* kind;
    const char* path;
    PodLayout layout;
  };
  for (auto c : {Case{"apps.kruise.io/v1alpha1", "CloneSet", "spec.template", PodLayout::Template},
                 Case{"apps.kruise.io/v1alpha1", "DaemonSet", "spec.template", PodLayout::Template},
                 Case{"apps.kruise.io/v1beta1", "DaemonSet", "spec.template", PodLayout::Template},
                 Case{"apps.kruise.io/v1alpha1", "StatefulSet", "spec.template", PodLayout::Template},
                 Case{"apps.kruise.io/v1beta1", "StatefulSet", "spec.template", PodLayout::Template},
                 Case{"jobset.x-k8s.io/v1alpha2", "JobSet", "spec.replicatedJobs[*].template.spec.template",
                      PodLayout::Template},
                 Case{"serving.knative.dev/v1", "Service", "spec.template", PodLayout::Template},
                 Case{"serving.knative.dev/v1", "Configuration", "spec.template", PodLayout::Template},
                 Case{"argoproj.io/v1alpha1", "Rollout", "spec.template", PodLayout::Template},
                 Case{"argoproj.io/v1alpha1", "Workflow", "spec", PodLayout::ArgoWorkflow},
                 Case{"argoproj.io/v1alpha1", "WorkflowTemplate", "spec", PodLayout::ArgoWorkflow},
                 Case{"argoproj.io/v1alpha1", "ClusterWorkflowTemplate", "spec", PodLayout::ArgoWorkflow},
                 Case{"argoproj.io/v1alpha1", "CronWorkflow", "spec.workflowSpec", PodLayout::ArgoWorkflow},
                 Case{"apps.openshift.io/v1", "DeploymentConfig", "spec.template", PodLayout::Template},
                 Case{"v1", "DeploymentConfig", "spec.template", PodLayout::Template}}) {
    INFO(c.api_version << " " << c.kind);
    const WorkloadKind* kind = find_workload_kind(c.api_version, c.kind);
    REQUIRE(kind);
    CHECK(kind->path == c.path);
    CHECK(kind->layout == c.layout);
  }
  // Knative's Service is not the core Service.
  CHECK(find_workload_kind("v1", "Service") == nullptr);
}

TEST_CASE("OpenKruise, Knative and Rollout pods are read at their template's spec") {
  for (const char* head :
       {"apiVersion: apps.kruise.io/v1alpha1\nkind: CloneSet\n",
        "apiVersion: apps.kruise.io/v1beta1\nkind: DaemonSet\n",
        "apiVersion: apps.kruise.io/v1beta1\nkind: StatefulSet\n",
        "apiVersion: serving.knative.dev/v1\nkind: Service\n", "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\n"}) {
    INFO(head);
    auto doc = parse_one(std::string(head) +
                         "metadata: {name: x}\nspec:\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n"
                         "      containers: [{name: c, image: i}]\n");
    auto workload = read_first(doc);
    REQUIRE(workload.pods.size() == 1);
    CHECK(workload.pods[0].pointer == "/spec/template/spec");
    CHECK(workload.pods[0].metadata_pointer == "/spec/template/metadata");
    REQUIRE(workload.pods[0].containers.size() == 1);
    CHECK(workload.pods[0].containers[0].pointer == "/spec/template/spec/containers/0");
  }
}

TEST_CASE("a JobSet has one pod per replicated job, each at its own lines") {
  auto doc = parse_one(test::read_file(test::source_dir() + "/testdata/workload-kinds/jobset-paralleljobs.yaml"));
  auto workload = read_first(doc);
  REQUIRE(workload.pods.size() == 2);
  CHECK(pod_pointers(workload) == std::vector<std::string>{"/spec/replicatedJobs/0/template/spec/template/spec",
                                                           "/spec/replicatedJobs/1/template/spec/template/spec"});
  // The driver's hostPID (line 31) belongs to the second pod only.
  const MapEntry* host_pid = doc.tree.find(workload.pods[1].node, "hostPID");
  REQUIRE(host_pid);
  CHECK(host_pid->key_span.begin.line == 31);
  CHECK(doc.tree.find(workload.pods[0].node, "hostPID") == nullptr);
  CHECK(doc.tree.node(workload.pods[0].containers[0].node).span.begin.line == 16);
  CHECK(doc.tree.node(workload.pods[1].containers[0].node).span.begin.line == 33);
}

TEST_CASE("each Argo template that runs a container is a pod") {
  auto doc = parse_one(
      "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: w}\nspec:\n"
      "  hostNetwork: true\n"
      "  nodeSelector: {pool: shared}\n"
      "  securityContext: {runAsUser: 1}\n"
      "  volumes:\n"
      "  - {name: shared, hostPath: {path: /var/lib/shared}}\n"
      "  - {name: unused, hostPath: {path: /var/lib/unused}}\n"
      "  templates:\n"
      "  - name: main\n"
      "    steps: [[{name: a, template: build}]]\n"
      "  - name: build\n"
      "    nodeSelector: {pool: build}\n"
      "    container: {image: i, volumeMounts: [{name: shared, mountPath: /s}]}\n"
      "    sidecars: [{name: helper, image: h, mirrorVolumeMounts: true}]\n"
      "    initContainers: [{name: prepare, image: p}]\n"
      "    volumes: [{name: own, emptyDir: {}}]\n"
      "  - name: script\n"
      "    securityContext: {runAsUser: 2}\n"
      "    script: {image: i, command: [sh], source: \"echo hi\\n\"}\n"
      "  - name: set\n"
      "    containerSet:\n"
      "      volumeMounts: [{name: shared, mountPath: /w}]\n"
      "      containers: [{name: a, image: i}, {name: b, image: i}]\n"
      "  - name: apply\n"
      "    resource: {action: apply, manifest: \"x\"}\n");
  auto workload = read_first(doc);
  CHECK(workload.problems.empty());
  REQUIRE(pod_pointers(workload) ==
          std::vector<std::string>{"/spec/templates/1", "/spec/templates/2", "/spec/templates/3"});
  const PodSpecView& build = workload.pods[0];
  REQUIRE(build.containers.size() == 3);
  CHECK(build.containers[0].name == "main");
  CHECK(build.containers[0].pointer == "/spec/templates/1/container");
  CHECK(build.containers[1].name == "helper");
  REQUIRE(build.containers[1].mounts.size() == 1);  // mirrored from the main container
  CHECK(build.containers[1].mounts[0].volume == "shared");
  CHECK(build.containers[2].kind == ContainerKind::InitContainer);
  // Its own volume, and the one workflow volume it mounts.
  REQUIRE(build.volumes.size() == 2);
  CHECK(build.volumes[0].pointer == "/spec/templates/1/volumes/0");
  CHECK(build.volumes[1].pointer == "/spec/volumes/0");
  // Placement from the template; hostNetwork and securityContext from the workflow.
  CHECK(build.holder_of(doc.tree, "nodeSelector").second == "/spec/templates/1");
  CHECK(build.holder_of(doc.tree, "securityContext").second == "/spec");
  CHECK(build.holder_of(doc.tree, "hostNetwork").second == "/spec");

  const PodSpecView& script = workload.pods[1];
  REQUIRE(script.containers.size() == 1);
  CHECK(script.containers[0].pointer == "/spec/templates/2/script");
  CHECK(doc.tree.scalar(script.containers[0].script) == "echo hi\n");
  CHECK(script.holder_of(doc.tree, "securityContext").second == "/spec/templates/2");
  CHECK(script.holder_of(doc.tree, "nodeSelector").second == "/spec");
  CHECK(script.volumes.empty());

  const PodSpecView& set = workload.pods[2];
  REQUIRE(set.containers.size() == 2);
  CHECK(set.containers[1].pointer == "/spec/templates/3/containerSet/containers/1");
  REQUIRE(set.containers[1].mounts.size() == 1);
  CHECK(set.containers[1].mounts[0].pointer == "/spec/templates/3/containerSet/volumeMounts/0");
  REQUIRE(set.volumes.size() == 1);
  CHECK(set.volumes[0].name == "shared");
}

TEST_CASE("a CronWorkflow's pods are in its workflowSpec") {
  auto doc = parse_one(
      "apiVersion: argoproj.io/v1alpha1\nkind: CronWorkflow\nmetadata: {name: c}\nspec:\n  schedules: ['* * * * *']\n"
      "  workflowSpec:\n    templates:\n    - name: t\n      container: {image: busybox}\n");
  auto workload = read_first(doc);
  CHECK(pod_pointers(workload) == std::vector<std::string>{"/spec/workflowSpec/templates/0"});
}

TEST_CASE("pod template paths are checked, with messages that say what is wrong") {
  for (const char* good : {".", "spec.template", "template", "spec.replicatedJobs[*].template.spec.template",
                           "spec.jobTemplate.spec.template", "spec.groups[*].pods[*]"}) {
    INFO(good);
    CHECK_FALSE(check_pod_template_path(good));
  }
  struct Bad {
    const char* path;
    const char* says;
  };
  for (auto bad :
       {Bad{"", "the path is empty"}, Bad{".spec.template", "write it as `spec.template`"},
        Bad{"spec..template", "empty field name"}, Bad{"spec.template.", "empty field name"},
        Bad{"spec.jobs[0].template", "only `[*]`"}, Bad{"spec.[*].template", "must follow a field name"},
        Bad{"spec.my template", "character paths cannot hold"}, Bad{"spec.template.spec", "ends at a pod spec"}}) {
    INFO(bad.path);
    auto why = check_pod_template_path(bad.path);
    REQUIRE(why);
    CHECK_THAT(*why, Catch::Contains(bad.says));
  }
  CHECK_THAT(check_pod_template_path("spec.template.spec").value_or(""), Catch::Contains("`spec.template`"));
}

TEST_CASE("configured kinds are checked and matched by group and version") {
  CustomWorkloadKind training{"example.com/*", "TrainingJob", {"spec.workers[*].template"}};
  CHECK_FALSE(check_custom_workload_kind(training));
  CHECK_FALSE(check_custom_workload_kind({"v1", "Thing", {"."}}));
  CHECK_THAT(check_custom_workload_kind({"example.com", "X", {"spec.template"}}).value_or(""),
             Catch::Contains("must be `group/version`"));
  CHECK_THAT(check_custom_workload_kind({"example.com/v1", "", {"spec.template"}}).value_or(""),
             Catch::Contains("needs a `kind`"));
  CHECK_THAT(check_custom_workload_kind({"example.com/v1", "X", {}}).value_or(""),
             Catch::Contains("no pod template paths"));
  CHECK_THAT(check_custom_workload_kind({"example.com/v1", "X", {"spec..t"}}).value_or(""),
             Catch::Contains("X: `spec..t` has an empty field name"));

  const std::vector<CustomWorkloadKind> kinds{training, {"example.org/v2", "Runner", {"spec.template"}}};
  CHECK(find_custom_workload_kind(kinds, "example.com/v1", "TrainingJob") == &kinds[0]);
  CHECK(find_custom_workload_kind(kinds, "example.com/v9beta1", "TrainingJob") == &kinds[0]);
  CHECK(find_custom_workload_kind(kinds, "other.com/v1", "TrainingJob") == nullptr);
  CHECK(find_custom_workload_kind(kinds, "example.org/v2", "Runner") == &kinds[1]);
  CHECK(find_custom_workload_kind(kinds, "example.org/v1", "Runner") == nullptr);
}

TEST_CASE("a configured kind reads its pods at its paths, and wins over a built-in kind") {
  auto doc = parse_one(
      "apiVersion: example.com/v1\nkind: TrainingJob\nmetadata: {name: t}\nspec:\n  workers:\n"
      "  - template: {spec: {containers: [{name: a, image: i}]}}\n"
      "  - template: {spec: {containers: [{name: b, image: i}]}}\n");
  const std::vector<CustomWorkloadKind> kinds{{"example.com/*", "TrainingJob", {"spec.workers[*].template"}}};
  auto workload = read_first(doc, {kinds, false});
  CHECK(workload.custom == &kinds[0]);
  CHECK(pod_pointers(workload) ==
        std::vector<std::string>{"/spec/workers/0/template/spec", "/spec/workers/1/template/spec"});

  // A Deployment declared with another path is read there, not at spec.template.
  auto deployment = parse_one(
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n"
      "  template: {spec: {containers: [{name: a, image: i}]}}\n"
      "  canary: {spec: {containers: [{name: b, image: i}]}}\n");
  const std::vector<CustomWorkloadKind> overriding{{"apps/v1", "Deployment", {"spec.canary"}}};
  auto read = read_first(deployment, {overriding, false});
  CHECK(read.kind == nullptr);
  CHECK(read.custom == &overriding[0]);
  CHECK(pod_pointers(read) == std::vector<std::string>{"/spec/canary/spec"});
}

TEST_CASE("discovery finds pod templates by their shape, only in objects of unknown kinds") {
  auto doc = parse_one(
      "apiVersion: example.com/v1\nkind: Pipeline\nmetadata:\n  name: p\n"
      "  annotations: {example.com/template: '{spec: {containers: [{image: x}]}}'}\n"
      "spec:\n  stages:\n  - runner:\n      metadata: {labels: {a: b}}\n      spec:\n"
      "        containers:\n        - name: run\n          image: busybox\n"
      "  - runner:\n      spec: {containers: [{name: run, image: busybox}]}\n"
      "  notATemplate: {spec: {containers: [{name: no-image}]}}\n");
  auto unchecked = read_first(doc);
  CHECK_FALSE(unchecked.known());
  CHECK(unchecked.pods.empty());
  CHECK(unchecked.discovered.empty());

  auto found = read_first(doc, {{}, true});
  CHECK(found.discovered == std::vector<std::string>{"spec.stages[*].runner"});
  CHECK(pod_pointers(found) == std::vector<std::string>{"/spec/stages/0/runner/spec", "/spec/stages/1/runner/spec"});
  CHECK(found.pods[0].metadata_pointer == "/spec/stages/0/runner/metadata");
  CHECK(found.pods[0].containers[0].name == "run");

  // Known kinds are read by their path only.
  auto known = parse_one(
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n"
      "  template: {spec: {containers: [{name: a, image: i}]}}\n"
      "  extra: {spec: {containers: [{name: b, image: i}]}}\n");
  auto deployment = read_first(known, {{}, true});
  CHECK(deployment.discovered.empty());
  CHECK(pod_pointers(deployment) == std::vector<std::string>{"/spec/template/spec"});
}
