// host-path-readonly-write: a writable mount of a host path the target keeps read-only or
// regenerates at boot; the pod starts, its writes fail or vanish.
#include <fmt/format.h>

#include "checks/checks.hpp"
#include "checks/host_path_support.hpp"

namespace immutalint::checks {

namespace {

class HostPathReadonlyWrite final : public Check {
 public:
  bool judges_targets() const override { return true; }

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& volume : host_path_volumes(context)) {
      if (!volume.writable || normalize_host_path(volume.path) == "/") continue;  // "/" is host-root-mount's
      Observation observation = observe_path(
          context, volume,
          fmt::format("hostPath volume \"{}\" mounts {} writable; where the node keeps it read-only or regenerates "
                      "it, writes fail or are lost (add readOnly: true, or write under /var)",
                      volume.volume->name, volume.path));
      for (const Target* target : context.targets) {
        const PathResolution resolution = target->resolve(volume.path);
        if (!resolution.fact) continue;
        const PathState state = resolution.fact->state;
        if (state == PathState::ReadOnly) {
          judge(observation, *target, Verdict::LikelyBreaks,
                describe_resolution(*target, resolution) + "; writes fail with EROFS");
        } else if (state == PathState::Generated) {
          judge(observation, *target, Verdict::LikelyBreaks,
                describe_resolution(*target, resolution) + "; it is rendered from node configuration at every boot");
        }
      }
      if (!observation.verdicts.empty()) out.push_back(std::move(observation));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_host_path_readonly_write(const CheckInfo& /*info*/) {
  return std::make_unique<HostPathReadonlyWrite>();
}

}  // namespace immutalint::checks
