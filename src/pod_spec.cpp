// Stage 3b: the kind -> pod spec table and the reading of containers, volumes and mounts.
#include "immutalint/pod_spec.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "immutalint/yaml_parse.hpp"

namespace immutalint {

namespace {

constexpr std::array<std::string_view, 1> kPodPath = {"spec"};
constexpr std::array<std::string_view, 2> kTemplatePath = {"template", "spec"};
constexpr std::array<std::string_view, 3> kSpecTemplatePath = {"spec", "template", "spec"};
constexpr std::array<std::string_view, 5> kCronJobPath = {"spec", "jobTemplate", "spec", "template", "spec"};

// Sorted by group, then kind. `extensions` and OpenShift's legacy core-group DeploymentConfig
// still appear in older repositories and cluster dumps.
constexpr std::array<WorkloadKind, 15> kWorkloadKinds = {{
    {"", "DeploymentConfig", kSpecTemplatePath},
    {"", "Pod", kPodPath},
    {"", "PodTemplate", kTemplatePath},
    {"", "ReplicationController", kSpecTemplatePath},
    {"apps", "DaemonSet", kSpecTemplatePath},
    {"apps", "Deployment", kSpecTemplatePath},
    {"apps", "ReplicaSet", kSpecTemplatePath},
    {"apps", "StatefulSet", kSpecTemplatePath},
    {"apps.openshift.io", "DeploymentConfig", kSpecTemplatePath},
    {"argoproj.io", "Rollout", kSpecTemplatePath},
    {"batch", "CronJob", kCronJobPath},
    {"batch", "Job", kSpecTemplatePath},
    {"extensions", "DaemonSet", kSpecTemplatePath},
    {"extensions", "Deployment", kSpecTemplatePath},
    {"extensions", "ReplicaSet", kSpecTemplatePath},
}};

constexpr std::array<std::string_view, 2> kOsLabels = {"kubernetes.io/os", "beta.kubernetes.io/os"};

/// Reads the pod spec, collecting shape problems as it goes.
class PodSpecReader {
 public:
  PodSpecReader(const YamlTree& tree, Workload& out) : tree_(tree), out_(out) {}

  void read(NodeId spec, const std::string& pointer) {
    PodSpecView pod;
    pod.node = spec;
    pod.pointer = pointer;
    for (const char* key : {"hostNetwork", "hostPID", "hostIPC"}) expect_boolean(spec, key, pointer);
    read_containers(spec, pointer, "containers", ContainerKind::Container, pod);
    read_containers(spec, pointer, "initContainers", ContainerKind::InitContainer, pod);
    read_containers(spec, pointer, "ephemeralContainers", ContainerKind::EphemeralContainer, pod);
    for_each_mapping(spec, "volumes", pointer, [&](NodeId volume, const std::string& at) {
      VolumeView view;
      view.node = volume;
      view.pointer = at;
      view.name = string_of(volume, "name", at);
      pod.volumes.push_back(std::move(view));
    });
    out_.pod = std::move(pod);
  }

  /// The value under `key` when it is a mapping; a wrong type is a problem.
  NodeId mapping_at(NodeId parent, std::string_view key, const std::string& pointer) {
    const MapEntry* entry = tree_.find(parent, key);
    if (!entry || tree_.is_null(entry->value)) return kNoNode;
    if (!tree_.is_mapping(entry->value)) {
      problem(*entry, pointer + "/" + json_pointer_token(key), "a mapping");
      return kNoNode;
    }
    return entry->value;
  }

 private:
  void problem(const MapEntry& entry, std::string pointer, std::string_view expected) {
    std::string found(tree_.describe(entry.value));
    if (auto text = tree_.scalar(entry.value)) found += fmt::format(" (\"{}\")", *text);
    out_.problems.push_back({fmt::format("`{}` must be {}, found {}", entry.key, expected, found), tree_.span_of(entry),
                             std::move(pointer)});
  }

  void expect_boolean(NodeId mapping, std::string_view key, const std::string& pointer) {
    const MapEntry* entry = tree_.find(mapping, key);
    if (!entry || tree_.is_null(entry->value) || tree_.boolean(entry->value)) return;
    problem(*entry, pointer + "/" + json_pointer_token(key), "a boolean");
  }

  std::string string_of(NodeId mapping, std::string_view key, const std::string& pointer) {
    const MapEntry* entry = tree_.find(mapping, key);
    if (!entry || tree_.is_null(entry->value)) return {};
    if (auto text = tree_.scalar(entry->value)) return std::string(*text);
    problem(*entry, pointer + "/" + json_pointer_token(key), "a string");
    return {};
  }

