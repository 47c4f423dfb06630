// Stage 3b: find the pods of a workload object through an explicit kind -> path table, kinds
// from configuration, or, when asked, by their shape.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "immutalint/kube_object.hpp"
#include "immutalint/yaml_tree.hpp"

namespace immutalint {

/// How the pods of a kind sit under its path.
enum class PodLayout {
  /// The path leads to pod templates: mappings with the pod's `metadata` and its `spec`.
  Template,
  /// The path leads to an Argo Workflows workflow spec, where each template that runs a
  /// container is a pod of its own (see read_workload).
  ArgoWorkflow,
};

/// A kind that carries pods, and where.
///
/// Paths are written in one notation, the same in this table and in configuration: field names
/// joined by dots, a field followed by `[*]` meaning every item of that list, and `.` alone
/// meaning the object itself (a Pod is its own template). For example `spec.template` or
/// `spec.replicatedJobs[*].template.spec.template`.
struct WorkloadKind {
  std::string_view group;  ///< API group ("" for the core group)
  std::string_view kind;
  std::string_view path;  ///< to the pod templates, or to the workflow spec for ArgoWorkflow
  PodLayout layout = PodLayout::Template;
};

/// The table, sorted by group then kind.
std::span<const WorkloadKind> workload_kinds();
/// The table entry for an object, or nullptr when the object carries no pod spec.
const WorkloadKind* find_workload_kind(std::string_view api_version, std::string_view kind);

/// A kind declared in configuration, with where its pod templates are. It replaces a built-in
/// entry for the same group and kind.
struct CustomWorkloadKind {
  std::string api_version;                 ///< "group/version", "group/*" for any version, or "v1"
  std::string kind;                        ///< e.g. "TrainingJob"
  std::vector<std::string> pod_templates;  ///< paths in the notation of WorkloadKind
};

/// Why a pod template path is not in the notation, or nullopt when it is.
std::optional<std::string> check_pod_template_path(std::string_view path);
/// Why a configured kind cannot be used (no kind, a malformed apiVersion or path), or nullopt.
std::optional<std::string> check_custom_workload_kind(const CustomWorkloadKind& kind);
/// The configured kind an object is of, or nullptr.
const CustomWorkloadKind* find_custom_workload_kind(std::span<const CustomWorkloadKind> kinds,
                                                    std::string_view api_version, std::string_view kind);

enum class ContainerKind { Container, InitContainer, EphemeralContainer };

/// "container", "init container" or "ephemeral container".
std::string_view describe(ContainerKind kind);

/// One entry of a container's volumeMounts.
struct VolumeMountView {
  std::string volume;
  std::string mount_path;  ///< where the container sees it
  std::string sub_path;    ///< the part of the volume mounted, when only a part is
  bool read_only = false;
  NodeId node = kNoNode;
  std::string pointer;
};

/// One container of any of the three lists.
struct ContainerView {
  ContainerKind kind = ContainerKind::Container;
  std::string name;
  NodeId node = kNoNode;
  std::string pointer;                ///< from the object root, e.g. /spec/template/spec/initContainers/0
  NodeId security_context = kNoNode;  ///< the securityContext mapping, or kNoNode
  std::vector<VolumeMountView> mounts;
  /// The `source` of an Argo script template: a script the container runs, or kNoNode.
  NodeId script = kNoNode;
};

/// One entry of the pod's volumes.
struct VolumeView {
  std::string name;
  NodeId node = kNoNode;
  std::string pointer;
};

/// A pod spec and the parts of it most checks read.
struct PodSpecView {
  NodeId node = kNoNode;
  std::string pointer;        ///< from the object root, e.g. /spec/template/spec
  NodeId metadata = kNoNode;  ///< the pod's metadata: the template's, or the Pod's own
  std::string metadata_pointer;
  std::vector<ContainerView> containers;  ///< containers, then init, then ephemeral containers
  std::vector<VolumeView> volumes;
  /// For a pod of an Argo workflow template, `node` is the template and this is the workflow
  /// spec, which holds the pod-level fields the template does not; kNoNode for other pods.
  NodeId workflow = kNoNode;
  std::string workflow_pointer;

