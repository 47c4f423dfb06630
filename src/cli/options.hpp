// Command-line options of the immutalint CLI: one table of options, from which the parser, the
// --help text and the shell completions are made.
#pragma once

#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "immutalint/catalogue.hpp"
#include "immutalint/result.hpp"
#include "immutalint/target.hpp"

namespace immutalint::cli {

/// What an option's value is: what completion offers for it, and how it is checked.
enum class ValueKind {
  None,        ///< a flag
  Text,        ///< free text
  Number,      ///< a whole number
  File,        ///< a file name
  Directory,   ///< a folder name
  Format,      ///< a report format
  Targets,     ///< target names separated by commas, `all` or `auto`
  PoolTarget,  ///< NAME=TARGET
  Report,      ///< FORMAT=FILE
  Check,       ///< one check id
  Checks,      ///< check ids separated by commas
  FailOn,      ///< error, warning, note or never
  Locations,   ///< file or object
  Shell,       ///< bash, zsh or fish
};

/// One option of the command line.
struct OptionSpec {
  char short_name;              ///< 0 when it has none
  std::string_view name;        ///< the long name, without `--`
  std::string_view value_name;  ///< as --help shows the value ("FORMAT"); empty for a flag
  ValueKind kind;
  bool repeatable;
  std::string_view help;
  std::string_view default_value;  ///< as --help states it; empty when there is none to state
};

/// Every option, in --help order.
std::span<const OptionSpec> option_table();

/// The values an option of `kind` takes, for completion and for "did you mean": formats,
/// target names, check ids, levels; empty for free values.
std::vector<std::string> values_of(ValueKind kind, const Catalogue& catalogue, const TargetSet& targets);

/// Everything the command line can say.
struct CliOptions {
  std::vector<std::string> paths;
  std::string format = "text";
  std::string output;
  std::string fail_on = "warning";
  unsigned jobs = 0;
  std::string stdin_filename = "<stdin>";
  std::vector<std::string> only;
  std::vector<std::string> disabled;
  std::string explain;
  /// Extra reports written in the same run: (format, file).
  std::vector<std::pair<std::string, std::string>> reports;
  std::string sarif_root;
  std::string sarif_category;
  std::vector<std::string> helm_charts;
  std::string baseline;         ///< leave out the findings this baseline file records
  std::string write_baseline;   ///< record every finding of this run in this file
  std::string update_baseline;  ///< drop the records of this baseline that no longer match
  /// Target names separated by commas (as typed, blanks dropped), `all` or `auto`.
  std::string target = std::string(kDefaultTarget);
  /// --plan-pool: (node pool, target) pairs, each pool judged only for its targets.
  std::vector<std::pair<std::string, std::string>> plan_pools;
  bool list_targets = false;
  bool list_components = false;
  unsigned max_document_mib = 32;
  bool list_checks = false;
  bool version = false;
  bool help = false;
  std::string completion;  ///< --completion SHELL
  bool no_color = false;
  std::string config;  ///< the configuration file named with --config
  bool no_config = false;
  bool print_config = false;
  bool show_suppressed = false;
  bool sarif_omit_suppressed = false;
  bool no_inline_ignores = false;
  bool discover_pod_templates = false;
  bool show_notes = false;
  bool all_rows = false;
  bool allow_empty = false;
  std::string locations = "file";  ///< file | object
  /// The options given on the command line among those the configuration file can also set.
  std::set<std::string> given;
};

/// The --help text.
std::string help_text();

/// Parses argv; an unknown option or a bad value is an Error whose message is for the user and
/// names the option ("unknown option --frmat (did you mean --format?)").
Result<CliOptions> parse_command_line(int argc, const char* const* argv);

/// Checks the values that the configuration file may also set (format, --fail-on), once it has
/// been merged in, and the check ids and targets named on the command line.
Result<bool> check_options(const CliOptions& options, const Catalogue& catalogue, const TargetSet& targets);

/// `--completion SHELL`: the completion script for bash, zsh or fish, made from the option table
/// and the built-in formats, targets and checks.
std::string completion_script(std::string_view shell, const Catalogue& catalogue, const TargetSet& targets);

}  // namespace immutalint::cli
