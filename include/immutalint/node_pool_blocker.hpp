// node-pool-blocker: what AKS documents as keeping a node pool from being re-created on another
// OS SKU, judged for each pool of a document. It judges pool descriptions, not workloads, so the
// pipeline calls it once per document that holds pools.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "immutalint/evidence_catalogue.hpp"
#include "immutalint/finding.hpp"
#include "immutalint/node_pools.hpp"
#include "immutalint/scheduling_pools.hpp"
#include "immutalint/target.hpp"

namespace immutalint {

/// node-pool-blocker: what AKS documents as keeping a pool from being re-created on a target OS
/// SKU, one finding per pool and blocker, at the property that shows it.
class NodePoolBlocker {
 public:
  /// `os_sku_label`: the node label that names a node's OS SKU (NodeOsRules::os_sku_label).
  NodePoolBlocker(const EvidenceCatalogue& data, std::string os_sku_label)
      : data_(&data), os_sku_label_(std::move(os_sku_label)) {}

  /// The findings on a document's pools. A pool named by a plan is judged for the plans' targets
  /// only; the others for `targets`. A pool is never judged for the SKU it already runs.
  std::vector<Finding> judge(const NodePoolDocument& document, std::span<const Target* const> targets,
                             std::span<const PoolPlan> plans) const;

 private:
  const EvidenceCatalogue* data_;
  std::string os_sku_label_;
};

}  // namespace immutalint
