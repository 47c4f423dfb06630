// The option table, the command line parsed with cxxopts, and option values checked, with
// messages that name the option and suggest what was meant.
#include "cli/options.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>

#include <fmt/format.h>
#include <cxxopts.hpp>

#include "immutalint/config.hpp"
#include "immutalint/report.hpp"
#include "immutalint/suggest.hpp"
#include "immutalint/suppression.hpp"
#include "immutalint/text_list.hpp"

namespace immutalint::cli {

namespace {

using enum ValueKind;

// clang-format off
constexpr OptionSpec kOptions[] = {
  {'f', "format", "FORMAT", Format, false, "Report format: text, json, sarif, github, azure, gitlab, junit, matrix, matrix-markdown or html (with --list-checks, --list-targets or --list-components: text, json or markdown)", "text"},
  {'t', "target", "NAME,...", Targets, true, "Judge workloads for these node OSes (comma-separated names, or all; may be repeated), or auto: the OSes of the node pools that Node objects or az aks output in the input describe", "generic"},
  {0, "plan-pool", "NAME=TARGET", PoolTarget, true, "Judge the AKS node pool NAME only for the node OS TARGET, as if it moved there (repeatable)", ""},
  {'o', "output", "FILE", File, false, "Write the report to FILE instead of standard output", ""},
  {0, "report", "FORMAT=FILE", Report, true, "Also write a report in FORMAT to FILE (repeatable), e.g. sarif=results.sarif", ""},
  {0, "sarif-root", "DIR", Directory, false, "Make SARIF file locations relative to DIR (default: the working directory)", ""},
  {0, "sarif-category", "NAME", Text, false, "SARIF run category, to tell apart several uploads for one commit", ""},
  {0, "helm-chart", "DIR", Directory, true, "Report findings in `helm template` output on the templates of the chart in DIR (repeatable)", ""},
  {0, "baseline", "FILE", File, false, "Leave out the findings recorded in FILE (written by --write-baseline); the summary counts them", ""},
  {0, "write-baseline", "FILE", File, false, "Record every finding of this run in FILE, print only the summary and exit 0: the first step of adopting immutalint on an existing repository", ""},
  {0, "update-baseline", "FILE", File, false, "Like --baseline, and also write FILE back without the records that no longer match a finding (it adds none)", ""},
  {0, "config", "FILE", File, false, "Read settings from FILE instead of the .immutalint.yaml found from the working directory up to the repository root", ""},
  {0, "no-config", "", None, false, "Read no configuration file", ""},
  {0, "print-config", "", None, false, "Print the settings in effect, and where each came from, and exit", ""},
  {0, "show-notes", "", None, false, "List notes in the text and github reports too; otherwise they are only counted there", ""},
  {0, "all-rows", "", None, false, "matrix-markdown: a row for every workload, not only for those that are not ready", ""},
  {0, "locations", "WHERE", Locations, false, "Name the place of each finding in the text and github reports by file and line (file), or by its object (object: for input that is no file, such as a cluster read by kubectl)", "file"},
  {0, "sarif-omit-suppressed", "", None, false, "Leave the findings that a waiver accepts out of SARIF, for code scanning set up without a step that dismisses suppressed results", ""},
  {0, "show-suppressed", "", None, false, "Also show the findings that a waiver accepts (SARIF always carries them, marked as suppressed)", ""},
  {0, "no-inline-ignores", "", None, false, "Do not honour `# immutalint: ignore` comments, e.g. for an audit", ""},
  {0, "discover-pod-templates", "", None, false, "Find pod templates by their shape in kinds immutalint does not know, and say where", ""},
  {0, "allow-empty", "", None, false, "Accept input that holds no Kubernetes object; without it that is an error (exit status 2), as when a command that renders manifests failed", ""},
  {0, "fail-on", "LEVEL", FailOn, false, "Exit 1 when a finding is at least this severe: error, warning, note or never", "warning"},
  {'j', "jobs", "N", Number, false, "Parse and check with N threads; 0 means one per core", "0"},
  {0, "only", "ID,...", Checks, true, "Run only these checks (comma-separated, repeatable)", ""},
  {0, "disable", "ID,...", Checks, true, "Do not run these checks (comma-separated, repeatable)", ""},
  {0, "stdin-filename", "NAME", Text, false, "Name standard input (PATH \"-\") this way in reports", "<stdin>"},
  {0, "max-document-mib", "N", Number, false, "Skip, and report, documents larger than this many MiB", "32"},
  {0, "no-color", "", None, false, "Never colour the text report (NO_COLOR in the environment does the same)", ""},
  {0, "list-checks", "", None, false, "List the checks and exit", ""},
  {0, "list-targets", "", None, false, "List the target node OSes and exit", ""},
  {0, "list-components", "", None, false, "List the known components, how they are recognised, and what each target documents about them, and exit", ""},
  {0, "explain", "ID", Check, false, "Explain a check: why it matters and how to fix it", ""},
  {0, "completion", "SHELL", Shell, false, "Print the command-line completion script for bash, zsh or fish and exit", ""},
  {0, "version", "", None, false, "Print the version and exit", ""},
  {'h', "help", "", None, false, "Print this help and exit", ""},
};
// clang-format on

constexpr std::array<std::string_view, 4> kFailOnLevels = {"error", "warning", "note", "never"};
constexpr std::array<std::string_view, 2> kLocations = {"file", "object"};
constexpr std::array<std::string_view, 3> kShells = {"bash", "zsh", "fish"};
constexpr std::array<std::string_view, 3> kListFormats = {"text", "json", "markdown"};

const OptionSpec* find_option(std::string_view name) {
  for (const OptionSpec& option : kOptions) {
    if (option.name == name || (name.size() == 1 && option.short_name == name[0])) return &option;
  }
  return nullptr;
}

/// "--format", or "-x" for a one-letter name that is no option.
std::string dashed(std::string_view name) {
  if (const OptionSpec* option = find_option(name)) return fmt::format("--{}", option->name);
  return fmt::format("{}{}", name.size() == 1 ? "-" : "--", name);
}

/// "text, json, ... or html": the formats the report writers know.
std::string format_list() {
  const std::vector<std::string_view> names = report_format_names();
  return fmt::format("{} or {}", fmt::join(names.begin(), names.end() - 1, ", "), names.back());
}

/// An option's help, with `{formats}` standing for the list of formats.
std::string help_of(const OptionSpec& option) {
  std::string help(option.help);
  if (const auto at = help.find("{formats}"); at != std::string::npos) help.replace(at, 9, format_list());
  return help;
}

cxxopts::Options make_parser() {
  cxxopts::Options options("immutalint",
                           "Finds what in Kubernetes manifests will break on immutable node operating systems\n"
                           "(read-only /usr, no package manager, SELinux, signed code only).\n");
  options.custom_help("[OPTIONS]");
  options.positional_help("[PATH...]");
  auto adder = options.add_options();
  for (const OptionSpec& option : kOptions) {
    const std::string names =
        option.short_name ? fmt::format("{},{}", option.short_name, option.name) : std::string(option.name);
    std::shared_ptr<cxxopts::Value> value;
    if (option.kind == None) {
      value = cxxopts::value<bool>();
    } else if (option.repeatable) {
      value = cxxopts::value<std::vector<std::string>>();
    } else {
      value = cxxopts::value<std::string>();
    }
    if (!option.default_value.empty()) value->default_value(std::string(option.default_value));
    adder(names, help_of(option), value, std::string(option.value_name));
  }
  adder("paths", "Files, directories, or - for standard input", cxxopts::value<std::vector<std::string>>());
  options.parse_positional({"paths"});
  return options;
}

/// The text between cxxopts' quotes in one of its messages: the option or argument it names.
std::string quoted_part(std::string_view message) {
  constexpr std::string_view kOpen = "\u2018";
  constexpr std::string_view kClose = "\u2019";
  const auto open = message.find(kOpen);
  if (open == std::string_view::npos) return {};
  const auto close = message.find(kClose, open + kOpen.size());
  if (close == std::string_view::npos) return {};
  return std::string(message.substr(open + kOpen.size(), close - open - kOpen.size()));
}

/// cxxopts' exception as our own message, naming the option.
Error usage_message(const cxxopts::exceptions::exception& error, int argc, const char* const* argv) {
  const std::string quoted = quoted_part(error.what());
  if (dynamic_cast<const cxxopts::exceptions::no_such_option*>(&error)) {
    std::vector<std::string> names;
    for (const OptionSpec& option : kOptions) names.push_back(fmt::format("--{}", option.name));
    const std::string typed = dashed(quoted);
    return Error{fmt::format("unknown option {}{}", typed, did_you_mean(typed, names))};
  }
  if (dynamic_cast<const cxxopts::exceptions::missing_argument*>(&error) ||
      dynamic_cast<const cxxopts::exceptions::option_requires_argument*>(&error)) {
    return Error{fmt::format("{}: missing value", dashed(quoted))};
  }
  if (dynamic_cast<const cxxopts::exceptions::incorrect_argument_type*>(&error)) {
    // Every value is read as text; only a flag given a value (`--no-color=yes`) gets here.
    for (int i = 1; i < argc; ++i) {
      const std::string_view arg = argv[i];
      const auto equals = arg.find('=');
      if (!arg.starts_with("--") || equals == std::string_view::npos || arg.substr(equals + 1) != quoted) continue;
      if (const OptionSpec* option = find_option(arg.substr(2, equals - 2)); option && option->kind == None) {
        return Error{fmt::format("--{} takes no value, not '{}'", option->name, quoted)};
      }
    }
    return Error{fmt::format("'{}' is not a value any option takes", quoted)};
  }
  if (dynamic_cast<const cxxopts::exceptions::invalid_option_syntax*>(&error)) {
    return Error{
        fmt::format("'{}' is not an option (a file whose name starts with - is written ./{})", quoted, quoted)};
  }
  return Error{error.what()};
}

/// A whole number for `option`, or an Error that says what it must be.
Result<unsigned> whole_number(std::string_view option, const std::string& text, std::string_view unit) {
  unsigned value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end) {
    return Error{fmt::format("--{}: '{}' is not a number of {}", option, text, unit)};
  }
  return value;
}

/// "NAME=VALUE" split at its first `=`, both sides non-empty.
std::optional<std::pair<std::string, std::string>> pair_of(const std::string& text) {
  const auto equals = text.find('=');
  if (equals == std::string::npos || equals == 0 || equals + 1 == text.size()) return std::nullopt;
  return std::pair{text.substr(0, equals), text.substr(equals + 1)};
}

/// The message for a value that is not one of `allowed`.
std::string not_one_of(std::string_view option, std::string_view value, std::span<const std::string_view> allowed,
                       std::string_view what) {
  const std::string choices =
      fmt::format("{} or {}", fmt::join(allowed.begin(), allowed.end() - 1, ", "), allowed.back());
  return fmt::format("{}: '{}' is not {}{}", option, value, what, did_you_mean(value, allowed, "; use " + choices));
}

}  // namespace

