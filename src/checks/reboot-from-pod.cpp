// reboot-from-pod: a pod reboots the node (SYS_BOOT, `reboot`, `systemctl reboot`, the sysrq
// trigger, kured's image or flags), which the node OS's own update agent owns.
#include <algorithm>

#include <fmt/format.h>

#include "checks/command_support.hpp"
#include "immutalint/check.hpp"

namespace immutalint::checks {

namespace {

class RebootFromPod final : public Check {
 public:
  explicit RebootFromPod(const CheckInfo& info)
      : tools_(info.params.table("tools")),
        trigger_files_(info.params.list("trigger-files")),
        systemd_sockets_(info.params.list("systemd-sockets")),
        images_(info.params.patterns("images")),
        flags_(info.params.patterns("flags")) {}

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    // The capability alone reboots nothing; it is posture, and the commands below are the claim.
    for (const auto& container : context.pod.containers) {
      if (!adds_capability(context.tree, container, "SYS_BOOT")) continue;
      out.push_back(observe_capabilities(context, container,
                                         fmt::format("{} adds the SYS_BOOT capability, which lets it reboot the node",
                                                     describe_container(container))));
    }
    for (const auto& container : context.pod.containers) {
      auto image = context.tree.scalar(context.tree.get(container.node, "image"));
      if (!image || !images_.find(*image)) continue;
      Observation observation = observe_entry(
          context, container.node, "image", container.pointer,
          fmt::format("{} runs {}, a node reboot daemon", describe_container(container), *image), container.name);
      observation.action = Action::Runs;
      observation.cause = container.pointer + "/command";  // the same cause as what it runs
      out.push_back(std::move(observation));
    }
    CauseFilter causes;
    for (const auto& run : context.evidence.commands) {
      const Reboot reboot = reboot_of(run.command);
      if (reboot.what.empty() || !reaches_host(context, run, reboot.through) || !causes.first(run)) continue;
      Observation observation = observe_command(
          run, fmt::format("{} reboots the node (`{}`)", describe_container(*run.container), reboot.what));
      observation.action = Action::Runs;
      out.push_back(std::move(observation));
    }
  }

 private:
  /// How a command reboots: the reboot(2) system call (reboot, shutdown, telinit, init), systemd,
  /// or the kernel's sysrq trigger.
  enum class Through { SystemCall, Systemd, Sysrq };
  struct Reboot {
    std::string what;  // empty: the command does not reboot
    Through through = Through::SystemCall;
  };

  /// Whether the command reboots the node rather than the container: inside its own PID
  /// namespace reboot(2) only ends the container, systemd is the host's only through its
  /// socket, and /proc/sysrq-trigger is read-only unless privileged.
  bool reaches_host(const CheckContext& context, const RunCommand& run, Through through) const {
    if (run.on_host) return true;
    const ContainerView& container = *run.container;
    const bool privileged = is_true(context.tree, container.security_context, "privileged");
    switch (through) {
      case Through::Sysrq: return privileged;
      case Through::SystemCall:
        return is_true(context.tree, context.pod.holder_of(context.tree, "hostPID").first, "hostPID") &&
               (privileged || adds_capability(context.tree, container, "SYS_BOOT"));
      case Through::Systemd:
        return std::any_of(context.evidence.mounts.begin(), context.evidence.mounts.end(), [&](const HostMount& mount) {
          return mount.container == &container &&
                 std::any_of(systemd_sockets_.begin(), systemd_sockets_.end(),
                             [&](const std::string& dir) { return path_within(dir, mount.host_path); });
        });
    }
    return false;
  }

  /// What in the command reboots the node, and how.
  Reboot reboot_of(const ShellCommand& command) const {
    for (const auto& redirect : command.redirects) {
      for (const auto& file : trigger_files_) {
        if (redirect.target.text == file) return {command.text(), Through::Sysrq};
      }
    }
    const std::string program(command.program());
    const Through through = program == "systemctl" ? Through::Systemd : Through::SystemCall;
    auto tool = tools_.find(program);
    if (tool != tools_.end()) {
      if (tool->second.empty()) return {program, through};
      for (const auto& arg : command.args()) {
        if (std::find(tool->second.begin(), tool->second.end(), arg.text) != tool->second.end()) {
          return {fmt::format("{} {}", program, arg.text), through};
        }
      }
    }
    for (const auto& arg : command.args()) {
      // kured's flags: it reboots through nsenter into the host, whatever its command says.
      if (flags_.find(arg.text)) return {fmt::format("{} {}", program, arg.text), Through::SystemCall};
    }
    return {};
  }

  const std::map<std::string, std::vector<std::string>> tools_;
  const std::vector<std::string> trigger_files_;
  const std::vector<std::string> systemd_sockets_;  // host directories of systemd's and D-Bus's sockets
  PatternSet images_;                               // reboot daemons recognised by their image
  PatternSet flags_;                                // their flags
};

}  // namespace

std::unique_ptr<Check> make_reboot_from_pod(const CheckInfo& info) {
  return std::make_unique<RebootFromPod>(info);
}

}  // namespace immutalint::checks
