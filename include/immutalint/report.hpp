// Stage 6: render a lint result, or the catalogue, for people and for machines.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "immutalint/catalogue.hpp"
#include "immutalint/components.hpp"
#include "immutalint/lint.hpp"
#include "immutalint/target.hpp"

namespace immutalint {

/// Tool name and version as reports state them.
inline constexpr std::string_view kToolName = "immutalint";
inline constexpr std::string_view kToolVersion = IMMUTALINT_VERSION;

/// The formats a lint result can be written in.
enum class ReportFormat { Text, Json, Sarif, Github, Matrix, MatrixMarkdown, Html, Junit, Gitlab, Azure };

/// "text", "json", "sarif", "github", "matrix", "matrix-markdown", "html", "junit", "gitlab" or
/// "azure"; nullopt for anything else.
std::optional<ReportFormat> parse_report_format(std::string_view name);

/// Every format's name, in the order of ReportFormat, for help texts and validation.
std::vector<std::string_view> report_format_names();

/// What the formats need beyond the result itself.
struct ReportOptions {
  bool color = false;                       ///< text only
  std::string sarif_root;                   ///< absolute directory that SARIF URIs are relative to
  std::string sarif_category;               ///< SARIF automationDetails category; may be empty
  std::vector<std::string> enabled_checks;  ///< the rules SARIF describes
  /// Show findings that a waiver accepts in text and JSON (SARIF always carries them, marked).
  bool show_suppressed = false;
  /// Leave accepted findings out of SARIF: code scanning does not dismiss them by itself.
  bool sarif_omit_suppressed = false;
  /// List notes in the formats read in a CI log (text, github, azure); otherwise they are only
  /// counted. JSON, SARIF, HTML and the machine formats (junit, gitlab) always carry them.
  bool show_notes = false;
  /// matrix-markdown: every workload's row, not only those that are not ready.
  bool all_rows = false;
  /// Text, github and azure: name each finding's object ("DaemonSet kube-system/agent") where its
  /// place would be a line of a stream nobody has (a cluster read by the kubectl plugin).
  bool object_locations = false;
  /// The project's public address (IMMUTALINT_HOMEPAGE at build time): SARIF's informationUri and
  /// each rule's helpUri; empty when unknown, and then neither is written.
  std::string project_url;
};

/// Writes `result` in `format`.
void write_report(std::ostream& out, ReportFormat format, const LintResult& result, const Catalogue& catalogue,
                  const ReportOptions& options);

/// The SARIF 2.1.0 log for one run, ready for GitHub code scanning.
void write_sarif_report(std::ostream& out, const LintResult& result, const Catalogue& catalogue,
                        const ReportOptions& options);

/// The path of `file` relative to `root` as a SARIF artifact URI (forward slashes,
/// percent-encoded), or nullopt when the file lies outside `root`.
std::optional<std::string> sarif_artifact_uri(const std::string& file, const std::string& root);

/// `file` as an absolute `file://` URI, percent-encoded: SARIF's location of a file outside the
/// SARIF root.
std::string file_uri(const std::string& file);

/// The address of a check's section in the rule reference: `{project_url}/blob/main/docs/checks.md#{id}`;
/// empty when `project_url` is.
std::string check_doc_url(std::string_view project_url, std::string_view check_id);

/// How many annotations of one severity GitHub Actions shows for a step (see github_report.cpp).
inline constexpr std::size_t kGithubAnnotationsPerSeverity = 10;

/// GitHub Actions workflow commands (`::error file=...::message`): errors and warnings, and
/// notes with `show_notes`, at most as many of each as GitHub shows; one more annotation per
/// severity says how many were left out. Ends with the summary line.
void write_github_report(std::ostream& out, const LintResult& result, const ReportOptions& options);

/// Azure Pipelines logging commands (`##vso[task.logissue type=error;...]message`) for errors and
/// warnings; notes, with `show_notes`, as plain lines (Azure has no notice level). Ends with the
/// summary line.
void write_azure_report(std::ostream& out, const LintResult& result, const ReportOptions& options);

/// JUnit XML, as Azure Pipelines' PublishTestResults (JUnit), GitLab (`artifacts:reports:junit`)
/// and Jenkins read it: a test suite per file, a failed test case per finding. A run without
/// findings has a passing test case per file that holds a workload (or one for the whole run), so
/// that the report is never empty.
void write_junit_report(std::ostream& out, const LintResult& result);

/// A GitLab Code Quality report: a JSON array of issues with description, check_name, a stable
/// fingerprint, severity (note: info, warning: major, error: critical) and location. Paths are
/// relative to `options.sarif_root` (the working directory when empty) when the file is inside it.
void write_gitlab_report(std::ostream& out, const LintResult& result, const ReportOptions& options);

/// "accepted by the comment at deploy/a.yaml:12: <reason>", or for an expired waiver "the waiver
/// at .immutalint.yaml:8 expired after 2026-03-31: <reason>".
std::string describe_suppression(const Suppression& suppression);

/// `file:line:col: severity: message [check-id]` (or, with `object_locations`, `Kind ns/name:
/// severity: ...` for a finding on an object), indented context lines (object, container, Helm
/// source, verdicts, evidence), and a closing summary that counts what was not shown. ANSI colour
/// only when `options.color` is set. Notes are listed only with `show_notes`, findings that a
/// waiver accepts only with `show_suppressed`.
void write_text_report(std::ostream& out, const LintResult& result, const ReportOptions& options);

/// The JSON report: {"tool": ..., "findings": [...], "summary": {...}}.
/// Findings that a waiver accepts are left out unless `show_suppressed`.
void write_json_report(std::ostream& out, const LintResult& result, bool show_suppressed = false);

/// The readiness matrix: workloads x targets, worst verdict and check per cell, and per-target
/// counts. As text it fits a terminal: long workload names are shortened, and a wide list of
/// targets is abbreviated with a legend. As Markdown (a CI job summary) it lists only the
/// workloads that are not ready on some target unless `all_rows`, and says how many it left out.
void write_matrix_report(std::ostream& out, const LintResult& result, bool markdown, bool all_rows = false);

/// The readiness report as one self-contained HTML page: the matrix's grid with each cell linked
/// to its findings and their fixes (from `catalogue`), per-target counts and filters.
void write_html_report(std::ostream& out, const LintResult& result, const Catalogue& catalogue);

/// `--list-targets`, as text, JSON and the Markdown kept in docs/targets.md.
void write_target_list_text(std::ostream& out, const TargetSet& targets);
void write_target_list_json(std::ostream& out, const TargetSet& targets);
void write_target_list_markdown(std::ostream& out, const TargetSet& targets);
/// --list-components: each known component, how it is recognised, and what each target
/// documents about it, with the source.
void write_component_list_text(std::ostream& out, const ComponentCatalogue& components, const TargetSet& targets);
void write_component_list_json(std::ostream& out, const ComponentCatalogue& components, const TargetSet& targets);
void write_component_list_markdown(std::ostream& out, const ComponentCatalogue& components, const TargetSet& targets);

/// `--list-checks` as an aligned table.
void write_check_list_text(std::ostream& out, const Catalogue& catalogue);
/// `--list-checks --format json`.
void write_check_list_json(std::ostream& out, const Catalogue& catalogue);
/// `--list-checks --format markdown`: the reference kept in docs/checks.md.
void write_check_list_markdown(std::ostream& out, const Catalogue& catalogue);
/// `--explain ID`, with the check's verdict on each target and why.
void write_explanation(std::ostream& out, const CheckInfo& check, const TargetSet& targets);

}  // namespace immutalint
