// host-root-mount: a hostPath volume of the host's whole root filesystem. Posture: the writes
// made through it are judged by the checks for the paths they reach.
#include <fmt/format.h>

#include "checks/host_path_support.hpp"
#include "immutalint/check.hpp"

namespace immutalint::checks {

namespace {

class HostRootMount final : public Check {
 public:
  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& volume : host_path_volumes(context)) {
      if (normalize_host_path(volume.path) != "/") continue;
      const std::string written = volume.path == "/" ? std::string() : fmt::format(" (written \"{}\")", volume.path);
      out.push_back(observe_path(context, volume,
                                 fmt::format("hostPath volume \"{}\" mounts the host's whole root filesystem /{}; {}",
                                             volume.volume->name, written, describe_uses(volume.uses, nullptr))));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_host_root_mount(const CheckInfo& /*info*/) {
  return std::make_unique<HostRootMount>();
}

}  // namespace immutalint::checks