  template <typename Fn>
  void for_each_mapping(NodeId parent, std::string_view key, const std::string& pointer, Fn&& fn) {
    const MapEntry* entry = tree_.find(parent, key);
    if (!entry || tree_.is_null(entry->value)) return;
    const std::string list_pointer = pointer + "/" + json_pointer_token(key);
    if (!tree_.is_sequence(entry->value)) {
      problem(*entry, list_pointer, "a list");
      return;
    }
    std::size_t index = 0;
    for (NodeId item : tree_.items(entry->value)) {
      const std::string at = fmt::format("{}/{}", list_pointer, index++);
      if (tree_.is_null(item)) continue;
      if (!tree_.is_mapping(item)) {
        out_.problems.push_back(
            {fmt::format("each entry of `{}` must be a mapping, found {}", key, tree_.describe(item)),
             tree_.node(item).span, at});
        continue;
      }
      fn(item, at);
    }
  }

  void read_containers(NodeId spec, const std::string& pointer, std::string_view key, ContainerKind kind,
                       PodSpecView& pod) {
    for_each_mapping(spec, key, pointer, [&](NodeId node, const std::string& at) {
      ContainerView container;
      container.kind = kind;
      container.node = node;
      container.pointer = at;
      container.name = string_of(node, "name", at);
      container.security_context = mapping_at(node, "securityContext", at);
      if (container.security_context != kNoNode) {
        expect_boolean(container.security_context, "privileged", at + "/securityContext");
      }
      for_each_mapping(node, "volumeMounts", at, [&](NodeId mount, const std::string& mount_at) {
        VolumeMountView view;
        view.node = mount;
        view.pointer = mount_at;
        view.volume = string_of(mount, "name", mount_at);
        view.mount_path = string_of(mount, "mountPath", mount_at);
        view.sub_path = string_of(mount, "subPath", mount_at);
        expect_boolean(mount, "readOnly", mount_at);
        view.read_only = tree_.boolean(tree_.get(mount, "readOnly")).value_or(false);
        container.mounts.push_back(std::move(view));
      });
      pod.containers.push_back(std::move(container));
    });
  }

  const YamlTree& tree_;
  Workload& out_;
};

bool is_windows(const YamlTree& tree, NodeId value) {
  auto text = tree.scalar(value);
  return text && *text == "windows";
}

/// True when a required node-selector term only admits Windows nodes.
bool term_requires_windows(const YamlTree& tree, NodeId term) {
  for (NodeId expression : tree.items(tree.get(term, "matchExpressions"))) {
    auto key = tree.scalar(tree.get(expression, "key"));
    auto op = tree.scalar(tree.get(expression, "operator"));
    if (!key || !op || *op != "In") continue;
    if (std::find(kOsLabels.begin(), kOsLabels.end(), *key) == kOsLabels.end()) continue;
    auto values = tree.items(tree.get(expression, "values"));
    if (!values.empty() && std::all_of(values.begin(), values.end(), [&](NodeId v) { return is_windows(tree, v); })) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::span<const WorkloadKind> workload_kinds() {
  return kWorkloadKinds;
}

const WorkloadKind* find_workload_kind(std::string_view api_version, std::string_view kind) {
  const std::string group = api_group(api_version);
  for (const auto& entry : kWorkloadKinds) {
    if (entry.group == group && entry.kind == kind) return &entry;
  }
  return nullptr;
}

std::string_view describe(ContainerKind kind) {
  switch (kind) {
    case ContainerKind::Container: return "container";
    case ContainerKind::InitContainer: return "init container";
    case ContainerKind::EphemeralContainer: return "ephemeral container";
  }
  return "container";
}

std::string describe_container(const ContainerView& container) {
  return fmt::format("{} \"{}\"", describe(container.kind), container.name);
}

Workload read_workload(const YamlTree& tree, const KubeObject& object) {
  Workload workload;
  workload.kind = find_workload_kind(object.ref.api_version, object.ref.kind);
  if (!workload.kind) return workload;
  PodSpecReader reader(tree, workload);
  NodeId node = object.root;
  NodeId parent = kNoNode;
  std::string pointer;
  std::string parent_pointer;
  for (std::string_view key : workload.kind->path) {
    parent = node;
    parent_pointer = pointer;
    node = reader.mapping_at(node, key, pointer);
    (pointer += '/') += key;
    if (node == kNoNode) return workload;  // missing, null or malformed (already reported)
  }
  reader.read(node, pointer);
  workload.pod->metadata = tree.get(parent, "metadata");
  workload.pod->metadata_pointer = parent_pointer + "/metadata";
  return workload;
}

bool runs_only_on_windows(const YamlTree& tree, const PodSpecView& pod) {
  if (is_windows(tree, tree.get(tree.get(pod.node, "os"), "name"))) return true;
  const NodeId selector = tree.get(pod.node, "nodeSelector");
  for (auto label : kOsLabels) {
    if (is_windows(tree, tree.get(selector, label))) return true;
  }
  const NodeId required = tree.get(tree.get(tree.get(pod.node, "affinity"), "nodeAffinity"),
                                   "requiredDuringSchedulingIgnoredDuringExecution");
  auto terms = tree.items(tree.get(required, "nodeSelectorTerms"));
  return !terms.empty() &&
         std::all_of(terms.begin(), terms.end(), [&](NodeId t) { return term_requires_windows(tree, t); });
}

}  // namespace immutalint
