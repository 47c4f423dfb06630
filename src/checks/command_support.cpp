// Shared by the checks that read what containers run.
#include "checks/command_support.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace immutalint::checks {

std::vector<CommandLine> command_lines(const CheckContext& context) {
  const YamlTree& tree = context.tree;
  std::vector<CommandLine> lines;
  for (const auto& container : context.pod.containers) {
    CommandLine line;
    line.container = &container;
    for (const char* key : {"command", "args"}) {
      std::size_t index = 0;
      for (NodeId item : tree.items(tree.get(container.node, key))) {
        const std::string pointer = fmt::format("{}/{}/{}", container.pointer, key, index++);
        auto text = tree.scalar(item);
        if (!text) continue;
        if (!line.text.empty()) line.text += ' ';
        line.pieces.push_back({line.text.size(), item, pointer});
        line.text += *text;
      }
    }
    if (!line.pieces.empty()) lines.push_back(std::move(line));
  }
  return lines;
}

PatternSet::PatternSet(const CheckInfo& info, std::string_view prefix, std::string_view except) {
  for (const auto& pattern : info.patterns) {
    const std::string_view name(pattern.name);
    if (!name.starts_with(prefix) || (!except.empty() && name.starts_with(except))) continue;
    // The catalogue has compiled every pattern once already, so this cannot fail.
    patterns_.emplace_back(pattern.name, std::make_unique<re2::RE2>(pattern.regex, re2::RE2::Quiet));
  }
}

std::optional<PatternSet::Match> PatternSet::find(std::string_view text) const {
  std::optional<Match> best;
  for (const auto& [name, regex] : patterns_) {
    re2::StringPiece input(text.data(), text.size());
    re2::StringPiece matched;
    if (!regex->Match(input, 0, input.size(), re2::RE2::UNANCHORED, &matched, 1)) continue;
    const std::size_t offset = static_cast<std::size_t>(matched.data() - text.data());
    if (!best || offset < best->offset) best = Match{name, std::string(matched.data(), matched.size()), offset};
  }
  return best;
}

Observation observe_command(const CheckContext& context, const CommandLine& line, std::size_t offset,
                            std::string message) {
  const CommandLine::Piece* piece = &line.pieces.front();
  for (const auto& candidate : line.pieces) {
    if (candidate.offset <= offset) piece = &candidate;
  }
  const YamlNode& node = context.tree.node(piece->node);
  Observation observation;
  observation.span = node.span;
  if (node.style == ScalarStyle::Block) {
    // A block scalar's text starts on the line after its indicator: point at the script line.
    const auto newlines = std::count(line.text.begin() + static_cast<std::ptrdiff_t>(piece->offset),
                                     line.text.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
    const auto at = node.span.begin.line + 1 + static_cast<std::uint32_t>(newlines);
    observation.span = Span{{at, 1}, {at, 1}};
  }
  observation.field = piece->pointer;
  observation.message = std::move(message);
  observation.container = line.container->name;
  return observation;
}

std::vector<Observation> observe_command_matches(const CheckContext& context, const PatternSet& patterns,
                                                 CommandMessage message) {
  std::vector<Observation> observations;
  for (const auto& line : command_lines(context)) {
    auto match = patterns.find(line.text);
    if (!match) continue;
    observations.push_back(observe_command(context, line, match->offset, message(*line.container, match->text)));
  }
  return observations;
}

bool adds_capability(const YamlTree& tree, const ContainerView& container, std::string_view name) {
  const NodeId add = tree.get(tree.get(container.security_context, "capabilities"), "add");
  for (NodeId item : tree.items(add)) {
    std::string value(tree.scalar(item).value_or(""));
    std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
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

}  // namespace immutalint::checks