std::span<const OptionSpec> option_table() {
  return kOptions;
}

std::vector<std::string> values_of(ValueKind kind, const Catalogue& catalogue, const TargetSet& targets) {
  std::vector<std::string> values;
  const auto add = [&](std::span<const std::string_view> words) {
    values.insert(values.end(), words.begin(), words.end());
  };
  switch (kind) {
    case Format:
    case Report: add(report_format_names()); break;
    case FailOn: add(kFailOnLevels); break;
    case Locations: add(kLocations); break;
    case Shell: add(kShells); break;
    case Targets:
    case PoolTarget:
      for (const Target& target : targets.all()) values.push_back(target.name());
      if (kind == Targets) values.insert(values.end(), {"all", std::string(kAutoTarget)});
      break;
    case Check:
    case Checks:
      for (const CheckInfo& check : catalogue.checks()) values.push_back(check.id);
      break;
    case None:
    case Text:
    case Number:
    case File:
    case Directory: break;
  }
  return values;
}

std::string help_text() {
  return make_parser().help() +
         "\nPATH is a manifest file, a directory (searched for *.yaml, *.yml and *.json, hidden\n"
         "directories skipped; a Helm chart's templates are reported once, to be rendered first) or -\n"
         "for standard input. Without PATH the current directory is linted.\n"
         "\nExit status: 0 no finding at or above --fail-on, 1 findings at or above it, 2 a usage error, a\n"
         "mistake in the configuration, input without Kubernetes objects or a file that cannot be read\n"
         "or written, 3 an internal error.\n"
         "\nAccept a finding for one object with the annotation\n"
         "  " +
         std::string(kIgnoreAnnotationPrefix) +
         "<check-id>: \"<reason>\"\n"
         "or on its line, or the line above, with the comment\n"
         "  # immutalint: ignore <check-id>[,<check-id>] -- <reason>\n"
         "or in .immutalint.yaml under `ignores` (see docs/ci.md).\n";
}

