// node-feature-pinning: node selectors or required affinity that ask for a VM feature (FIPS,
// Trusted Launch, confidential VM) or a VM size that the target's AKS node pools never have, so
// the workload never schedules on the migrated pool.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checks/command_support.hpp"
#include "checks/placement_support.hpp"
#include "immutalint/check.hpp"
#include "immutalint/evidence_catalogue.hpp"
#include "immutalint/fact_keys.hpp"
#include "immutalint/node_selection.hpp"
#include "immutalint/placement.hpp"

namespace immutalint::checks {

namespace {

/// Why a target's pools cannot use one VM size.
struct SizeProblem {
  std::string size;
  std::string family;  ///< the pattern that recognised it
  const Fact* fact = nullptr;
  std::string_view clause;  ///< what the target's node pools cannot do, in words
};

class NodeFeaturePinning final : public Check {
 public:
  explicit NodeFeaturePinning(const CheckInfo& info)
      : labels_(info.params.list("labels")),
        size_labels_(info.params.list("size-labels")),
        sizes_(*EvidenceCatalogue::builtin()) {}

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    // Feature labels: the target profiles say which values their nodes carry, and the placement
    // rules keep the workload off the targets whose nodes never match (context.targets holds the
    // others); this says which requirement does it.
    for (const Target* target : context.selected_targets) {
      auto block = placement_block(context.tree, context.pod, *target);
      if (!block || std::find(labels_.begin(), labels_.end(), block->label->key) == labels_.end()) continue;
      const NodeLabelFact& label = *block->label;
      Observation& observation =
          observation_at(context, out, block->mapping, block->entry, block->pointer,
                         fmt::format("the pod only schedules on nodes {}", describe_requirement(*block)));
      const std::string carried =
          label.values.empty()
              ? fmt::format("{} nodes never carry {}", target->name(), label.key)
              : fmt::format("{} nodes carry {}={}", target->name(), label.key, fmt::join(label.values, ","));
      judge(observation, *target, Verdict::Breaks,
            fmt::format("{}{}", carried, label.evidence.note.empty() ? "" : "; " + label.evidence.note),
            label.evidence);
    }

    // VM sizes: no profile lists sizes, so they are judged here from the target's facts.
    const NodeRequirements requirements = node_requirements(context.tree, context.pod);
    for (const Target* target : context.targets) {
      auto [blocking, problems] = blocking_size(*target, requirements);
      if (blocking) report(context, out, *target, *blocking, problems);
    }
  }

 private:
  /// The observation on `mapping[entry]`, made once for all targets.
  static Observation& observation_at(const CheckContext& context, std::vector<Observation>& out, NodeId mapping,
                                     const std::string& entry, const std::string& pointer, std::string message) {
    Observation probe = observe_entry(context, mapping, entry, pointer, std::move(message));
    auto existing = std::find_if(out.begin(), out.end(), [&](const Observation& o) { return o.field == probe.field; });
    if (existing != out.end()) return *existing;
    probe.action = Action::Requires;
    out.push_back(std::move(probe));
    return out.back();
  }

  /// True when the requirement lists the VM sizes a node may have.
  bool names_sizes(const LabelRequirement& requirement) const {
    return requirement.op == "In" && !requirement.values.empty() &&
           std::find(size_labels_.begin(), size_labels_.end(), requirement.key) != size_labels_.end();
  }

  /// Why the target's pools cannot use `size`, or nullopt when nothing says they cannot.
  std::optional<SizeProblem> problem(const Target& target, const std::string& size) const {
    const VmSizeFamily* family = sizes_.vm_size_family(size);
    if (!family) return std::nullopt;
    if (family->has("confidential") && target.fact_is(facts::confidential_vm, "unsupported")) {
      return SizeProblem{size, family->name, &target.fact(facts::confidential_vm), "cannot use confidential VM sizes"};
    }
    if (family->has("gen1-only") && target.fact_is(facts::gen1_vm, "unsupported")) {
      return SizeProblem{size, family->name, &target.fact(facts::gen1_vm),
                         "cannot use VM sizes that support only Generation 1"};
    }
    if (family->has("no-trusted-launch") && target.fact_is(facts::trusted_launch, "required")) {
      return SizeProblem{size, family->name, &target.fact(facts::trusted_launch),
                         "run only on VM sizes with Trusted Launch"};
    }
    return std::nullopt;
  }

