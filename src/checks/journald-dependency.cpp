// journald-dependency: a mount of the systemd journal, which targets without journald lack.
#include <fmt/format.h>

#include "checks/host_path_support.hpp"
#include "immutalint/check.hpp"

namespace immutalint::checks {

namespace {

class JournaldDependency final : public Check {
 public:
  explicit JournaldDependency(const CheckInfo& info) : journal_dirs_(info.params.list("journal-dirs")) {}

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& volume : host_path_volumes(context)) {
      const std::string path = canonical_host_path(volume.path);
      if (std::none_of(journal_dirs_.begin(), journal_dirs_.end(),
                       [&](const std::string& d) { return path_has_prefix(path, d); })) {
        continue;
      }
      Observation observation = observe_path(
          context, volume,
          fmt::format("hostPath volume \"{}\" reads the systemd journal at {}", volume.volume->name, volume.path));
      observation.action = Action::Requires;
      for (const Target* target : context.targets) {
        const Fact& journald = target->fact("journald");
        if (!target->fact_is("journald", "false")) continue;
        judge(observation, *target, Verdict::Breaks, fmt::format("{} has no journald", target->name()),
              journald.evidence);
      }
      out.push_back(std::move(observation));
    }
  }

 private:
  const std::vector<std::string> journal_dirs_;
};

}  // namespace

std::unique_ptr<Check> make_journald_dependency(const CheckInfo& info) {
  return std::make_unique<JournaldDependency>(info);
}

}  // namespace immutalint::checks
