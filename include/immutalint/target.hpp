// Target node OS profiles: what each immutable OS keeps read-only, writable, reset or absent,
// and its security model, read from targets/*.yaml compiled into the binary.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "immutalint/fact_key.hpp"
#include "immutalint/finding.hpp"
#include "immutalint/result.hpp"

namespace immutalint {

/// The profile judged when no target is named: what holds on a typical immutable host.
inline constexpr std::string_view kDefaultTarget = "generic";
/// `--target auto`: the targets of the node pools that the input describes (scheduling_pools.hpp).
inline constexpr std::string_view kAutoTarget = "auto";

/// A host path as the kernel resolves it lexically: repeated slashes, "." and ".." folded and a
/// trailing slash dropped ("//var/./log/" -> "/var/log"). Relative paths come back unchanged.
std::string normalize_host_path(std::string_view path);

/// normalize_host_path, then /var/run spelled /run (a link to it on every Linux host), so that
/// checks compare one spelling.
std::string canonical_host_path(std::string_view path);

/// True when `prefix` is `path` or one of its parent directories.
bool path_has_prefix(std::string_view path, std::string_view prefix);

/// The state of a host path on a target.
enum class PathState { ReadOnly, Persistent, ResetAtBoot, Generated, Absent, Kernel };
std::string_view to_string(PathState state);
std::optional<PathState> parse_path_state(std::string_view text);

/// Whether programs written to a path may run from it.
enum class ExecPolicy { Allowed, Noexec, Ipe };
std::string_view to_string(ExecPolicy policy);
std::optional<ExecPolicy> parse_exec_policy(std::string_view text);

/// Where a fact comes from.
struct Evidence {
  std::string source;  ///< source keys, e.g. "TAL-ARCH" or "FC-LAYOUT AB-RN-FC"
  Confidence confidence = Confidence::Guess;
  std::string note;
};

/// A named property of a target (selinux, kernel_modules, ...).
struct Fact {
  std::string value;
  Evidence evidence;
};

/// One row of a target's host path table.
struct PathFact {
  std::string path;
  PathState state = PathState::Persistent;
  ExecPolicy exec = ExecPolicy::Allowed;
  Evidence evidence;
};

struct SymlinkFact {
  std::string path;
  std::string target;
  Evidence evidence;
};

struct SocketFact {
  std::string path;
  bool present = false;
  Evidence evidence;
};

struct NodeLabelFact {
  std::string key;
  std::vector<std::string> also;    ///< other keys the nodes give the same value
  std::vector<std::string> values;  ///< empty: the nodes never carry the label
  Evidence evidence;
};

/// A class of devices (Dynamic Resource Allocation) that no node of the target offers: its
/// driver runs only on another platform's nodes, so a pod that claims such a device is never
/// scheduled there.
struct DeviceClassFact {
  std::string name;  ///< the DeviceClass name, e.g. mrdma.google.com
  Evidence evidence;
};

/// What the documentation says of a known workload on a target: the evidence behind the
/// tests that keep the documented-to-work ones quiet and the documented breakers loud.
struct WorkloadOutcome {
  std::string workload;  ///< a component of checks/components/, e.g. "calico-node"
  std::string outcome;   ///< works, works-with-config or breaks
  Evidence evidence;     ///< its note says what breaks, or what to change
  std::string since;     ///< the component's first version this holds for; empty: every version
  /// For works-with-config, a pod-level field the pod must set (e.g. runtimeClassName: nvidia);
  /// empty when the change is made outside the manifest (node or cluster configuration).
  std::string pod_field;
  std::string pod_value;
};

/// What a host path means on a target, after symbolic links are followed.
struct PathResolution {
  std::string resolved;                   ///< the path after links, e.g. /lib/modules -> /usr/lib/modules
  const PathFact* fact = nullptr;         ///< the longest listed prefix of `resolved`; nullptr if none
  bool exact = false;                     ///< `resolved` is itself listed
  std::vector<const SymlinkFact*> links;  ///< links followed, in order
};

/// One target OS profile.
class Target {
 public:
  const std::string& name() const { return name_; }
  const std::string& title() const { return title_; }
  const std::string& description() const { return description_; }
  const std::vector<std::string>& aliases() const { return aliases_; }
  bool general_purpose() const { return general_purpose_; }
  const std::map<std::string, std::string>& sources() const { return sources_; }
  const std::map<std::string, Fact>& facts() const { return facts_; }
  const std::vector<PathFact>& paths() const { return paths_; }
  const std::vector<SymlinkFact>& symlinks() const { return symlinks_; }
  const std::vector<SocketFact>& sockets() const { return sockets_; }
  const std::vector<NodeLabelFact>& node_labels() const { return node_labels_; }
  const std::vector<DeviceClassFact>& absent_device_classes() const { return absent_device_classes_; }
  const std::vector<WorkloadOutcome>& workloads() const { return workloads_; }

  /// A fact of the vocabulary (every profile states all of them).
  const Fact& fact(FactKey key) const;
  /// True when the fact has this value. Values compared here are tested against the vocabulary.
  bool fact_is(FactKey key, std::string_view value) const;
  /// True when the fact's value, a space-separated list, holds `word`.
  bool fact_lists(FactKey key, std::string_view word) const;
  /// Follows the profile's symbolic links, then finds the longest listed prefix.
  PathResolution resolve(std::string_view path) const;
  /// The runtime socket at `path` (after links), or nullptr when the profile does not list it.
  const SocketFact* socket(std::string_view path) const;
  /// What the profile says of a device class its nodes never offer; nullptr when it lists none
  /// of that name (the class may be offered, as any driver can be installed).
  const DeviceClassFact* absent_device_class(std::string_view name) const;

 private:
  friend class TargetSet;
  friend class TargetProfileReader;
  std::string name_;
  std::string title_;
  std::string description_;
  std::string extends_;
  std::vector<std::string> aliases_;
  bool general_purpose_ = false;
  std::map<std::string, std::string> sources_;
  std::map<std::string, Fact> facts_;
  std::vector<PathFact> paths_;
  std::vector<SymlinkFact> symlinks_;
  std::vector<SocketFact> sockets_;
  std::vector<NodeLabelFact> node_labels_;
  std::vector<DeviceClassFact> absent_device_classes_;
  std::vector<WorkloadOutcome> workloads_;
};

/// One fact of the vocabulary (targets/vocabulary.yaml).
struct FactTerm {
  std::string key;
  std::string means;
  std::vector<std::string> values;  ///< the allowed values; empty for a free path or text
  std::string type;                 ///< "path" or "text" when `values` is empty
};

/// All target profiles, in a fixed order: generic first, then by name.
class TargetSet {
 public:
  /// Parses (file name, YAML) pairs; `extends` is resolved and every field validated.
  static Result<TargetSet> parse(std::span<const std::pair<std::string, std::string>> files);
  /// The profiles compiled into the binary (parsed once).
  static const Result<TargetSet>& builtin();

  /// By name or alias; nullptr when unknown.
  const Target* find(std::string_view name) const;
  const std::vector<Target>& all() const { return targets_; }
  /// The facts every profile states, and their allowed values.
  const std::vector<FactTerm>& vocabulary() const { return vocabulary_; }

  /// Resolves a --target value: comma-separated names or aliases, or "all".
  Result<std::vector<const Target*>> select(std::string_view spec) const;

 private:
  std::vector<Target> targets_;
  std::vector<FactTerm> vocabulary_;
};

}  // namespace immutalint
