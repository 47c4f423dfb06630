// host-path-readonly-write: the workload writes a host path that the target keeps read-only,
// lacks, or renders from node configuration at every boot: the write fails or is lost.
#include <fmt/format.h>

#include "checks/host_path_support.hpp"
#include "immutalint/check.hpp"

namespace immutalint::checks {

namespace {

class HostPathReadonlyWrite final : public Check {
 public:
  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    const auto volumes = host_path_volumes(context);
    // Writes by commands and installers; what the kubelet creates for a volume type is
    // host-path-not-creatable's.
    const auto groups =
        group_writes(volumes, context.evidence, [](const HostWrite& w) { return !w.container.empty(); });
    for (const auto& group : groups) {
      const HostWrite& first = *group.writes.front();
      Observation observation = observe_writes(
          context, group,
          group.volume ? fmt::format("the pod writes {} on the node through hostPath volume \"{}\" ({})",
                                     first.host_path, group.volume->volume->name, group.volume->path)
                       : fmt::format("{} writes {} on the host",
                                     first.container.empty() ? "the pod" : "container \"" + first.container + "\"",
                                     first.host_path));
      observation.action = Action::Writes;
      add_write_evidence(observation, group.writes);
      for (const Target* target : context.targets) {
        judge_writes(observation, *target, group.writes, trusted_writer_type(context, group.writes, *target));
      }
      out.push_back(std::move(observation));
    }
    // A writable mount of a read-only path with no write in sight: worth a look, no more.
    for (const auto& volume : volumes) {
      if (!volume.writable || normalize_host_path(volume.path) == "/") continue;
      if (std::any_of(groups.begin(), groups.end(), [&](const WriteGroup& g) { return g.volume == &volume; })) continue;
      Observation observation = observe_path(
          context, volume,
          fmt::format(
              "hostPath volume \"{}\" mounts {} writable, but the manifest shows no write into it (add readOnly: "
              "true if none is made)",
              volume.volume->name, volume.path));
      for (const Target* target : context.targets) {
        const PathResolution resolution = target->resolve(volume.path);
        if (!resolution.fact) continue;
        if (resolution.fact->state == PathState::ReadOnly || resolution.fact->state == PathState::Generated) {
          judge_review(observation, *target,
                       describe_resolution(*target, resolution) + "; a write there would fail or be lost");
        }
      }
      out.push_back(std::move(observation));
    }
  }

 private:
  /// The worst outcome of any of the writes on one target. `trusted` is the SELinux type the
  /// writers run as when the target's policy lets it edit what the OS generates.
  static void judge_writes(Observation& observation, const Target& target, const std::vector<const HostWrite*>& writes,
                           const std::string& trusted) {
    Verdict worst = Verdict::Ready;
    std::string why;
    const Evidence* fact = nullptr;
    for (const HostWrite* write : writes) {
      const PathResolution resolution = target.resolve(write->host_path);
      if (!resolution.fact) continue;
      Verdict verdict = Verdict::Ready;
      std::string outcome;
      switch (resolution.fact->state) {
        case PathState::ReadOnly:
          verdict = Verdict::Breaks;
          outcome = "the write fails with EROFS";
          break;
        case PathState::Absent:
          verdict = Verdict::Breaks;
          outcome = "it does not exist and cannot be created";
          break;
        case PathState::Generated:
          if (!trusted.empty()) {
            verdict = Verdict::Review;
            outcome = fmt::format(
                "it is rendered from node configuration at every boot; the writer runs as {}, which may edit it, "
                "but the change is lost then",
                trusted);
          } else {
            verdict = Verdict::LikelyBreaks;
            outcome = "it is rendered from node configuration at every boot, so the change is refused or lost";
          }
          break;
        default: break;
      }
      if (verdict > worst) {
        worst = verdict;
        why = fmt::format("{}; {}", describe_resolution(target, resolution), outcome);
        fact = &resolution.fact->evidence;
      }
    }
    if (!fact) return;
    if (worst == Verdict::Review) {
      judge_review(observation, target, why);
    } else {
      judge(observation, target, worst, why, *fact);
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_host_path_readonly_write(const CheckInfo& /*info*/) {
  return std::make_unique<HostPathReadonlyWrite>();
}

}  // namespace immutalint::checks
