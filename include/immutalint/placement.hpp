// Where a workload can be scheduled: its node selector and required node affinity against the
// node labels a target's nodes carry (or are known never to carry). A workload is judged only
// for the targets it can land on.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "immutalint/pod_spec.hpp"
#include "immutalint/target.hpp"
#include "immutalint/yaml_tree.hpp"

namespace immutalint {

/// The node selector requirement that keeps a pod off a target's nodes.
struct PlacementBlock {
  std::string key;  ///< the selector key, as written
  std::string op;   ///< In, NotIn, Exists, DoesNotExist
  std::vector<std::string> values;
  const NodeLabelFact* label = nullptr;  ///< what the target says of the label
  NodeId mapping = kNoNode;              ///< the nodeSelector mapping, or the matchExpressions item
  std::string entry;                     ///< the key within `mapping` to point at
  std::string pointer;                   ///< JSON pointer of `mapping` within the object
};

/// Why the pod's node selector or required node affinity rules out the target's nodes, or
/// nullopt when it can land there. With several affinity terms (alternatives), all of which
/// fail, the first term's failing requirement is given. A label the target profile does not
/// describe never rules it out.
std::optional<PlacementBlock> placement_block(const YamlTree& tree, const PodSpecView& pod, const Target& target);

inline bool can_land_on(const YamlTree& tree, const PodSpecView& pod, const Target& target) {
  return !placement_block(tree, pod, target);
}

/// Of the values `label` lists, those a node may carry under `label.key` (or one of
/// `label.also`) and still take the pod: its node selector and required node affinity judged as
/// placement_block judges a target's labels, In and NotIn alike, affinity terms as alternatives.
/// With no requirement on the label, every listed value. E.g. {kubernetes.io/arch: amd64, arm64}
/// gives [arm64] for `NotIn [amd64]`.
std::vector<std::string> admitted_label_values(const YamlTree& tree, const PodSpecView& pod,
                                               const NodeLabelFact& label);

}  // namespace immutalint
