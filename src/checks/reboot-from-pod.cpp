// reboot-from-pod: a pod reboots the node (SYS_BOOT, `reboot`, `systemctl reboot`, kured's
// sentinel), which the node OS's own update agent owns.
#include <fmt/format.h>

#include "checks/checks.hpp"
#include "checks/command_support.hpp"

namespace immutalint::checks {

namespace {

class RebootFromPod final : public Check {
 public:
  explicit RebootFromPod(const CheckInfo& info) : patterns_(info, "") {}

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& container : context.pod.containers) {
      if (!adds_capability(context.tree, container, "SYS_BOOT")) continue;
      out.push_back(observe_capabilities(
          context, container, fmt::format("{} adds the SYS_BOOT capability to reboot the node", describe_container(container))));
    }
    for (const auto& line : command_lines(context)) {
      auto match = patterns_.find(line.text);
      if (!match) continue;
      out.push_back(observe_command(context, line, match->offset,
                                    fmt::format("{} reboots the node (`{}`)", describe_container(*line.container), match->text)));
    }
  }

 private:
  PatternSet patterns_;
};

}  // namespace

std::unique_ptr<Check> make_reboot_from_pod(const CheckInfo& info) { return std::make_unique<RebootFromPod>(info); }

}  // namespace immutalint::checks
