// nsenter-host: a container enters the host's namespaces (nsenter into PID 1) or its root
// (chroot /host) to run the host's own tools.
#include <fmt/format.h>

#include "checks/checks.hpp"
#include "checks/command_support.hpp"

namespace immutalint::checks {

namespace {

class NsenterHost final : public Check {
 public:
  explicit NsenterHost(const CheckInfo& info) : patterns_(info, "") {}
  bool judges_targets() const override { return true; }

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (auto& observation : observe_command_matches(context, patterns_, [](const ContainerView& c, std::string_view m) {
           return fmt::format("{} runs `{}`: it enters the host to run the host's own programs", describe_container(c), m);
         })) {
      for (const Target* target : context.targets) {
        const Fact& shell = target->fact("shell");
        if (target->general_purpose()) {
          judge(observation, *target, Verdict::Review, "the host's tools are there, but the pod depends on them");
        } else if (shell.value == "false") {
          judge(observation, *target, capped(Verdict::Breaks, shell.evidence.confidence),
                fmt::format("{} has no shell or GNU tools to run {}", target->name(), cite(shell.evidence)));
        } else {
          const Fact& config = target->fact("config_mechanism");
          judge(observation, *target, Verdict::LikelyBreaks,
                fmt::format("host changes made this way fight a read-only /usr and {} {}", config.value,
                            cite(config.evidence)));
        }
      }
      if (!observation.verdicts.empty()) out.push_back(std::move(observation));
    }
  }

 private:
  PatternSet patterns_;
};

}  // namespace

std::unique_ptr<Check> make_nsenter_host(const CheckInfo& info) { return std::make_unique<NsenterHost>(info); }

}  // namespace immutalint::checks
