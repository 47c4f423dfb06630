// Where a workload can be scheduled: its node selector and required node affinity against the
// node labels a target's nodes carry (or are known never to carry). A workload is judged only
// for the targets it can land on.
#pragma once

#include <string>

#include "immutalint/pod_spec.hpp"
#include "immutalint/target.hpp"
#include "immutalint/yaml_tree.hpp"

namespace immutalint {

/// True unless the pod's node selector or required node affinity rules out the target's nodes.
/// A label the target profile does not describe never rules it out.
bool can_land_on(const YamlTree& tree, const PodSpecView& pod, const Target& target);

}  // namespace immutalint
