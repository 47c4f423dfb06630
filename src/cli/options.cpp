// Parses the command line with cxxopts and validates option values.
#include "cli/options.hpp"

#include "immutalint/report.hpp"
#include "immutalint/suppression.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>
#include <cxxopts.hpp>

namespace immutalint::cli {

namespace {

cxxopts::Options make_parser() {
  cxxopts::Options options("immutalint",
                           "Finds what in Kubernetes manifests will break on immutable node operating systems\n"
                           "(read-only /usr, no package manager, SELinux, signed code only).\n");
  options.custom_help("[OPTIONS]");
  options.positional_help("[PATH...]");
  // clang-format off
  options.add_options()
    ("f,format", "Report format: text, json, sarif, github, matrix, matrix-markdown or html (with --list-checks or --list-targets: text, json or markdown)", cxxopts::value<std::string>()->default_value("text"), "FORMAT")
    ("t,target", "Judge workloads for these node OSes (comma-separated names, or all; may be repeated), or auto: the OSes of the node pools that Node objects or az aks output in the input describe", cxxopts::value<std::vector<std::string>>()->default_value(std::string(kDefaultTarget)), "NAME,...")
    ("plan-pool", "Judge the AKS node pool NAME only for the node OS TARGET, as if it moved there (repeatable)", cxxopts::value<std::vector<std::string>>(), "NAME=TARGET")
    ("o,output", "Write the report to FILE instead of standard output", cxxopts::value<std::string>(), "FILE")
    ("report", "Also write a report in FORMAT to FILE (repeatable), e.g. sarif=results.sarif", cxxopts::value<std::vector<std::string>>(), "FORMAT=FILE")
    ("sarif-root", "Make SARIF file locations relative to DIR (default: the working directory)", cxxopts::value<std::string>(), "DIR")
    ("sarif-category", "SARIF run category, to tell apart several uploads for one commit", cxxopts::value<std::string>(), "NAME")
    ("helm-chart", "Report findings in `helm template` output on the templates of the chart in DIR (repeatable)", cxxopts::value<std::vector<std::string>>(), "DIR")
    ("baseline", "Leave out the findings recorded in FILE (written by --write-baseline); the summary counts them", cxxopts::value<std::string>(), "FILE")
    ("write-baseline", "Record every finding of this run in FILE, to adopt immutalint on an existing repository", cxxopts::value<std::string>(), "FILE")
    ("config", "Read settings from FILE instead of the .immutalint.yaml found from the working directory up to the repository root", cxxopts::value<std::string>(), "FILE")
    ("no-config", "Read no configuration file")
    ("print-config", "Print the settings in effect, and where each came from, and exit")
    ("sarif-omit-suppressed", "Leave the findings that a waiver accepts out of SARIF, for code scanning set up without a step that dismisses suppressed results")
    ("show-suppressed", "Also show the findings that a waiver accepts (SARIF always carries them, marked as suppressed)")
    ("no-inline-ignores", "Do not honour `# immutalint: ignore` comments, e.g. for an audit")
    ("discover-pod-templates", "Find pod templates by their shape in kinds immutalint does not know, and say where")
    ("fail-on", "Exit 1 when a finding is at least this severe: error, warning, note or never", cxxopts::value<std::string>()->default_value("warning"), "LEVEL")
    ("j,jobs", "Parse and check with N threads; 0 means one per core", cxxopts::value<unsigned>()->default_value("0"), "N")
    ("only", "Run only these checks (comma-separated, repeatable)", cxxopts::value<std::vector<std::string>>(), "ID,...")
    ("disable", "Do not run these checks (comma-separated, repeatable)", cxxopts::value<std::vector<std::string>>(), "ID,...")
    ("stdin-filename", "Name standard input (PATH \"-\") this way in reports", cxxopts::value<std::string>()->default_value("<stdin>"), "NAME")
    ("max-document-mib", "Skip, and report, documents larger than this many MiB", cxxopts::value<unsigned>()->default_value("32"), "N")
    ("no-color", "Never colour the text report (NO_COLOR in the environment does the same)")
    ("list-checks", "List the checks and exit")
    ("list-targets", "List the target node OSes and exit")
    ("explain", "Explain a check: why it matters and how to fix it", cxxopts::value<std::string>(), "ID")
    ("version", "Print the version and exit")
    ("h,help", "Print this help and exit")
    ("paths", "Files, directories, or - for standard input", cxxopts::value<std::vector<std::string>>());
  // clang-format on
  options.parse_positional({"paths"});
  return options;
}

std::vector<std::string> split_ids(const std::vector<std::string>& values) {
  std::vector<std::string> ids;
  for (const auto& value : values) {
    std::size_t start = 0;
    while (start <= value.size()) {
      const auto comma = value.find(',', start);
      std::string id = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!id.empty()) ids.push_back(std::move(id));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return ids;
}

}  // namespace

std::string help_text() {
  return make_parser().help() +
         "\nPATH is a manifest file, a directory (searched for *.yaml, *.yml and *.json, hidden\n"
         "directories skipped) or - for standard input. Without PATH the current directory is linted.\n"
         "\nExit status: 0 no finding at or above --fail-on, 1 findings at or above it, 2 usage error.\n"
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
    options.format = parsed["format"].as<std::string>();
    if (parsed.count("output")) options.output = parsed["output"].as<std::string>();
    options.fail_on = parsed["fail-on"].as<std::string>();
    options.jobs = parsed["jobs"].as<unsigned>();
    options.stdin_filename = parsed["stdin-filename"].as<std::string>();
    options.max_document_mib = parsed["max-document-mib"].as<unsigned>();
    if (parsed.count("only")) options.only = split_ids(parsed["only"].as<std::vector<std::string>>());
    if (parsed.count("disable")) options.disabled = split_ids(parsed["disable"].as<std::vector<std::string>>());
    if (parsed.count("explain")) options.explain = parsed["explain"].as<std::string>();
    if (parsed.count("sarif-root")) options.sarif_root = parsed["sarif-root"].as<std::string>();
    if (parsed.count("sarif-category")) options.sarif_category = parsed["sarif-category"].as<std::string>();
    if (parsed.count("helm-chart")) options.helm_charts = parsed["helm-chart"].as<std::vector<std::string>>();
    if (parsed.count("baseline")) options.baseline = parsed["baseline"].as<std::string>();
    if (parsed.count("write-baseline")) options.write_baseline = parsed["write-baseline"].as<std::string>();
    if (!options.baseline.empty() && !options.write_baseline.empty()) {
      return Error{"--baseline and --write-baseline do not go together: write a baseline from a run without one"};
    }
    if (parsed.count("report")) {
      for (const auto& value : parsed["report"].as<std::vector<std::string>>()) {
        const auto equals = value.find('=');
        if (equals == std::string::npos || equals == 0 || equals + 1 == value.size()) {
          return Error{fmt::format("--report takes FORMAT=FILE, not '{}'", value)};
        }
        options.reports.emplace_back(value.substr(0, equals), value.substr(equals + 1));
      }
    }
    if (parsed.count("plan-pool")) {
      for (const auto& value : parsed["plan-pool"].as<std::vector<std::string>>()) {
        const auto equals = value.find('=');
        if (equals == std::string::npos || equals == 0 || equals + 1 == value.size()) {
          return Error{fmt::format("--plan-pool takes NAME=TARGET, not '{}'", value)};
        }
        options.plan_pools.emplace_back(value.substr(0, equals), value.substr(equals + 1));
      }
    }
    if (parsed.count("paths")) options.paths = parsed["paths"].as<std::vector<std::string>>();
    options.list_checks = parsed.count("list-checks") > 0;
    options.list_targets = parsed.count("list-targets") > 0;
    // Repeated --target options add up; cxxopts has already split each on commas.
    options.target.clear();
    for (const auto& name : parsed["target"].as<std::vector<std::string>>()) {
      options.target += (options.target.empty() ? "" : ",") + name;
    }
    options.version = parsed.count("version") > 0;
    options.help = parsed.count("help") > 0;
    options.no_color = parsed.count("no-color") > 0;
    if (parsed.count("config")) options.config = parsed["config"].as<std::string>();
    options.no_config = parsed.count("no-config") > 0;
    options.print_config = parsed.count("print-config") > 0;
    options.show_suppressed = parsed.count("show-suppressed") > 0;
    options.sarif_omit_suppressed = parsed.count("sarif-omit-suppressed") > 0;
    options.no_inline_ignores = parsed.count("no-inline-ignores") > 0;
    options.discover_pod_templates = parsed.count("discover-pod-templates") > 0;
    for (const char* name : {"format", "target", "fail-on"}) {
      if (parsed.count(name)) options.given.insert(name);
    }
    if (!options.config.empty() && options.no_config) return Error{"--config and --no-config do not go together"};
  } catch (const cxxopts::exceptions::exception& error) {
    return Error{error.what()};
  }

  if (options.max_document_mib == 0) return Error{"--max-document-mib must be at least 1"};
  if (auto checked = check_options(options); !checked) return checked.error();
  return options;
}

Result<bool> check_options(const CliOptions& options) {
  constexpr std::array<std::string_view, 4> kFailOn = {"error", "warning", "note", "never"};
  if (std::find(kFailOn.begin(), kFailOn.end(), options.fail_on) == kFailOn.end()) {
    return Error{fmt::format("--fail-on must be error, warning, note or never, not '{}'", options.fail_on)};
  }
  if (options.list_checks || options.list_targets) {
    if (options.format != "text" && options.format != "json" && options.format != "markdown") {
      return Error{fmt::format("--format must be text, json or markdown when listing, not '{}'", options.format)};
    }
  } else if (!parse_report_format(options.format)) {
    return Error{fmt::format("--format must be text, json, sarif, github, matrix, matrix-markdown or html, not '{}'",
                             options.format)};
  }
  for (const auto& [format, file] : options.reports) {
    if (!parse_report_format(format)) {
      return Error{fmt::format(
          "--report format must be text, json, sarif, github, matrix, matrix-markdown or html, not '{}'", format)};
    }
  }
  return true;
}

}  // namespace immutalint::cli
