// Shared by the checks that read what containers run.
#include "checks/command_support.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace immutalint::checks {

std::string cause_of(const RunCommand& run) {
  return run.cause;
}

Observation observe_command(const RunCommand& run, std::string message) {
  Observation observation = observe_site(run.site, std::move(message), run.container->name);
  observation.cause = cause_of(run);
  observation.evidence.push_back(evidence_of(run.describe(), run.site));
  return observation;
}

std::optional<std::string> first_operand(const ShellCommand& command,
                                         std::initializer_list<std::string_view> with_value) {
  const auto args = command.args();
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& word = args[i].text;
    if (word.size() > 1 && word[0] == '-') {
      if (std::find(with_value.begin(), with_value.end(), word) != with_value.end()) ++i;
      continue;
    }
    return word;
  }
  return std::nullopt;
}

bool adds_capability(const YamlTree& tree, const ContainerView& container, std::string_view name) {
  const NodeId add = tree.get(tree.get(container.security_context, "capabilities"), "add");
  for (NodeId item : tree.items(add)) {
    std::string value(tree.scalar(item).value_or(""));
    std::transform(value.begin(), value.end(), value.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (value.starts_with("CAP_")) value.erase(0, 4);
    if (value == name || value == "ALL") return true;
  }
  return false;
}

Observation observe_capabilities(const CheckContext& context, const ContainerView& container, std::string message) {
  const NodeId capabilities = context.tree.get(container.security_context, "capabilities");
  return observe_entry(context, capabilities, "add", container.pointer + "/securityContext/capabilities",
                       std::move(message), container.name);
}

PatternSet::PatternSet(const std::vector<PatternInfo>& patterns) {
  for (const auto& pattern : patterns) {
    // The catalogue has compiled every pattern once already, so this cannot fail.
    patterns_.emplace_back(pattern.name, std::make_unique<re2::RE2>(pattern.regex, re2::RE2::Quiet));
  }
}

std::optional<std::string> PatternSet::find(std::string_view text) const {
  for (const auto& [name, regex] : patterns_) {
    if (re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *regex)) return name;
  }
  return std::nullopt;
}

}  // namespace immutalint::checks
