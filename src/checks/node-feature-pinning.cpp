// node-feature-pinning: node selectors or required affinity that ask for a VM feature (FIPS,
// Trusted Launch, confidential VM) or a VM size that the target's AKS node pools never have, so
// the workload never schedules on the migrated pool.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checks/command_support.hpp"
#include "checks/placement_support.hpp"
#include "immutalint/check.hpp"
#include "immutalint/evidence_catalogue.hpp"
#include "immutalint/placement.hpp"

namespace immutalint::checks {

namespace {

/// A requirement on the VM size: where it is written, and the sizes it accepts.
struct SizeRequirement {
  NodeId mapping = kNoNode;  ///< the nodeSelector mapping, or the matchExpressions item
  std::string entry;         ///< the key within `mapping` to point at
  std::string pointer;       ///< JSON pointer of `mapping` within the object
  std::string key;
  std::vector<std::string> sizes;
};

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
    const std::vector<SizeRequirement> selector = selector_sizes(context);
    const std::vector<std::vector<SizeRequirement>> terms = affinity_sizes(context);
    for (const Target* target : context.targets) {
      const SizeRequirement* blocking = nullptr;
      std::vector<SizeProblem> problems;
      for (const auto& requirement : selector) {
        problems = unusable(*target, requirement.sizes);
        if (!problems.empty()) {
          blocking = &requirement;
          break;
        }
      }
      if (!blocking) std::tie(blocking, problems) = blocking_term(*target, terms);
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

  bool size_label(std::string_view key) const {
    return std::find(size_labels_.begin(), size_labels_.end(), key) != size_labels_.end();
  }

  /// The nodeSelector entries on a size label.
  std::vector<SizeRequirement> selector_sizes(const CheckContext& context) const {
    std::vector<SizeRequirement> found;
    const auto [holder, holder_pointer] = context.pod.holder_of(context.tree, "nodeSelector");
    const NodeId selector = context.tree.get(holder, "nodeSelector");
    for (const auto& entry : context.tree.entries(selector)) {
      auto value = context.tree.scalar(entry.value);
      if (!value || !size_label(entry.key)) continue;
      found.push_back(
          SizeRequirement{selector, entry.key, holder_pointer + "/nodeSelector", entry.key, {std::string(*value)}});
    }
    return found;
  }

  /// Per required node affinity term, its `In` expressions on a size label.
  std::vector<std::vector<SizeRequirement>> affinity_sizes(const CheckContext& context) const {
    const YamlTree& tree = context.tree;
    const auto [holder, holder_pointer] = context.pod.holder_of(tree, "affinity");
    const std::string required_pointer =
        holder_pointer + "/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution";
    const NodeId required = tree.get(tree.get(tree.get(holder, "affinity"), "nodeAffinity"),
                                     "requiredDuringSchedulingIgnoredDuringExecution");
    std::vector<std::vector<SizeRequirement>> terms;
    std::size_t term_index = 0;
    for (NodeId term : tree.items(tree.get(required, "nodeSelectorTerms"))) {
      std::vector<SizeRequirement> requirements;
      std::size_t expression_index = 0;
      for (NodeId expression : tree.items(tree.get(term, "matchExpressions"))) {
        const std::size_t at = expression_index++;
        auto key = tree.scalar(tree.get(expression, "key"));
        auto op = tree.scalar(tree.get(expression, "operator"));
        const NodeId values = tree.get(expression, "values");
        if (!key || !op || *op != "In" || values == kNoNode || !size_label(*key)) continue;
        SizeRequirement requirement{
            expression,
            "values",
            fmt::format("{}/nodeSelectorTerms/{}/matchExpressions/{}", required_pointer, term_index, at),
            std::string(*key),
            {}};
        for (NodeId value : tree.items(values)) requirement.sizes.emplace_back(tree.scalar(value).value_or(""));
        requirements.push_back(std::move(requirement));
      }
      terms.push_back(std::move(requirements));
      ++term_index;
    }
    return terms;
  }

  /// Why the target's pools cannot use `size`, or nullopt when nothing says they cannot.
  std::optional<SizeProblem> problem(const Target& target, const std::string& size) const {
    const VmSizeFamily* family = sizes_.vm_size_family(size);
    if (!family) return std::nullopt;
    if (family->has("confidential") && target.fact_is("confidential_vm", "unsupported")) {
      return SizeProblem{size, family->name, &target.fact("confidential_vm"), "cannot use confidential VM sizes"};
    }
    if (family->has("gen1-only") && target.fact_is("gen1_vm", "unsupported")) {
      return SizeProblem{size, family->name, &target.fact("gen1_vm"),
                         "cannot use VM sizes that support only Generation 1"};
    }
    if (family->has("no-trusted-launch") && target.fact_is("trusted_launch", "required")) {
      return SizeProblem{size, family->name, &target.fact("trusted_launch"),
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

  /// Terms are alternatives: the sizes keep the pod off the target only when every term has a
  /// size requirement its pools cannot meet. The first term's is given, or nullptr.
  std::pair<const SizeRequirement*, std::vector<SizeProblem>> blocking_term(
      const Target& target, const std::vector<std::vector<SizeRequirement>>& terms) const {
    std::pair<const SizeRequirement*, std::vector<SizeProblem>> first{nullptr, {}};
    for (const auto& term : terms) {
      const SizeRequirement* failing = nullptr;
      std::vector<SizeProblem> problems;
      for (const auto& requirement : term) {
        problems = unusable(target, requirement.sizes);
        if (!problems.empty()) {
          failing = &requirement;
          break;
        }
      }
      if (!failing) return {nullptr, {}};  // this term lets the pod land
      if (!first.first) first = {failing, std::move(problems)};
    }
    return first;
  }

  void report(const CheckContext& context, std::vector<Observation>& out, const Target& target,
              const SizeRequirement& requirement, const std::vector<SizeProblem>& problems) const {
    Observation& observation = observation_at(
        context, out, requirement.mapping, requirement.entry, requirement.pointer,
        fmt::format("the pod only schedules on VM size{} {} ({})", requirement.sizes.size() == 1 ? "" : "s",
                    fmt::join(requirement.sizes, " or "), requirement.key));
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
