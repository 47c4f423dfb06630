// docker-log-path: a mount of Docker's container log directory, empty on containerd nodes.
#include <fmt/format.h>

#include "checks/checks.hpp"
#include "checks/host_path_support.hpp"

namespace immutalint::checks {

namespace {

class DockerLogPath final : public Check {
 public:
  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& volume : host_path_volumes(context)) {
      if (!path_has_prefix(normalize_host_path(volume.path), "/var/lib/docker/containers")) continue;
      out.push_back(observe_path(context, volume,
                                 fmt::format("hostPath volume \"{}\" reads Docker's log directory {}; containerd and "
                                             "CRI-O nodes write pod logs to /var/log/pods",
                                             volume.volume->name, volume.path)));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_docker_log_path(const CheckInfo& /*info*/) { return std::make_unique<DockerLogPath>(); }

}  // namespace immutalint::checks
