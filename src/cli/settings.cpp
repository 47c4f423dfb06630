// Merges the configuration file into the command line, and prints the result.
#include "cli/settings.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

#include "immutalint/escape.hpp"
#include "immutalint/inputs.hpp"

namespace immutalint::cli {

namespace fs = std::filesystem;

namespace {

/// A string as a YAML double-quoted scalar (JSON's escaping is valid YAML), so that no value
/// from the file can change the printed structure.
std::string quoted(const std::string& text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void line(std::ostream& out, const std::string& text, const std::string& origin) {
  fmt::print(out, "{:<40} # {}\n", text, origin);
}

}  // namespace

Result<Settings> resolve_settings(CliOptions& options, const Catalogue& catalogue, const TargetSet& targets) {
  Settings settings;
  // Listing and explaining read no configuration: they describe immutalint, not a repository.
  const bool describing =
      options.list_checks || options.list_targets || options.list_components || !options.explain.empty();
  if (!options.no_config && !describing) {
    std::optional<fs::path> path;
    if (!options.config.empty()) {
      path = options.config;
    } else {
      std::error_code error;
      path = find_config(fs::current_path(error));
      if (path) {
        // Named relative to the working directory when it is below it, as inputs are.
        const fs::path relative = path->lexically_relative(fs::current_path(error));
        if (!relative.empty() && *relative.begin() != "..") {
          path = relative;
        } else {
          // Found above the working directory: its settings (exclude, ignores, fail-on) change
          // what is reported, so say which file it is.
          std::cerr << "immutalint: using configuration " << escape::text(path->generic_string()) << "\n";
        }
      }
    }
    if (path) {
      auto loaded = load_config(path->generic_string(), catalogue, targets);
      if (!loaded) return loaded.error();
      settings.config = std::move(*loaded);
    }
  }
  const std::string cli = "command line";
  if (options.given.count("target")) settings.targets_origin = cli;
  if (options.given.count("fail-on")) settings.fail_on_origin = cli;
  if (options.given.count("format")) settings.format_origin = cli;
  settings.inline_ignores = !options.no_inline_ignores;
  if (options.no_inline_ignores) settings.inline_ignores_origin = cli;
  settings.discover_pod_templates = options.discover_pod_templates;
  if (options.discover_pod_templates) settings.discover_origin = cli;
  // Flags can only turn these on; the file may turn them on when the command line does not.
  const auto flag = [&](bool given, bool& value, std::string& value_origin,
                        const std::optional<Setting<bool>>& from_file) {
    value = given;
    if (given) {
      value_origin = cli;
    } else if (from_file) {
      value = from_file->value;
      value_origin = from_file->origin;
    }
  };
  const Config* file = settings.config ? &*settings.config : nullptr;
  flag(options.show_notes, settings.show_notes, settings.show_notes_origin, file ? file->show_notes : std::nullopt);
  flag(options.all_rows, settings.all_rows, settings.all_rows_origin, file ? file->all_rows : std::nullopt);
  flag(options.allow_empty, settings.allow_empty, settings.allow_empty_origin, file ? file->allow_empty : std::nullopt);

  if (settings.config) {
    const Config& config = *settings.config;
    if (config.targets && !options.given.count("target")) {
      options.target = config.targets->value;
      settings.targets_origin = config.targets->origin;
    }
    if (config.fail_on && !options.given.count("fail-on")) {
      options.fail_on = config.fail_on->value;
      settings.fail_on_origin = config.fail_on->origin;
    }
    if (config.format && !options.given.count("format") && !options.list_checks && !options.list_targets &&
        !options.list_components) {
      options.format = config.format->value;
      settings.format_origin = config.format->origin;
    }
    if (config.inline_ignores && !options.no_inline_ignores) {
      settings.inline_ignores = config.inline_ignores->value;
      settings.inline_ignores_origin = config.inline_ignores->origin;
    }
    if (config.discover_pod_templates && !options.discover_pod_templates) {
      settings.discover_pod_templates = config.discover_pod_templates->value;
      settings.discover_origin = config.discover_pod_templates->origin;
    }
    for (const CheckSetting& check : config.checks) {
      const bool named_by_only = std::find(options.only.begin(), options.only.end(), check.id) != options.only.end();
      if (check.value == "off") {
        if (!named_by_only) options.disabled.push_back(check.id);
      } else if (check.value != "on") {
        settings.severities.emplace_back(check.id, *parse_severity(check.value));
      }
      settings.checks.push_back(check);
    }
  }
  for (const auto& id : options.disabled) {
    const bool from_config = std::any_of(settings.checks.begin(), settings.checks.end(),
                                         [&](const CheckSetting& c) { return c.id == id && c.value == "off"; });
    if (!from_config) settings.checks.push_back({id, "off", "--disable"});
  }
  return settings;
}

void print_settings(std::ostream& out, const CliOptions& options, const Settings& settings) {
  const Config* config = settings.config ? &*settings.config : nullptr;
  fmt::print(out, "# The settings in effect{}; each comment says where the value came from.\n",
             config ? fmt::format(", with {}", config->path) : std::string(" (no configuration file)"));
  line(out, "targets: " + quoted(options.target), settings.targets_origin);
  line(out, "fail-on: " + options.fail_on, settings.fail_on_origin);
  line(out, "format: " + options.format, settings.format_origin);
  line(out, fmt::format("inline-ignores: {}", settings.inline_ignores), settings.inline_ignores_origin);
  line(out, fmt::format("discover-pod-templates: {}", settings.discover_pod_templates), settings.discover_origin);
  line(out, fmt::format("show-notes: {}", settings.show_notes), settings.show_notes_origin);
  line(out, fmt::format("all-rows: {}", settings.all_rows), settings.all_rows_origin);
  line(out, fmt::format("allow-empty: {}", settings.allow_empty), settings.allow_empty_origin);
  if (!options.only.empty()) fmt::print(out, "# only these checks run (--only): {}\n", fmt::join(options.only, ", "));
  if (settings.checks.empty()) {
    line(out, "checks: {}", "default: every check on, at its own severity");
  } else {
    out << "checks:\n";
    for (const auto& check : settings.checks) line(out, fmt::format("  {}: {}", check.id, check.value), check.origin);
  }
  if (!config || config->exclude.empty()) {
    line(out, "exclude: []", "default");
  } else {
    out << "exclude:\n";
    for (const auto& glob : config->exclude) line(out, "  - " + quoted(glob.value), glob.origin);
  }
  if (!config || config->ignores.empty()) {
    line(out, "ignores: []", "default");
  } else {
    out << "ignores:\n";
    for (const Waiver& waiver : config->ignores) {
      const std::string origin = fmt::format("{}:{}", waiver.where.file, waiver.where.span.begin.line);
      std::vector<std::string> checks;
      for (const auto& id : waiver.checks) checks.push_back(quoted(id));
      line(out, fmt::format("  - check: [{}]", fmt::join(checks, ", ")), origin);
      fmt::print(out, "    reason: {}\n", quoted(waiver.reason));
      if (!waiver.files.empty()) {
        std::vector<std::string> files;
        for (const auto& glob : waiver.files) files.push_back(quoted(glob));
        fmt::print(out, "    files: [{}]\n", fmt::join(files, ", "));
      }
      for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"kind", &waiver.kind},
                                       {"namespace", &waiver.namespace_},
                                       {"name", &waiver.name},
                                       {"until", &waiver.until}}) {
        if (!value->empty()) fmt::print(out, "    {}: {}\n", key, quoted(*value));
      }
      if (!waiver.containers.empty()) fmt::print(out, "    container: {}\n", quoted(waiver.containers.front()));
    }
  }
  if (!config || config->workload_kinds.empty()) {
    line(out, "workload-kinds: []", "default: the built-in kinds only");
  } else {
    out << "workload-kinds:\n";
    for (const auto& kind : config->workload_kinds) {
      line(out, "  - apiVersion: " + quoted(kind.api_version), kind.origin);
      fmt::print(out, "    kind: {}\n", quoted(kind.kind));
      std::vector<std::string> paths;
      for (const auto& path : kind.pod_templates) paths.push_back(quoted(path));
      fmt::print(out, "    pod-templates: [{}]\n", fmt::join(paths, ", "));
    }
  }
}

std::size_t exclude_inputs(std::vector<InputFile>& files, const Settings& settings) {
  if (!settings.config || settings.config->exclude.empty()) return 0;
  const Config& config = *settings.config;
  std::error_code error;
  const fs::path base =
      fs::absolute(config.dir.empty() ? fs::path(".") : fs::path(config.dir), error).lexically_normal();
  std::vector<Glob> globs;
  for (const auto& glob : config.exclude) globs.emplace_back(glob.value);
  const auto before = files.size();
  std::erase_if(files, [&](const InputFile& file) {
    // `exclude` narrows what a directory walk finds; a file named on the command line is asked for.
    if (file.is_stdin() || file.named) return false;
    const std::string relative =
        fs::absolute(file.fs_path, error).lexically_normal().lexically_relative(base).generic_string();
    return std::any_of(globs.begin(), globs.end(), [&](const Glob& glob) { return glob.matches(relative); });
  });
  return before - files.size();
}

}  // namespace immutalint::cli
