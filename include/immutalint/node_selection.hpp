// Which nodes a pod's scheduling rules admit, read once and judged with Kubernetes' semantics
// (k8s.io/component-helpers scheduling/corev1/nodeaffinity): every nodeSelector entry must hold,
// and when the pod has a required node affinity, at least one of its terms, each of whose
// requirements must hold. Keys and values are compared as written. What is known of a node's
// labels differs by caller (a pool's labels in full, a target profile's few), so the label
// knowledge is a parameter.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "immutalint/pod_spec.hpp"
#include "immutalint/yaml_tree.hpp"

namespace immutalint {

/// One requirement on a node label: a nodeSelector entry (operator In, one value) or a
/// matchExpressions item of a required node affinity term.
struct LabelRequirement {
  std::string key;
  std::string op;  ///< In, NotIn, Exists, DoesNotExist, Gt, Lt; any other matches no node
  std::vector<std::string> values;
  bool in_node_selector = false;
  NodeId mapping = kNoNode;  ///< the nodeSelector mapping, or the matchExpressions item
  std::string entry;         ///< the key within `mapping` to point at
  std::string pointer;       ///< JSON pointer of `mapping` within the object
};

/// A term of the required node affinity: it admits a node when all its requirements hold.
struct AffinityTerm {
  std::vector<LabelRequirement> labels;
  /// Requirements the lint cannot judge, taken to hold: matchFields (no manifest says which
  /// nodes are named so) and expressions without a key or an operator (the API server refuses
  /// them).
  bool unjudged = false;
  /// A term with no requirement at all admits no node.
  bool empty() const { return labels.empty() && !unjudged; }
};

/// What a pod requires of a node's labels.
struct NodeRequirements {
  std::vector<LabelRequirement> selector;  ///< all must hold
  bool affinity = false;                   ///< a required node affinity is set
  std::vector<AffinityTerm> terms;         ///< with `affinity`, one must hold (none: no node admits the pod)
};

NodeRequirements node_requirements(const YamlTree& tree, const PodSpecView& pod);

/// What is known of a label across the nodes considered: nullptr when nothing is (it rules
/// nothing out); otherwise the values some node carries under it, empty when none carries it.
using LabelKnowledge = std::function<const std::vector<std::string>*(std::string_view key)>;

/// The knowledge of nodes whose labels are all known (a pool's, one node's): a label the map
/// lacks, they do not carry. The map must outlive the knowledge.
LabelKnowledge all_labels_known(const std::map<std::string, std::string, std::less<>>& labels);

/// True when some node, as far as `knowledge` tells, satisfies the requirement. Each
/// requirement is judged on its own: two requirements on different labels may hold on
/// different nodes. One the API server refuses (In or NotIn without values, Exists or
/// DoesNotExist with some, Gt or Lt without one integer, another operator) holds on no node
/// it knows of.
bool may_hold(const LabelRequirement& requirement, const LabelKnowledge& knowledge);

/// True when the nodes `knowledge` describes may take the pod: with every label of a node
/// known, Kubernetes' own answer for that node (matchFields apart).
bool admits(const NodeRequirements& requirements, const LabelKnowledge& knowledge);

/// The pod's requirement that keeps it off the nodes `knowledge` describes, or nullopt when
/// they may take it. When no affinity term holds, the first failing requirement of the first
/// term that has one is given. A pod whose affinity has only empty terms, or none, is admitted
/// nowhere, and no requirement says why: it is given nullopt, as it fails alike on every node.
std::optional<LabelRequirement> first_unmet(const NodeRequirements& requirements, const LabelKnowledge& knowledge);

/// A node taint; pods that do not tolerate it are not scheduled there (NoSchedule, NoExecute).
struct Taint {
  std::string key;
  std::string value;
  std::string effect;  ///< NoSchedule, PreferNoSchedule, NoExecute
};

/// True when one of the pod's tolerations (the `tolerations` sequence) tolerates the taint.
bool tolerates(const YamlTree& tree, NodeId tolerations, const Taint& taint);

}  // namespace immutalint
