// Shared by the checks that judge hostPath volumes against a target's host path table.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "immutalint/check.hpp"

namespace immutalint::checks {

/// One hostPath volume of a pod, with what the checks need to judge it.
struct HostPathVolume {
  const VolumeView* volume;
  NodeId host_path;   ///< the hostPath mapping
  std::string path;   ///< as written
  std::string type;   ///< hostPath.type, "" when unset
  bool writable;      ///< some container mounts it without readOnly: true
  std::vector<VolumeUse> uses;
};

/// Every hostPath volume of the pod that names a path.
std::vector<HostPathVolume> host_path_volumes(const CheckContext& context);

/// An observation located on the volume's `path` key.
Observation observe_path(const CheckContext& context, const HostPathVolume& volume, std::string message);

/// "/lib/modules (-> /usr/lib/modules) is ro on talos [TAL-ARCH, documented]": what a
/// resolution rests on, for a verdict's `why`.
std::string describe_resolution(const Target& target, const PathResolution& resolution);

/// The mount propagation of the volume's mounts, the strongest one: "Bidirectional",
/// "HostToContainer" or "" (None).
std::string propagation_of(const CheckContext& context, const HostPathVolume& volume);

}  // namespace immutalint::checks
