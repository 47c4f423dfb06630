// host-systemd: the pod drives the host's systemd: `systemctl` on the host, units written into
// its unit directories, or mounts of its runtime directory or the D-Bus system socket.
#include <fmt/format.h>

#include "checks/command_support.hpp"
#include "checks/host_path_support.hpp"
#include "immutalint/check.hpp"
#include "immutalint/fact_keys.hpp"

namespace immutalint::checks {

namespace {

class HostSystemd final : public Check {
 public:
  explicit HostSystemd(const CheckInfo& info)
      : tools_(info.params.table("tools")),
        sockets_(info.params.list("sockets")),
        unit_dirs_(info.params.list("unit-dirs")) {}

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    const auto volumes = host_path_volumes(context);
    // Talking to systemd: a mount of its runtime directory or the D-Bus socket.
    std::vector<const ContainerView*> reaching;
    for (const auto& volume : volumes) {
      const std::string path = canonical_host_path(volume.path);
      if (std::none_of(sockets_.begin(), sockets_.end(),
                       [&](const std::string& s) { return path_has_prefix(path, s); }))
        continue;
      for (const auto& use : volume.uses) reaching.push_back(use.container);
      Observation observation =
          observe_path(context, volume,
                       fmt::format("hostPath volume \"{}\" mounts {}, the host's systemd or D-Bus", volume.volume->name,
                                   volume.path));
      observation.action = Action::Requires;
      std::vector<const ContainerView*> users;
      for (const auto& use : volume.uses) users.push_back(use.container);
      judge_all(context, observation, users);
      out.push_back(std::move(observation));
    }
    CauseFilter causes;
    for (const auto& run : context.evidence.commands) {
      auto tool = tools_.find(std::string(run.command.program()));
      if (tool == tools_.end()) continue;
      auto verb = first_operand(run.command, {"-H", "--host", "-M", "--machine", "-t", "--type", "-p", "--property"});
      if (!verb || std::find(tool->second.begin(), tool->second.end(), *verb) == tool->second.end()) continue;
      const bool reaches = run.on_host || std::find(reaching.begin(), reaching.end(), run.container) != reaching.end();
      if (!reaches || !causes.first(run)) continue;
      Observation observation =
          observe_command(run, fmt::format("{} runs `{} {}` against the host's systemd",
                                           describe_container(*run.container), run.command.program(), *verb));
      observation.action = Action::Runs;
      judge_all(context, observation, {run.container});
      out.push_back(std::move(observation));
    }
    auto unit_write = [this](const HostWrite& w) {
      return std::any_of(unit_dirs_.begin(), unit_dirs_.end(),
                         [&](const std::string& d) { return path_has_prefix(w.host_path, d); });
    };
    for (const auto& group : group_writes(volumes, context.evidence, unit_write)) {
      Observation observation = observe_writes(
          context, group, fmt::format("the pod writes systemd units on the node: {}", group.writes.front()->host_path));
      observation.action = Action::Writes;
      add_write_evidence(observation, group.writes);
      judge_all(context, observation, writers(context, group));
      out.push_back(std::move(observation));
    }
  }

 private:
  /// The containers that make a group's writes (the kubelet's own creates have none).
  static std::vector<const ContainerView*> writers(const CheckContext& context, const WriteGroup& group) {
    std::vector<const ContainerView*> found;
    for (const HostWrite* write : group.writes) {
      if (const ContainerView* writer = writer_of(context, *write)) found.push_back(writer);
    }
    return found;
  }

  /// `containers` are those that reach systemd: where all of them run as a type the target's
  /// policy trusts with systemd, "unreachable" does not hold for them.
  static void judge_all(const CheckContext& context, Observation& observation,
                        const std::vector<const ContainerView*>& containers) {
    for (const Target* target : context.targets) {
      const Fact& systemd = target->fact(facts::systemd);
      std::string trusted;
      for (const ContainerView* container : containers) {
        const std::string type = trusted_selinux_type(context, container, *target);
        if (type.empty()) {
          trusted.clear();
          break;
        }
        trusted = type;
      }
      if (target->fact_is(facts::systemd, "absent")) {
        judge(observation, *target, Verdict::Breaks, fmt::format("there is no systemd on {}", target->name()),
              systemd.evidence);
      } else if (target->fact_is(facts::systemd, "unreachable") && !trusted.empty()) {
        judge_review(observation, *target,
                     fmt::format("pods cannot reach systemd on {}, but this one runs as {}, which its policy lets "
                                 "reach it [{}]; units changed from a pod are lost at reboot",
                                 target->name(), trusted, target->fact(facts::selinux_trusted_types).evidence.source));
      } else if (target->fact_is(facts::systemd, "unreachable")) {
        judge(observation, *target, Verdict::Breaks, fmt::format("pods cannot reach systemd on {}", target->name()),
              systemd.evidence);
      } else if (!target->general_purpose()) {
        const Fact& config = target->fact(facts::config_mechanism);
        judge_review(observation, *target,
                     fmt::format("systemd is there; units changed from a pod sit outside {} and are lost on reimage",
                                 config.value));
      }
    }
  }

  const std::map<std::string, std::vector<std::string>> tools_;
  const std::vector<std::string> sockets_;
  const std::vector<std::string> unit_dirs_;
};

}  // namespace

std::unique_ptr<Check> make_host_systemd(const CheckInfo& info) {
  return std::make_unique<HostSystemd>(info);
}

}  // namespace immutalint::checks
