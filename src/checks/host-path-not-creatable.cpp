// host-path-not-creatable: a hostPath the kubelet or the runtime must create, under a tree the
// target keeps read-only or lacks, so the pod never starts.
#include <array>

#include <fmt/format.h>

#include "checks/checks.hpp"
#include "checks/host_path_support.hpp"

namespace immutalint::checks {

namespace {

// Top-level directories every Linux host has; any other one must be created.
constexpr std::array<std::string_view, 17> kStandardTopLevel = {
    "bin", "boot", "dev", "etc", "home", "lib", "lib64", "media", "mnt", "opt", "proc", "root", "run", "sbin", "srv", "sys", "tmp"};

/// Paths that do not exist on a stock host and are created by whoever mounts them: a new
/// top-level directory, or anything under /usr/local or /usr/src.
bool may_not_exist(std::string_view resolved) {
  if (path_has_prefix(resolved, "/usr/local") || path_has_prefix(resolved, "/usr/src")) return true;
  if (resolved == "/") return false;
  const auto end = resolved.find('/', 1);
  const std::string_view top = resolved.substr(1, end == std::string_view::npos ? std::string_view::npos : end - 1);
  if (top == "usr" || top == "var") return false;
  for (auto name : kStandardTopLevel) {
    if (top == name) return false;
  }
  return true;
}

class HostPathNotCreatable final : public Check {
 public:
  bool judges_targets() const override { return true; }

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& volume : host_path_volumes(context)) {
      const bool creates = volume.type == "DirectoryOrCreate" || volume.type == "FileOrCreate";
      if (!creates && !volume.type.empty()) continue;
      Observation observation = observe_path(
          context, volume,
          fmt::format("hostPath volume \"{}\" needs {} to exist or be created on the node ({}); where its parent is "
                      "read-only or missing, the pod cannot start",
                      volume.volume->name, volume.path, creates ? "type " + volume.type : "type unset"));
      for (const Target* target : context.targets) {
        const PathResolution resolution = target->resolve(volume.path);
        if (!resolution.fact) continue;
        const PathFact& fact = *resolution.fact;
        const std::string why = describe_resolution(*target, resolution);
        if (fact.state == PathState::Absent) {
          judge(observation, *target, capped(Verdict::Breaks, fact.evidence.confidence), why + "; it cannot be created");
        } else if (!resolution.exact && fact.state == PathState::ReadOnly) {
          if (may_not_exist(resolution.resolved)) {
            judge(observation, *target, capped(Verdict::Breaks, fact.evidence.confidence),
                  why + "; the mkdir fails with EROFS");
          } else if (creates) {
            judge(observation, *target, Verdict::LikelyBreaks, why + "; if the path is missing it cannot be created");
          }
        }
      }
      if (!observation.verdicts.empty()) out.push_back(std::move(observation));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_host_path_not_creatable(const CheckInfo& /*info*/) {
  return std::make_unique<HostPathNotCreatable>();
}

}  // namespace immutalint::checks
