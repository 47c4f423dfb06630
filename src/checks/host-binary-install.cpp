// host-binary-install: a writable mount of a directory the host or the kubelet executes from
// (CNI plugins, kubelet plugins, credential providers): the pod installs code on the node.
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "checks/checks.hpp"
#include "checks/host_path_support.hpp"

namespace immutalint::checks {

namespace {

// Where nodes run binaries that pods install; the target's own plugin directories are added.
constexpr std::array<std::string_view, 8> kExecutableDirs = {
    "/opt/cni/bin", "/opt/bin", "/usr/local/bin", "/home/kubernetes/bin",
    "/usr/libexec/kubernetes/kubelet-plugins", "/opt/libexec/kubernetes/kubelet-plugins",
    "/etc/kubernetes/volumeplugins", "/var/lib/kubelet/credential-provider"};

/// True when `target`'s node or kubelet runs programs from `path`.
bool runs_from(const Target& target, const std::string& path) {
  for (auto dir : kExecutableDirs) {
    if (path_has_prefix(path, dir)) return true;
  }
  for (auto key : {"volume_plugin_dir", "credential_provider_dir"}) {
    const std::string& dir = target.fact(key).value;
    if (!dir.empty() && path_has_prefix(path, canonical_host_path(dir))) return true;
  }
  return false;
}

class HostBinaryInstall final : public Check {
 public:
  bool judges_targets() const override { return true; }

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& volume : host_path_volumes(context)) {
      if (!volume.writable) continue;
      const std::string path = canonical_host_path(volume.path);
      bool executable_somewhere = false;
      for (const Target* target : context.targets) executable_somewhere = executable_somewhere || runs_from(*target, path);
      if (!executable_somewhere) continue;
      Observation observation = observe_path(
          context, volume,
          fmt::format("hostPath volume \"{}\" mounts {} writable: the pod installs programs that the node runs",
                      volume.volume->name, volume.path));
      for (const Target* target : context.targets) {
        if (!runs_from(*target, path)) continue;
        const PathResolution resolution = target->resolve(path);
        if (!resolution.fact) continue;
        const PathFact& fact = *resolution.fact;
        const std::string why = describe_resolution(*target, resolution);
        if (fact.exec == ExecPolicy::Ipe) {
          const Fact& ipe = target->fact("ipe");
          if (ipe.value == "enforce") {
            judge(observation, *target, capped(Verdict::Breaks, ipe.evidence.confidence, fact.evidence.confidence),
                  why + "; IPE enforces: only signed dm-verity code runs " + cite(ipe.evidence));
          } else {
            judge(observation, *target, Verdict::LikelyBreaks,
                  why + "; IPE audits such binaries today and denies them once enforced " + cite(ipe.evidence));
          }
        } else if (fact.exec == ExecPolicy::Noexec) {
          judge(observation, *target, capped(Verdict::Breaks, fact.evidence.confidence), why + "; mounted noexec");
        } else if (fact.state == PathState::ReadOnly || fact.state == PathState::Absent) {
          judge(observation, *target, capped(Verdict::Breaks, fact.evidence.confidence), why + "; nothing can be installed there");
        } else if (fact.state == PathState::ResetAtBoot) {
          judge(observation, *target, Verdict::Review, why + "; reset at every boot, so the pod must reinstall on each start");
        }
      }
      if (!observation.verdicts.empty()) out.push_back(std::move(observation));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_host_binary_install(const CheckInfo& /*info*/) {
  return std::make_unique<HostBinaryInstall>();
}

}  // namespace immutalint::checks
