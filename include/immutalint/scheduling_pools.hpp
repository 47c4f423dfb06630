// The node pools of a cluster as the scheduler sees them: their labels, taints and OS, from
// Kubernetes Node objects (`kubectl get nodes -o yaml`) or AKS pool descriptions (`az aks nodepool
// list`). With pools known, a workload is judged only for the OSes of the pools it can be
// scheduled on (--target auto).
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "immutalint/inputs.hpp"
#include "immutalint/kube_object.hpp"
#include "immutalint/node_os.hpp"
#include "immutalint/node_pools.hpp"
#include "immutalint/node_selection.hpp"
#include "immutalint/pod_spec.hpp"
#include "immutalint/result.hpp"
#include "immutalint/target.hpp"
#include "immutalint/yaml_tree.hpp"

namespace immutalint {

/// A pool to judge for one target only (--plan-pool NAME=TARGET).
struct PoolPlan {
  std::string pool;
  const Target* target = nullptr;
};

/// Notices for plans that name a pool none of the inputs has.
std::vector<std::string> unknown_planned_pools(std::span<const PoolPlan> plans,
                                               const std::vector<std::string>& pools_read);

/// One pool of nodes that share labels, taints and OS.
struct SchedulingPool {
  std::string name;
  const Target* target = nullptr;  ///< the profile its OS is judged with; nullptr for non-Linux pools
  bool linux = true;
  std::string os;                                          ///< what the pool says of its OS: osImage, or the osSku
  std::string identified_by;                               ///< how its target was chosen, with the rule's source keys
  bool unknown_os = false;                                 ///< no rule matched: judged with the generic profile
  std::string planned_from;                                ///< set when --plan-pool moved it: the target it had
  std::map<std::string, std::string, std::less<>> labels;  ///< labels every node of the pool carries
  std::vector<Taint> taints;                               ///< taints every node of the pool carries
  std::size_t nodes = 0;                                   ///< Node objects read (0 for an az pool)
  std::string file;                                        ///< where it was first read
  std::uint32_t line = 0;
};

/// Collects pools from Node objects and AKS pool descriptions, then names their targets.
class PoolCollector {
 public:
  /// `rules` say which labels name a node's pool and its OS, and which target that OS is.
  explicit PoolCollector(const NodeOsRules& rules) : rules_(&rules) {}

  /// A Node object: grouped by its pool label (AKS, EKS, GKE, Karpenter), else by its osImage.
  void add_node(const YamlTree& tree, const KubeObject& node, const std::string& file);
  /// An AKS pool from az output; a pool also described by Node objects keeps what they say.
  void add_aks_pool(const NodePool& pool);
  bool empty() const { return groups_.empty(); }

  /// The pools, sorted by name, each with its target; `plans` move a pool to another target,
  /// with the OS SKU labels that target's nodes carry.
  std::vector<SchedulingPool> pools(const TargetSet& targets, std::span<const PoolPlan> plans) const;

 private:
  struct Group {
    SchedulingPool pool;
    NodeReport report;  // the first node's OS, with the labels all nodes share
    bool from_nodes = false;
  };
  const NodeOsRules* rules_;
  std::map<std::string, Group, std::less<>> groups_;
};

/// False only when the text of a document can hold neither a Node object nor an AKS pool
/// description, however their YAML or JSON is spelled (quoting, escapes such as `"N\u006fde"`,
/// blanks, comments): a cheap test that spares parsing most documents of a large input. It may
/// say true of a document that holds neither.
bool may_hold_pools(std::string_view document);

/// Reads every input for Node objects and AKS pool descriptions only (documents that cannot
/// hold one are not parsed). Standard input cannot be read twice: the caller spools it first.
std::vector<SchedulingPool> scan_pools(const InputSet& inputs, const NodeOsRules& rules, const TargetSet& targets,
                                       std::span<const PoolPlan> plans);

/// Why the pod cannot be scheduled on the pool (its node selector, required node affinity, or a
/// taint it does not tolerate), or nullopt when it can.
std::optional<std::string> pool_block(const YamlTree& tree, const PodSpecView& pod, const SchedulingPool& pool);

/// The targets of the Linux pools, in profile order, each once.
std::vector<const Target*> targets_of(std::span<const SchedulingPool> pools, const TargetSet& targets);

}  // namespace immutalint
