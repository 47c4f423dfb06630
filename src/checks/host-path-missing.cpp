// host-path-missing: a hostPath whose type requires an existing path the target does not have.
#include <fmt/format.h>

#include "checks/host_path_support.hpp"
#include "immutalint/check.hpp"

namespace immutalint::checks {

namespace {

class HostPathMissing final : public Check {
 public:
  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& volume : host_path_volumes(context)) {
      const std::string& type = volume.type;
      if (type != "Directory" && type != "File" && type != "Socket" && type != "CharDevice" && type != "BlockDevice") {
        continue;
      }
      Observation observation = observe_path(
          context, volume,
          fmt::format("hostPath volume \"{}\" requires {} to exist (type {}); the kubelet refuses to start the pod "
                      "where it is missing",
                      volume.volume->name, volume.path, type));
      observation.action = Action::Requires;
      for (const Target* target : context.targets) {
        const PathResolution resolution = target->resolve(volume.path);
        if (!resolution.fact || resolution.fact->state != PathState::Absent) continue;
        judge(observation, *target, Verdict::Breaks, describe_resolution(*target, resolution),
              resolution.fact->evidence);
      }
      out.push_back(std::move(observation));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_host_path_missing(const CheckInfo& /*info*/) {
  return std::make_unique<HostPathMissing>();
}

}  // namespace immutalint::checks
