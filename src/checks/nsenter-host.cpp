// nsenter-host: a container enters the host (nsenter into PID 1's mount namespace, or chroot
// into a mount of the host's root) to run the host's own programs.
#include <algorithm>
#include <iterator>
#include <map>
#include <string>

#include <fmt/format.h>

#include "checks/command_support.hpp"
#include "immutalint/check.hpp"
#include "immutalint/fact_keys.hpp"
#include "immutalint/text_list.hpp"

namespace immutalint::checks {

namespace {

class NsenterHost final : public Check {
 public:
  explicit NsenterHost(const CheckInfo& info) : shell_builtins_(info.params.list("shell-builtins")) {}

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    // One finding per container command or ConfigMap script: its host commands are one cause,
    // led by the command that fares worst, the others its evidence.
    std::map<std::string, std::size_t> by_script;
    for (const auto& run : context.evidence.commands) {
      if (!run.on_host || run.command.argv.empty()) continue;
      if (!run.command.host_shell.empty() && is_builtin(run.command.program())) continue;
      Observation observation = observe_command(
          run, fmt::format("{} runs `{}` on the host ({}): it depends on the host's own programs",
                           describe_container(*run.container), run.command.program(), run.command.entered_by));
      observation.action = Action::Runs;
      for (const Target* target : context.targets) {
        if (target->general_purpose()) {
          judge_review(observation, *target, "the host's tools are there, but the pod depends on them");
        } else if (target->fact_is(facts::shell, "false")) {
          judge_without_shell(observation, *target, run.command);
        } else {
          const Fact& config = target->fact(facts::config_mechanism);
          judge_review(
              observation, *target,
              fmt::format("the host's programs are there; changes made this way sit outside {}", config.value));
        }
      }
      const std::string script = run.container->pointer + (run.site.config_map ? " " + run.site.place.field : "");
      const auto [known, fresh] = by_script.try_emplace(script, out.size());
      if (fresh) {
        out.push_back(std::move(observation));
      } else {
        merge_into(out[known->second], std::move(observation));
      }
    }
  }

 private:
  bool is_builtin(std::string_view program) const {
    return std::find(shell_builtins_.begin(), shell_builtins_.end(), program) != shell_builtins_.end();
  }

  static Verdict worst(const Observation& observation) {
    Verdict verdict = Verdict::Ready;
    for (const auto& judged : observation.targets) verdict = std::max(verdict, judged.verdict);
    return verdict;
  }

  /// Adds another command of the same script: the worse command leads, and each target keeps
  /// its worse verdict. Each command is its own evidence item, so appending needs no search (a
  /// lead changes at most once per verdict level, so the moves stay linear too).
  static void merge_into(Observation& kept, Observation other) {
    if (worst(other) > worst(kept)) std::swap(kept, other);
    kept.evidence.insert(kept.evidence.end(), std::make_move_iterator(other.evidence.begin()),
                         std::make_move_iterator(other.evidence.end()));
    for (auto& judged : other.targets) {
      auto same = std::find_if(kept.targets.begin(), kept.targets.end(),
                               [&](const TargetVerdict& t) { return t.target == judged.target; });
      if (same == kept.targets.end()) {
        kept.targets.push_back(std::move(judged));
      } else if (judged.verdict > same->verdict) {
        *same = std::move(judged);
      }
    }
  }

  /// On a host without a shell, what runs is what the host has: a shell started there, or a
  /// program it does not ship, is not found; a program it ships runs, and is for review.
  static void judge_without_shell(Observation& observation, const Target& target, const ShellCommand& command) {
    const Fact& shell = target.fact(facts::shell);
    if (!command.host_shell.empty()) {
      judge(observation, target, Verdict::Breaks,
            fmt::format("{} has no shell: the `{}` started on the host is not there, so nothing it runs is run",
                        target.name(), command.host_shell),
            shell.evidence);
      return;
    }
    const Fact& programs = target.fact(facts::host_programs);
    const std::string program(command.program());
    if (listed(programs.value, program)) {
      judge_review(
          observation, target,
          fmt::format("{} ships `{}` on the host, though no shell; the pod depends on it", target.name(), program));
      return;
    }
    judge(observation, target, Verdict::Breaks,
          fmt::format("{} has no shell and does not ship `{}`: the program the pod runs on the host is not there",
                      target.name(), program),
          programs.evidence);
  }

  /// True when `name` is one of the space-separated words of `list`.
  static bool listed(std::string_view list, std::string_view name) {
    const auto words = split_words(list);
    return std::find(words.begin(), words.end(), name) != words.end();
  }

  const std::vector<std::string> shell_builtins_;
};

}  // namespace

std::unique_ptr<Check> make_nsenter_host(const CheckInfo& info) {
  return std::make_unique<NsenterHost>(info);
}

}  // namespace immutalint::checks
