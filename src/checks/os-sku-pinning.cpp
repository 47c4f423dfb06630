// os-sku-pinning: node selectors or required affinity that pin the workload to a node OS SKU
// other than the target's, so it never schedules on the migrated pool.
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checks/placement_support.hpp"
#include "immutalint/check.hpp"
#include "immutalint/placement.hpp"

namespace immutalint::checks {

namespace {

class OsSkuPinning final : public Check {
 public:
  explicit OsSkuPinning(const CheckInfo& info) : labels_(info.params.list("labels")) {}

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    // The placement rules already keep the workload off some targets (context.targets holds
    // only those it lands on); this says which requirement does it, where the label is an OS SKU.
    for (const Target* target : context.selected_targets) {
      auto block = placement_block(context.tree, context.pod, *target);
      if (!block || std::find(labels_.begin(), labels_.end(), block->label->key) == labels_.end()) continue;
      const NodeLabelFact& label = *block->label;
      auto existing =
          std::find_if(out.begin(), out.end(), [&](const Observation& o) { return o.cause == block->pointer; });
      if (existing == out.end()) {
        Observation observation =
            observe_entry(context, block->mapping, block->entry, block->pointer,
                          fmt::format("the pod only schedules on nodes {}", describe_requirement(*block)));
        observation.action = Action::Requires;
        observation.cause = block->pointer;
        out.push_back(std::move(observation));
        existing = out.end() - 1;
      }
      const std::string carried =
          label.values.empty()
              ? fmt::format("{} nodes never carry {}", target->name(), label.key)
              : fmt::format("{} nodes carry {}={}", target->name(), label.key, fmt::join(label.values, ","));
      judge(*existing, *target, Verdict::Breaks,
            fmt::format("{}{}", carried, label.evidence.note.empty() ? "" : "; " + label.evidence.note),
            label.evidence);
    }
  }

 private:
  const std::vector<std::string> labels_;  // node labels that name the OS SKU
};

}  // namespace

std::unique_ptr<Check> make_os_sku_pinning(const CheckInfo& info) {
  return std::make_unique<OsSkuPinning>(info);
}

}  // namespace immutalint::checks
