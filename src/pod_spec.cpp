// Stage 3b: the kind -> pod template table, configured kinds, pods found by shape, and the
// reading of containers, volumes and mounts.
#include "immutalint/pod_spec.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "immutalint/node_selection.hpp"
#include "immutalint/yaml_parse.hpp"

namespace immutalint {

namespace {

// Sorted by group, then kind. `extensions` and OpenShift's legacy core-group DeploymentConfig
// still appear in older repositories and cluster dumps. OpenKruise's Advanced DaemonSet and
// StatefulSet share their names with the apps ones; the group tells them apart, whatever the
// version (v1alpha1, v1beta1).
constexpr std::array<WorkloadKind, 25> kWorkloadKinds = {{
    {"", "DeploymentConfig", "spec.template"},
    {"", "Pod", "."},
    {"", "PodTemplate", "template"},
    {"", "ReplicationController", "spec.template"},
    {"apps", "DaemonSet", "spec.template"},
    {"apps", "Deployment", "spec.template"},
    {"apps", "ReplicaSet", "spec.template"},
    {"apps", "StatefulSet", "spec.template"},
    {"apps.kruise.io", "CloneSet", "spec.template"},
    {"apps.kruise.io", "DaemonSet", "spec.template"},
    {"apps.kruise.io", "StatefulSet", "spec.template"},
    {"apps.openshift.io", "DeploymentConfig", "spec.template"},
    {"argoproj.io", "ClusterWorkflowTemplate", "spec", PodLayout::ArgoWorkflow},
    {"argoproj.io", "CronWorkflow", "spec.workflowSpec", PodLayout::ArgoWorkflow},
    {"argoproj.io", "Rollout", "spec.template"},
    {"argoproj.io", "Workflow", "spec", PodLayout::ArgoWorkflow},
    {"argoproj.io", "WorkflowTemplate", "spec", PodLayout::ArgoWorkflow},
    {"batch", "CronJob", "spec.jobTemplate.spec.template"},
    {"batch", "Job", "spec.template"},
    {"extensions", "DaemonSet", "spec.template"},
    {"extensions", "Deployment", "spec.template"},
    {"extensions", "ReplicaSet", "spec.template"},
    {"jobset.x-k8s.io", "JobSet", "spec.replicatedJobs[*].template.spec.template"},
    {"serving.knative.dev", "Configuration", "spec.template"},
    {"serving.knative.dev", "Service", "spec.template"},
}};

/// One field of a path: `key`, or `key[*]` for every item of the list under it.
struct PathStep {
  std::string_view key;
  bool each = false;
};

/// Splits a path into its steps, or says why it cannot be read.
std::optional<std::string> parse_path(std::string_view path, std::vector<PathStep>& steps) {
  steps.clear();
  if (path.empty()) return "the path is empty; write `.` for the object itself";
  if (path == ".") return std::nullopt;
  if (path.front() == '.') return fmt::format("`{}` starts with a dot; write it as `{}`", path, path.substr(1));
  std::size_t begin = 0;
  while (begin <= path.size()) {
    const std::size_t dot = std::min(path.find('.', begin), path.size());
    std::string_view field = path.substr(begin, dot - begin);
    if (field.empty()) return fmt::format("`{}` has an empty field name (two dots, or a dot at the end)", path);
    PathStep step;
    if (const auto bracket = field.find('['); bracket != std::string_view::npos) {
      if (field.substr(bracket) != "[*]") {
        return fmt::format("`{}`: only `[*]` (every item of a list) may follow a field name, found `{}`", path,
                           field.substr(bracket));
      }
      step.each = true;
      field = field.substr(0, bracket);
      if (field.empty()) return fmt::format("`{}`: `[*]` must follow a field name", path);
    }
    for (char c : field) {
      if (std::isspace(static_cast<unsigned char>(c)) || c == ']' || c == '*' || c == '"' || c == '\\') {
        return fmt::format("`{}`: field name `{}` has a character paths cannot hold", path, field);
      }
    }
    step.key = field;
    steps.push_back(step);
    begin = dot + 1;
  }
  return std::nullopt;
}

/// Fields a template can be named by in a path: those the notation can write.
bool writable_field(std::string_view key) {
  return !key.empty() && key.find_first_of(".[]*\"\\ \t") == std::string_view::npos;
}

/// Argo sets these pod fields from the template when it sets them, else from the workflow
/// (argo-workflows workflow/controller/workflowpod.go); every other pod-level field it takes
/// from the workflow only.
constexpr std::array<std::string_view, 4> kArgoTemplateFields = {"affinity", "nodeSelector", "securityContext",
                                                                 "tolerations"};

constexpr std::array<std::string_view, 2> kOsLabels = {"kubernetes.io/os", "beta.kubernetes.io/os"};

/// Reads pods, collecting shape problems as it goes.
class PodSpecReader {
 public:
  PodSpecReader(const YamlTree& tree, Workload& out, AliasBudget& aliases)
      : tree_(tree), out_(out), aliases_(aliases) {}

