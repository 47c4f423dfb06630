// os-sku-pinning's other half: when the input describes the cluster's node pools, where a pod can
// run is judged from the pools themselves, and a pod that no pool accepts is this finding.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "immutalint/catalogue.hpp"
#include "immutalint/finding.hpp"
#include "immutalint/kube_object.hpp"
#include "immutalint/pod_spec.hpp"
#include "immutalint/scheduling_pools.hpp"
#include "immutalint/yaml_tree.hpp"

namespace immutalint::checks {

/// No pool of the cluster accepts the pod (after --plan-pool, a pool it was pinned to may have
/// moved to another OS SKU); `blocked` says why, pool by pool. The pod would stay Pending: it
/// breaks on each pool's target. Reported at what keeps it off: the node selector, else the
/// affinity, else the tolerations, else the pod spec.
Finding no_pool_accepts(const CheckInfo& info, const YamlTree& tree, const KubeObject& object, const PodSpecView& pod,
                        const std::string& file, const std::string& source,
                        const std::vector<std::pair<const SchedulingPool*, std::string>>& blocked);

}  // namespace immutalint::checks
