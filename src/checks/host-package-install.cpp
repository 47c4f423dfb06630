// host-package-install: a container runs a package manager against the host (after nsenter or
// chroot, or through a /host mount). Installing into the container's own image is not reported.
#include <fmt/format.h>

#include "checks/checks.hpp"
#include "checks/command_support.hpp"

namespace immutalint::checks {

namespace {

class HostPackageInstall final : public Check {
 public:
  explicit HostPackageInstall(const CheckInfo& info) : host_entry_(info, "host-"), installs_(info, "install-") {}
  bool judges_targets() const override { return true; }

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& line : command_lines(context)) {
      auto install = installs_.find(line.text);
      if (!install || !host_entry_.find(line.text)) continue;
      Observation observation = observe_command(
          context, line, install->offset,
          fmt::format("{} runs `{}` on the host: it installs or changes host packages", describe_container(*line.container),
                      install->text));
      for (const Target* target : context.targets) {
        const Fact& manager = target->fact("package_manager");
        if (manager.value == "false") {
          judge(observation, *target, capped(Verdict::Breaks, manager.evidence.confidence),
                fmt::format("{} has no package manager that can change the OS {}", target->name(), cite(manager.evidence)));
        }
      }
      if (!observation.verdicts.empty()) out.push_back(std::move(observation));
    }
  }

 private:
  PatternSet host_entry_;
  PatternSet installs_;
};

}  // namespace

std::unique_ptr<Check> make_host_package_install(const CheckInfo& info) {
  return std::make_unique<HostPackageInstall>(info);
}

}  // namespace immutalint::checks
