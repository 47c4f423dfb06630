// Shared by the checks that report where a workload cannot be scheduled: the node requirement
// that keeps it off a target, in words.
#pragma once

#include <string>

#include "immutalint/placement.hpp"

namespace immutalint::checks {

/// The nodes a requirement admits: "whose KEY is A or B", "whose KEY is not A",
/// "that carry KEY", "that do not carry KEY".
std::string describe_requirement(const PlacementBlock& block);

}  // namespace immutalint::checks
