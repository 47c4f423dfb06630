// One finding per cause within one object (see docs/design.md, "One finding per cause").
#pragma once

#include <vector>

#include "immutalint/catalogue.hpp"
#include "immutalint/finding.hpp"
#include "immutalint/target.hpp"

namespace immutalint {

/// Findings about the same thing of the same object (a volume, a command, a field, or the causes
/// a finding joins to its own) become one, led by the most telling; the others become its
/// context and lend it their verdicts on targets where they are worse. `targets` gives the
/// profile order of a finding's verdicts.
void fold_causes(std::vector<Finding>& findings, const Catalogue& catalogue, const std::vector<const Target*>& targets);

}  // namespace immutalint
