// Shared by the checks that judge hostPath volumes against a target's host path table.
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
    HostPathVolume entry{&volume, host_path, std::string(*path),
                         std::string(tree.scalar(tree.get(host_path, "type")).value_or("")), false,
                         uses_of_volume(context.pod, volume.name)};
    for (const auto& use : entry.uses) entry.writable = entry.writable || !use.read_only;
    volumes.push_back(std::move(entry));
  }
  return volumes;
}

Observation observe_path(const CheckContext& context, const HostPathVolume& volume, std::string message) {
  std::string single;
  describe_uses(volume.uses, &single);
  return observe_entry(context, volume.host_path, "path", volume.volume->pointer + "/hostPath", std::move(message),
                       single);
}

std::string describe_resolution(const Target& target, const PathResolution& resolution) {
  std::string links;
  for (const SymlinkFact* link : resolution.links) links += fmt::format(" ({} -> {} {})", link->path, link->target, cite(link->evidence));
  if (!resolution.fact) return fmt::format("{}{} is not in {}'s path table", resolution.resolved, links, target.name());
  const PathFact& fact = *resolution.fact;
  const std::string where = resolution.exact ? fact.path : fmt::format("{} (under {})", resolution.resolved, fact.path);
  std::string note = fact.evidence.note.empty() ? "" : ": " + fact.evidence.note;
  return fmt::format("{}{} is {} on {}{} {}", where, links, to_string(fact.state), target.name(), note, cite(fact.evidence));
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

}  // namespace immutalint::checks
