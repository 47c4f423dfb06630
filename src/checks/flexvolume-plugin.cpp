// flexvolume-plugin: FlexVolume volumes, and mounts of the default FlexVolume plugin directory,
// which immutable OSes keep read-only, move elsewhere or no longer provide.
#include <fmt/format.h>

#include "checks/checks.hpp"
#include "checks/host_path_support.hpp"

namespace immutalint::checks {

namespace {

constexpr std::string_view kDefaultPluginDir = "/usr/libexec/kubernetes/kubelet-plugins";

class FlexvolumePlugin final : public Check {
 public:
  bool judges_targets() const override { return true; }

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& volume : context.pod.volumes) {
      if (!context.tree.find(volume.node, "flexVolume")) continue;
      auto driver = context.tree.scalar(context.tree.get(context.tree.get(volume.node, "flexVolume"), "driver"));
      Observation observation =
          observe_entry(context, volume.node, "flexVolume", volume.pointer,
                        fmt::format("volume \"{}\" uses the FlexVolume driver {}, whose binary must be installed on "
                                    "every node in the kubelet's plugin directory",
                                    volume.name, driver ? std::string(*driver) : std::string("(unnamed)")));
      for (const Target* target : context.targets) {
        const Fact& dir = target->fact("volume_plugin_dir");
        if (dir.value.empty()) {
          judge(observation, *target, capped(Verdict::Breaks, dir.evidence.confidence),
                fmt::format("{} provides no FlexVolume plugin directory {}", target->name(), cite(dir.evidence)));
        } else if (!target->general_purpose()) {
          judge(observation, *target, Verdict::LikelyBreaks,
                fmt::format("the driver must be installed under {} by the node's own configuration {}", dir.value,
                            cite(dir.evidence)));
        }
      }
      if (!observation.verdicts.empty()) out.push_back(std::move(observation));
    }
    for (const auto& volume : host_path_volumes(context)) {
      if (!path_has_prefix(normalize_host_path(volume.path), kDefaultPluginDir)) continue;
      Observation observation = observe_path(
          context, volume,
          fmt::format("hostPath volume \"{}\" mounts the default FlexVolume directory {}", volume.volume->name, volume.path));
      for (const Target* target : context.targets) {
        const PathResolution resolution = target->resolve(volume.path);
        if (!resolution.fact) continue;
        const PathState state = resolution.fact->state;
        const Fact& dir = target->fact("volume_plugin_dir");
        const std::string kubelet_dir =
            dir.value.empty() ? std::string("no FlexVolume directory")
                              : fmt::format("the kubelet reads {}", dir.value);
        if (target->general_purpose()) {
          judge(observation, *target, Verdict::Review,
                fmt::format("{}; FlexVolume is deprecated {}", kubelet_dir, cite(dir.evidence)));
        } else if (state == PathState::ReadOnly || state == PathState::Absent) {
          judge(observation, *target, capped(Verdict::Breaks, resolution.fact->evidence.confidence),
                describe_resolution(*target, resolution) + "; no plugin can be installed there");
        } else if (!dir.value.empty() && !path_has_prefix(dir.value, kDefaultPluginDir)) {
          judge(observation, *target, Verdict::LikelyBreaks,
                fmt::format("{} on {}, so plugins installed here are never used {}", kubelet_dir, target->name(),
                            cite(dir.evidence)));
        }
      }
      if (!observation.verdicts.empty()) out.push_back(std::move(observation));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_flexvolume_plugin(const CheckInfo& /*info*/) { return std::make_unique<FlexvolumePlugin>(); }

}  // namespace immutalint::checks
