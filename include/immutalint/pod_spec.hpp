// Stage 3b: find the pod spec of a workload object through an explicit kind -> path table.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "immutalint/kube_object.hpp"
#include "immutalint/yaml_tree.hpp"

namespace immutalint {

/// A kind that carries a pod spec, and where.
struct WorkloadKind {
  std::string_view group;  ///< API group ("" for the core group)
  std::string_view kind;
  std::span<const std::string_view> path;  ///< keys from the object root to the pod spec
};

/// The table, sorted by group then kind.
std::span<const WorkloadKind> workload_kinds();
/// The table entry for an object, or nullptr when the object carries no pod spec.
const WorkloadKind* find_workload_kind(std::string_view api_version, std::string_view kind);

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
};

/// `container "a"`, `init container "b"`: how messages name a container.
std::string describe_container(const ContainerView& container);

/// What stage 3b found for one object.
struct Workload {
  const WorkloadKind* kind = nullptr;  ///< nullptr: the object carries no pod spec
  std::optional<PodSpecView> pod;      ///< absent when the pod spec is missing or malformed
  std::vector<ShapeProblem> problems;  ///< pointers are relative to the object
};

/// Reads the pod spec of an object. Parts with the wrong shape (a container list that is a
/// mapping, a boolean that is a string) are reported as problems and left out of the view.
Workload read_workload(const YamlTree& tree, const KubeObject& object);

/// True when the pod can only be scheduled on Windows nodes (spec.os.name, the
/// kubernetes.io/os node selector, or required node affinity): it never runs on a Linux host.
bool runs_only_on_windows(const YamlTree& tree, const PodSpecView& pod);

}  // namespace immutalint
