// journald-dependency: the pod reads the systemd journal, through a hostPath mount of it or a
// ConfigMap file that configures a journal reader, which targets without journald lack.
#include <fmt/format.h>

#include "checks/host_path_support.hpp"
#include "immutalint/check.hpp"
#include "immutalint/fact_keys.hpp"

namespace immutalint::checks {

namespace {

class JournaldDependency final : public Check {
 public:
  explicit JournaldDependency(const CheckInfo& info) : journal_dirs_(info.params.list("journal-dirs")) {}

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    const auto& configs = context.evidence.journal;
    bool configs_told = false;
    for (const auto& volume : host_path_volumes(context)) {
      const std::string path = canonical_host_path(volume.path);
      if (std::none_of(journal_dirs_.begin(), journal_dirs_.end(),
                       [&](const std::string& d) { return path_has_prefix(path, d); })) {
        continue;
      }
      Observation observation = observe_path(
          context, volume,
          fmt::format("hostPath volume \"{}\" reads the systemd journal at {}", volume.volume->name, volume.path));
      // The configuration that reads the journal and the mount it reads it through are one
      // cause: the configuration is the mount's evidence, not a finding of its own.
      if (!configs_told) {
        for (const auto& config : configs) add_config_evidence(observation, config);
        configs_told = true;
      }
      judge_targets(context, observation, "has no journald");
      out.push_back(std::move(observation));
    }
    if (configs_told) return;
    // Without a mount of the journal, each command that names such files is one cause.
    std::vector<const JournalConfig*> group;
    for (std::size_t i = 0; i < configs.size(); ++i) {
      group.push_back(&configs[i]);
      if (i + 1 < configs.size() && configs[i + 1].cause == configs[i].cause &&
          configs[i + 1].container == configs[i].container) {
        continue;
      }
      out.push_back(observe_configs(context, group));
      group.clear();
    }
  }

 private:
  static void add_config_evidence(Observation& observation, const JournalConfig& config) {
    EvidenceAppender evidence(observation.evidence);
    evidence.add(evidence_of(config.named_by, config.command_site));
    evidence.add(evidence_of(config.how, config.site));
  }

  static Observation observe_configs(const CheckContext& context, const std::vector<const JournalConfig*>& group) {
    const JournalConfig& first = *group.front();
    std::string files;
    for (const JournalConfig* config : group) {
      if (!files.empty()) files += ", ";
      files += fmt::format("{} ({})", config->file, config->setting);
    }
    Observation observation = observe_site(
        first.command_site,
        fmt::format("{} reads the systemd journal: its command names {}", describe_container(*first.container), files),
        first.container->name);
    observation.cause = first.cause;
    for (const JournalConfig* config : group) add_config_evidence(observation, *config);
    if (group.size() < first.monitors) {
      // The program starts the monitors it can and runs without the others: only what these
      // watch is lost.
      observation.action = Action::Requires;
      for (const Target* target : context.targets) {
        if (!target->fact_is(facts::journald, "false")) continue;
        judge_review(
            observation, *target,
            fmt::format("{} has no journald, so {} of the {} monitors the command names does not start; "
                        "the others run [{}]",
                        target->name(), group.size(), first.monitors, target->fact(facts::journald).evidence.source));
      }
      return observation;
    }
    judge_targets(context, observation, "has no journald: the journal this configuration reads does not exist");
    return observation;
  }

  static void judge_targets(const CheckContext& context, Observation& observation, std::string_view why) {
    observation.action = Action::Requires;
    for (const Target* target : context.targets) {
      if (!target->fact_is(facts::journald, "false")) continue;
      judge(observation, *target, Verdict::Breaks, fmt::format("{} {}", target->name(), why),
            target->fact(facts::journald).evidence);
    }
  }

  const std::vector<std::string> journal_dirs_;
};

}  // namespace

std::unique_ptr<Check> make_journald_dependency(const CheckInfo& info) {
  return std::make_unique<JournaldDependency>(info);
}

}  // namespace immutalint::checks
