// Judging one workload on one thread: where it can be scheduled, every enabled check, what the
// targets document about a known component, and the annotations that accept a finding.
#include "lint_session.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "checks/known-component.hpp"
#include "checks/os-sku-pinning.hpp"
#include "immutalint/device_claims.hpp"
#include "immutalint/kube_object.hpp"
#include "immutalint/placement.hpp"
#include "immutalint/pod_spec.hpp"
#include "immutalint/suppression.hpp"

namespace immutalint {

CheckedWorkload Linter::Session::check_workload(const YamlTree& tree, const KubeObject& object, const PodSpecView& pod,
                                                const std::string& file, const std::string& source,
                                                const InputIndex* index,
                                                const std::vector<PodDeviceClaim>& device_claims) {
  const WorkloadEvidence evidence =
      gather_evidence(EvidenceInput{tree, object, pod, file, *linter_.evidence_catalogue_, index});
  CheckedWorkload checked;
  checked.judged = true;
  checked.scripts_from = evidence.scripts_from;
  // A device no node of the target offers keeps the pod off the target's nodes.
  const auto claim_block = [&](const Target& target) -> std::optional<std::string> {
    if (!index || device_claims.empty()) return std::nullopt;
    auto block = device_claim_block(device_claims, object.ref.namespace_, *index, target);
    if (!block) return std::nullopt;
    return fmt::format("it claims devices of class {} ({} {}), which no node of {} offers", block->device_class->name,
                       block->claim.kind, block->claim.name, target.name());
  };
  // A workload is judged only for the targets whose nodes it can be scheduled on: the
  // cluster's pools when the input describes them, else the targets' own node labels.
  const auto& pools = linter_.options_.pools;
  std::vector<const Target*> landing;
  std::vector<std::pair<const SchedulingPool*, std::string>> blocked;
  for (const Target* target : linter_.options_.targets) {
    if (pools.empty()) {
      if (can_land_on(tree, pod, *target) && !claim_block(*target)) landing.push_back(target);
      continue;
    }
    bool reaches = false;
    for (const SchedulingPool& pool : pools) {
      if (!pool.linux || pool.target != target) continue;
      auto block = pool_block(tree, pod, pool);
      if (!block) block = claim_block(*target);
      if (!block) {
        reaches = true;
      } else {
        blocked.emplace_back(&pool, std::move(*block));
      }
    }
    if (reaches) landing.push_back(target);
  }
  checked.landing = landing;
  if (!pools.empty() && landing.empty()) {
    const CheckInfo& placement = *linter_.catalogue_->find(check_id(CheckRole::PodPlacement));
    checked.findings.push_back(checks::no_pool_accepts(placement, tree, object, pod, file, source, blocked));
    return checked;
  }
  const CheckContext context{tree, object, pod, landing, evidence, file, linter_.options_.targets, source};
  const std::vector<Waiver> waivers = annotation_waivers(tree, object, file);
  if (!disabled(linter_.options_, check_id(CheckRole::AnalysisIncomplete))) {
    // Commands the workload runs that no check could read: the run must not pass silently.
    const CheckInfo& incomplete = *linter_.catalogue_->find(check_id(CheckRole::AnalysisIncomplete));
    for (const UnreadCommands& unread : evidence.unread) {
      const IndexedConfigMap* script = unread.site.config_map;
      Finding finding = linter_.input_finding(
          check_id(CheckRole::AnalysisIncomplete), unread.site.place.file, unread.site.place.span,
          script ? fmt::format("{} (run by {})", unread.message, object.ref.describe()) : unread.message);
      finding.field = unread.site.place.field;
      finding.container = unread.container->name;
      finding.object = script ? script->ref : object.ref;
      finding.source = script ? script->source : source;
      mark_by_annotation(waivers, incomplete, finding);
      if (script) mark_by_annotation(script->waivers, incomplete, finding);
      checked.findings.push_back(std::move(finding));
    }
  }
  std::vector<Observation> observations;
  for (const auto& enabled : linter_.checks_) {
    observations.clear();
    // With pools known, where a pod can run is decided above, by the pools themselves.
    if (!pools.empty() && enabled.role == CheckRole::PodPlacement) continue;
    enabled.check->inspect(context, observations);
    for (auto& observation : observations) {
      const IndexedConfigMap* script = observation.config_map;
      Finding finding = linter_.make_finding(*enabled.info, std::move(observation), file, object.ref, source, landing);
      if (finding.targets.empty()) continue;  // ready on every selected target
      // A finding in a ConfigMap script may be accepted on the workload or on the ConfigMap.
      mark_by_annotation(waivers, *enabled.info, finding);
      if (script) mark_by_annotation(script->waivers, *enabled.info, finding);
      checked.findings.push_back(std::move(finding));
    }
  }
  if (auto component = recognise_component(*linter_.components_, tree, pod)) {
    apply_documented_outcomes(tree, object, pod, *component, landing, file, source, waivers, checked.findings);
  }
  return checked;
}

void Linter::Session::apply_documented_outcomes(const YamlTree& tree, const KubeObject& object, const PodSpecView& pod,
                                                const RecognisedComponent& found,
                                                const std::vector<const Target*>& landing, const std::string& file,
                                                const std::string& source, const std::vector<Waiver>& waivers,
                                                std::vector<Finding>& findings) {
  auto outcome = checks::judge_documented_outcomes(tree, pod, found, landing, linter_.known_components_, findings);
  if (outcome.observation.targets.empty()) return;
  const CheckInfo& info = *linter_.catalogue_->find(check_id(CheckRole::DocumentedOutcome));
  Finding documented = linter_.make_finding(info, std::move(outcome.observation), file, object.ref, source, landing);
  if (documented.targets.empty()) return;
  mark_by_annotation(waivers, info, documented);
  // What the documentation says breaks is the same cause as the findings on how it breaks there;
  // they join it, so that the one that shows how leads.
  for (Finding& finding : findings) {
    const bool same_target = std::any_of(finding.targets.begin(), finding.targets.end(), [&](const TargetVerdict& v) {
      return v.verdict > Verdict::Review &&
             std::find(outcome.breaks_on.begin(), outcome.breaks_on.end(), v.target) != outcome.breaks_on.end();
    });
    if (same_target && finding.shared_cause.empty() && !finding.cause.empty() && !documented.suppressed())
      finding.joined_causes.push_back(documented.cause);
  }
  findings.push_back(std::move(documented));
}

void Linter::Session::mark_by_annotation(const std::vector<Waiver>& waivers, const CheckInfo& check, Finding& finding) {
  if (finding.suppression) return;
  for (const Waiver& waiver : waivers) {
    if (!accepts_on(waiver, check, finding.container)) continue;
    finding.suppression = Suppression{waiver.channel, waiver.reason, waiver.where, {}, false};
    for (const auto& id : waiver.checks) {
      std::string former_id;
      if (accepts(id, check, &former_id) && !former_id.empty()) {
        note_former_id(waiver.where.file, waiver.where.span.begin.line, former_id, check.id);
      }
    }
    return;
  }
}

}  // namespace immutalint
