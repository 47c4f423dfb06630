// docker-log-path: a mount of Docker's container log directory, empty on containerd nodes.
#include <fmt/format.h>

#include "checks/host_path_support.hpp"
#include "immutalint/check.hpp"

namespace immutalint::checks {

namespace {

class DockerLogPath final : public Check {
 public:
  explicit DockerLogPath(const CheckInfo& info) : log_dirs_(info.params.list("log-dirs")) {}

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& volume : host_path_volumes(context)) {
      const std::string path = normalize_host_path(volume.path);
      if (std::none_of(log_dirs_.begin(), log_dirs_.end(),
                       [&](const std::string& d) { return path_has_prefix(path, d); }))
        continue;
      Observation observation =
          observe_path(context, volume,
                       fmt::format("hostPath volume \"{}\" reads Docker's log directory {}; containerd and "
                                   "CRI-O nodes write pod logs to /var/log/pods",
                                   volume.volume->name, volume.path));
      observation.action = Action::Requires;
      out.push_back(std::move(observation));
    }
  }

 private:
  const std::vector<std::string> log_dirs_;
};

}  // namespace

std::unique_ptr<Check> make_docker_log_path(const CheckInfo& info) {
  return std::make_unique<DockerLogPath>(info);
}

}  // namespace immutalint::checks
