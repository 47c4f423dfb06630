// reboot-from-pod: a pod reboots the node (SYS_BOOT, `reboot`, `systemctl reboot`, kured's
// image or sentinel), which the node OS's own update agent owns.
#include <fmt/format.h>

#include "checks/checks.hpp"
#include "checks/command_support.hpp"

namespace immutalint::checks {

namespace {

class RebootFromPod final : public Check {
 public:
  explicit RebootFromPod(const CheckInfo& info) : patterns_(info, "", "image-"), images_(info, "image-") {}

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& container : context.pod.containers) {
      if (!adds_capability(context.tree, container, "SYS_BOOT")) continue;
      out.push_back(observe_capabilities(
          context, container, fmt::format("{} adds the SYS_BOOT capability to reboot the node", describe_container(container))));
    }
    for (const auto& container : context.pod.containers) {
      auto image = context.tree.scalar(context.tree.get(container.node, "image"));
      if (!image || !images_.find(*image)) continue;
      out.push_back(observe_entry(context, container.node, "image", container.pointer,
                                  fmt::format("{} runs {}, a node reboot daemon", describe_container(container), *image),
                                  container.name));
    }
    for (auto& observation : observe_command_matches(context, patterns_, [](const ContainerView& c, std::string_view m) {
           return fmt::format("{} reboots the node (`{}`)", describe_container(c), m);
         })) {
      out.push_back(std::move(observation));
    }
  }

 private:
  PatternSet patterns_;
  PatternSet images_;  // reboot daemons recognised by their image
};

}  // namespace

std::unique_ptr<Check> make_reboot_from_pod(const CheckInfo& info) { return std::make_unique<RebootFromPod>(info); }

}  // namespace immutalint::checks
