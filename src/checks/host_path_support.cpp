// Shared by the checks that judge hostPath volumes and host writes against a target's host
// path table.
#include "checks/host_path_support.hpp"

#include <fmt/format.h>

namespace immutalint::checks {

std::vector<HostPathVolume> host_path_volumes(const CheckContext& context) {
  const YamlTree& tree = context.tree;
  std::vector<HostPathVolume> volumes;
  for (const auto& volume : context.pod.volumes) {
    const NodeId host_path = tree.get(volume.node, "hostPath");
    auto path = tree.scalar(tree.get(host_path, "path"));
    if (!path || path->empty()) continue;
    HostPathVolume entry{&volume,
                         host_path,
                         std::string(*path),
                         std::string(tree.scalar(tree.get(host_path, "type")).value_or("")),
                         false,
                         uses_of_volume(context.pod, volume.name)};
    // A mount of a file the node only ever hands out to be read is a read.
    bool read_file = false;
    for (const auto& mount : context.evidence.mounts)
      read_file = read_file || (mount.volume == &volume && mount.read_file);
    for (const auto& use : entry.uses) entry.writable = entry.writable || !use.read_only;
    entry.writable = entry.writable && !read_file;
    volumes.push_back(std::move(entry));
  }
  return volumes;
}

Observation observe_path(const CheckContext& context, const HostPathVolume& volume, std::string message) {
  std::string single;
  describe_uses(volume.uses, &single);
  Observation observation = observe_entry(context, volume.host_path, "path", volume.volume->pointer + "/hostPath",
                                          std::move(message), single);
  observation.cause = volume.volume->pointer;
  return observation;
}

std::string describe_resolution(const Target& target, const PathResolution& resolution) {
  std::string links;
  for (const SymlinkFact* link : resolution.links) links += fmt::format(" (-> {})", link->target);
  if (!resolution.fact) return fmt::format("{}{} is not in {}'s path table", resolution.resolved, links, target.name());
  const PathFact& fact = *resolution.fact;
  const std::string where = resolution.exact ? fact.path : fmt::format("{} (under {})", resolution.resolved, fact.path);
  std::string note = fact.evidence.note.empty() ? "" : ": " + fact.evidence.note;
  return fmt::format("{}{} is {} on {}{}", where, links, to_string(fact.state), target.name(), note);
}

const Evidence& evidence_of(const PathResolution& resolution) {
  static const Evidence kUnlisted{};
  return resolution.fact ? resolution.fact->evidence : kUnlisted;
}

std::string propagation_of(const CheckContext& context, const HostPathVolume& volume) {
  std::string strongest;
  for (const auto& use : volume.uses) {
    for (const auto& mount : use.container->mounts) {
      if (mount.volume != volume.volume->name) continue;
      auto mode = context.tree.scalar(context.tree.get(mount.node, "mountPropagation"));
      if (mode && *mode == "Bidirectional") return "Bidirectional";
      if (mode && *mode == "HostToContainer") strongest = "HostToContainer";
    }
  }
  return strongest;
}

std::string cause_of(const HostWrite& write) {
  return write.cause;
}

std::vector<WriteGroup> group_writes(const std::vector<HostPathVolume>& volumes, const WorkloadEvidence& evidence,
                                     const std::function<bool(const HostWrite&)>& wanted) {
  std::vector<WriteGroup> groups;
  for (const auto& volume : volumes) {
    WriteGroup group{&volume, {}};
    for (const HostWrite* write : evidence.writes_through(*volume.volume)) {
      if (wanted(*write)) group.writes.push_back(write);
    }
    if (!group.writes.empty()) groups.push_back(std::move(group));
  }
  // Writes made on the host itself (nsenter, chroot) or named by a ConfigMap: one group per site.
  for (const auto& write : evidence.writes) {
    if (write.volume || !wanted(write)) continue;
    auto it = std::find_if(groups.begin(), groups.end(), [&](const WriteGroup& g) {
      return !g.volume && cause_of(*g.writes.front()) == cause_of(write) &&
             g.writes.front()->site.config_map == write.site.config_map;
    });
    if (it == groups.end()) {
      groups.push_back(WriteGroup{nullptr, {&write}});
    } else {
      it->writes.push_back(&write);
    }
  }
  return groups;
}

Observation observe_writes(const CheckContext& context, const WriteGroup& group, std::string message) {
  if (group.volume) return observe_path(context, *group.volume, std::move(message));
  const HostWrite& first = *group.writes.front();
  Observation observation = observe_site(first.site, std::move(message), first.container);
  observation.cause = cause_of(first);
  return observation;
}

void add_write_evidence(Observation& observation, const std::vector<const HostWrite*>& writes) {
  EvidenceAppender evidence(observation.evidence);
  for (const HostWrite* write : writes) evidence.add(evidence_of(write->how, write->site));
}

}  // namespace immutalint::checks