  /// Where pod-level field `key` (hostNetwork, securityContext, nodeSelector...) is read from:
  /// the mapping that holds it, and that mapping's pointer. That is the pod spec, except for
  /// pods of Argo workflow templates. The mapping may not hold the key.
  std::pair<NodeId, const std::string&> holder_of(const YamlTree& tree, std::string_view key) const;
};

/// `container "a"`, `init container "b"`: how messages name a container.
std::string describe_container(const ContainerView& container);

/// What stage 3b found for one object.
struct Workload {
  const WorkloadKind* kind = nullptr;          ///< the built-in kind, unless a configured one applies
  const CustomWorkloadKind* custom = nullptr;  ///< the configured kind, which wins over a built-in one
  /// Its pods, in document order. Missing, null or malformed ones are left out.
  std::vector<PodSpecView> pods;
  /// Paths of the pod templates found by their shape (WorkloadReading::discover), in the
  /// notation of WorkloadKind and without repeats; empty unless the kind is unknown.
  std::vector<std::string> discovered;
  std::vector<ShapeProblem> problems;  ///< pointers are relative to the object

  /// True when the kind is known to carry pods, whether or not any was found.
  bool known() const { return kind || custom; }
};

/// The pods and containers that aliases repeat in one document, and how many may be.
///
/// An alias is a few bytes, and a pod reached through it is checked, and reported, like one
/// written out: a JobSet whose replicatedJobs list aliases one job 100,000 times is 100,000 pods
/// from 400 KB. The parser's alias limit counts YAML nodes, which such a list stays well under.
/// So pods and containers are counted where they are read, by the node they are read from: one
/// read again (the same node, reached through another alias) is a repeat, and a document may
/// hold kMaxRepeats of them. That is far beyond what anchors are used for in real manifests (a
/// container or a job template shared by a few entries; Helm and kubectl write none), and it
/// bounds the pods checked to those written out plus a constant, so linting stays linear in the
/// input. Pods written out are never counted, however many there are.
class AliasBudget {
 public:
  static constexpr std::uint64_t kMaxRepeats = 1000;

  explicit AliasBudget(const YamlTree& tree) : nodes_(tree.node_count()) {}

  /// Marks the node a pod or container is read from; false when it was read before.
  bool first_read(NodeId node);
  /// Adds repeats to the document's count; false when they take it past kMaxRepeats.
  bool spend(std::uint64_t repeats);

 private:
  std::size_t nodes_;
  std::vector<bool> read_;  // sized on first use: most documents hold no pods
  std::uint64_t repeats_ = 0;
};

/// What read_workload knows besides the built-in table.
struct WorkloadReading {
  std::span<const CustomWorkloadKind> custom;  ///< kinds from configuration
  /// Search objects of unknown kinds for pod templates by their shape: a mapping whose `spec`
  /// has a `containers` list of mappings with an `image`.
  bool discover = false;
  /// The budget of the document the object is in, shared by its objects (a List's items may
  /// alias one another); nullptr gives the object a budget of its own.
  AliasBudget* aliases = nullptr;
};

/// Reads the pods of an object. Parts with the wrong shape (a container list that is a
/// mapping, a boolean that is a string) are reported as problems and left out of the view. An
/// object whose pods would take the document past its alias budget is a problem of its own and
/// has no pods: it is not linted. From there on its pods are only counted, for the message, at a
/// small constant cost each.
Workload read_workload(const YamlTree& tree, const KubeObject& object, const WorkloadReading& reading = {});

/// True when the pod can only be scheduled on Windows nodes (spec.os.name, or a node selector
/// and required node affinity that admit a node labelled kubernetes.io/os=windows and none
/// labelled linux): it never runs on a Linux host.
bool runs_only_on_windows(const YamlTree& tree, const PodSpecView& pod);

}  // namespace immutalint
