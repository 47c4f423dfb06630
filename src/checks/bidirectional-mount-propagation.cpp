// bidirectional-mount-propagation: mounts made in the pod propagate back to the host, outside
// the kubelet's own directories.

#include <fmt/format.h>

#include "checks/host_path_support.hpp"
#include "immutalint/check.hpp"

namespace immutalint::checks {

namespace {

class BidirectionalMountPropagation final : public Check {
 public:
  explicit BidirectionalMountPropagation(const CheckInfo& info)
      : kubelet_visible_(info.params.list("kubelet-visible")) {}

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& volume : host_path_volumes(context)) {
      if (propagation_of(context, volume) != "Bidirectional") continue;
      const std::string path = canonical_host_path(volume.path);
      bool visible = false;
      for (const auto& dir : kubelet_visible_) visible = visible || path_has_prefix(path, dir);
      if (visible) continue;
      Observation observation =
          observe_path(context, volume,
                       fmt::format("hostPath volume \"{}\" ({}) is mounted with Bidirectional propagation: "
                                   "mounts made in the pod appear on the host",
                                   volume.volume->name, volume.path));
      observation.action = Action::Requires;
      out.push_back(std::move(observation));
    }
  }

 private:
  // CSI drivers share mounts through these on every OS; the kubelet sees them everywhere.
  const std::vector<std::string> kubelet_visible_;
};

}  // namespace

std::unique_ptr<Check> make_bidirectional_mount_propagation(const CheckInfo& info) {
  return std::make_unique<BidirectionalMountPropagation>(info);
}

}  // namespace immutalint::checks