  /// True once the object's pods took the document past its alias budget: from then on pods are
  /// counted, not read.
  bool over_budget() const { return over_budget_; }
  std::uint64_t pods() const { return pods_; }
  std::uint64_t containers() const { return containers_; }
  /// The problems found before the budget was passed; later ones would only repeat them.
  std::size_t problems_within_budget() const { return problems_within_budget_; }

  /// Reads the pods at `path` from the object root.
  void read_path(NodeId root, std::string_view path, PodLayout layout) {
    std::vector<PathStep> steps;
    if (parse_path(path, steps)) return;  // configured paths are checked before linting
    walk(root, steps, "", [&](NodeId node, const std::string& pointer) {
      if (layout == PodLayout::ArgoWorkflow) {
        read_argo_workflow(node, pointer);
      } else {
        read_template(node, pointer);
      }
    });
  }

  /// A pod template: the pod's metadata and its spec.
  void read_template(NodeId pod_template, const std::string& pointer) {
    if (over_budget_) {
      const NodeId spec = tree_.get(pod_template, "spec");
      if (!tree_.is_mapping(spec)) return;
      count(1, items_of(spec, "containers") + items_of(spec, "initContainers") + items_of(spec, "ephemeralContainers"));
      return;
    }
    const NodeId spec = mapping_at(pod_template, "spec", pointer);
    if (spec == kNoNode) return;  // missing, null or malformed (already reported)
    PodSpecView pod = read_spec(spec, pointer + "/spec");
    pod.metadata = tree_.get(pod_template, "metadata");
    pod.metadata_pointer = pointer + "/metadata";
    add_pod(std::move(pod));
  }

