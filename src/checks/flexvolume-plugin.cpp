// flexvolume-plugin: FlexVolume volumes, and drivers installed into the default FlexVolume
// plugin directory, which immutable OSes keep read-only, move elsewhere or no longer provide.
#include <fmt/format.h>

#include "checks/host_path_support.hpp"
#include "immutalint/check.hpp"
#include "immutalint/fact_keys.hpp"

namespace immutalint::checks {

namespace {

class FlexvolumePlugin final : public Check {
 public:
  explicit FlexvolumePlugin(const CheckInfo& info) : default_dirs_(info.params.list("default-plugin-dirs")) {}

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& volume : context.pod.volumes) {
      if (!context.tree.find(volume.node, "flexVolume")) continue;
      auto driver = context.tree.scalar(context.tree.get(context.tree.get(volume.node, "flexVolume"), "driver"));
      Observation observation =
          observe_entry(context, volume.node, "flexVolume", volume.pointer,
                        fmt::format("volume \"{}\" uses the FlexVolume driver {}, whose binary must be installed on "
                                    "every node in the kubelet's plugin directory",
                                    volume.name, driver ? std::string(*driver) : std::string("(unnamed)")));
      observation.cause = volume.pointer;
      observation.action = Action::Requires;
      for (const Target* target : context.targets) {
        const Fact& dir = target->fact(facts::volume_plugin_dir);
        if (dir.value.empty()) {
          judge(observation, *target, Verdict::Breaks,
                fmt::format("{} provides no FlexVolume plugin directory", target->name()), dir.evidence);
        } else if (!target->general_purpose()) {
          judge_review(observation, *target,
                       fmt::format("the driver must be installed under {} by the node's own configuration", dir.value));
        }
      }
      out.push_back(std::move(observation));
    }
    const auto volumes = host_path_volumes(context);
    auto in_default_dir = [this](std::string_view path) {
      return std::any_of(default_dirs_.begin(), default_dirs_.end(),
                         [&](const std::string& d) { return path_has_prefix(path, d); });
    };
    const auto groups = group_writes(volumes, context.evidence, [&](const HostWrite& w) {
      return w.kind != WriteKind::Creates && w.kind != WriteKind::Removes && in_default_dir(w.host_path);
    });
    for (const auto& group : groups) {
      Observation observation =
          observe_writes(context, group,
                         fmt::format("the pod installs a FlexVolume driver into the default plugin directory ({})",
                                     group.writes.front()->host_path));
      observation.action = Action::Installs;
      add_write_evidence(observation, group.writes);
      judge_install(context, observation, group.writes.front()->host_path);
      out.push_back(std::move(observation));
    }
    for (const auto& volume : volumes) {
      if (!in_default_dir(normalize_host_path(volume.path))) continue;
      if (std::any_of(groups.begin(), groups.end(), [&](const WriteGroup& g) { return g.volume == &volume; })) continue;
      Observation observation =
          observe_path(context, volume,
                       fmt::format("hostPath volume \"{}\" mounts the default FlexVolume directory {}",
                                   volume.volume->name, volume.path));
      for (const Target* target : context.targets) {
        const Fact& dir = target->fact(facts::volume_plugin_dir);
        if (!target->general_purpose()) {
          judge_review(observation, *target,
                       dir.value.empty() ? fmt::format("{} provides no FlexVolume directory", target->name())
                                         : fmt::format("the kubelet on {} reads {}", target->name(), dir.value));
        }
      }
      out.push_back(std::move(observation));
    }
  }

 private:
  void judge_install(const CheckContext& context, Observation& observation, const std::string& path) const {
    for (const Target* target : context.targets) {
      const PathResolution resolution = target->resolve(path);
      if (!resolution.fact) continue;
      const PathState state = resolution.fact->state;
      const Fact& dir = target->fact(facts::volume_plugin_dir);
      if (state == PathState::ReadOnly || state == PathState::Absent) {
        judge(observation, *target, Verdict::Breaks,
              describe_resolution(*target, resolution) + "; no plugin can be installed there",
              resolution.fact->evidence);
      } else if (!dir.value.empty() &&
                 std::none_of(default_dirs_.begin(), default_dirs_.end(),
                              [&](const std::string& d) { return path_has_prefix(dir.value, d); })) {
        const std::string why = fmt::format("the kubelet on {} reads {}, so a plugin installed here is never used",
                                            target->name(), dir.value);
        if (target->general_purpose()) {
          judge_review(observation, *target, why);
        } else {
          judge(observation, *target, Verdict::LikelyBreaks, why, dir.evidence);
        }
      }
    }
  }

  const std::vector<std::string> default_dirs_;
};

}  // namespace

std::unique_ptr<Check> make_flexvolume_plugin(const CheckInfo& info) {
  return std::make_unique<FlexvolumePlugin>(info);
}

}  // namespace immutalint::checks
