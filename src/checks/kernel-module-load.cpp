// kernel-module-load: a container loads kernel modules: the SYS_MODULE capability, `modprobe` or
// `insmod`, or a writable mount of the module tree.
#include <fmt/format.h>

#include "checks/checks.hpp"
#include "checks/command_support.hpp"
#include "checks/host_path_support.hpp"

namespace immutalint::checks {

namespace {

class KernelModuleLoad final : public Check {
 public:
  explicit KernelModuleLoad(const CheckInfo& info) : patterns_(info, "") {}
  bool judges_targets() const override { return true; }

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& container : context.pod.containers) {
      if (!adds_capability(context.tree, container, "SYS_MODULE")) continue;
      Observation observation = observe_capabilities(
          context, container, fmt::format("{} adds the SYS_MODULE capability to load kernel modules", describe_container(container)));
      judge_all(context, observation, true);
      if (!observation.verdicts.empty()) out.push_back(std::move(observation));
    }
    for (auto& observation : observe_command_matches(context, patterns_, [](const ContainerView& c, std::string_view m) {
           return fmt::format("{} runs `{}` to load a kernel module", describe_container(c), m);
         })) {
      judge_all(context, observation, false);
      if (!observation.verdicts.empty()) out.push_back(std::move(observation));
    }
    for (const auto& volume : host_path_volumes(context)) {
      const std::string path = normalize_host_path(volume.path);
      if (!volume.writable || !(path_has_prefix(path, "/lib/modules") || path_has_prefix(path, "/usr/lib/modules"))) continue;
      Observation observation = observe_path(
          context, volume, fmt::format("hostPath volume \"{}\" mounts the module tree {} writable", volume.volume->name, volume.path));
      judge_all(context, observation, false);
      if (!observation.verdicts.empty()) out.push_back(std::move(observation));
    }
  }

 private:
  static void judge_all(const CheckContext& context, Observation& observation, bool capability) {
    for (const Target* target : context.targets) {
      const Fact& modules = target->fact("kernel_modules");
      if (modules.value == "denied") {
        judge(observation, *target, capped(Verdict::Breaks, modules.evidence.confidence),
              fmt::format("{} lets no workload load modules{} {}", target->name(),
                          capability ? "; SYS_MODULE is not in the runtime's capability set, so the container is not created" : "",
                          cite(modules.evidence)));
      } else if (modules.value == "signed") {
        judge(observation, *target, Verdict::LikelyBreaks,
              fmt::format("only signed modules load on {}; a module the workload builds or ships is rejected {}",
                          target->name(), cite(modules.evidence)));
      } else if (!target->general_purpose()) {
        judge(observation, *target, Verdict::Review,
              fmt::format("modules load on {}, but preloading them through node configuration is the supported way {}",
                          target->name(), cite(modules.evidence)));
      }
    }
  }

  PatternSet patterns_;
};

}  // namespace

std::unique_ptr<Check> make_kernel_module_load(const CheckInfo& info) { return std::make_unique<KernelModuleLoad>(info); }

}  // namespace immutalint::checks
