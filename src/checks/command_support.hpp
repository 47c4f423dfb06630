// Shared by the checks that read what containers run: the commands of the workload's evidence
// (its own command and args, and the ConfigMap scripts it runs), matched by program name.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>

#include "immutalint/check.hpp"

namespace immutalint::checks {

/// The cause of a command: the container's command and args as a whole, or one line of a
/// ConfigMap script.
std::string cause_of(const RunCommand& run);

/// Remembers the causes already observed: a check makes one observation per cause, the first
/// command of a script line or of a container's command.
class CauseFilter {
 public:
  /// True the first time a command with this cause is seen.
  bool first(const RunCommand& run) { return seen_.insert(cause_of(run)).second; }

 private:
  std::set<std::string> seen_;
};

/// An observation at a command's line, about its cause.
Observation observe_command(const RunCommand& run, std::string message);

/// The first operand of a command (its verb for tools like apt-get or systemctl), skipping
/// options and the values of the options listed.
std::optional<std::string> first_operand(const ShellCommand& command,
                                         std::initializer_list<std::string_view> with_value = {});

/// True when a container adds the Linux capability `name` (with or without CAP_, or ALL).
bool adds_capability(const YamlTree& tree, const ContainerView& container, std::string_view name);

/// An observation on a container's capabilities.add list.
Observation observe_capabilities(const CheckContext& context, const ContainerView& container, std::string message);

/// Named RE2 patterns of a check's catalogue entry, compiled once when the check is made.
class PatternSet {
 public:
  /// A pattern group of a check's catalogue entry: `PatternSet(info.params.patterns("images"))`.
  explicit PatternSet(const std::vector<PatternInfo>& patterns);
  /// The first pattern that matches somewhere in `text`, by name; nullopt when none does.
  std::optional<std::string> find(std::string_view text) const;

 private:
  std::vector<std::pair<std::string, std::unique_ptr<re2::RE2>>> patterns_;
};

}  // namespace immutalint::checks
