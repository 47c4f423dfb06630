// os-sku-pinning: node selectors or required affinity that pin the workload to a node OS SKU
// other than the target's, so it never schedules on the migrated pool.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checks/checks.hpp"

namespace immutalint::checks {

namespace {

bool same_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

/// One place that pins a node label to a set of values.
struct Pin {
  std::string key;
  std::vector<std::string> values;
  NodeId mapping;
  std::string entry;
  std::string pointer;
};

class OsSkuPinning final : public Check {
 public:
  explicit OsSkuPinning(const CheckInfo& info) : labels_(info.params.table("labels")) {}

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& pin : pins(context)) {
      Observation observation = observe_entry(
          context, pin.mapping, pin.entry, pin.pointer,
          fmt::format("the pod only schedules on nodes whose {} is {}", pin.key, fmt::join(pin.values, " or ")));
      observation.action = Action::Requires;
      // Where the pin keeps the workload off the target's nodes is exactly what this reports.
      for (const Target* target : context.selected_targets) {
        for (const auto& label : target->node_labels()) {
          if (label.key != pin.key) continue;
          const bool matches = std::any_of(pin.values.begin(), pin.values.end(), [&](const std::string& v) {
            return std::any_of(label.values.begin(), label.values.end(), [&](const std::string& w) { return same_ignoring_case(v, w); });
          });
          if (matches) continue;
          judge(observation, *target, Verdict::Breaks,
                fmt::format("{} nodes carry {}={}{}", target->name(), label.key, fmt::join(label.values, ","),
                            label.evidence.note.empty() ? "" : "; " + label.evidence.note),
                label.evidence);
        }
      }
      if (!observation.verdicts.empty()) out.push_back(std::move(observation));
    }
  }

 private:
  /// The node label a selector key pins (several keys carry the same label), or "".
  std::string pinned_label(std::string_view key) const {
    for (const auto& [label, keys] : labels_) {
      if (std::find(keys.begin(), keys.end(), key) != keys.end()) return label;
    }
    return {};
  }

  std::vector<Pin> pins(const CheckContext& context) const {
    const YamlTree& tree = context.tree;
    std::vector<Pin> found;
    const NodeId selector = tree.get(context.pod.node, "nodeSelector");
    for (const auto& entry : tree.entries(selector)) {
      const std::string label = pinned_label(entry.key);
      if (label.empty()) continue;
      found.push_back({label, {std::string(tree.scalar(entry.value).value_or(""))}, selector, entry.key,
                       context.pod.pointer + "/nodeSelector"});
    }
    const NodeId required = tree.get(tree.get(tree.get(context.pod.node, "affinity"), "nodeAffinity"),
                                     "requiredDuringSchedulingIgnoredDuringExecution");
    std::size_t term_index = 0;
    for (NodeId term : tree.items(tree.get(required, "nodeSelectorTerms"))) {
      std::size_t expression_index = 0;
      for (NodeId expression : tree.items(tree.get(term, "matchExpressions"))) {
        auto key = tree.scalar(tree.get(expression, "key"));
        auto op = tree.scalar(tree.get(expression, "operator"));
        const std::string pointer = fmt::format("{}/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/"
                                                "nodeSelectorTerms/{}/matchExpressions/{}",
                                                context.pod.pointer, term_index, expression_index++);
        if (!key || !op || pinned_label(*key).empty() || *op != "In") continue;
        Pin pin{pinned_label(*key), {}, expression, "values", pointer};
        for (NodeId value : tree.items(tree.get(expression, "values"))) pin.values.emplace_back(tree.scalar(value).value_or(""));
        if (!pin.values.empty()) found.push_back(std::move(pin));
      }
      ++term_index;
    }
    return found;
  }

  const std::map<std::string, std::vector<std::string>> labels_;
};

}  // namespace

std::unique_ptr<Check> make_os_sku_pinning(const CheckInfo& info) { return std::make_unique<OsSkuPinning>(info); }

}  // namespace immutalint::checks
