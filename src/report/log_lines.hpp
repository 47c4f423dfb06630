// What the reports read in a CI log (text, github, azure) share: which findings they list, where
// they say a finding is, and the closing summary line.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "immutalint/report.hpp"

namespace immutalint::log_lines {

/// Whether a log format lists `finding`: not when a waiver accepts it (unless `show_suppressed`),
/// not when it is a note (unless `options.show_notes`): a CI log shows what fails first.
bool listed(const Finding& finding, const ReportOptions& options, bool show_suppressed);

/// With `options.object_locations`, the object a finding is placed on instead of a line
/// ("DaemonSet kube-system/agent", unescaped); nullopt when the finding keeps its file and line.
std::optional<std::string> object_place(const Finding& finding, const ReportOptions& options);

/// The lines that follow a finding's first line, unescaped, each starting with the tool's own
/// words: its object (unless `object_named`: the first line names it), container and template;
/// the waiver; its verdicts and the facts they rest on; evidence and related observations (their
/// lines left out when `object_named`: they are lines of a stream); where Helm rendered it.
std::vector<std::string> details(const Finding& finding, const LintResult& result, bool object_named);

/// "3 files, 4 documents, 4 objects (2 workloads checked): 1 error, 0 warnings, 215 notes (not
/// shown; --show-notes lists them)". Only the tool's own words and numbers: it may start a line.
std::string summary(const LintResult& result, const ReportOptions& options);

}  // namespace immutalint::log_lines
