// A finding's verdict on one target as JSON, written one way for every JSON-based report.
#pragma once

#include <nlohmann/json.hpp>

#include "immutalint/finding.hpp"

namespace immutalint {

/// {"target", "verdict", "why"}, then the fact's "source" and "confidence" when one is cited,
/// then "check" when a related observation lent the verdict.
inline nlohmann::ordered_json verdict_json(const TargetVerdict& target) {
  nlohmann::ordered_json verdict = {
      {"target", target.target}, {"verdict", to_key(target.verdict)}, {"why", target.why}};
  if (!target.source.empty()) {
    verdict["source"] = target.source;
    verdict["confidence"] = to_string(target.confidence);
  }
  if (!target.check.empty()) verdict["check"] = target.check;
  return verdict;
}

}  // namespace immutalint
