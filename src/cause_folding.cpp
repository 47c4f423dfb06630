// One finding per cause within one object: findings about the same volume, command or field,
// and the causes a finding names as its own, become one finding led by the most telling.
#include "immutalint/cause_folding.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <string>
#include <tuple>
#include <utility>

namespace immutalint {

namespace {

/// Which of two findings on one cause leads: the worse verdict, then the one that joins the
/// others' causes to its own, then evidence over posture, then what the manifest does, then the
/// report order, so the choice does not depend on the order they were made in.
bool leads(const Finding& a, const Finding& b, const Catalogue& catalogue) {
  const auto rank = [&](const Finding& f) {
    const CheckInfo* info = catalogue.find(f.check);
    const int kind = info && info->kind == CheckKind::Posture ? 0 : 1;
    // A finding that names other causes as its own (Finding::joined_causes) is the one that
    // explains them.
    const bool joins = !f.joined_causes.empty();
    return std::make_tuple(worst_verdict(f), joins, kind, f.action);
  };
  if (rank(a) != rank(b)) return rank(a) > rank(b);
  return report_order(a, b);
}

/// The cause each finding folds under: its own, unless a finding of the same object joins it to
/// another (Finding::joined_causes), in which case all the joined causes fold under one of them.
std::vector<std::string> joined_causes(const std::vector<Finding>& findings) {
  const auto node = [](const Finding& f, const std::string& cause) {
    std::string key = f.file;
    if (f.object) {
      for (const auto* part : {&f.object->api_version, &f.object->kind, &f.object->namespace_, &f.object->name}) {
        key += '\0';
        key += *part;
      }
    }
    key += '\1';
    key += cause;
    return key;
  };
  std::map<std::string, std::string> parent;  // union-find over (object, cause); the least key is the root
  const auto root = [&](const std::string& key) {
    std::string top = key;
    for (auto it = parent.find(top); it != parent.end() && it->second != top; it = parent.find(top)) top = it->second;
    for (std::string at = key; at != top;) at = std::exchange(parent.find(at)->second, top);  // shorten the path
    return top;
  };
  bool any = false;
  for (const Finding& finding : findings) {
    for (const std::string& other : finding.joined_causes) {
      any = true;
      std::string a = root(node(finding, finding.cause));
      std::string b = root(node(finding, other));
      if (a == b) continue;
      if (b < a) std::swap(a, b);
      parent[a] = a;
      parent[b] = a;
    }
  }
  std::vector<std::string> causes;
  causes.reserve(findings.size());
  for (const Finding& finding : findings) causes.push_back(any ? root(node(finding, finding.cause)) : finding.cause);
  return causes;
}

}  // namespace

void fold_causes(std::vector<Finding>& findings, const Catalogue& catalogue,
                 const std::vector<const Target*>& targets) {
  auto profile_order = [&](const TargetVerdict& a, const TargetVerdict& b) {
    auto index = [&](const TargetVerdict& v) {
      return std::find_if(targets.begin(), targets.end(), [&](const Target* t) { return t->name() == v.target; }) -
             targets.begin();
    };
    return index(a) < index(b);
  };
  const std::vector<std::string> causes = joined_causes(findings);
  // Accepted findings fold only among themselves: a waiver must not hide another check's finding.
  auto key = [&](std::size_t n) {
    const Finding& f = findings[n];
    return std::make_tuple(std::cref(f.file), std::cref(f.object), std::cref(causes[n]), f.suppressed());
  };
  std::vector<std::size_t> order(findings.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (key(a) != key(b)) return key(a) < key(b);
    return leads(findings[a], findings[b], catalogue);
  });
  std::vector<Finding> folded;
  folded.reserve(findings.size());
  for (std::size_t i = 0; i < order.size();) {
    const std::size_t first = order[i];
    const bool foldable = !findings[first].cause.empty() && findings[first].object;
    std::size_t j = i + 1;
    while (foldable && j < order.size() && key(order[j]) == key(first)) ++j;
    Finding lead = std::move(findings[first]);
    EvidenceAppender evidence(lead.evidence);
    for (std::size_t k = i + 1; k < j; ++k) {
      Finding& other = findings[order[k]];
      lead.related.push_back(
          {other.check, worst_verdict(other), other.message, Place{other.file, other.span, other.field}, std::nullopt});
      for (auto& verdict : other.targets) {
        // A related observation lends the finding a verdict where it is worse; a review stays
        // with the observation, which the finding lists.
        if (verdict.verdict <= Verdict::Review) continue;
        auto it = std::find_if(lead.targets.begin(), lead.targets.end(),
                               [&](const TargetVerdict& t) { return t.target == verdict.target; });
        if (it == lead.targets.end() || verdict.verdict > it->verdict) {
          verdict.check = verdict.check.empty() ? other.check : verdict.check;
          if (it == lead.targets.end()) {
            lead.targets.push_back(std::move(verdict));
          } else {
            *it = std::move(verdict);
          }
        }
      }
      for (auto& item : other.evidence) evidence.add(std::move(item));
    }
    if (j == i + 1 && !foldable) {
      folded.push_back(std::move(lead));
      ++i;
      continue;
    }
    std::stable_sort(lead.targets.begin(), lead.targets.end(), profile_order);
    lead.severity = std::max(lead.severity, severity_of(worst_verdict(lead)));
    folded.push_back(std::move(lead));
    i = j;
  }
  findings = std::move(folded);
}

}  // namespace immutalint
