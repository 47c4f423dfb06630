// Shared by the checks that read what containers run: command, args and `sh -c` scripts,
// scanned with RE2 patterns kept in the check's catalogue entry.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>

#include "immutalint/check.hpp"

namespace immutalint::checks {

/// A container's command and args joined by spaces, remembering where each item came from.
struct CommandLine {
  struct Piece {
    std::size_t offset;   ///< where the item starts in `text`
    NodeId node;
    std::string pointer;  ///< e.g. /spec/containers/0/args/2
  };
  const ContainerView* container = nullptr;
  std::string text;
  std::vector<Piece> pieces;
};

/// The command lines of every container of the pod that has a command or args.
std::vector<CommandLine> command_lines(const CheckContext& context);

/// A check's patterns, compiled once when the check is made.
class PatternSet {
 public:
  struct Match {
    std::string name;   ///< the pattern's name in the catalogue
    std::string text;   ///< what it matched
    std::size_t offset;
  };

  /// The patterns of `info` whose names start with `prefix` ("" for all) but not with `except`.
  PatternSet(const CheckInfo& info, std::string_view prefix, std::string_view except = {});

  /// The earliest match of any pattern in `text`.
  std::optional<Match> find(std::string_view text) const;
  bool empty() const { return patterns_.empty(); }

 private:
  std::vector<std::pair<std::string, std::unique_ptr<re2::RE2>>> patterns_;
};

/// Says what a matched command does: gets the container and the matched text.
using CommandMessage = std::string (*)(const ContainerView& container, std::string_view matched);

/// For each container whose command line matches `patterns`, an observation at the first
/// match, with `message` saying what it does.
std::vector<Observation> observe_command_matches(const CheckContext& context, const PatternSet& patterns,
                                                 CommandMessage message);

/// An observation located on the command or args item that holds `offset`, on the very line
/// of a multi-line script.
Observation observe_command(const CheckContext& context, const CommandLine& line, std::size_t offset,
                            std::string message);

/// True when a container adds the Linux capability `name` (with or without CAP_, or ALL).
bool adds_capability(const YamlTree& tree, const ContainerView& container, std::string_view name);

/// An observation on a container's capabilities.add list.
Observation observe_capabilities(const CheckContext& context, const ContainerView& container, std::string message);

}  // namespace immutalint::checks
