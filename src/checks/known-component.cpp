// known-component: what the target profiles document about a well-known component that a pod
// runs (checks/components/, and each target's `workloads:` rows), applied to the workload.
#include "checks/known-component.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace immutalint::checks {

DocumentedOutcome judge_documented_outcomes(const YamlTree& tree, const PodSpecView& pod,
                                            const RecognisedComponent& found, const std::vector<const Target*>& landing,
                                            bool report, std::vector<Finding>& findings) {
  const KnownComponent& component = *found.component;
  DocumentedOutcome outcome;
  Observation& observation = outcome.observation;
  std::vector<std::string>& breaks_on = outcome.breaks_on;
  // What the documentation says, with the targets that say it, in target order: the message
  // names each change once.
  std::vector<std::pair<std::string, std::vector<std::string>>> breaks_because, changes;
  const auto note_for = [](auto& notes, const std::string& note, const std::string& target) {
    auto it = std::find_if(notes.begin(), notes.end(), [&](const auto& n) { return n.first == note; });
    if (it == notes.end()) it = notes.insert(notes.end(), {note, {}});
    it->second.push_back(target);
  };
  for (const Target* target : landing) {
    const WorkloadOutcome* row = documented_outcome(found, *target);
    if (!row) continue;
    const Evidence& documented = row->evidence;
    if (row->outcome == "works") {
      for (Finding& finding : findings) {
        if (!finding.shared_cause.empty()) continue;
        for (TargetVerdict& verdict : finding.targets) {
          if (verdict.target != target->name() || verdict.verdict <= Verdict::Review) continue;
          verdict.verdict = Verdict::Review;
          verdict.why += fmt::format("; {} is documented to work on {} ({}{})", component.title, target->name(),
                                     documented.source, documented.note.empty() ? "" : ": " + documented.note);
        }
        finding.severity = severity_of(worst_verdict(finding));
      }
      continue;
    }
    if (!report) continue;
    if (row->outcome == "breaks") {
      breaks_on.push_back(target->name());
      note_for(breaks_because, documented.note, target->name());
      judge(observation, *target, Verdict::Breaks,
            fmt::format("{} is documented to break on {}: {}", component.title, target->name(), documented.note),
            documented);
      continue;
    }
    if (!row->pod_field.empty()) {
      const auto [holder, pointer] = pod.holder_of(tree, row->pod_field);
      const auto set = tree.scalar(tree.get(holder, row->pod_field));
      if (set && *set == row->pod_value) continue;  // configured as documented
      note_for(changes, documented.note, target->name());
      judge(observation, *target, Verdict::LikelyBreaks,
            fmt::format("{} runs on {} only with {}: {}, which the pod does not set; {}", component.title,
                        target->name(), row->pod_field, row->pod_value, documented.note),
            documented);
      continue;
    }
    note_for(changes, documented.note, target->name());
    judge_review(observation, *target,
                 fmt::format("{} runs on {} with configuration outside the manifest: {} [{}]", component.title,
                             target->name(), documented.note, documented.source));
  }
  if (observation.targets.empty()) return {};
  std::vector<std::string> parts;
  for (const auto& [note, targets] : breaks_because)
    parts.push_back(fmt::format("it breaks on {}: {}", fmt::join(targets, ", "), note));
  for (const auto& [note, targets] : changes) parts.push_back(fmt::format("on {}, {}", fmt::join(targets, ", "), note));
  const ContainerView& container = *found.container;
  const std::string container_pointer = container.pointer;
  observation.message = fmt::format("{} ({}) is a known component; its documentation says {}", component.title,
                                    found.image, fmt::join(parts, "; "));
  observation.action = Action::Requires;
  observation.container = container.name;
  if (const MapEntry* image = tree.find(container.node, "image")) {
    observation.span = tree.span_of(*image);
    observation.field = container_pointer + "/image";
  } else {
    observation.span = tree.node(container.node).span;
    observation.field = container_pointer;
  }
  observation.cause = "documented outcome";
  return outcome;
}

}  // namespace immutalint::checks
