// Stage 4 interface: what a check sees and what it reports.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "immutalint/catalogue.hpp"
#include "immutalint/evidence.hpp"
#include "immutalint/finding.hpp"
#include "immutalint/input_index.hpp"
#include "immutalint/kube_object.hpp"
#include "immutalint/location.hpp"
#include "immutalint/pod_spec.hpp"
#include "immutalint/target.hpp"
#include "immutalint/yaml_tree.hpp"

namespace immutalint {

/// One workload as a check sees it, what it does (its evidence), and the target OSes it is
/// judged for. Read-only.
struct CheckContext {
  const YamlTree& tree;
  const KubeObject& object;
  const PodSpecView& pod;
  /// The selected targets the workload can be scheduled on (see placement.hpp): what it is judged for.
  std::span<const Target* const> targets;
  const WorkloadEvidence& evidence;
  const std::string& file;
  /// Every selected target, for the check that reports where the workload cannot land.
  std::span<const Target* const> selected_targets;
  /// The Helm template the document was rendered from (its `# Source:` comment); empty otherwise.
  const std::string& helm_source;
};

/// What a check found: the pipeline adds the check id, severity, object and Helm source, and
/// applies the verdict ladder (docs/design.md): an observation whose action is `Posture`, or a
/// verdict that cites no target fact, is at most a review; a fact that is a guess is never
/// "breaks".
struct Observation {
  Span span;
  std::string field;  ///< JSON Pointer from the object's root
  std::string message;
  std::string container;  ///< only when exactly one container is concerned
  /// What it is about (a volume, a command, a field); observations on one cause are folded into
  /// one finding. Empty means the field.
  std::string cause;
  /// Other causes of this object that are the same cause (the volumes of one install).
  std::vector<std::string> joined_causes;
  /// A cause larger than the object (a namespace's missing label): one finding for all the
  /// workloads it affects. See Finding::shared_cause.
  std::string shared_cause;
  Action action = Action::Posture;
  std::vector<EvidenceItem> evidence;  ///< what the manifest does, and where
  /// Per-target verdicts, for checks that judge targets themselves (their catalogue entry has
  /// `targets.rule`); targets left out are ready. Other checks get their catalogue table.
  std::vector<TargetVerdict> targets;
  /// Set when the observation is about a ConfigMap script the workload runs: it is reported on
  /// the ConfigMap, at the script's line.
  const IndexedConfigMap* config_map = nullptr;
};

/// A check: a small pure unit. Its metadata and parameters live in checks/<id>.yaml and are
/// read at construction, so a running check cannot fail.
class Check {
 public:
  virtual ~Check() = default;
  virtual void inspect(const CheckContext& context, std::vector<Observation>& out) const = 0;
  /// Revises one of its findings once the whole input is known; false drops it. Checks whose
  /// verdicts depend on other documents (Namespace labels) override it.
  virtual bool revise(const InputIndex& /*index*/, Finding& /*finding*/) const { return true; }
};

/// What a check judges, and so which part of the pipeline runs it. Most checks judge one
/// workload at a time: a Check unit, which the registry makes. The others judge what a stage of
/// the pipeline holds (the text as read, the whole input, pool descriptions, the waivers): the
/// stage makes their findings, and asks the registry which check it reports as (check_id), so
/// that the pipeline names no check.
enum class CheckRole : std::uint8_t {
  Workload,            ///< a Check unit, run on each pod (inspect) and after the last document (revise)
  PodPlacement,        ///< a Check unit that also reports, when the cluster's pools are known, a pod no
                       ///< pool accepts (judged from the pools, instead of running the unit)
  InvalidInput,        ///< the reading stage: what cannot be read (syntax, shape, limits)
  DuplicateKey,        ///< the reading stage: a key repeated in a mapping
  AnalysisIncomplete,  ///< commands of a workload that no reader could take
  DocumentedOutcome,   ///< what the targets document about a known component a workload runs
  NodePools,           ///< AKS node pool descriptions, one document at a time
  DuplicateObject,     ///< the whole input: an object defined twice
  UnusedWaiver,        ///< the suppression stage: a waiver that matched nothing
  ReasonlessWaiver,    ///< the suppression stage: a waiver without a reason
};

/// A registered check: its id, what it judges, and for a Check unit how to make it from its
/// catalogue entry (nullptr for a check a stage makes).
struct CheckFactory {
  std::string_view id;
  CheckRole role = CheckRole::Workload;
  std::unique_ptr<Check> (*make)(const CheckInfo& info) = nullptr;
};

/// Every check, sorted by id: the one list of them.
std::span<const CheckFactory> check_registry();

/// The id of the check with this role (not Workload, which many have).
std::string_view check_id(CheckRole role);

// Helpers shared by checks.

/// An observation located on `mapping[key]` (key and value), whose JSON Pointer is
/// `mapping_pointer` + "/" + key. The entry must exist.
Observation observe_entry(const CheckContext& context, NodeId mapping, std::string_view key,
                          const std::string& mapping_pointer, std::string message, std::string container = {});

/// An observation located at a piece of evidence: its line, in the workload or in a ConfigMap.
Observation observe_site(const Site& site, std::string message, std::string container = {});

/// True when `mapping[key]` is a boolean true, as Kubernetes reads it.
bool is_true(const YamlTree& tree, NodeId mapping, std::string_view key);

/// The SELinux type the container asks for: its own `seLinuxOptions.type`, else the pod's; empty
/// when it asks for none, or runs privileged (containerd's CRI discards the label of a privileged
/// container, bottlerocket-os/bottlerocket#3791).
std::string requested_selinux_type(const CheckContext& context, const ContainerView& container);

/// The type the container asks for, when `target`'s policy trusts it to reach systemd and D-Bus and
/// to edit /etc (fact `selinux_trusted_types`, e.g. Bottlerocket's super_t); empty otherwise.
std::string trusted_selinux_type(const CheckContext& context, const ContainerView* container, const Target& target);

/// The worse of two verdicts.
inline Verdict worst(Verdict a, Verdict b) {
  return a > b ? a : b;
}

/// Adds `target`'s verdict to an observation, resting on `fact` (a ready verdict adds nothing).
void judge(Observation& observation, const Target& target, Verdict verdict, std::string why, const Evidence& fact);
/// The same, resting on two facts: the weaker confidence counts, both sources are cited.
void judge(Observation& observation, const Target& target, Verdict verdict, std::string why, const Evidence& fact,
           const Evidence& other);
/// A review that rests on no particular fact.
void judge_review(Observation& observation, const Target& target, std::string why);

/// "[SOURCE, confidence]" for a message.
std::string cite(const Evidence& evidence);

/// A container that mounts a given volume, and how.
struct VolumeUse {
  const ContainerView* container;
  bool read_only;
};

/// Every mount of the volume named `volume`, in container order.
std::vector<VolumeUse> uses_of_volume(const PodSpecView& pod, std::string_view volume);

/// "writable in container \"a\", read-only in init container \"b\"", or "not mounted by any
/// container"; and the one container's name in `single` when exactly one container mounts it.
std::string describe_uses(const std::vector<VolumeUse>& uses, std::string* single);

/// An evidence item for a host write, a command or kernel work.
EvidenceItem evidence_of(const std::string& how, const Site& site);

/// The verdict ladder (docs/design.md), applied to every finding a check makes: posture alone,
/// or a verdict that cites no target fact, is at most a review; a verdict that rests on a guess
/// is at most "likely breaks". Targets left ready are dropped and the severity follows.
void apply_ladder(Finding& finding, CheckKind kind);

}  // namespace immutalint
