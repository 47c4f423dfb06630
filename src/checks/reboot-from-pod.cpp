// reboot-from-pod: a pod reboots the node (SYS_BOOT, `reboot`, `systemctl reboot`, the sysrq
// trigger, kured's image or flags), which the node OS's own update agent owns.
#include <fmt/format.h>

#include "checks/checks.hpp"
#include "checks/command_support.hpp"

namespace immutalint::checks {

namespace {

class RebootFromPod final : public Check {
 public:
  explicit RebootFromPod(const CheckInfo& info)
      : tools_(info.params.table("tools")), trigger_files_(info.params.list("trigger-files")), images_(info, "image-"),
        flags_(info, "flag-") {}

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& container : context.pod.containers) {
      if (!adds_capability(context.tree, container, "SYS_BOOT")) continue;
      Observation observation = observe_capabilities(
          context, container, fmt::format("{} adds the SYS_BOOT capability to reboot the node", describe_container(container)));
      observation.action = Action::Requires;
      out.push_back(std::move(observation));
    }
    for (const auto& container : context.pod.containers) {
      auto image = context.tree.scalar(context.tree.get(container.node, "image"));
      if (!image || !images_.find(*image)) continue;
      Observation observation = observe_entry(context, container.node, "image", container.pointer,
                                              fmt::format("{} runs {}, a node reboot daemon", describe_container(container), *image),
                                              container.name);
      observation.action = Action::Runs;
      observation.cause = container.pointer + "/command";  // the same cause as what it runs
      out.push_back(std::move(observation));
    }
    std::vector<std::string> seen;
    for (const auto& run : context.evidence.commands) {
      const std::string what = reboot_of(run.command);
      if (what.empty() || std::find(seen.begin(), seen.end(), cause_of(run)) != seen.end()) continue;
      seen.push_back(cause_of(run));
      Observation observation =
          observe_command(run, fmt::format("{} reboots the node (`{}`)", describe_container(*run.container), what));
      observation.action = Action::Runs;
      out.push_back(std::move(observation));
    }
  }

 private:
  /// What in the command reboots the node, or "".
  std::string reboot_of(const ShellCommand& command) const {
    for (const auto& redirect : command.redirects) {
      for (const auto& file : trigger_files_) {
        if (redirect.target.text == file) return command.text();
      }
    }
    auto tool = tools_.find(std::string(command.program()));
    if (tool != tools_.end()) {
      if (tool->second.empty()) return std::string(command.program());
      for (const auto& arg : command.args()) {
        if (std::find(tool->second.begin(), tool->second.end(), arg.text) != tool->second.end()) {
          return fmt::format("{} {}", command.program(), arg.text);
        }
      }
    }
    for (const auto& arg : command.args()) {
      if (flags_.find(arg.text)) return fmt::format("{} {}", command.program(), arg.text);
    }
    return {};
  }

  const std::map<std::string, std::vector<std::string>> tools_;
  const std::vector<std::string> trigger_files_;
  PatternSet images_;  // reboot daemons recognised by their image
  PatternSet flags_;   // their flags
};

}  // namespace

std::unique_ptr<Check> make_reboot_from_pod(const CheckInfo& info) { return std::make_unique<RebootFromPod>(info); }

}  // namespace immutalint::checks