  /// The problems of every size a requirement accepts, or nothing when one of them is usable.
  std::vector<SizeProblem> unusable(const Target& target, const std::vector<std::string>& sizes) const {
    std::vector<SizeProblem> problems;
    for (const auto& size : sizes) {
      auto found = problem(target, size);
      if (!found) return {};
      problems.push_back(std::move(*found));
    }
    return problems;
  }

  using SizeBlock = std::pair<const LabelRequirement*, std::vector<SizeProblem>>;

  /// The first of `requirements` that names only sizes the target's pools cannot use, with why.
  SizeBlock first_unusable(const Target& target, const std::vector<LabelRequirement>& requirements) const {
    for (const auto& requirement : requirements) {
      if (!names_sizes(requirement)) continue;
      auto problems = unusable(target, requirement.values);
      if (!problems.empty()) return {&requirement, std::move(problems)};
    }
    return {nullptr, {}};
  }

  /// The size requirement that keeps the pod off the target's pools: a nodeSelector entry, or,
  /// when every affinity term (they are alternatives) has one, the first term's. nullptr when
  /// the sizes let it land.
  SizeBlock blocking_size(const Target& target, const NodeRequirements& requirements) const {
    if (auto selector = first_unusable(target, requirements.selector); selector.first) return selector;
    SizeBlock first{nullptr, {}};
    for (const AffinityTerm& term : requirements.terms) {
      if (term.empty()) continue;  // admits no node whatever the sizes
      auto failing = first_unusable(target, term.labels);
      if (!failing.first) return {nullptr, {}};  // this term lets the pod land
      if (!first.first) first = std::move(failing);
    }
    return first;
  }

  void report(const CheckContext& context, std::vector<Observation>& out, const Target& target,
              const LabelRequirement& requirement, const std::vector<SizeProblem>& problems) const {
    Observation& observation = observation_at(
        context, out, requirement.mapping, requirement.entry, requirement.pointer,
        fmt::format("the pod only schedules on VM size{} {} ({})", requirement.values.size() == 1 ? "" : "s",
                    fmt::join(requirement.values, " or "), requirement.key));
    std::vector<const Fact*> facts;
    for (const auto& p : problems) {
      if (std::find(facts.begin(), facts.end(), p.fact) == facts.end()) facts.push_back(p.fact);
    }
    std::vector<std::string> reasons;
    std::string why;
    if (facts.size() == 1) {
      // One fact: the sizes, then what the target's pools cannot do and the fact's note.
      for (const auto& p : problems) reasons.push_back(fmt::format("{} is in the {}", p.size, p.family));
      const Fact& fact = *facts.front();
      why = fmt::format("{}: {} node pools {}{}", fmt::join(reasons, "; "), target.name(), problems.front().clause,
                        fact.evidence.note.empty() ? "" : "; " + fact.evidence.note);
      judge(observation, target, Verdict::Breaks, why, fact.evidence);
      return;
    }
    // Several facts: each size with its own reason; the first two facts are cited.
    for (const auto& p : problems) {
      reasons.push_back(
          fmt::format("{} is in the {}, and {} node pools {}", p.size, p.family, target.name(), p.clause));
    }
    judge(observation, target, Verdict::Breaks, fmt::format("{}", fmt::join(reasons, "; ")), facts[0]->evidence,
          facts[1]->evidence);
  }

  const std::vector<std::string> labels_;       // node labels naming a VM feature
  const std::vector<std::string> size_labels_;  // node labels whose value is the VM size
  const EvidenceCatalogue& sizes_;              // VM size families, from checks/evidence/aks-node-pools.yaml
};

}  // namespace

std::unique_ptr<Check> make_node_feature_pinning(const CheckInfo& info) {
  return std::make_unique<NodeFeaturePinning>(info);
}

}  // namespace immutalint::checks
