// What CI runners would take as commands from a log: written from the runners' parsing rules,
// stricter than any of them, so that tests can assert that no input reaches one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace immutalint::test {

/// One command a runner would take from a log line.
struct CiCommand {
  std::size_t line = 0;  ///< 1-based
  std::string form;      ///< "github" (`::name ...::data`), "hash" (`##[name]`, `##vso[...]`, `##teamcity[...]`)
  std::string name;      ///< the command's name as written: "error", "add-mask", "vso", "teamcity"...
  std::string text;      ///< the whole line
};

/// Every command in `log`, read line by line (a line ends at LF or CR), by these rules:
/// - GitHub Actions (actions/runner `ActionCommand.TryParseV2`): the line, after its leading
///   white space is trimmed (.NET's `TrimStart`, Unicode's White_Space characters), starts with
///   `::` and holds a second `::` after it; the name runs to the first blank. Any name counts here,
///   not only the runner's registered ones.
/// - GitHub Actions' older form (`TryParse`) and Azure Pipelines' formatting commands: `##[`
///   anywhere in the line, with a `]` after it.
/// - Azure Pipelines (`##vso[`), TeamCity (`##teamcity[`) and any other `##name[`: `##` followed
///   by letters, digits, dots or dashes and `[`, anywhere in the line, in any letter case.
std::vector<CiCommand> ci_commands(std::string_view log);

}  // namespace immutalint::test
