// A pod's node selector, required node affinity and tolerations, as the scheduler judges them.
#include "immutalint/node_selection.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>

#include <fmt/format.h>

namespace immutalint {

namespace {

/// A label value or bound as Gt and Lt read it: a base-10 64-bit integer, nothing around it.
std::optional<std::int64_t> integer(std::string_view text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end) return std::nullopt;
  return value;
}

bool listed(const std::vector<std::string>& values, std::string_view value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

/// A label value Kubernetes accepts: at most 63 characters of [A-Za-z0-9_.-], beginning and
/// ending with a letter or digit, or empty.
bool valid_label_value(std::string_view value) {
  if (value.empty()) return true;
  auto alphanumeric = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
  return value.size() <= 63 && alphanumeric(value.front()) && alphanumeric(value.back()) &&
         std::all_of(value.begin(), value.end(),
                     [&](char c) { return alphanumeric(c) || c == '-' || c == '_' || c == '.'; });
}

/// False for a requirement the API server refuses, which no node satisfies. The nodeSelector's
/// values are not checked here, as the scheduler does not check them (labels.SelectorFromSet).
bool well_formed(const LabelRequirement& requirement) {
  const std::string_view op = requirement.op;
  const std::size_t count = requirement.values.size();
  if (!requirement.in_node_selector &&
      !std::all_of(requirement.values.begin(), requirement.values.end(), valid_label_value))
    return false;
  if (op == "In" || op == "NotIn") return count > 0;
  if (op == "Exists" || op == "DoesNotExist") return count == 0;
  if (op == "Gt" || op == "Lt") return count == 1 && integer(requirement.values.front());
  return false;
}

/// The requirement on one value a node carries under the label.
bool holds_for(const LabelRequirement& requirement, const std::string& carried) {
  const std::string_view op = requirement.op;
  if (op == "In") return listed(requirement.values, carried);
  if (op == "NotIn") return !listed(requirement.values, carried);
  if (op == "Exists") return true;
  if (op == "DoesNotExist") return false;
  // Gt, Lt: a label value that is not an integer satisfies neither.
  const auto bound = integer(requirement.values.front());
  const auto value = integer(carried);
  if (!bound || !value) return false;
  return op == "Gt" ? *value > *bound : *value < *bound;
}

/// The requirement on a node that does not carry the label.
bool holds_without(const LabelRequirement& requirement) {
  return requirement.op == "NotIn" || requirement.op == "DoesNotExist";
}

std::vector<std::string> scalar_values(const YamlTree& tree, NodeId sequence) {
  std::vector<std::string> values;
  for (NodeId value : tree.items(sequence)) values.emplace_back(tree.scalar(value).value_or(""));
  return values;
}

}  // namespace

NodeRequirements node_requirements(const YamlTree& tree, const PodSpecView& pod) {
  NodeRequirements requirements;
  const auto [selector_holder, selector_pointer] = pod.holder_of(tree, "nodeSelector");
  const NodeId selector = tree.get(selector_holder, "nodeSelector");
  for (const auto& entry : tree.entries(selector)) {
    auto value = tree.scalar(entry.value);
    if (!value) continue;
    requirements.selector.push_back(LabelRequirement{
        entry.key, "In", {std::string(*value)}, true, selector, entry.key, selector_pointer + "/nodeSelector"});
  }

  const auto [affinity_holder, affinity_pointer] = pod.holder_of(tree, "affinity");
  const std::string required_pointer =
      affinity_pointer + "/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution";
  const NodeId required = tree.get(tree.get(tree.get(affinity_holder, "affinity"), "nodeAffinity"),
                                   "requiredDuringSchedulingIgnoredDuringExecution");
  requirements.affinity = tree.is_mapping(required);
  std::size_t term_index = 0;
  for (NodeId term : tree.items(tree.get(required, "nodeSelectorTerms"))) {
    AffinityTerm& read = requirements.terms.emplace_back();
    read.unjudged = !tree.items(tree.get(term, "matchFields")).empty();
    std::size_t expression_index = 0;
    for (NodeId expression : tree.items(tree.get(term, "matchExpressions"))) {
      const std::size_t at = expression_index++;
      auto key = tree.scalar(tree.get(expression, "key"));
      auto op = tree.scalar(tree.get(expression, "operator"));
      if (!key || !op) {
        read.unjudged = true;
        continue;
      }
      const NodeId values = tree.get(expression, "values");
      read.labels.push_back(LabelRequirement{
          std::string(*key), std::string(*op), scalar_values(tree, values), false, expression,
          values != kNoNode ? "values" : "operator",
          fmt::format("{}/nodeSelectorTerms/{}/matchExpressions/{}", required_pointer, term_index, at)});
    }
    ++term_index;
  }
  return requirements;
}

LabelKnowledge all_labels_known(const std::map<std::string, std::string, std::less<>>& labels) {
  // One value per label, or none: the vector answers the lookup just made, which may_hold reads
  // before it asks again.
  return [&labels, carried = std::vector<std::string>()](std::string_view key) mutable {
    carried.clear();
    if (auto label = labels.find(key); label != labels.end()) carried.push_back(label->second);
    return static_cast<const std::vector<std::string>*>(&carried);
  };
}

bool may_hold(const LabelRequirement& requirement, const LabelKnowledge& knowledge) {
  const std::vector<std::string>* carried = knowledge(requirement.key);
  if (!carried) return true;
  if (!well_formed(requirement)) return false;
  if (carried->empty()) return holds_without(requirement);
  return std::any_of(carried->begin(), carried->end(),
                     [&](const std::string& value) { return holds_for(requirement, value); });
}

bool admits(const NodeRequirements& requirements, const LabelKnowledge& knowledge) {
  auto holds = [&](const LabelRequirement& requirement) { return may_hold(requirement, knowledge); };
  if (!std::all_of(requirements.selector.begin(), requirements.selector.end(), holds)) return false;
  if (!requirements.affinity) return true;
  return std::any_of(requirements.terms.begin(), requirements.terms.end(), [&](const AffinityTerm& term) {
    return !term.empty() && std::all_of(term.labels.begin(), term.labels.end(), holds);
  });
}

std::optional<LabelRequirement> first_unmet(const NodeRequirements& requirements, const LabelKnowledge& knowledge) {
  for (const LabelRequirement& requirement : requirements.selector) {
    if (!may_hold(requirement, knowledge)) return requirement;
  }
  if (requirements.terms.empty()) return std::nullopt;
  const LabelRequirement* first_failure = nullptr;
  for (const AffinityTerm& term : requirements.terms) {
    if (term.empty()) continue;  // admits no node, for want of a requirement
    auto failing = std::find_if(term.labels.begin(), term.labels.end(),
                                [&](const LabelRequirement& r) { return !may_hold(r, knowledge); });
    if (failing == term.labels.end()) return std::nullopt;  // this term admits the pod
    if (!first_failure) first_failure = &*failing;
  }
  if (!first_failure) return std::nullopt;
  return *first_failure;
}

bool tolerates(const YamlTree& tree, NodeId tolerations, const Taint& taint) {
  const auto items = tree.items(tolerations);
  return std::any_of(items.begin(), items.end(), [&](NodeId toleration) {
    auto text = [&](std::string_view key) { return tree.scalar(tree.get(toleration, key)).value_or(""); };
    const std::string_view effect = text("effect");
    const std::string_view key = text("key");
    const std::string_view op = text("operator");
    if (!effect.empty() && effect != taint.effect) return false;
    if (!key.empty() && key != taint.key) return false;  // an empty key with Exists tolerates every taint
    if (op.empty() || op == "Equal") return text("value") == taint.value;
    return op == "Exists";
  });
}

}  // namespace immutalint
