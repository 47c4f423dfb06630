// journald-dependency: a mount of the systemd journal, which targets without journald lack.
#include <fmt/format.h>

#include "checks/checks.hpp"
#include "checks/host_path_support.hpp"

namespace immutalint::checks {

namespace {

class JournaldDependency final : public Check {
 public:
  bool judges_targets() const override { return true; }

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& volume : host_path_volumes(context)) {
      const std::string path = canonical_host_path(volume.path);
      if (!path_has_prefix(path, "/var/log/journal") && !path_has_prefix(path, "/run/log/journal")) continue;
      Observation observation = observe_path(
          context, volume, fmt::format("hostPath volume \"{}\" reads the systemd journal at {}", volume.volume->name, volume.path));
      for (const Target* target : context.targets) {
        const Fact& journald = target->fact("journald");
        if (journald.value != "false") continue;
        judge(observation, *target, capped(Verdict::Breaks, journald.evidence.confidence),
              fmt::format("{} has no journald {}", target->name(), cite(journald.evidence)));
      }
      if (!observation.verdicts.empty()) out.push_back(std::move(observation));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_journald_dependency(const CheckInfo& /*info*/) {
  return std::make_unique<JournaldDependency>();
}

}  // namespace immutalint::checks
