// The settings of one run: the command line over the configuration file over the defaults.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/options.hpp"
#include "immutalint/catalogue.hpp"
#include "immutalint/config.hpp"
#include "immutalint/inputs.hpp"
#include "immutalint/result.hpp"
#include "immutalint/suppression.hpp"
#include "immutalint/target.hpp"

namespace immutalint::cli {

/// What the configuration file adds to the command line, and where each value came from.
struct Settings {
  std::optional<Config> config;  ///< absent with --no-config or when no file was found
  std::string targets_origin = "default";
  std::string fail_on_origin = "default";
  std::string format_origin = "default";
  std::string inline_ignores_origin = "default";
  std::string discover_origin = "default";
  std::string show_notes_origin = "default";
  std::string all_rows_origin = "default";
  std::string allow_empty_origin = "default";
  bool inline_ignores = true;
  bool discover_pod_templates = false;
  bool show_notes = false;
  bool all_rows = false;
  bool allow_empty = false;
  /// Checks turned off or given a severity, with where that was said.
  std::vector<CheckSetting> checks;
  std::vector<std::pair<std::string, Severity>> severities;
};

/// Finds and reads the configuration file (unless --no-config) and merges it into `options`:
/// a value given on the command line wins. Mistakes in the file are an Error with one line per
/// mistake, each naming FILE:LINE:COL. A file found above the working directory is named on
/// standard error.
Result<Settings> resolve_settings(CliOptions& options, const Catalogue& catalogue, const TargetSet& targets);

/// `--print-config`: the settings in effect as YAML, each value with its origin in a comment.
void print_settings(std::ostream& out, const CliOptions& options, const Settings& settings);

/// The inputs the configuration's `exclude` globs leave out, removed from `files`; returns how
/// many. Only files found by walking a directory are left out: a file named on the command line
/// is always read.
std::size_t exclude_inputs(std::vector<InputFile>& files, const Settings& settings);

}  // namespace immutalint::cli
