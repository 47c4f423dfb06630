// Node requirements in words, for the checks that report where a workload cannot be scheduled.
#include "checks/placement_support.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace immutalint::checks {

std::string describe_requirement(const PlacementBlock& block) {
  if (block.op == "In") return fmt::format("whose {} is {}", block.key, fmt::join(block.values, " or "));
  if (block.op == "NotIn") return fmt::format("whose {} is not {}", block.key, fmt::join(block.values, " or "));
  if (block.op == "Exists") return fmt::format("that carry {}", block.key);
  return fmt::format("that do not carry {}", block.key);
}

}  // namespace immutalint::checks
