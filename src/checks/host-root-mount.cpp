// host-root-mount: a hostPath volume of the host's root filesystem.
#include <fmt/format.h>

#include "checks/checks.hpp"

namespace immutalint::checks {

namespace {

class HostRootMount final : public Check {
 public:
  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    const YamlTree& tree = context.tree;
    for (const auto& volume : context.pod.volumes) {
      const NodeId host_path = tree.get(volume.node, "hostPath");
      auto path = tree.scalar(tree.get(host_path, "path"));
      if (!path || normalize_host_path(*path) != "/") continue;
      std::string single;
      const std::string uses = describe_uses(uses_of_volume(context.pod, volume.name), &single);
      const std::string written = *path == "/" ? std::string() : fmt::format(" (written \"{}\")", *path);
      out.push_back(observe_entry(context, host_path, "path", volume.pointer + "/hostPath",
                                  fmt::format("hostPath volume \"{}\" mounts the host's whole root filesystem /{}; {}",
                                              volume.name, written, uses),
                                  single));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_host_root_mount() { return std::make_unique<HostRootMount>(); }

}  // namespace immutalint::checks
