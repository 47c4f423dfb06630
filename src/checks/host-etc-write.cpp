// host-etc-write: the workload changes node configuration under the host's /etc (other than the
// CNI and kubelet directories agents own): configuration that immutable OSes apply only at
// provisioning, keep read-only, or render at every boot.
#include <fmt/format.h>

#include "checks/host_path_support.hpp"
#include "immutalint/check.hpp"
#include "immutalint/fact_keys.hpp"

namespace immutalint::checks {

namespace {

class HostEtcWrite final : public Check {
 public:
  explicit HostEtcWrite(const CheckInfo& info)
      : config_root_(info.params.list("config-root")), agent_dirs_(info.params.list("agent-dirs")) {}

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    const auto volumes = host_path_volumes(context);
    const auto groups =
        group_writes(volumes, context.evidence, [this](const HostWrite& w) { return is_node_config(w.host_path); });
    for (const auto& group : groups) {
      const HostWrite& first = *group.writes.front();
      Observation observation = observe_writes(
          context, group, fmt::format("the pod changes node configuration: it writes {}", first.host_path));
      observation.action = first.kind == WriteKind::Creates ? Action::Creates : Action::Writes;
      add_write_evidence(observation, group.writes);
      for (const Target* target : context.targets) {
        if (target->general_purpose()) continue;
        Verdict worst = Verdict::Ready;
        std::string why;
        const Evidence* fact = nullptr;
        for (const HostWrite* write : group.writes) {
          const PathResolution resolution = target->resolve(write->host_path);
          if (!resolution.fact) continue;
          const PathState state = resolution.fact->state;
          const Verdict verdict =
              (state == PathState::ReadOnly || state == PathState::Generated || state == PathState::Absent)
                  ? Verdict::Breaks
                  : Verdict::Review;
          if (verdict > worst) {
            worst = verdict;
            why = describe_resolution(*target, resolution);
            fact = &resolution.fact->evidence;
          }
        }
        if (!fact) continue;
        // A generated /etc is writable to the types its policy trusts: the change only lasts
        // until the next boot.
        const std::string trusted =
            generated_only(*target, group) ? trusted_writer_type(context, group.writes, *target) : "";
        if (worst == Verdict::Breaks && !trusted.empty()) {
          judge_review(observation, *target,
                       fmt::format("{}; this container runs as {}, which its policy lets edit it [{}], but the "
                                   "change is lost when it is generated again at boot",
                                   why, trusted, target->fact(facts::selinux_trusted_types).evidence.source));
          continue;
        }
        if (worst == Verdict::Review) {
          const Fact& config = target->fact(facts::config_mechanism);
          judge_review(observation, *target,
                       fmt::format("{}; the change goes around {} and is lost when the node is reprovisioned", why,
                                   config.value));
        } else {
          judge(observation, *target, worst, why, *fact);
        }
      }
      out.push_back(std::move(observation));
    }
    for (const auto& volume : volumes) {
      if (!volume.writable || !is_node_config(normalize_host_path(volume.path))) continue;
      if (std::any_of(groups.begin(), groups.end(), [&](const WriteGroup& g) { return g.volume == &volume; })) continue;
      Observation observation = observe_path(
          context, volume,
          fmt::format(
              "hostPath volume \"{}\" mounts node configuration {} writable, but the manifest shows no write into "
              "it",
              volume.volume->name, volume.path));
      for (const Target* target : context.targets) {
        if (target->general_purpose()) continue;
        const PathResolution resolution = target->resolve(volume.path);
        if (resolution.fact) judge_review(observation, *target, describe_resolution(*target, resolution));
      }
      out.push_back(std::move(observation));
    }
  }

 private:
  /// True when every write of the group lands in a path the target generates (none read-only
  /// or absent).
  static bool generated_only(const Target& target, const WriteGroup& group) {
    return std::all_of(group.writes.begin(), group.writes.end(), [&](const HostWrite* write) {
      const PathResolution resolution = target.resolve(write->host_path);
      return resolution.fact && resolution.fact->state != PathState::ReadOnly &&
             resolution.fact->state != PathState::Absent;
    });
  }

  bool is_node_config(const std::string& path) const {
    const bool under_root = std::any_of(config_root_.begin(), config_root_.end(),
                                        [&](const std::string& root) { return path_has_prefix(path, root); });
    return under_root && std::none_of(agent_dirs_.begin(), agent_dirs_.end(),
                                      [&](const std::string& dir) { return path_has_prefix(path, dir); });
  }

  const std::vector<std::string> config_root_;
  const std::vector<std::string> agent_dirs_;
};

}  // namespace

std::unique_ptr<Check> make_host_etc_write(const CheckInfo& info) {
  return std::make_unique<HostEtcWrite>(info);
}

}  // namespace immutalint::checks
