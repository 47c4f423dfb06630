// --target auto: the targets are the OSes of the node pools the input describes.
#include "immutalint/lint.hpp"
#include "immutalint/node_os.hpp"

#include <fmt/format.h>

namespace immutalint {

Result<std::vector<std::string>> use_pool_targets(const InputSet& inputs, const TargetSet& targets,
                                                  LintOptions& options) {
  const auto& rules = NodeOsRules::builtin();
  if (!rules) return Error{"built-in data is invalid: " + rules.error().message};
  std::vector<std::string> notices;
  options.pools = scan_pools(inputs, *rules, targets, options.pool_plans);
  options.targets = targets_of(options.pools, targets);
  for (const SchedulingPool& pool : options.pools) {
    if (!pool.unknown_os) continue;
    notices.push_back(
        fmt::format("{}:{}: node pool {} runs {}, which no rule of targets/node-os.yaml names: it is judged with the "
                    "generic profile",
                    pool.file, pool.line, pool.name, pool.os));
  }
  if (options.targets.empty()) {
    notices.emplace_back(
        "--target auto: the input describes no node pool running Linux (no Node objects, no az aks output): "
        "workloads are judged for the generic profile");
    options.pools.clear();
  }
  return notices;
}

}  // namespace immutalint