  /// Finds pod templates by shape anywhere under the object, except its own metadata and status.
  void discover(NodeId root) {
    std::set<NodeId> seen;  // an alias may reach one node from several places
    search(root, "", "", 0, seen);
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
  std::uint64_t items_of(NodeId mapping, std::string_view key) const {
    return tree_.items(tree_.get(mapping, key)).size();
  }

  void count(std::uint64_t pods, std::uint64_t containers) {
    pods_ += pods;
    containers_ += containers;
  }

  /// Takes a pod read in full, unless its repeats pass the document's alias budget.
  void add_pod(PodSpecView pod) {
    count(1, pod.containers.size());
    std::uint64_t repeats = 0;
    if (!aliases_.first_read(pod.node)) {
      repeats = 1 + pod.containers.size();  // the pod and everything in it
    } else {
      for (const auto& container : pod.containers) repeats += aliases_.first_read(container.node) ? 0 : 1;
    }
    if (!aliases_.spend(repeats)) {
      over_budget_ = true;
      problems_within_budget_ = out_.problems.size();
      return;
    }
    out_.pods.push_back(std::move(pod));
  }

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

  PodSpecView read_spec(NodeId spec, const std::string& pointer) {
    PodSpecView pod;
    pod.node = spec;
    pod.pointer = pointer;
    for (const char* key : {"hostNetwork", "hostPID", "hostIPC"}) expect_boolean(spec, key, pointer);
    read_containers(spec, pointer, "containers", ContainerKind::Container, pod);
    read_containers(spec, pointer, "initContainers", ContainerKind::InitContainer, pod);
    read_containers(spec, pointer, "ephemeralContainers", ContainerKind::EphemeralContainer, pod);
    read_volumes(spec, pointer, pod.volumes);
    return pod;
  }

  void read_volumes(NodeId parent, const std::string& pointer, std::vector<VolumeView>& volumes) {
    for_each_mapping(parent, "volumes", pointer, [&](NodeId volume, const std::string& at) {
      VolumeView view;
      view.node = volume;
      view.pointer = at;
      view.name = string_of(volume, "name", at);
      volumes.push_back(std::move(view));
    });
  }

  /// An Argo workflow spec. Argo makes one pod for each template that runs a container (a
  /// `container`, `script` or `containerSet` template; steps, DAG, suspend, resource and HTTP
  /// templates run none of the user's containers). That pod holds:
  /// - the template's container or script container, named "main" as Argo names it, the
  ///   containers of its containerSet, each with the set's volumeMounts, its sidecars (with the
  ///   main container's mounts when mirrorVolumeMounts is set) and its initContainers;
  /// - the template's volumes, and those of the workflow's volumes that its containers mount;
  /// - nodeSelector, affinity, tolerations and securityContext from the template when it sets
  ///   them, else from the workflow; hostNetwork and the other pod-level fields from the
  ///   workflow (PodSpecView::holder_of).
  /// A script template's `source` is a script its container runs. Argo's own init and wait
  /// containers are not in the manifest, and podSpecPatch is not read.
  void read_argo_workflow(NodeId workflow, const std::string& pointer) {
    expect_boolean(workflow, "hostNetwork", pointer);
    std::vector<VolumeView> shared_volumes;
    read_volumes(workflow, pointer, shared_volumes);
    for_each_mapping(workflow, "templates", pointer, [&](NodeId template_node, const std::string& at) {
      if (over_budget_) {
        const NodeId set = tree_.get(template_node, "containerSet");
        const std::uint64_t main = (tree_.is_mapping(tree_.get(template_node, "container")) ? 1 : 0) +
                                   (tree_.is_mapping(tree_.get(template_node, "script")) ? 1 : 0) +
                                   items_of(set, "containers");
        if (main > 0) count(1, main + items_of(template_node, "sidecars") + items_of(template_node, "initContainers"));
        return;
      }
      PodSpecView pod;
      pod.node = template_node;
      pod.pointer = at;
      pod.workflow = workflow;
      pod.workflow_pointer = pointer;
      if (NodeId metadata = tree_.get(template_node, "metadata"); !tree_.is_null(metadata)) {
        pod.metadata = metadata;
        pod.metadata_pointer = at + "/metadata";
      } else {
        pod.metadata = tree_.get(workflow, "podMetadata");
        pod.metadata_pointer = pointer + "/podMetadata";
      }
      for (std::string_view key : {"container", "script"}) {
        const NodeId node = mapping_at(template_node, key, at);
        if (node == kNoNode) continue;
        const std::string container_pointer = at + "/" + std::string(key);
        ContainerView main = read_container(node, container_pointer, ContainerKind::Container);
        if (main.name.empty()) main.name = "main";
        const MapEntry* source = key == "script" ? tree_.find(node, "source") : nullptr;
        if (source && tree_.is_scalar(source->value)) {
          main.script = source->value;
        } else if (source && !tree_.is_null(source->value)) {
          problem(*source, container_pointer + "/source", "a string");
        }
        pod.containers.push_back(std::move(main));
      }
      const std::vector<VolumeMountView> main_mounts =
          pod.containers.empty() ? std::vector<VolumeMountView>{} : pod.containers.front().mounts;
      if (const NodeId set = mapping_at(template_node, "containerSet", at); set != kNoNode) {
        const std::string set_pointer = at + "/containerSet";
        const std::size_t first = pod.containers.size();
        read_containers(set, set_pointer, "containers", ContainerKind::Container, pod);
        std::vector<VolumeMountView> set_mounts;
        read_mounts(set, set_pointer, set_mounts);
        for (std::size_t i = first; i < pod.containers.size(); ++i) {
          auto& mounts = pod.containers[i].mounts;
          mounts.insert(mounts.end(), set_mounts.begin(), set_mounts.end());
        }
      }
      if (pod.containers.empty()) return;  // runs none of the user's containers
      const std::size_t first_sidecar = pod.containers.size();
      read_containers(template_node, at, "sidecars", ContainerKind::Container, pod);
      for (std::size_t i = first_sidecar; i < pod.containers.size(); ++i) {
        if (tree_.boolean(tree_.get(pod.containers[i].node, "mirrorVolumeMounts")).value_or(false)) {
          auto& mounts = pod.containers[i].mounts;
          mounts.insert(mounts.end(), main_mounts.begin(), main_mounts.end());
        }
      }
      read_containers(template_node, at, "initContainers", ContainerKind::InitContainer, pod);
      read_volumes(template_node, at, pod.volumes);
      const auto own_volumes = static_cast<std::ptrdiff_t>(pod.volumes.size());
      for (const auto& volume : shared_volumes) {
        const auto same_name = [&](const VolumeView& own) { return own.name == volume.name; };
        // A template's own volume of that name is the one mounted.
        if (std::any_of(pod.volumes.begin(), pod.volumes.begin() + own_volumes, same_name)) continue;
        const bool mounted = std::any_of(pod.containers.begin(), pod.containers.end(), [&](const ContainerView& c) {
          return std::any_of(c.mounts.begin(), c.mounts.end(),
                             [&](const VolumeMountView& mount) { return mount.volume == volume.name; });
        });
        if (mounted) pod.volumes.push_back(volume);
      }
      add_pod(std::move(pod));
    });
  }

  /// True for a mapping shaped like a pod template: its `spec` has a `containers` list of
  /// mappings, each with an `image`.
  bool looks_like_pod_template(NodeId node) const {
    const auto containers = tree_.items(tree_.get(tree_.get(node, "spec"), "containers"));
    return !containers.empty() && std::all_of(containers.begin(), containers.end(), [&](NodeId container) {
      return tree_.is_mapping(container) && tree_.find(container, "image") != nullptr;
    });
  }

  void search(NodeId node, const std::string& pointer, const std::string& path, int depth, std::set<NodeId>& seen) {
    constexpr int kMaxDepth = 64;
    if (depth > kMaxDepth || !seen.insert(node).second) return;
    if (tree_.is_mapping(node) && looks_like_pod_template(node)) {
      const std::string notation = path.empty() ? "." : path;
      if (std::find(out_.discovered.begin(), out_.discovered.end(), notation) == out_.discovered.end())
        out_.discovered.push_back(notation);
      read_template(node, pointer);
      return;  // a template inside a pod template is not another pod
    }
    for (const auto& entry : tree_.entries(node)) {
      if (depth == 0 && (entry.key == "metadata" || entry.key == "status")) continue;
      if (!writable_field(entry.key)) continue;  // a label or annotation key, not a field
      search(entry.value, pointer + "/" + json_pointer_token(entry.key),
             path.empty() ? entry.key : path + "." + entry.key, depth + 1, seen);
    }
    if (path.empty()) return;
    std::size_t index = 0;
    for (NodeId item : tree_.items(node)) {
      search(item, fmt::format("{}/{}", pointer, index++), path.ends_with("[*]") ? path : path + "[*]", depth + 1,
             seen);
    }
  }

  /// Follows `steps` from `node`, calling `fn` with each mapping the path leads to.
  template <typename Fn>
  void walk(NodeId node, std::span<const PathStep> steps, const std::string& pointer, Fn&& fn) {
    if (steps.empty()) return fn(node, pointer);
    const PathStep& step = steps.front();
    if (!step.each) {
      const NodeId next = mapping_at(node, step.key, pointer);
      if (next != kNoNode) walk(next, steps.subspan(1), pointer + "/" + json_pointer_token(step.key), fn);
      return;
    }
    for_each_mapping(node, step.key, pointer,
                     [&](NodeId item, const std::string& at) { walk(item, steps.subspan(1), at, fn); });
  }

  ContainerView read_container(NodeId node, const std::string& at, ContainerKind kind) {
    ContainerView container;
    container.kind = kind;
    container.node = node;
    container.pointer = at;
    container.name = string_of(node, "name", at);
    container.security_context = mapping_at(node, "securityContext", at);
    if (container.security_context != kNoNode) {
      expect_boolean(container.security_context, "privileged", at + "/securityContext");
    }
    read_mounts(node, at, container.mounts);
    return container;
  }

  void read_mounts(NodeId parent, const std::string& pointer, std::vector<VolumeMountView>& mounts) {
    for_each_mapping(parent, "volumeMounts", pointer, [&](NodeId mount, const std::string& mount_at) {
      VolumeMountView view;
      view.node = mount;
      view.pointer = mount_at;
      view.volume = string_of(mount, "name", mount_at);
      view.mount_path = string_of(mount, "mountPath", mount_at);
      view.sub_path = string_of(mount, "subPath", mount_at);
      expect_boolean(mount, "readOnly", mount_at);
      view.read_only = tree_.boolean(tree_.get(mount, "readOnly")).value_or(false);
      mounts.push_back(std::move(view));
    });
  }

  void read_containers(NodeId spec, const std::string& pointer, std::string_view key, ContainerKind kind,
                       PodSpecView& pod) {
    for_each_mapping(spec, key, pointer, [&](NodeId node, const std::string& at) {
      pod.containers.push_back(read_container(node, at, kind));
    });
  }
  const YamlTree& tree_;
  Workload& out_;
  AliasBudget& aliases_;
  bool over_budget_ = false;
  std::uint64_t pods_ = 0;
  std::uint64_t containers_ = 0;
  std::size_t problems_within_budget_ = 0;
};

bool is_windows(const YamlTree& tree, NodeId value) {
  auto text = tree.scalar(value);
  return text && *text == "windows";
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

std::optional<std::string> check_pod_template_path(std::string_view path) {
  std::vector<PathStep> steps;
  if (auto why = parse_path(path, steps)) return why;
  // The commonest slip: the path of the pod spec instead of the template around it.
  if (!steps.empty() && !steps.back().each && steps.back().key == "spec") {
    return fmt::format(
        "`{}` ends at a pod spec; give the pod template that holds it (the mapping with `metadata` and `spec`): `{}`",
        path, path.size() > 5 ? path.substr(0, path.size() - 5) : ".");
  }
  return std::nullopt;
}

std::optional<std::string> check_custom_workload_kind(const CustomWorkloadKind& kind) {
  if (kind.kind.empty()) return "a workload kind needs a `kind`";
  const std::string_view api_version = kind.api_version;
  const auto slash = api_version.find('/');
  const bool core = slash == std::string_view::npos && api_version.starts_with('v') && api_version.size() > 1 &&
                    std::isdigit(static_cast<unsigned char>(api_version[1]));
  const bool grouped = slash != std::string_view::npos && slash > 0 && slash + 1 < api_version.size() &&
                       api_version.find('/', slash + 1) == std::string_view::npos;
  if (!core && !grouped) {
    return fmt::format(
        "{}: apiVersion `{}` must be `group/version`, `group/*` for any version, or a core version such "
        "as `v1`",
        kind.kind, api_version);
  }
  if (kind.pod_templates.empty()) return fmt::format("{}: no pod template paths are given", kind.kind);
  for (const auto& path : kind.pod_templates) {
    if (auto why = check_pod_template_path(path)) return fmt::format("{}: {}", kind.kind, *why);
  }
  return std::nullopt;
}

const CustomWorkloadKind* find_custom_workload_kind(std::span<const CustomWorkloadKind> kinds,
                                                    std::string_view api_version, std::string_view kind) {
  for (const auto& entry : kinds) {
    if (entry.kind != kind) continue;
    const std::string_view wanted = entry.api_version;
    if (wanted == api_version) return &entry;
    if (wanted.ends_with("/*") && api_group(api_version) == wanted.substr(0, wanted.size() - 2) &&
        api_version.find('/') != std::string_view::npos)
      return &entry;
  }
  return nullptr;
}

bool AliasBudget::first_read(NodeId node) {
  if (node == kNoNode || node >= nodes_) return true;
  if (read_.empty()) read_.resize(nodes_);
  if (read_[node]) return false;
  read_[node] = true;
  return true;
}

bool AliasBudget::spend(std::uint64_t repeats) {
  if (repeats == 0) return true;  // what is written out is never held against the budget
  repeats_ += repeats;
  return repeats_ <= kMaxRepeats;
}

Workload read_workload(const YamlTree& tree, const KubeObject& object, const WorkloadReading& reading) {
  Workload workload;
  AliasBudget own(tree);
  PodSpecReader reader(tree, workload, reading.aliases ? *reading.aliases : own);
  workload.custom = find_custom_workload_kind(reading.custom, object.ref.api_version, object.ref.kind);
  if (workload.custom) {
    for (const auto& path : workload.custom->pod_templates) reader.read_path(object.root, path, PodLayout::Template);
  } else {
    workload.kind = find_workload_kind(object.ref.api_version, object.ref.kind);
    if (workload.kind) {
      reader.read_path(object.root, workload.kind->path, workload.kind->layout);
    } else if (reading.discover) {
      reader.discover(object.root);
    }
  }
  if (reader.over_budget()) {
    const auto plural = [](std::uint64_t n, std::string_view word) {
      return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
    };
    workload.pods.clear();
    workload.problems.resize(reader.problems_within_budget());
    workload.problems.push_back(
        {fmt::format("aliases expand this {} to {} with {}, and the document repeats more than {} pods and "
                     "containers through aliases; it is not linted",
                     object.ref.kind, plural(reader.pods(), "pod"), plural(reader.containers(), "container"),
                     AliasBudget::kMaxRepeats),
         object.kind_span, ""});
  }
  return workload;
}

std::pair<NodeId, const std::string&> PodSpecView::holder_of(const YamlTree& tree, std::string_view key) const {
  if (workflow == kNoNode) return {node, pointer};
  if (std::find(kArgoTemplateFields.begin(), kArgoTemplateFields.end(), key) != kArgoTemplateFields.end()) {
    // Argo takes the template's value when it is set: a non-empty list or mapping.
    const NodeId own = tree.get(node, key);
    const bool set = tree.is_scalar(own) || !tree.items(own).empty() || !tree.entries(own).empty();
    if (set) return {node, pointer};
  }
  return {workflow, workflow_pointer};
}

bool runs_only_on_windows(const YamlTree& tree, const PodSpecView& pod) {
  if (is_windows(tree, tree.get(tree.get(pod.holder_of(tree, "os").first, "os"), "name"))) return true;
  const NodeRequirements requirements = node_requirements(tree, pod);
  auto takes_node_of = [&](const std::string& os) {
    const std::vector<std::string> carried{os};
    return admits(requirements, [&](std::string_view key) -> const std::vector<std::string>* {
      return std::find(kOsLabels.begin(), kOsLabels.end(), key) != kOsLabels.end() ? &carried : nullptr;
    });
  };
  return !takes_node_of("linux") && takes_node_of("windows");
}

}  // namespace immutalint
