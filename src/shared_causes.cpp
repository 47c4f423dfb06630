// Folds the findings of one check on a cause that several workloads share into one finding.
#include "immutalint/shared_causes.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace immutalint {

namespace {

/// The targets and their verdicts, which the folded workloads must share.
std::string verdicts_of(const Finding& finding) {
  std::string text;
  for (const auto& target : finding.targets) text += fmt::format("{}={};", target.target, to_key(target.verdict));
  return text;
}

RelatedObservation as_related(Finding&& finding) {
  RelatedObservation related;
  related.check = finding.check;
  related.verdict = worst_verdict(finding);
  related.message = std::move(finding.message);
  related.place = Place{std::move(finding.file), finding.span, std::move(finding.field)};
  related.object = std::move(finding.object);
  return related;
}

/// Moves the finding onto the place where its cause is written (Finding::cause_site): the
/// workload it was about becomes one of its related observations, like the others. Returns the
/// context that the workload's own finding had, to be listed after the workloads.
std::vector<RelatedObservation> move_to_cause_site(Finding& lead, std::vector<RelatedObservation>& others) {
  CauseSite site = std::move(*lead.cause_site);
  lead.cause_site.reset();
  std::vector<RelatedObservation> context = std::move(lead.related);
  lead.related.clear();
  for (auto& item : context) {
    if (item.place.file.empty()) item.place.file = lead.file;
  }
  for (auto& item : lead.evidence) {
    if (item.place.file.empty()) item.place.file = lead.file;
  }
  others.push_back(as_related(Finding(lead)));
  lead.file = std::move(site.place.file);
  lead.span = site.place.span;
  lead.field = std::move(site.place.field);
  lead.object = std::move(site.object);
  lead.message = std::move(site.message);
  lead.container.clear();
  lead.source.clear();
  lead.rendered.reset();
  return context;
}

}  // namespace

bool SharedCauses::take(Finding& finding) {
  if (finding.shared_cause.empty() || !finding.object || finding.suppression) return false;
  Key key{finding.check, finding.shared_cause, static_cast<int>(finding.severity), verdicts_of(finding)};
  auto [it, fresh] = groups_.try_emplace(std::move(key));
  Group& group = it->second;
  if (fresh) {
    group.lead = std::move(finding);
  } else {
    if (report_order(finding, group.lead)) std::swap(finding, group.lead);
    group.others.push_back(as_related(std::move(finding)));
  }
  return true;
}

std::vector<Finding> SharedCauses::fold() {
  std::vector<Finding> folded;
  folded.reserve(groups_.size());
  for (auto& [key, group] : groups_) {
    Finding& lead = group.lead;
    // Reported where the cause is written, the lead workload is one of the listed workloads, and
    // its own context follows them.
    const bool at_site = lead.cause_site.has_value();
    std::vector<RelatedObservation> context;
    if (at_site) context = move_to_cause_site(lead, group.others);
    if (!group.others.empty()) {
      std::sort(group.others.begin(), group.others.end(), [](const RelatedObservation& a, const RelatedObservation& b) {
        return std::tie(a.place.file, a.place.span.begin, *a.object) <
               std::tie(b.place.file, b.place.span.begin, *b.object);
      });
      const std::size_t count = group.others.size();
      if (at_site) {
        lead.message += count == 1 ? std::string(" (1 workload of this input)")
                                   : fmt::format(" ({} workloads of this input)", count);
      } else {
        lead.message += count == 1 ? std::string(" (1 more workload shares this cause)")
                                   : fmt::format(" ({} more workloads share this cause)", count);
      }
      for (auto& other : group.others) lead.related.push_back(std::move(other));
    }
    for (auto& item : context) lead.related.push_back(std::move(item));
    folded.push_back(std::move(lead));
  }
  groups_.clear();
  std::sort(folded.begin(), folded.end(), report_order);
  return folded;
}

}  // namespace immutalint
