// Stage 4 interface: what a check sees and what it reports.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "immutalint/kube_object.hpp"
#include "immutalint/location.hpp"
#include "immutalint/pod_spec.hpp"
#include "immutalint/yaml_tree.hpp"

namespace immutalint {

/// One workload as a check sees it. Everything is read-only.
struct CheckContext {
  const YamlTree& tree;
  const KubeObject& object;
  const PodSpecView& pod;
};

/// What a check found: the pipeline adds the check id, severity, file, object and Helm source.
struct Observation {
  Span span;
  std::string field;  ///< JSON Pointer from the object's root
  std::string message;
  std::string container;  ///< only when exactly one container is concerned
};

/// A check: a small pure unit. Its metadata (severity, texts) lives in checks/<id>.yaml;
/// parameters are fixed at construction, so a running check cannot fail.
class Check {
 public:
  virtual ~Check() = default;
  virtual void inspect(const CheckContext& context, std::vector<Observation>& out) const = 0;
};

/// A registered check: its id and how to make it.
struct CheckFactory {
  std::string_view id;
  std::unique_ptr<Check> (*make)();
};

/// Every check implemented as code, sorted by id.
std::span<const CheckFactory> check_registry();

/// Checks reported by the pipeline itself rather than by a Check unit.
inline constexpr std::string_view kInvalidInputCheck = "invalid-input";
inline constexpr std::string_view kDuplicateKeyCheck = "duplicate-key";

// Helpers shared by checks.

/// An observation located on `mapping[key]` (key and value), whose JSON Pointer is
/// `mapping_pointer` + "/" + key. The entry must exist.
Observation observe_entry(const CheckContext& context, NodeId mapping, std::string_view key,
                          const std::string& mapping_pointer, std::string message, std::string container = {});

/// True when `mapping[key]` is a boolean true, as Kubernetes reads it.
bool is_true(const YamlTree& tree, NodeId mapping, std::string_view key);

/// "kind namespace/name" or "kind name" for messages.
std::string describe_object(const ObjectRef& ref);

/// A container that mounts a given volume, and how.
struct VolumeUse {
  const ContainerView* container;
  bool read_only;
};

/// Every mount of the volume named `volume`, in container order.
std::vector<VolumeUse> uses_of_volume(const PodSpecView& pod, std::string_view volume);

/// `container "a"`, `init container "b"`: how messages name a container.
std::string describe_container(const ContainerView& container);

/// "writable in container \"a\", read-only in init container \"b\"", or "not mounted by any
/// container"; and the one container's name in `single` when exactly one container mounts it.
std::string describe_uses(const std::vector<VolumeUse>& uses, std::string* single);

/// A host path as the kernel resolves it lexically: repeated slashes, "." and ".." folded and a
/// trailing slash dropped ("//var/./log/" -> "/var/log"). Relative paths come back unchanged.
std::string normalize_host_path(std::string_view path);

}  // namespace immutalint
