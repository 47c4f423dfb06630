// Command-line options of the immutalint CLI.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "immutalint/result.hpp"
#include "immutalint/target.hpp"

namespace immutalint::cli {

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
  std::string baseline;        ///< leave out the findings this baseline file records
  std::string write_baseline;  ///< record every finding of this run in this file
  std::string target = std::string(kDefaultTarget);
  /// --plan-pool: (node pool, target) pairs, each pool judged only for its targets.
  std::vector<std::pair<std::string, std::string>> plan_pools;
  bool list_targets = false;
  unsigned max_document_mib = 32;
  bool list_checks = false;
  bool version = false;
  bool help = false;
  bool no_color = false;
  std::string config;  ///< the configuration file named with --config
  bool no_config = false;
  bool print_config = false;
  bool show_suppressed = false;
  bool sarif_omit_suppressed = false;
  bool no_inline_ignores = false;
  bool discover_pod_templates = false;
  /// The options given on the command line among those the configuration file can also set.
  std::set<std::string> given;
};

/// The --help text.
std::string help_text();

/// Parses argv; an unknown option or a bad value is an Error whose message is for the user.
Result<CliOptions> parse_command_line(int argc, const char* const* argv);

/// Checks the values that the configuration file may also set (format, --fail-on), once it has
/// been merged in.
Result<bool> check_options(const CliOptions& options);

}  // namespace immutalint::cli
