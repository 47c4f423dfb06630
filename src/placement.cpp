// Where a workload can be scheduled, from the node labels of the target profiles.
#include "immutalint/placement.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace immutalint {

namespace {

bool same_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

/// What the target says of a label: nullptr when it does not describe it; an empty list when
/// its nodes never carry it.
const NodeLabelFact* label_of(const Target& target, std::string_view key) {
  for (const auto& label : target.node_labels()) {
    if (label.key == key) return &label;
  }
  return nullptr;
}

bool carries_one_of(const NodeLabelFact& label, const std::vector<std::string>& values) {
  return std::any_of(values.begin(), values.end(), [&](const std::string& v) {
    return std::any_of(label.values.begin(), label.values.end(), [&](const std::string& w) { return same_ignoring_case(v, w); });
  });
}

/// One node selector requirement (key, operator, values) against the target's nodes.
bool satisfiable(const Target& target, std::string_view key, std::string_view op, const std::vector<std::string>& values) {
  const NodeLabelFact* label = label_of(target, key);
  if (!label) return true;
  const bool absent = label->values.empty();
  if (op == "In") return !absent && carries_one_of(*label, values);
  if (op == "NotIn") return absent || std::any_of(label->values.begin(), label->values.end(), [&](const std::string& w) {
                         return std::none_of(values.begin(), values.end(), [&](const std::string& v) { return same_ignoring_case(v, w); });
                       });
  if (op == "Exists") return !absent;
  if (op == "DoesNotExist") return absent;
  return true;  // Gt, Lt: numeric values the profiles do not describe
}

}  // namespace

bool can_land_on(const YamlTree& tree, const PodSpecView& pod, const Target& target) {
  for (const auto& entry : tree.entries(tree.get(pod.node, "nodeSelector"))) {
    auto value = tree.scalar(entry.value);
    if (value && !satisfiable(target, entry.key, "In", {std::string(*value)})) return false;
  }
  const NodeId required = tree.get(tree.get(tree.get(pod.node, "affinity"), "nodeAffinity"),
                                   "requiredDuringSchedulingIgnoredDuringExecution");
  auto terms = tree.items(tree.get(required, "nodeSelectorTerms"));
  if (terms.empty()) return true;
  // Terms are alternatives; the requirements of one term must all hold.
  return std::any_of(terms.begin(), terms.end(), [&](NodeId term) {
    for (NodeId expression : tree.items(tree.get(term, "matchExpressions"))) {
      auto key = tree.scalar(tree.get(expression, "key"));
      auto op = tree.scalar(tree.get(expression, "operator"));
      if (!key || !op) continue;
      std::vector<std::string> values;
      for (NodeId value : tree.items(tree.get(expression, "values"))) values.emplace_back(tree.scalar(value).value_or(""));
      if (!satisfiable(target, *key, *op, values)) return false;
    }
    return true;
  });
}

}  // namespace immutalint
