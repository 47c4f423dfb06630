// os-sku-pinning: node selectors or required affinity that pin the workload to a node OS SKU
// other than the target's, so it never schedules on the migrated pool.
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checks/os-sku-pinning.hpp"
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

Finding no_pool_accepts(const CheckInfo& info, const YamlTree& tree, const KubeObject& object, const PodSpecView& pod,
                        const std::string& file, const std::string& source,
                        const std::vector<std::pair<const SchedulingPool*, std::string>>& blocked) {
  Finding finding;
  finding.check = info.id;
  finding.file = file;
  finding.object = object.ref;
  finding.source = source;
  finding.action = Action::Requires;
  finding.cause = "placement";
  // At what keeps it off: the node selector, else the affinity, else the pod spec.
  finding.span = object.kind_span;
  finding.field = pod.pointer;
  for (std::string_view key : {"nodeSelector", "affinity", "tolerations"}) {
    const auto [holder, pointer] = pod.holder_of(tree, key);
    if (const MapEntry* entry = tree.find(holder, key)) {
      finding.span = tree.span_of(*entry);
      finding.field = pointer + "/" + std::string(key);
      break;
    }
  }
  // Pools kept off for the same reason are named together.
  std::vector<std::pair<std::string, std::vector<std::string>>> reasons;
  for (const auto& entry : blocked) {
    // Plain names rather than a structured binding: lambdas below use them (clang 14).
    const SchedulingPool* pool = entry.first;
    const std::string& reason = entry.second;
    auto same = std::find_if(reasons.begin(), reasons.end(), [&](const auto& r) { return r.first == reason; });
    if (same == reasons.end()) same = reasons.insert(reasons.end(), {reason, {}});
    same->second.push_back(fmt::format("{} ({})", pool->name, pool->target->name()));
    auto it = std::find_if(finding.targets.begin(), finding.targets.end(),
                           [&](const TargetVerdict& v) { return v.target == pool->target->name(); });
    if (it != finding.targets.end()) continue;
    finding.targets.push_back(
        {pool->target->name(),
         Verdict::Breaks,
         fmt::format("no pool on {} accepts it: pool {}: {}", pool->target->name(), pool->name, reason),
         fmt::format("pool {} ({}:{})", pool->name, pool->file, pool->line),
         Confidence::Documented,
         {}});
  }
  std::vector<std::string> parts;
  for (const auto& [reason, names] : reasons) {
    parts.push_back(fmt::format("{} {}: {}", names.size() == 1 ? "pool" : "pools", fmt::join(names, ", "), reason));
  }
  finding.message = fmt::format("no node pool of the cluster can run this pod: {}", fmt::join(parts, "; "));
  apply_ladder(finding, info.kind);
  return finding;
}

std::unique_ptr<Check> make_os_sku_pinning(const CheckInfo& info) {
  return std::make_unique<OsSkuPinning>(info);
}

}  // namespace immutalint::checks
