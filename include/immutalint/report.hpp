// Stage 6: render a lint result, or the catalogue, for people and for machines.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "immutalint/catalogue.hpp"
#include "immutalint/lint.hpp"
#include "immutalint/target.hpp"

namespace immutalint {

/// Tool name and version as reports state them.
inline constexpr std::string_view kToolName = "immutalint";
inline constexpr std::string_view kToolVersion = IMMUTALINT_VERSION;

/// The formats a lint result can be written in.
enum class ReportFormat { Text, Json, Sarif, Github, Matrix, MatrixMarkdown, Html };

/// "text", "json", "sarif", "github", "matrix", "matrix-markdown" or "html"; nullopt for anything else.
std::optional<ReportFormat> parse_report_format(std::string_view name);

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

/// GitHub Actions workflow commands (`::error file=...::message`), one per finding.
void write_github_report(std::ostream& out, const LintResult& result);

/// "accepted by the comment at deploy/a.yaml:12: <reason>", or for an expired waiver "the waiver
/// at .immutalint.yaml:8 expired after 2026-03-31: <reason>".
std::string describe_suppression(const Suppression& suppression);

/// `file:line:col: severity: message [check-id]`, an indented context line (object, container,
/// Helm source), and a closing summary. ANSI colour only when `color` is set.
/// Findings that a waiver accepts are left out unless `show_suppressed`.
void write_text_report(std::ostream& out, const LintResult& result, bool color, bool show_suppressed = false);

/// The JSON report: {"tool": ..., "findings": [...], "summary": {...}}.
/// Findings that a waiver accepts are left out unless `show_suppressed`.
void write_json_report(std::ostream& out, const LintResult& result, bool show_suppressed = false);

/// The readiness matrix: workloads x targets, worst verdict and check per cell.
void write_matrix_report(std::ostream& out, const LintResult& result, bool markdown);

/// The readiness report as one self-contained HTML page: the matrix's grid with each cell linked
/// to its findings and their fixes (from `catalogue`), per-target counts and filters.
void write_html_report(std::ostream& out, const LintResult& result, const Catalogue& catalogue);

/// `--list-targets`, as text, JSON and the Markdown kept in docs/targets.md.
void write_target_list_text(std::ostream& out, const TargetSet& targets);
void write_target_list_json(std::ostream& out, const TargetSet& targets);
void write_target_list_markdown(std::ostream& out, const TargetSet& targets);

/// `--list-checks` as an aligned table.
void write_check_list_text(std::ostream& out, const Catalogue& catalogue);
/// `--list-checks --format json`.
void write_check_list_json(std::ostream& out, const Catalogue& catalogue);
/// `--list-checks --format markdown`: the reference kept in docs/checks.md.
void write_check_list_markdown(std::ostream& out, const Catalogue& catalogue);
/// `--explain ID`, with the check's verdict on each target and why.
void write_explanation(std::ostream& out, const CheckInfo& check, const TargetSet& targets);

}  // namespace immutalint
