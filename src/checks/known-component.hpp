// known-component: what the target profiles document about a well-known component a pod runs.
#pragma once

#include <string>
#include <vector>

#include "immutalint/check.hpp"
#include "immutalint/components.hpp"
#include "immutalint/finding.hpp"
#include "immutalint/pod_spec.hpp"
#include "immutalint/target.hpp"
#include "immutalint/yaml_tree.hpp"

namespace immutalint::checks {

/// The known-component observation on a workload, and the targets where it breaks.
struct DocumentedOutcome {
  Observation observation;  ///< no targets when the documentation asks nothing of this workload
  std::vector<std::string> breaks_on;
};

/// Where the component is documented to work, caps the workload's own `findings` on that target
/// at review and says why (a shared cause, such as a namespace's label, is not the component's
/// doing and stays). Where it needs configuration or breaks, and `report` (known-component is
/// enabled), the observation says so: a warning when a pod field the documentation names is
/// missing, a review for configuration outside the manifest, an error where it breaks.
DocumentedOutcome judge_documented_outcomes(const YamlTree& tree, const PodSpecView& pod,
                                            const RecognisedComponent& found, const std::vector<const Target*>& landing,
                                            bool report, std::vector<Finding>& findings);

}  // namespace immutalint::checks
