// host-systemd: the pod drives the host's systemd: `systemctl`, or mounts of its units, its
// runtime directory or the D-Bus system socket.
#include <array>

#include <fmt/format.h>

#include "checks/checks.hpp"
#include "checks/command_support.hpp"
#include "checks/host_path_support.hpp"

namespace immutalint::checks {

namespace {

// Talking to systemd: any mount of its runtime directory or the D-Bus socket.
constexpr std::array<std::string_view, 2> kSystemdSockets = {"/run/systemd", "/run/dbus"};
// Changing units: writable mounts of the unit directories.
constexpr std::array<std::string_view, 3> kUnitDirs = {"/etc/systemd", "/usr/lib/systemd", "/lib/systemd"};

class HostSystemd final : public Check {
 public:
  explicit HostSystemd(const CheckInfo& info) : patterns_(info, "") {}
  bool judges_targets() const override { return true; }

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& volume : host_path_volumes(context)) {
      const std::string path = canonical_host_path(volume.path);
      bool systemd = false;
      for (auto dir : kSystemdSockets) systemd = systemd || path_has_prefix(path, dir);
      for (auto dir : kUnitDirs) systemd = systemd || (volume.writable && path_has_prefix(path, dir));
      if (!systemd) continue;
      Observation observation = observe_path(
          context, volume, fmt::format("hostPath volume \"{}\" mounts {}, part of the host's systemd", volume.volume->name, volume.path));
      judge_all(context, observation);
      if (!observation.verdicts.empty()) out.push_back(std::move(observation));
    }
    for (auto& observation : observe_command_matches(context, patterns_, [](const ContainerView& c, std::string_view m) {
           return fmt::format("{} runs `{}` against systemd", describe_container(c), m);
         })) {
      judge_all(context, observation);
      if (!observation.verdicts.empty()) out.push_back(std::move(observation));
    }
  }

 private:
  static void judge_all(const CheckContext& context, Observation& observation) {
    for (const Target* target : context.targets) {
      const Fact& systemd = target->fact("systemd");
      if (systemd.value == "absent") {
        judge(observation, *target, capped(Verdict::Breaks, systemd.evidence.confidence),
              fmt::format("there is no systemd on {} {}", target->name(), cite(systemd.evidence)));
      } else if (systemd.value == "unreachable") {
        judge(observation, *target, capped(Verdict::Breaks, systemd.evidence.confidence),
              fmt::format("pods cannot reach systemd on {} {}", target->name(), cite(systemd.evidence)));
      } else if (!target->general_purpose()) {
        const Fact& config = target->fact("config_mechanism");
        judge(observation, *target, Verdict::LikelyBreaks,
              fmt::format("units changed from a pod are outside {} and are lost on reimage {}", config.value,
                          cite(config.evidence)));
      }
    }
  }

  PatternSet patterns_;
};

}  // namespace

std::unique_ptr<Check> make_host_systemd(const CheckInfo& info) { return std::make_unique<HostSystemd>(info); }

}  // namespace immutalint::checks
