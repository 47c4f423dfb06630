// host-path-volume: every hostPath volume, with who mounts it and whether writable.
#include <fmt/format.h>

#include "immutalint/check.hpp"

namespace immutalint::checks {

namespace {

class HostPathVolume final : public Check {
 public:
  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    const YamlTree& tree = context.tree;
    for (const auto& volume : context.pod.volumes) {
      const NodeId host_path = tree.get(volume.node, "hostPath");
      if (!tree.is_mapping(host_path)) continue;
      const std::string path(tree.scalar(tree.get(host_path, "path")).value_or(""));
      const auto type = tree.scalar(tree.get(host_path, "type")).value_or("");
      std::string single;
      const std::string uses = describe_uses(uses_of_volume(context.pod, volume.name), &single);
      std::string message =
          fmt::format("hostPath volume \"{}\" mounts host path {}{}; {}", volume.name,
                      path.empty() ? "(none given)" : path, type.empty() ? "" : fmt::format(" (type {})", type), uses);
      const std::string pointer = volume.pointer + "/hostPath";
      Observation observation =
          tree.find(host_path, "path")
              ? observe_entry(context, host_path, "path", pointer, std::move(message), single)
              : observe_entry(context, volume.node, "hostPath", volume.pointer, std::move(message), single);
      observation.cause = volume.pointer;  // other observations on this volume fold into one finding
      out.push_back(std::move(observation));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_host_path_volume(const CheckInfo& /*info*/) {
  return std::make_unique<HostPathVolume>();
}

}  // namespace immutalint::checks
