// Stage 6: render a lint result, or the catalogue, for people and for machines.
#pragma once

#include <ostream>
#include <string>

#include "immutalint/catalogue.hpp"
#include "immutalint/lint.hpp"

namespace immutalint {

/// Tool name and version as reports state them.
inline constexpr std::string_view kToolName = "immutalint";
inline constexpr std::string_view kToolVersion = IMMUTALINT_VERSION;

/// `file:line:col: severity: message [check-id]`, an indented context line (object, container,
/// Helm source), and a closing summary. ANSI colour only when `color` is set.
void write_text_report(std::ostream& out, const LintResult& result, bool color);

/// The JSON report: {"tool": ..., "findings": [...], "summary": {...}}.
void write_json_report(std::ostream& out, const LintResult& result);

/// `--list-checks` as an aligned table.
void write_check_list_text(std::ostream& out, const Catalogue& catalogue);
/// `--list-checks --format json`.
void write_check_list_json(std::ostream& out, const Catalogue& catalogue);
/// `--list-checks --format markdown`: the reference kept in docs/checks.md.
void write_check_list_markdown(std::ostream& out, const Catalogue& catalogue);
/// `--explain ID`.
void write_explanation(std::ostream& out, const CheckInfo& check);

}  // namespace immutalint
