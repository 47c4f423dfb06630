// host-root-mount: a hostPath volume of the host's root filesystem.
#include <fmt/format.h>

#include "checks/checks.hpp"
#include "checks/host_path_support.hpp"

namespace immutalint::checks {

namespace {

class HostRootMount final : public Check {
 public:
  bool judges_targets() const override { return true; }

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& volume : host_path_volumes(context)) {
      if (normalize_host_path(volume.path) != "/") continue;
      const std::string written = volume.path == "/" ? std::string() : fmt::format(" (written \"{}\")", volume.path);
      Observation observation = observe_path(
          context, volume,
          fmt::format("hostPath volume \"{}\" mounts the host's whole root filesystem /{}; {}", volume.volume->name,
                      written, describe_uses(volume.uses, nullptr)));
      const bool writable = volume.writable;
      for (const Target* target : context.targets) {
        if (target->general_purpose()) {
          judge(observation, *target, Verdict::Review, "a general-purpose host allows it; the pod is still tied to its layout");
          continue;
        }
        const PathResolution root = target->resolve("/");
        const PathResolution usr = target->resolve("/usr");
        if (root.fact && root.fact->state == PathState::ReadOnly && root.fact->evidence.confidence != Confidence::Guess) {
          judge(observation, *target, capped(Verdict::Breaks, root.fact->evidence.confidence),
                fmt::format("/ itself is read-only on {}{} {}", target->name(),
                            writable ? ", so every write through this mount fails" : "", cite(root.fact->evidence)));
        } else if (usr.fact && usr.fact->state == PathState::ReadOnly) {
          judge(observation, *target, capped(Verdict::Breaks, usr.fact->evidence.confidence),
                fmt::format("/usr is read-only on {} {} and node changes belong in {}", target->name(),
                            cite(usr.fact->evidence), target->fact("config_mechanism").value));
        } else {
          judge(observation, *target, Verdict::Breaks, "the pod reaches into the whole host");
        }
      }
      out.push_back(std::move(observation));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_host_root_mount(const CheckInfo& /*info*/) { return std::make_unique<HostRootMount>(); }

}  // namespace immutalint::checks
