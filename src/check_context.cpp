// Helpers that checks share for locating and describing what they observe.
#include "immutalint/check.hpp"
#include "immutalint/fact_keys.hpp"
#include "immutalint/text_list.hpp"

#include <algorithm>
#include <cassert>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "immutalint/yaml_parse.hpp"

namespace immutalint {

Observation observe_entry(const CheckContext& context, NodeId mapping, std::string_view key,
                          const std::string& mapping_pointer, std::string message, std::string container) {
  const MapEntry* entry = context.tree.find(mapping, key);
  assert(entry != nullptr);
  Observation observation;
  observation.span = context.tree.span_of(*entry);
  observation.field = mapping_pointer + "/" + json_pointer_token(key);
  observation.message = std::move(message);
  observation.container = std::move(container);
  return observation;
}

Observation observe_site(const Site& site, std::string message, std::string container) {
  Observation observation;
  observation.span = site.place.span;
  observation.field = site.place.field;
  observation.message = std::move(message);
  observation.container = std::move(container);
  observation.config_map = site.config_map;
  return observation;
}

bool is_true(const YamlTree& tree, NodeId mapping, std::string_view key) {
  return tree.boolean(tree.get(mapping, key)).value_or(false);
}

void judge(Observation& observation, const Target& target, Verdict verdict, std::string why, const Evidence& fact) {
  if (verdict == Verdict::Ready) return;
  observation.targets.push_back({target.name(), verdict, std::move(why), fact.source, fact.confidence, {}});
}

void judge(Observation& observation, const Target& target, Verdict verdict, std::string why, const Evidence& fact,
           const Evidence& other) {
  if (verdict == Verdict::Ready) return;
  // Both facts' source keys, each once.
  std::string source = fact.source;
  auto cited = split_words(fact.source);
  for (std::string& key : split_words(other.source)) {
    if (std::find(cited.begin(), cited.end(), key) != cited.end()) continue;
    source += (source.empty() ? "" : " ") + key;
    cited.push_back(std::move(key));
  }
  observation.targets.push_back(
      {target.name(), verdict, std::move(why), std::move(source), std::min(fact.confidence, other.confidence), {}});
}

void judge_review(Observation& observation, const Target& target, std::string why) {
  observation.targets.push_back({target.name(), Verdict::Review, std::move(why), {}, Confidence::Guess, {}});
}

std::string cite(const Evidence& evidence) {
  return fmt::format("[{}, {}]", evidence.source, to_string(evidence.confidence));
}

std::vector<VolumeUse> uses_of_volume(const PodSpecView& pod, std::string_view volume) {
  std::vector<VolumeUse> uses;
  for (const auto& container : pod.containers) {
    for (const auto& mount : container.mounts) {
      if (mount.volume == volume) uses.push_back({&container, mount.read_only});
    }
  }
  return uses;
}

std::string describe_uses(const std::vector<VolumeUse>& uses, std::string* single) {
  if (uses.empty()) return "not mounted by any container";
  std::vector<std::string> writable;
  std::vector<std::string> read_only;
  for (const auto& use : uses) {
    auto& list = use.read_only ? read_only : writable;
    std::string name = describe_container(*use.container);
    if (std::find(list.begin(), list.end(), name) == list.end()) list.push_back(std::move(name));
  }
  if (single) {
    const bool one = std::all_of(uses.begin(), uses.end(),
                                 [&](const VolumeUse& u) { return u.container == uses.front().container; });
    *single = one ? uses.front().container->name : std::string();
  }
  std::string text;
  if (!writable.empty()) text += fmt::format("writable in {}", fmt::join(writable, ", "));
  if (!read_only.empty()) {
    if (!text.empty()) text += "; ";
    text += fmt::format("read-only in {}", fmt::join(read_only, ", "));
  }
  return text;
}

EvidenceItem evidence_of(const std::string& how, const Site& site) {
  EvidenceItem item;
  item.text = how;
  item.place = site.place;
  return item;
}

std::string requested_selinux_type(const CheckContext& context, const ContainerView& container) {
  const YamlTree& tree = context.tree;
  if (is_true(tree, container.security_context, "privileged")) return {};
  if (auto own = tree.scalar(tree.get(tree.get(container.security_context, "seLinuxOptions"), "type"))) {
    return std::string(*own);
  }
  const auto [holder, pointer] = context.pod.holder_of(tree, "securityContext");
  return std::string(
      tree.scalar(tree.get(tree.get(tree.get(holder, "securityContext"), "seLinuxOptions"), "type")).value_or(""));
}

std::string trusted_selinux_type(const CheckContext& context, const ContainerView* container, const Target& target) {
  if (!container) return {};
  std::string type = requested_selinux_type(context, *container);
  if (type.empty() || !target.fact_lists(facts::selinux_trusted_types, type)) return {};
  return type;
}

void apply_ladder(Finding& finding, CheckKind kind) {
  for (auto& target : finding.targets) {
    // Posture alone, or a verdict that cites no fact, is a review.
    if (kind == CheckKind::Posture || finding.action == Action::Posture || target.source.empty()) {
      target.verdict = std::min(target.verdict, Verdict::Review);
    }
    // A guess is never certain.
    if (target.verdict == Verdict::Breaks && target.confidence == Confidence::Guess)
      target.verdict = Verdict::LikelyBreaks;
  }
  std::erase_if(finding.targets, [](const TargetVerdict& target) { return target.verdict == Verdict::Ready; });
  finding.severity = severity_of(worst_verdict(finding));
}

}  // namespace immutalint