Result<CliOptions> parse_command_line(int argc, const char* const* argv) {
  CliOptions options;
  try {
    auto parser = make_parser();
    const auto parsed = parser.parse(argc, argv);
    const auto given = [&](const char* name) { return parsed.count(name) > 0; };
    const auto text = [&](const char* name, std::string& into) {
      if (given(name)) into = parsed[name].as<std::string>();
    };
    const auto list = [&](const char* name) {
      std::vector<std::string> items;
      if (!given(name)) return items;
      for (const auto& value : parsed[name].as<std::vector<std::string>>()) {
        for (auto& item : split_list(value)) items.push_back(std::move(item));
      }
      return items;
    };
    const auto pairs = [&](const char* name, std::string_view shape,
                           std::vector<std::pair<std::string, std::string>>& into) -> std::optional<Error> {
      if (!given(name)) return std::nullopt;
      for (const auto& value : parsed[name].as<std::vector<std::string>>()) {
        auto pair = pair_of(value);
        if (!pair) return Error{fmt::format("--{} takes {}, not '{}'", name, shape, value)};
        into.push_back(std::move(*pair));
      }
      return std::nullopt;
    };

    text("format", options.format);
    text("output", options.output);
    text("fail-on", options.fail_on);
    text("stdin-filename", options.stdin_filename);
    text("explain", options.explain);
    text("sarif-root", options.sarif_root);
    text("sarif-category", options.sarif_category);
    text("baseline", options.baseline);
    text("write-baseline", options.write_baseline);
    text("update-baseline", options.update_baseline);
    text("config", options.config);
    text("locations", options.locations);
    text("completion", options.completion);
    if (given("jobs")) {
      auto jobs = whole_number("jobs", parsed["jobs"].as<std::string>(), "threads");
      if (!jobs) return jobs.error();
      options.jobs = *jobs;
    }
    if (given("max-document-mib")) {
      auto mib = whole_number("max-document-mib", parsed["max-document-mib"].as<std::string>(), "MiB");
      if (!mib) return mib.error();
      if (*mib == 0) return Error{"--max-document-mib must be at least 1"};
      options.max_document_mib = *mib;
    }
    options.only = list("only");
    options.disabled = list("disable");
    if (given("helm-chart")) options.helm_charts = parsed["helm-chart"].as<std::vector<std::string>>();
    if (auto problem = pairs("report", "FORMAT=FILE", options.reports)) return *problem;
    if (auto problem = pairs("plan-pool", "NAME=TARGET", options.plan_pools)) return *problem;
    if (given("paths")) options.paths = parsed["paths"].as<std::vector<std::string>>();
    // Repeated --target options add up, each a list of its own.
    if (given("target")) options.target = fmt::format("{}", fmt::join(list("target"), ","));
    options.list_checks = given("list-checks");
    options.list_targets = given("list-targets");
    options.list_components = given("list-components");
    options.version = given("version");
    options.help = given("help");
    options.no_color = given("no-color");
    options.no_config = given("no-config");
    options.print_config = given("print-config");
    options.show_suppressed = given("show-suppressed");
    options.sarif_omit_suppressed = given("sarif-omit-suppressed");
    options.no_inline_ignores = given("no-inline-ignores");
    options.discover_pod_templates = given("discover-pod-templates");
    options.show_notes = given("show-notes");
    options.all_rows = given("all-rows");
    options.allow_empty = given("allow-empty");
    for (const char* name : {"format", "target", "fail-on", "show-notes", "all-rows", "allow-empty"}) {
      if (given(name)) options.given.insert(name);
    }
  } catch (const cxxopts::exceptions::exception& error) {
    return usage_message(error, argc, argv);
  }

  const int baselines = !options.baseline.empty() + !options.write_baseline.empty() + !options.update_baseline.empty();
  if (baselines > 1) {
    return Error{
        "--baseline, --write-baseline and --update-baseline do not go together: write a baseline from a run "
        "without one"};
  }
  if (!options.config.empty() && options.no_config) return Error{"--config and --no-config do not go together"};
  if (options.target.empty()) return Error{"--target needs at least one target name"};
  return options;
}

