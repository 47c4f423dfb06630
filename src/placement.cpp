// Where a workload can be scheduled, from the node labels of the target profiles.
#include "immutalint/placement.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include <fmt/format.h>

namespace immutalint {

namespace {

bool same_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

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

bool carries_one_of(const NodeLabelFact& label, const std::vector<std::string>& values) {
  return std::any_of(values.begin(), values.end(), [&](const std::string& v) {
    return std::any_of(label.values.begin(), label.values.end(),
                       [&](const std::string& w) { return same_ignoring_case(v, w); });
  });
}

/// One node selector requirement (key, operator, values) against what the target's nodes carry.
bool satisfiable(const NodeLabelFact& label, std::string_view op, const std::vector<std::string>& values) {
  const bool absent = label.values.empty();
  if (op == "In") return !absent && carries_one_of(label, values);
  if (op == "NotIn")
    return absent || std::any_of(label.values.begin(), label.values.end(), [&](const std::string& w) {
             return std::none_of(values.begin(), values.end(),
                                 [&](const std::string& v) { return same_ignoring_case(v, w); });
           });
  if (op == "Exists") return !absent;
  if (op == "DoesNotExist") return absent;
  return true;  // Gt, Lt: numeric values the profiles do not describe
}

/// The requirement of the pod's node selector, else of its required node affinity, that keeps
/// it off nodes whose labels `label_for(key)` describes (nullptr: a label that rules nothing out).
template <typename LabelFor>
std::optional<PlacementBlock> first_block(const YamlTree& tree, const PodSpecView& pod, const LabelFor& label_for) {
  const auto [selector_holder, selector_pointer] = pod.holder_of(tree, "nodeSelector");
  const NodeId selector = tree.get(selector_holder, "nodeSelector");
  for (const auto& entry : tree.entries(selector)) {
    auto value = tree.scalar(entry.value);
    const NodeLabelFact* label = label_for(entry.key);
    if (!value || !label) continue;
    std::vector<std::string> values{std::string(*value)};
    if (!satisfiable(*label, "In", values)) {
      return PlacementBlock{
          entry.key, "In", std::move(values), label, selector, entry.key, selector_pointer + "/nodeSelector"};
    }
  }
  const auto [affinity_holder, affinity_pointer] = pod.holder_of(tree, "affinity");
  const std::string required_pointer =
      affinity_pointer + "/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution";
  const NodeId required = tree.get(tree.get(tree.get(affinity_holder, "affinity"), "nodeAffinity"),
                                   "requiredDuringSchedulingIgnoredDuringExecution");
  // Terms are alternatives; the requirements of one term must all hold.
  std::optional<PlacementBlock> first_failure;
  std::size_t term_index = 0;
  for (NodeId term : tree.items(tree.get(required, "nodeSelectorTerms"))) {
    std::optional<PlacementBlock> failure;
    std::size_t expression_index = 0;
    for (NodeId expression : tree.items(tree.get(term, "matchExpressions"))) {
      const std::size_t at = expression_index++;
      auto key = tree.scalar(tree.get(expression, "key"));
      auto op = tree.scalar(tree.get(expression, "operator"));
      if (!key || !op) continue;
      const NodeLabelFact* label = label_for(*key);
      if (!label) continue;
      std::vector<std::string> values;
      for (NodeId value : tree.items(tree.get(expression, "values")))
        values.emplace_back(tree.scalar(value).value_or(""));
      if (satisfiable(*label, *op, values)) continue;
      failure =
          PlacementBlock{std::string(*key),
                         std::string(*op),
                         std::move(values),
                         label,
                         expression,
                         tree.get(expression, "values") != kNoNode ? "values" : "operator",
                         fmt::format("{}/nodeSelectorTerms/{}/matchExpressions/{}", required_pointer, term_index, at)};
      break;
    }
    if (!failure) return std::nullopt;  // this term lets the pod land
    if (!first_failure) first_failure = std::move(failure);
    ++term_index;
  }
  return first_failure;
}

}  // namespace

std::optional<PlacementBlock> placement_block(const YamlTree& tree, const PodSpecView& pod, const Target& target) {
  return first_block(tree, pod, [&](std::string_view key) { return label_of(target, key); });
}

std::vector<std::string> admitted_label_values(const YamlTree& tree, const PodSpecView& pod,
                                               const NodeLabelFact& label) {
  std::vector<std::string> admitted;
  for (const std::string& value : label.values) {
    // A node that carries this one value: the pod's requirements either hold on it or not.
    const NodeLabelFact node{label.key, label.also, {value}, label.evidence};
    auto node_label = [&](std::string_view key) { return names(node, key) ? &node : nullptr; };
    if (!first_block(tree, pod, node_label)) admitted.push_back(value);
  }
  return admitted;
}

}  // namespace immutalint
