// host-root-mount: a hostPath volume of the host's root filesystem.
#include <fmt/format.h>

#include "checks/checks.hpp"

namespace immutalint::checks {

namespace {

class HostRootMount final : public Check {
 public:
  bool judges_targets() const override { return true; }

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    const YamlTree& tree = context.tree;
    for (const auto& volume : context.pod.volumes) {
      const NodeId host_path = tree.get(volume.node, "hostPath");
      auto path = tree.scalar(tree.get(host_path, "path"));
      if (!path || normalize_host_path(*path) != "/") continue;
      std::string single;
      const std::string uses = describe_uses(uses_of_volume(context.pod, volume.name), &single);
      const std::string written = *path == "/" ? std::string() : fmt::format(" (written \"{}\")", *path);
      Observation observation =
          observe_entry(context, host_path, "path", volume.pointer + "/hostPath",
                        fmt::format("hostPath volume \"{}\" mounts the host's whole root filesystem /{}; {}", volume.name,
                                    written, uses),
                        single);
      const bool writable = uses.starts_with("writable");
      for (const Target* target : context.targets) {
        if (target->general_purpose()) {
          judge(observation, *target, Verdict::Review, "a general-purpose host allows it; the pod is still tied to its layout");
          continue;
        }
        const PathResolution root = target->resolve("/");
        const PathResolution usr = target->resolve("/usr");
        if (root.fact && root.fact->state == PathState::ReadOnly && root.fact->evidence.confidence != Confidence::Guess) {
          judge(observation, *target, capped(Verdict::Breaks, root.fact->evidence.confidence),
                fmt::format("/ itself is read-only on {}{} {}", target->name(),
                            writable ? ", so every write through this mount fails" : "", cite(root.fact->evidence)));
        } else if (usr.fact && usr.fact->state == PathState::ReadOnly) {
          judge(observation, *target, capped(Verdict::Breaks, usr.fact->evidence.confidence),
                fmt::format("/usr is read-only on {} {} and node changes belong in {}", target->name(),
                            cite(usr.fact->evidence), target->fact("config_mechanism").value));
        } else {
          judge(observation, *target, Verdict::Breaks, "the pod reaches into the whole host");
        }
      }
      out.push_back(std::move(observation));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_host_root_mount(const CheckInfo& /*info*/) { return std::make_unique<HostRootMount>(); }

}  // namespace immutalint::checks