Result<bool> check_options(const CliOptions& options, const Catalogue& catalogue, const TargetSet& targets) {
  if (std::find(kFailOnLevels.begin(), kFailOnLevels.end(), options.fail_on) == kFailOnLevels.end()) {
    return Error{not_one_of("--fail-on", options.fail_on, kFailOnLevels, "a level")};
  }
  if (options.list_checks || options.list_targets || options.list_components) {
    if (std::find(kListFormats.begin(), kListFormats.end(), options.format) == kListFormats.end()) {
      return Error{not_one_of("--format", options.format, kListFormats, "a format for a list")};
    }
  } else if (!parse_report_format(options.format)) {
    return Error{not_one_of("--format", options.format, report_format_names(), "a format")};
  }
  for (const auto& [format, file] : options.reports) {
    if (!parse_report_format(format)) {
      return Error{not_one_of(fmt::format("--report {}={}", format, file), format, report_format_names(), "a format")};
    }
  }
  if (std::find(kLocations.begin(), kLocations.end(), options.locations) == kLocations.end()) {
    return Error{not_one_of("--locations", options.locations, kLocations, "a kind of location")};
  }
  if (!options.completion.empty() && std::find(kShells.begin(), kShells.end(), options.completion) == kShells.end()) {
    return Error{not_one_of("--completion", options.completion, kShells, "a shell immutalint completes for")};
  }

  const std::vector<std::string> names = split_list(options.target);
  for (const std::string& name : names) {
    if (auto problem = unknown_target(name, targets)) return Error{fmt::format("--target: {}", *problem)};
  }
  if (auto problem = target_list_problem(names)) return Error{fmt::format("--target: {}", *problem)};
  for (const auto& [pool, name] : options.plan_pools) {
    if (targets.find(name)) continue;
    if (auto problem = unknown_target(name, targets))
      return Error{fmt::format("--plan-pool {}={}: {}", pool, name, *problem)};
    return Error{fmt::format("--plan-pool {}={}: a pool moves to one target, not '{}'", pool, name, name)};
  }

  const auto resolved = [&](const std::string& id) {
    const CheckInfo* info = catalogue.resolve(id);
    return info ? info->id : id;
  };
  for (const auto& [option, ids] : {std::pair{"--only", &options.only}, std::pair{"--disable", &options.disabled}}) {
    for (const std::string& id : *ids) {
      if (auto problem = unknown_check(id, catalogue)) return Error{fmt::format("{}: {}", option, *problem)};
    }
  }
  if (!options.explain.empty()) {
    if (auto problem = unknown_check(options.explain, catalogue)) return Error{fmt::format("--explain: {}", *problem)};
  }
  for (const std::string& id : options.only) {
    for (const std::string& disabled : options.disabled) {
      if (resolved(id) == resolved(disabled)) {
        return Error{fmt::format("--only and --disable both name {}: say which you want", resolved(id))};
      }
    }
  }
  return true;
}

}  // namespace immutalint::cli
