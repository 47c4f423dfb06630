// host-etc-write: a writable mount under the host's /etc (other than CNI and kubelet
// configuration): node configuration changed from a pod instead of at provisioning.
#include <array>

#include <fmt/format.h>

#include "checks/checks.hpp"
#include "checks/host_path_support.hpp"

namespace immutalint::checks {

namespace {

// Directories under /etc that node agents legitimately write on every OS.
constexpr std::array<std::string_view, 2> kAgentConfigDirs = {"/etc/cni", "/etc/kubernetes"};

class HostEtcWrite final : public Check {
 public:
  bool judges_targets() const override { return true; }

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& volume : host_path_volumes(context)) {
      const std::string path = normalize_host_path(volume.path);
      if (!volume.writable || !path_has_prefix(path, "/etc")) continue;
      bool agent_dir = false;
      for (auto dir : kAgentConfigDirs) agent_dir = agent_dir || path_has_prefix(path, dir);
      if (agent_dir) continue;
      Observation observation = observe_path(
          context, volume,
          fmt::format("hostPath volume \"{}\" mounts {} writable: the pod changes node configuration, which immutable "
                      "OSes apply only at provisioning",
                      volume.volume->name, volume.path));
      for (const Target* target : context.targets) {
        if (target->general_purpose()) continue;
        const PathResolution resolution = target->resolve(path);
        if (!resolution.fact) continue;
        const PathFact& fact = *resolution.fact;
        const std::string why = describe_resolution(*target, resolution);
        if (fact.state == PathState::ReadOnly || fact.state == PathState::Generated || fact.state == PathState::Absent) {
          judge(observation, *target, capped(Verdict::Breaks, fact.evidence.confidence), why);
        } else if (fact.exec != ExecPolicy::Allowed) {
          judge(observation, *target, Verdict::LikelyBreaks, why + "; locked down for execution");
        } else {
          const Fact& config = target->fact("config_mechanism");
          judge(observation, *target, Verdict::Review,
                fmt::format("{}; the change goes around {} and is lost when the node is reprovisioned {}", why,
                            config.value, cite(config.evidence)));
        }
      }
      if (!observation.verdicts.empty()) out.push_back(std::move(observation));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_host_etc_write(const CheckInfo& /*info*/) { return std::make_unique<HostEtcWrite>(); }

}  // namespace immutalint::checks
