// Where a workload can be scheduled, from the node labels of the target profiles.
#include "immutalint/placement.hpp"

#include <algorithm>
#include <vector>

namespace immutalint {

namespace {

/// True when `key` is the label's key or one of the keys carrying the same value.
bool names(const NodeLabelFact& label, std::string_view key) {
  return label.key == key || std::find(label.also.begin(), label.also.end(), key) != label.also.end();
}

/// What the target says of a label, by its key or one of the keys carrying the same value:
/// nullptr when it does not describe it; an empty value list when its nodes never carry it.
const NodeLabelFact* label_of(const Target& target, std::string_view key) {
  for (const auto& label : target.node_labels()) {
    if (names(label, key)) return &label;
  }
  return nullptr;
}

/// The requirement that keeps the pod off nodes whose labels `label_for(key)` describes
/// (nullptr: a label that rules nothing out).
template <typename LabelFor>
std::optional<PlacementBlock> first_block(const NodeRequirements& requirements, const LabelFor& label_for) {
  auto unmet = first_unmet(requirements, [&](std::string_view key) -> const std::vector<std::string>* {
    const NodeLabelFact* label = label_for(key);
    return label ? &label->values : nullptr;
  });
  if (!unmet) return std::nullopt;
  PlacementBlock block{std::move(*unmet)};
  block.label = label_for(block.key);
  return block;
}

}  // namespace

std::optional<PlacementBlock> placement_block(const YamlTree& tree, const PodSpecView& pod, const Target& target) {
  return first_block(node_requirements(tree, pod), [&](std::string_view key) { return label_of(target, key); });
}

std::vector<std::string> admitted_label_values(const YamlTree& tree, const PodSpecView& pod,
                                               const NodeLabelFact& label) {
  const NodeRequirements requirements = node_requirements(tree, pod);
  std::vector<std::string> admitted;
  for (const std::string& value : label.values) {
    // A node that carries this one value: the pod's requirements either hold on it or not.
    const NodeLabelFact node{label.key, label.also, {value}, label.evidence};
    auto node_label = [&](std::string_view key) { return names(node, key) ? &node : nullptr; };
    if (!first_block(requirements, node_label)) admitted.push_back(value);
  }
  return admitted;
}

}  // namespace immutalint
