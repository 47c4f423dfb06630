// nsenter-host: a container enters the host (nsenter into PID 1's mount namespace, or chroot
// into a mount of the host's root) to run the host's own programs.
#include <fmt/format.h>

#include "checks/command_support.hpp"
#include "immutalint/check.hpp"

namespace immutalint::checks {

namespace {

class NsenterHost final : public Check {
 public:
  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    CauseFilter causes;
    for (const auto& run : context.evidence.commands) {
      if (!run.on_host || run.command.argv.empty()) continue;
      if (!causes.first(run)) continue;
      Observation observation = observe_command(
          run, fmt::format("{} runs `{}` on the host ({}): it depends on the host's own programs",
                           describe_container(*run.container), run.command.program(), run.command.entered_by));
      observation.action = Action::Runs;
      for (const Target* target : context.targets) {
        const Fact& shell = target->fact("shell");
        if (target->general_purpose()) {
          judge_review(observation, *target, "the host's tools are there, but the pod depends on them");
        } else if (target->fact_is("shell", "false")) {
          judge(observation, *target, Verdict::Breaks,
                fmt::format("{} has no shell or GNU tools: the programs the pod runs on the host are not there",
                            target->name()),
                shell.evidence);
        } else {
          const Fact& config = target->fact("config_mechanism");
          judge_review(
              observation, *target,
              fmt::format("the host's programs are there; changes made this way sit outside {}", config.value));
        }
      }
      out.push_back(std::move(observation));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_nsenter_host(const CheckInfo& /*info*/) {
  return std::make_unique<NsenterHost>();
}

}  // namespace immutalint::checks
