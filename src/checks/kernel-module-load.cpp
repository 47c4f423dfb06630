// kernel-module-load: a workload loads kernel modules: the SYS_MODULE capability, `modprobe` or
// `insmod`, or a known driver loader.
#include <fmt/format.h>

#include "checks/command_support.hpp"
#include "immutalint/check.hpp"

namespace immutalint::checks {

namespace {

/// What is loaded decides what a signed-only kernel does with it.
enum class Module { Named, File, Built };

class KernelModuleLoad final : public Check {
 public:
  explicit KernelModuleLoad(const CheckInfo& info)
      : by_name_(info.params.list("load-by-name")), by_file_(info.params.list("load-by-file")) {}

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& container : context.pod.containers) {
      if (!adds_capability(context.tree, container, "SYS_MODULE")) continue;
      Observation observation = observe_capabilities(
          context, container,
          fmt::format("{} adds the SYS_MODULE capability to load kernel modules", describe_container(container)));
      observation.action = Action::Requires;
      // A privileged container gets the runtime's whole capability set and `capabilities.add`
      // is ignored: the container is created, and only a module load it makes fails.
      const bool privileged = is_true(context.tree, container.security_context, "privileged");
      for (const Target* target : context.targets) {
        const Fact& modules = target->fact("kernel_modules");
        if (target->fact_is("kernel_modules", "denied") && privileged) {
          judge_review(observation, *target,
                       fmt::format("the container is privileged, so the SYS_MODULE it adds is ignored: it starts "
                                   "with {}'s runtime capability set, which lacks SYS_MODULE, and any module it "
                                   "loads is refused",
                                   target->name()));
        } else if (target->fact_is("kernel_modules", "denied")) {
          judge(observation, *target, Verdict::Breaks,
                fmt::format("SYS_MODULE is not in {}'s runtime capability set, so the container is not created",
                            target->name()),
                modules.evidence);
        } else if (!target->general_purpose()) {
          judge_review(observation, *target, fmt::format("{} modules load on {}", modules.value, target->name()));
        }
      }
      out.push_back(std::move(observation));
    }
    CauseFilter causes;
    for (const auto& run : context.evidence.commands) {
      const std::string program(run.command.program());
      const bool named = std::find(by_name_.begin(), by_name_.end(), program) != by_name_.end();
      const bool file = std::find(by_file_.begin(), by_file_.end(), program) != by_file_.end();
      if ((!named && !file) || run.command.args().empty()) continue;
      if (!causes.first(run)) continue;
      Observation observation = observe_command(
          run,
          fmt::format("{} runs `{}` to load a kernel module", describe_container(*run.container), run.command.text()));
      observation.action = Action::Runs;
      judge_all(context, observation, file ? Module::File : Module::Named);
      out.push_back(std::move(observation));
    }
    for (const auto& work : context.evidence.kernel) {
      if (!work.known->loads || work.off) continue;
      Observation observation = observe_site(work.site, work.how, work.container->name);
      observation.cause = work.container->pointer + "/command";
      observation.action = Action::Runs;
      observation.evidence.push_back(evidence_of(work.how, work.site));
      judge_all(context, observation, work.known->builds ? Module::Built : Module::Named, work.known->at_most);
      out.push_back(std::move(observation));
    }
  }

 private:
  static void judge_all(const CheckContext& context, Observation& observation, Module module,
                        Verdict at_most = Verdict::Breaks) {
    for (const Target* target : context.targets) {
      const Fact& modules = target->fact("kernel_modules");
      if (target->fact_is("kernel_modules", "denied")) {
        judge(observation, *target, std::min(at_most, Verdict::Breaks),
              fmt::format("{} lets no workload load kernel modules", target->name()), modules.evidence);
      } else if (target->fact_is("kernel_modules", "signed") && module != Module::Named) {
        judge(observation, *target, std::min(at_most, Verdict::LikelyBreaks),
              fmt::format("only signed modules load on {}; a module the workload builds or ships is rejected",
                          target->name()),
              modules.evidence);
      } else if (!target->general_purpose()) {
        judge_review(
            observation, *target,
            fmt::format("{} modules load on {}; preloading them through node configuration is the supported way",
                        modules.value, target->name()));
      }
    }
  }

  const std::vector<std::string> by_name_;
  const std::vector<std::string> by_file_;
};

}  // namespace

std::unique_ptr<Check> make_kernel_module_load(const CheckInfo& info) {
  return std::make_unique<KernelModuleLoad>(info);
}

}  // namespace immutalint::checks
