// Stage 4 interface: what a check sees and what it reports.
#pragma once

#include <algorithm>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "immutalint/catalogue.hpp"
#include "immutalint/finding.hpp"
#include "immutalint/kube_object.hpp"
#include "immutalint/location.hpp"
#include "immutalint/pod_spec.hpp"
#include "immutalint/target.hpp"
#include "immutalint/yaml_tree.hpp"

namespace immutalint {

/// One workload as a check sees it, and the target OSes it is judged for. Read-only.
struct CheckContext {
  const YamlTree& tree;
  const KubeObject& object;
  const PodSpecView& pod;
  std::span<const Target* const> targets;
};

/// What a check found: the pipeline adds the check id, severity, file, object and Helm source.
struct Observation {
  Span span;
  std::string field;  ///< JSON Pointer from the object's root
  std::string message;
  std::string container;  ///< only when exactly one container is concerned
  /// Per-target verdicts, for checks that judge targets themselves (judges_targets()); targets
  /// left out are ready. Other checks leave it empty and get their catalogue table.
  std::vector<TargetVerdict> verdicts;
};

/// A check: a small pure unit. Its metadata (severity, texts) lives in checks/<id>.yaml;
/// parameters are fixed at construction, so a running check cannot fail.
class Check {
 public:
  virtual ~Check() = default;
  virtual void inspect(const CheckContext& context, std::vector<Observation>& out) const = 0;
  /// True when observations carry their own per-target verdicts, computed from target facts.
  virtual bool judges_targets() const { return false; }
};

/// A registered check: its id and how to make it from its catalogue entry (patterns, ...).
struct CheckFactory {
  std::string_view id;
  std::unique_ptr<Check> (*make)(const CheckInfo& info);
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

/// The worse of two verdicts.
inline Verdict worst(Verdict a, Verdict b) { return a > b ? a : b; }

/// A verdict that rests on a guess is never "breaks": it becomes "likely breaks". With two
/// facts, the weaker one counts.
Verdict capped(Verdict verdict, Confidence confidence);
inline Verdict capped(Verdict verdict, Confidence a, Confidence b) { return capped(verdict, std::min(a, b)); }

/// Adds `target`'s verdict to an observation (a ready verdict adds nothing).
void judge(Observation& observation, const Target& target, Verdict verdict, std::string why);

/// "(SOURCE, confidence)" for a message.
std::string cite(const Evidence& evidence);

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

}  // namespace immutalint
