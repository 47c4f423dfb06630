// Causes larger than one object: the findings of one check on a cause that several workloads
// share (a namespace without the label a target needs) become one finding listing them all.
#pragma once

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "immutalint/finding.hpp"

namespace immutalint {

/// Collects the findings that name a shared cause (Finding::shared_cause) over the whole input
/// and folds each cause into one: the first in report order leads, and each other workload is a
/// related observation with its own place and object. Findings fold only with the same check,
/// severity and per-target verdicts; an accepted finding keeps its own waiver and is not folded.
class SharedCauses {
 public:
  /// True when `finding` is held here to be folded; false when it is not about a shared cause.
  bool take(Finding& finding);

  /// The folded findings, in report order of their leads. Leaves the collection empty.
  std::vector<Finding> fold();

 private:
  struct Group {
    Finding lead;
    std::vector<RelatedObservation> others;
  };
  using Key = std::tuple<std::string, std::string, int, std::string>;  // check, cause, severity, verdicts
  std::map<Key, Group> groups_;
};

}  // namespace immutalint
