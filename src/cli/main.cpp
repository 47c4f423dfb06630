// The immutalint command: parses options, runs the pipeline, writes the report, sets the exit code.
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <new>
#include <optional>

#include <fmt/format.h>

#include "cli/options.hpp"
#include "cli/settings.hpp"
#include "immutalint/baseline.hpp"
#include "immutalint/catalogue.hpp"
#include "immutalint/check.hpp"
#include "immutalint/escape.hpp"
#include "immutalint/helm_mapping.hpp"
#include "immutalint/inputs.hpp"
#include "immutalint/lint.hpp"
#include "immutalint/node_os.hpp"
#include "immutalint/report.hpp"
#include "immutalint/scheduling_pools.hpp"
#include "immutalint/suppression.hpp"
#include "immutalint/target.hpp"
#include "immutalint/temp_file.hpp"

namespace {

constexpr int kExitClean = 0;
constexpr int kExitFindings = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInternal = 3;

/// A mistake in how immutalint was called: the message, then where to read how.
int usage_error(const std::string& message) {
  std::cerr << "immutalint: error: " << immutalint::escape::text(message) << "\nTry 'immutalint --help'.\n";
  return kExitUsage;
}

/// Anything else that stops the run (a file that cannot be read or written, a configuration
/// file with mistakes, input without objects): the message, which says what failed and why,
/// one line of it per line of the message.
int failure(const std::string& message) {
  std::size_t start = 0;
  do {
    const auto end = message.find('\n', start);
    std::cerr << "immutalint: error: " << immutalint::escape::text(message.substr(start, end - start)) << "\n";
    start = end == std::string::npos ? end : end + 1;
  } while (start != std::string::npos);
  return kExitUsage;
}

/// Built-in data that does not load: a broken build, not a mistake of the user's.
int internal_error(const std::string& message) {
  std::cerr << "immutalint: internal error: " << immutalint::escape::text(message) << "\n";
  return kExitInternal;
}

/// "cannot write FILE: No space left on device", from errno as the failed write left it.
std::string write_error(const std::string& file, int error) {
  return error != 0 ? fmt::format("cannot write {}: {}", file, std::strerror(error))
                    : fmt::format("cannot write {}", file);
}

/// A warning on standard error; the message may hold input text, so it is escaped.
void warn(const std::string& message) {
  std::cerr << "immutalint: warning: " << immutalint::escape::text(message) << "\n";
}

/// The id of the check `id` names: a former id gives the current one, with a warning.
std::string current_id(const immutalint::Catalogue& catalogue, const std::string& id) {
  const immutalint::CheckInfo* info = catalogue.resolve(id);
  if (!info || info->id == id) return id;
  warn(fmt::format("check '{}' is now called '{}'; use the new id", id, info->id));
  return info->id;
}

/// Standard input copied to a temporary file: `--target auto` reads the input twice. The file is
/// unlinked as soon as it is made and read again through /proc/self/fd, so that no copy of the
/// input (a cluster dump, ConfigMaps included) outlives the process, however it ends.
class StdinCopy {
 public:
  static immutalint::Result<StdinCopy> make() {
    auto fd = immutalint::open_unlinked_temp_file();
    if (!fd) return immutalint::Error{"cannot copy standard input: " + fd.error().message};
    StdinCopy copy(*fd);
    std::vector<char> buffer(1 << 20);
    for (;;) {
      const ssize_t got = ::read(STDIN_FILENO, buffer.data(), buffer.size());
      if (got == 0) break;
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) return immutalint::Error{fmt::format("cannot read standard input: {}", std::strerror(errno))};
      for (ssize_t done = 0; done < got;) {
        const ssize_t wrote = ::write(copy.fd_, buffer.data() + done, static_cast<std::size_t>(got - done));
        if (wrote < 0 && errno == EINTR) continue;
        if (wrote <= 0) {
          return immutalint::Error{fmt::format("cannot copy standard input to a temporary file in {}: {}",
                                               immutalint::temp_dir(), std::strerror(errno))};
        }
        done += wrote;
      }
    }
    if (::access(copy.path().c_str(), R_OK) != 0) {
      return immutalint::Error{"cannot read the copy of standard input back: /proc is not mounted"};
    }
    return copy;
  }
  StdinCopy(StdinCopy&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  StdinCopy& operator=(StdinCopy&&) = delete;
  ~StdinCopy() {
    if (fd_ >= 0) ::close(fd_);
  }
  /// A path that opens the copy from its start.
  std::string path() const { return fmt::format("/proc/self/fd/{}", fd_); }

 private:
  explicit StdinCopy(int fd) : fd_(fd) {}
  int fd_;
};

bool color_wanted(const immutalint::cli::CliOptions& options) {
  if (options.no_color || options.format != "text" || !options.output.empty()) return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  return ::isatty(STDOUT_FILENO) == 1;
}

immutalint::ReportOptions report_options_of(const immutalint::cli::CliOptions& options,
                                            const immutalint::cli::Settings& settings) {
  immutalint::ReportOptions report_options;
  report_options.sarif_root = options.sarif_root;
  report_options.sarif_category = options.sarif_category;
  report_options.show_suppressed = options.show_suppressed;
  report_options.sarif_omit_suppressed = options.sarif_omit_suppressed;
  // A CI log shows what fails the run: notes too, when they are what fails it.
  report_options.show_notes = settings.show_notes || options.fail_on == "note";
  report_options.all_rows = settings.all_rows;
  report_options.object_locations = options.locations == "object";
  report_options.project_url = IMMUTALINT_HOMEPAGE;
  return report_options;
}

/// --write-baseline: records every finding, and prints only the summary line, every finding
/// counted as in the baseline; exits 0, so that adopting immutalint is one step that succeeds.
int write_baseline_only(const immutalint::cli::CliOptions& options, immutalint::LintResult& result,
                        const immutalint::Catalogue& catalogue, std::ostream& out) {
  using namespace immutalint;
  if (auto written = write_baseline(options.write_baseline, result.findings); !written) {
    return failure(written.error().message);
  }
  const Summary& summary = result.summary;
  result.summary.baselined = summary.errors + summary.warnings + summary.notes;
  result.summary.errors = result.summary.warnings = result.summary.notes = 0;
  FindingStore none;
  none.seal();
  result.findings = std::move(none);
  errno = 0;
  write_report(out, ReportFormat::Text, result, catalogue, ReportOptions{});
  out.flush();
  if (!out)
    return failure(write_error(options.output.empty() ? std::string("standard output") : options.output, errno));
  return kExitClean;
}

/// --list-targets, --list-components, --list-checks and --explain: what they print, and the exit
/// code; nullopt when the command line asks for a lint.
std::optional<int> list_or_explain(const immutalint::cli::CliOptions& options, const immutalint::Catalogue& catalogue,
                                   const immutalint::TargetSet& targets, std::ostream& out) {
  using namespace immutalint;
  if (options.list_targets) {
    if (options.format == "json") {
      write_target_list_json(out, targets);
    } else if (options.format == "markdown") {
      write_target_list_markdown(out, targets);
    } else {
      write_target_list_text(out, targets);
    }
    return kExitClean;
  }
  if (options.list_components) {
    const auto& components = ComponentCatalogue::builtin();
    if (!components) return failure(components.error().message);
    if (options.format == "json") {
      write_component_list_json(out, *components, targets);
    } else if (options.format == "markdown") {
      write_component_list_markdown(out, *components, targets);
    } else {
      write_component_list_text(out, *components, targets);
    }
    return kExitClean;
  }
  if (options.list_checks) {
    if (options.format == "json") {
      write_check_list_json(out, catalogue);
    } else if (options.format == "markdown") {
      write_check_list_markdown(out, catalogue);
    } else {
      write_check_list_text(out, catalogue);
    }
    return kExitClean;
  }
  if (!options.explain.empty()) {
    // check_options made sure the catalogue knows it.
    const CheckInfo& check = *catalogue.find(current_id(catalogue, options.explain));
    write_explanation(out, check, targets);
    if (check.id == check_id(CheckRole::DocumentedOutcome)) {  // its knowledge base is data of its own
      const auto& components = ComponentCatalogue::builtin();
      if (!components) return failure(components.error().message);
      out << "\nKnown components (also immutalint --list-components):\n";
      write_component_list_text(out, *components, targets);
    }
    return kExitClean;
  }
  return std::nullopt;
}

/// Every report the command line asks for, then the exit code that the findings and --fail-on give.
int write_reports(const immutalint::cli::CliOptions& options, const immutalint::cli::Settings& settings,
                  const immutalint::Catalogue& catalogue, const immutalint::Linter& linter,
                  const immutalint::LintResult& result, std::ostream& out) {
  using namespace immutalint;
  ReportOptions report_options = report_options_of(options, settings);
  report_options.enabled_checks = linter.enabled_checks();
  // Each report is written even when another cannot be; the exit code then says so.
  bool written = true;
  for (const auto& [format, file] : options.reports) {
    errno = 0;
    std::ofstream extra(file, std::ios::binary);
    if (extra) write_report(extra, *parse_report_format(format), result, catalogue, report_options);
    if (extra) extra.close();
    if (!extra) {
      failure(write_error(file, errno));
      written = false;
    }
  }
  report_options.color = color_wanted(options);
  errno = 0;
  write_report(out, *parse_report_format(options.format), result, catalogue, report_options);
  out.flush();
  if (!out) {
    failure(write_error(options.output.empty() ? std::string("standard output") : options.output, errno));
    return kExitUsage;
  }
  if (!written) return kExitUsage;

  if (options.fail_on == "never") return kExitClean;
  const Severity threshold = *parse_severity(options.fail_on);
  const Summary& summary = result.summary;
  const std::size_t at_or_above = summary.errors + (threshold <= Severity::Warning ? summary.warnings : 0) +
                                  (threshold <= Severity::Note ? summary.notes : 0);
  return at_or_above > 0 ? kExitFindings : kExitClean;
}

int run(const immutalint::cli::CliOptions& options, const immutalint::cli::Settings& settings,
        const immutalint::Catalogue& catalogue, const immutalint::TargetSet& targets, std::ostream& out) {
  using namespace immutalint;
  if (auto listed = list_or_explain(options, catalogue, targets, out)) return *listed;

  LintOptions lint_options;
  lint_options.jobs = options.jobs;
  for (const auto& id : options.only) lint_options.only.push_back(current_id(catalogue, id));
  for (const auto& id : options.disabled) lint_options.disabled.push_back(current_id(catalogue, id));
  // Only the readiness grids (matrix, html) list every workload.
  const auto lists_workloads = [](const std::string& format) {
    return format.starts_with("matrix") || format == "html";
  };
  lint_options.list_workloads = lists_workloads(options.format);
  for (const auto& report : options.reports) lint_options.list_workloads |= lists_workloads(report.first);
  lint_options.split.max_document_bytes = static_cast<std::size_t>(options.max_document_mib) << 20;
  // `auto`: the targets are those of the node pools the input describes, known once it is read.
  const bool auto_targets = options.target == kAutoTarget;
  if (!auto_targets) {
    auto selected = targets.select(options.target);
    if (!selected) return usage_error(selected.error().message);
    lint_options.targets = *selected;
  }
  for (const auto& [pool, name] : options.plan_pools) lint_options.pool_plans.push_back({pool, targets.find(name)});
  lint_options.suppressions.inline_comments = settings.inline_ignores;
  lint_options.suppressions.severities = settings.severities;
  lint_options.discover_pod_templates = settings.discover_pod_templates;
  if (settings.config) {
    lint_options.suppressions.config = settings.config->ignores;
    lint_options.suppressions.config_dir = settings.config->dir;
    for (const auto& kind : settings.config->workload_kinds) lint_options.workload_kinds.push_back(kind.declared());
  }
  auto inputs = collect_inputs(options.paths, options.stdin_filename);
  if (!inputs) return usage_error(inputs.error().message);
  cli::exclude_inputs(inputs.value().files, settings);
  set_aside_helm_templates(inputs.value());
  for (const std::string& dir : options.helm_charts) {
    std::error_code error;
    if (!std::filesystem::exists(dir, error)) return usage_error(fmt::format("--helm-chart {}: no such folder", dir));
  }
  auto charts = load_helm_charts(options.helm_charts);
  if (!charts) return failure(charts.error().message);
  // --update-baseline reads the file as --baseline does, and writes it back afterwards.
  const std::string& baseline_file = options.update_baseline.empty() ? options.baseline : options.update_baseline;
  std::optional<Baseline> baseline;
  if (!baseline_file.empty()) {
    auto read = Baseline::read(baseline_file);
    if (!read) return failure(read.error().message);
    baseline = std::move(*read);
  }
  // The baseline and the configuration often sit among the manifests: they are not manifests.
  const std::string config_file = settings.config ? settings.config->path : std::string();
  for (const std::string& file : {baseline_file, options.write_baseline, config_file}) {
    std::error_code error;
    std::erase_if(inputs.value().files, [&](const InputFile& input) {
      return !file.empty() && !input.is_stdin() && std::filesystem::equivalent(input.fs_path, file, error);
    });
  }

  std::optional<StdinCopy> stdin_copy;
  if (auto_targets) {
    // Standard input is read twice, for the pools and then for the workloads: keep a copy.
    for (InputFile& file : inputs.value().files) {
      if (!file.is_stdin()) continue;
      auto copy = StdinCopy::make();
      if (!copy) return failure(copy.error().message);
      stdin_copy.emplace(std::move(copy).value());
      file.fs_path = stdin_copy->path();
    }
    auto notices = use_pool_targets(*inputs, targets, lint_options);
    if (!notices) return internal_error(notices.error().message);
    for (const auto& notice : *notices) warn(notice);
  }
  lint_options.helm_charts = std::move(*charts);
  // --write-baseline records every finding: the baseline read is not applied then.
  if (baseline && options.write_baseline.empty()) lint_options.baseline = &*baseline;
  auto linter = Linter::create(catalogue, lint_options);
  if (!linter) return failure(linter.error().message);
  LintResult result = linter->lint(*inputs);
  for (const auto& notice : result.notices) warn(notice);
  if (!settings.allow_empty && result.holds_nothing) {
    failure("no Kubernetes objects in the input");
    std::cerr << "immutalint: note: empty input often means that the command producing it failed; --allow-empty "
                 "(or allow-empty: true in .immutalint.yaml) accepts it\n";
    return kExitUsage;
  }
  for (const auto& refusal : result.template_refusals) {
    warn(fmt::format("{}:{}: {}", refusal.file, refusal.span.begin.line, refusal.message));
  }
  if (!options.write_baseline.empty()) return write_baseline_only(options, result, catalogue, out);
  if (!options.update_baseline.empty()) {
    if (auto written = write_baseline(options.update_baseline, baseline->taken()); !written) {
      return failure(written.error().message);
    }
    std::cerr << fmt::format("immutalint: updated {}: {} kept, {} dropped that no longer match\n",
                             escape::text(options.update_baseline), result.summary.baselined, baseline->untaken());
  }

  return write_reports(options, settings, catalogue, *linter, result, out);
}

int checked_main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  auto parsed = immutalint::cli::parse_command_line(argc, argv);
  if (!parsed) return usage_error(parsed.error().message);
  immutalint::cli::CliOptions* options = &parsed.value();
  if (options->help) {
    std::cout << immutalint::cli::help_text();
    return kExitClean;
  }
  if (options->version) {
    std::cout << immutalint::kToolName << ' ' << immutalint::kToolVersion << '\n';
    return kExitClean;
  }
  const auto& catalogue = immutalint::Catalogue::builtin();
  const auto& targets = immutalint::TargetSet::builtin();
  for (const auto* error : {catalogue ? nullptr : &catalogue.error(), targets ? nullptr : &targets.error()}) {
    if (error) return internal_error("built-in data is invalid: " + error->message);
  }
  if (auto checked = immutalint::cli::check_options(*options, *catalogue, *targets); !checked) {
    return usage_error(checked.error().message);
  }
  if (!options->completion.empty()) {
    const std::string script = immutalint::cli::completion_script(options->completion, *catalogue, *targets);
    if (options->output.empty()) {
      std::cout << script << std::flush;
      return std::cout ? kExitClean : failure(write_error("standard output", errno));
    }
    errno = 0;
    std::ofstream file(options->output, std::ios::binary);
    if (file) file << script;
    if (file) file.close();
    return file ? kExitClean : failure(write_error(options->output, errno));
  }
  if (!options->config.empty()) {
    std::error_code error;
    if (!std::filesystem::exists(options->config, error)) {
      return usage_error(fmt::format("--config {}: the configuration file does not exist", options->config));
    }
  }
  auto settings = immutalint::cli::resolve_settings(*options, *catalogue, *targets);
  if (!settings) return failure(settings.error().message);
  if (options->print_config) {
    immutalint::cli::print_settings(std::cout, *options, *settings);
    return kExitClean;
  }
  if (options->output.empty()) return run(*options, *settings, *catalogue, *targets, std::cout);
  errno = 0;
  std::ofstream file(options->output, std::ios::binary);
  if (!file) return failure(write_error(options->output, errno));
  const int status = run(*options, *settings, *catalogue, *targets, file);
  errno = 0;
  file.close();
  if (!file) return failure(write_error(options->output, errno));
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  // Whatever goes wrong ends with a message and an exit code, never an abort: the stack unwinds,
  // so temporary files are closed and removed.
  try {
    return checked_main(argc, argv);
  } catch (const std::bad_alloc&) {
    std::cerr << "immutalint: error: out of memory\n";
  } catch (const std::exception& error) {
    std::cerr << "immutalint: internal error: " << immutalint::escape::text(error.what()) << "\n";
  }
  return kExitInternal;
}
