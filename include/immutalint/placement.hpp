// Where a workload can be scheduled: its node selector and required node affinity against the
// node labels a target's nodes carry (or are known never to carry). A workload is judged only
// for the targets it can land on.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "immutalint/node_selection.hpp"
#include "immutalint/pod_spec.hpp"
#include "immutalint/target.hpp"
#include "immutalint/yaml_tree.hpp"

namespace immutalint {

/// The node selector requirement that keeps a pod off a target's nodes.
struct PlacementBlock : LabelRequirement {
  const NodeLabelFact* label = nullptr;  ///< what the target says of the label
};

/// Why the pod's node selector or required node affinity rules out the target's nodes, or
/// nullopt when it can land there. With several affinity terms (alternatives), all of which
/// fail, the first term's failing requirement is given. A label the target profile does not
/// describe never rules it out. Judged as node_selection.hpp says.
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
