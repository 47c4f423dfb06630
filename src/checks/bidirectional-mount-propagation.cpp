// bidirectional-mount-propagation: mounts made in the pod propagate back to the host, outside
// the host paths whose mounts reach the kubelet.

#include <sstream>

#include <fmt/format.h>

#include "checks/host_path_support.hpp"
#include "immutalint/check.hpp"
#include "immutalint/fact_keys.hpp"

namespace immutalint::checks {

namespace {

class BidirectionalMountPropagation final : public Check {
 public:
  explicit BidirectionalMountPropagation(const CheckInfo& info) : runtime_read_(info.params.list("runtime-read")) {}

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& volume : host_path_volumes(context)) {
      if (propagation_of(context, volume) != "Bidirectional") continue;
      const std::string path = canonical_host_path(volume.path);
      Observation observation =
          observe_path(context, volume,
                       fmt::format("hostPath volume \"{}\" ({}) is mounted with Bidirectional propagation: "
                                   "mounts made in the pod appear on the host",
                                   volume.volume->name, volume.path));
      observation.action = Action::Requires;
      for (const Target* target : context.targets) judge_target(*target, path, observation);
      out.push_back(std::move(observation));
    }
  }

 private:
  /// Adds `target`'s verdict on a Bidirectional mount of `path`; ready adds nothing.
  void judge_target(const Target& target, const std::string& path, Observation& observation) const {
    const Fact& kubelet = target.fact(facts::kubelet_host_paths);
    std::vector<std::string> visible;
    std::istringstream words(kubelet.value);
    for (std::string dir; words >> dir;) visible.push_back(dir);
    // A kubelet on the host sees every mount the pod publishes.
    if (visible.empty()) return;
    for (const auto& dir : visible) {
      if (path_has_prefix(path, dir)) return;
    }
    for (const auto& dir : runtime_read_) {
      if (!path_has_prefix(path, dir)) continue;
      // The container runtime runs on the host, so what the pod puts here reaches it whether or
      // not the kubelet sees it.
      const PathResolution resolution = target.resolve(path);
      judge(observation, target, Verdict::Review,
            fmt::format("the kubelet on {} does not see {}, but the container runtime on the host reads it: {}",
                        target.name(), path, describe_resolution(target, resolution)),
            evidence_of(resolution));
      return;
    }
    std::string why = fmt::format("the kubelet on {} runs in a container that sees only the mounts under {}",
                                  target.name(), kubelet.value);
    if (!kubelet.evidence.note.empty()) why += "; " + kubelet.evidence.note;
    judge(observation, target, Verdict::LikelyBreaks, std::move(why), kubelet.evidence);
  }

  // Directories the node's container runtime reads, not the kubelet (the CNI plugins).
  const std::vector<std::string> runtime_read_;
};

}  // namespace

std::unique_ptr<Check> make_bidirectional_mount_propagation(const CheckInfo& info) {
  return std::make_unique<BidirectionalMountPropagation>(info);
}

}  // namespace immutalint::checks
