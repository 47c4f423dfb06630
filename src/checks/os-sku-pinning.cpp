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
  bool judges_targets() const override { return true; }

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& pin : pins(context)) {
      Observation observation = observe_entry(
          context, pin.mapping, pin.entry, pin.pointer,
          fmt::format("the pod only schedules on nodes whose {} is {}", pin.key, fmt::join(pin.values, " or ")));
      for (const Target* target : context.targets) {
        for (const auto& label : target->node_labels()) {
          if (label.key != pin.key) continue;
          const bool matches = std::any_of(pin.values.begin(), pin.values.end(), [&](const std::string& v) {
            return std::any_of(label.values.begin(), label.values.end(), [&](const std::string& w) { return same_ignoring_case(v, w); });
          });
          if (matches) continue;
          const bool flatcar = std::any_of(pin.values.begin(), pin.values.end(), [](const std::string& v) { return same_ignoring_case(v, "flatcar"); });
          judge(observation, *target, capped(Verdict::Breaks, label.evidence.confidence),
                fmt::format("{} nodes carry {}={} {}{}", target->name(), label.key, fmt::join(label.values, ","),
                            cite(label.evidence),
                            flatcar ? "; Flatcar for AKS is retired (no new pools from 2026-06-08, images removed "
                                      "2026-09-08): pin AzureContainerLinux instead"
                                    : ""));
        }
      }
      if (!observation.verdicts.empty()) out.push_back(std::move(observation));
    }
  }

 private:
  static std::vector<Pin> pins(const CheckContext& context) {
    const YamlTree& tree = context.tree;
    std::vector<Pin> found;
    const NodeId selector = tree.get(context.pod.node, "nodeSelector");
    for (const auto& entry : tree.entries(selector)) {
      if (!entry.key.starts_with("kubernetes.azure.com/os-sku")) continue;
      found.push_back({"kubernetes.azure.com/os-sku", {std::string(tree.scalar(entry.value).value_or(""))}, selector,
                       entry.key, context.pod.pointer + "/nodeSelector"});
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
        if (!key || !op || !key->starts_with("kubernetes.azure.com/os-sku") || *op != "In") continue;
        Pin pin{"kubernetes.azure.com/os-sku", {}, expression, "values", pointer};
        for (NodeId value : tree.items(tree.get(expression, "values"))) pin.values.emplace_back(tree.scalar(value).value_or(""));
        if (!pin.values.empty()) found.push_back(std::move(pin));
      }
      ++term_index;
    }
    return found;
  }
};

}  // namespace

std::unique_ptr<Check> make_os_sku_pinning(const CheckInfo& /*info*/) { return std::make_unique<OsSkuPinning>(); }

}  // namespace immutalint::checks
