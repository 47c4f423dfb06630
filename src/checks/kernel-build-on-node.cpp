// kernel-build-on-node: kernel headers or module build trees mounted from the host, to build
// drivers on the node.
#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/checks.hpp"
#include "checks/host_path_support.hpp"

namespace immutalint::checks {

namespace {

class KernelBuildOnNode final : public Check {
 public:
  bool judges_targets() const override { return true; }

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    static const re2::RE2 kBuildTree(R"(^(/usr)?/lib/modules/[^/]+/build(/.*)?$)");
    const auto volumes = host_path_volumes(context);
    // Driver loaders (Falco, Sysdig) mount the module tree together with all of /usr, where
    // the headers would be, or /boot, for the kernel configuration.
    bool headers_through_usr = false;
    for (const auto& volume : volumes) {
      const std::string path = normalize_host_path(volume.path);
      headers_through_usr = headers_through_usr || ((path == "/usr" || path == "/boot") && !volume.uses.empty());
    }
    for (const auto& volume : volumes) {
      const std::string path = normalize_host_path(volume.path);
      const bool module_tree = path == "/lib/modules" || path == "/usr/lib/modules";
      if (!path_has_prefix(path, "/usr/src") && !re2::RE2::FullMatch(path, kBuildTree) &&
          !(module_tree && headers_through_usr && !volume.uses.empty())) {
        continue;
      }
      Observation observation = observe_path(
          context, volume,
          fmt::format("hostPath volume \"{}\" mounts {}{} to build or load kernel code for this node's kernel",
                      volume.volume->name, volume.path,
                      module_tree ? " with the host's /usr or /boot (kernel headers and configuration)"
                                  : " (kernel headers or a module build tree)"));
      // The module tree with /usr or /boot is how driver loaders look; a loader that picks a CO-RE
      // eBPF probe needs no headers, so that inference is never certain.
      const Verdict worst_case = module_tree ? Verdict::LikelyBreaks : Verdict::Breaks;
      for (const Target* target : context.targets) {
        const Fact& headers = target->fact("kernel_headers");
        const Fact& modules = target->fact("kernel_modules");
        if (headers.value == "false") {
          judge(observation, *target, std::min(worst_case, capped(Verdict::Breaks, headers.evidence.confidence)),
                fmt::format("{} ships no kernel headers {}", target->name(), cite(headers.evidence)));
        } else if (modules.value != "any") {
          judge(observation, *target, Verdict::LikelyBreaks,
                fmt::format("headers exist, but only {} modules load on {} {}", modules.value, target->name(),
                            cite(modules.evidence)));
        } else if (!target->general_purpose()) {
          judge(observation, *target, Verdict::Review, "headers and module loading are available; check the toolchain");
        }
      }
      if (!observation.verdicts.empty()) out.push_back(std::move(observation));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_kernel_build_on_node(const CheckInfo& /*info*/) {
  return std::make_unique<KernelBuildOnNode>();
}

}  // namespace immutalint::checks
