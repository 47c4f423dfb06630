// Shared by the checks that judge hostPath volumes and host writes against a target's host
// path table.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "immutalint/check.hpp"

namespace immutalint::checks {

/// One hostPath volume of a pod, with what the checks need to judge it.
struct HostPathVolume {
  const VolumeView* volume;
  NodeId host_path;  ///< the hostPath mapping
  std::string path;  ///< as written
  std::string type;  ///< hostPath.type, "" when unset
  bool writable;     ///< some container mounts it without readOnly: true, and it is not a file only ever read
  std::vector<VolumeUse> uses;
};

/// Every hostPath volume of the pod that names a path.
std::vector<HostPathVolume> host_path_volumes(const CheckContext& context);

/// An observation located on the volume's `path` key, about the volume (its cause).
Observation observe_path(const CheckContext& context, const HostPathVolume& volume, std::string message);

/// "/lib/modules (-> /usr/lib/modules) is ro on talos: note": what a resolution rests on, in
/// words, for a verdict's `why`. The fact's source goes with the verdict.
std::string describe_resolution(const Target& target, const PathResolution& resolution);

/// The evidence of a path resolution: the path fact, or a guess when the path is not listed.
const Evidence& evidence_of(const PathResolution& resolution);

/// The mount propagation of the volume's mounts, the strongest one: "Bidirectional",
/// "HostToContainer" or "" (None).
std::string propagation_of(const CheckContext& context, const HostPathVolume& volume);

/// The cause of a host write: its volume, or the command that makes it on the host.
std::string cause_of(const HostWrite& write);

/// The writes of the workload grouped by cause, each group with the observation that reports
/// it: at the volume's path when the write goes through a volume, else at the write itself.
struct WriteGroup {
  const HostPathVolume* volume = nullptr;  ///< the volume, when the writes go through one
  std::vector<const HostWrite*> writes;
};
std::vector<WriteGroup> group_writes(const std::vector<HostPathVolume>& volumes, const WorkloadEvidence& evidence,
                                     const std::function<bool(const HostWrite&)>& wanted);

/// The SELinux type that every container making `writes` runs as, when the target's policy
/// trusts it to edit what the OS generates (selinux_trusted_types); empty otherwise, or when the
/// kubelet makes one of them.
/// The container of the pod that makes `write`; nullptr for the kubelet's own creates.
const ContainerView* writer_of(const CheckContext& context, const HostWrite& write);

std::string trusted_writer_type(const CheckContext& context, const std::vector<const HostWrite*>& writes,
                                const Target& target);

/// An observation for a write group: at the volume's path, or at the first write's site.
Observation observe_writes(const CheckContext& context, const WriteGroup& group, std::string message);

/// "`cp -f a /host/opt/cni/bin/a` (line 40)": evidence items for the writes.
void add_write_evidence(Observation& observation, const std::vector<const HostWrite*>& writes);

}  // namespace immutalint::checks
