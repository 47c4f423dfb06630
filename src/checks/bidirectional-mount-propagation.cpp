// bidirectional-mount-propagation: mounts made in the pod propagate back to the host, outside
// the kubelet's own directories.
#include <array>

#include <fmt/format.h>

#include "checks/checks.hpp"
#include "checks/host_path_support.hpp"

namespace immutalint::checks {

namespace {

// CSI drivers share mounts through these on every OS; the kubelet sees them everywhere.
constexpr std::array<std::string_view, 5> kKubeletVisible = {"/var/lib/kubelet", "/var/mnt", "/dev", "/sys", "/run"};

class BidirectionalMountPropagation final : public Check {
 public:
  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& volume : host_path_volumes(context)) {
      if (propagation_of(context, volume) != "Bidirectional") continue;
      const std::string path = canonical_host_path(volume.path);
      bool visible = false;
      for (auto dir : kKubeletVisible) visible = visible || path_has_prefix(path, dir);
      if (visible) continue;
      out.push_back(observe_path(context, volume,
                                 fmt::format("hostPath volume \"{}\" ({}) is mounted with Bidirectional propagation: "
                                             "mounts made in the pod appear on the host",
                                             volume.volume->name, volume.path)));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_bidirectional_mount_propagation(const CheckInfo& /*info*/) {
  return std::make_unique<BidirectionalMountPropagation>();
}

}  // namespace immutalint::checks
