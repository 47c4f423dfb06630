// What a check reports, with its place in the input.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "immutalint/kube_object.hpp"
#include "immutalint/location.hpp"

namespace immutalint {

/// Ordered from least to most severe, so that `--fail-on` is a comparison.
enum class Severity { Note, Warning, Error };

std::string_view to_string(Severity severity);
std::optional<Severity> parse_severity(std::string_view text);

/// What a finding means on one target OS, from best to worst. The worst verdict over the
/// selected targets sets the finding's severity.
enum class Verdict { Ready, Review, LikelyBreaks, Breaks };

/// "ready", "review", "likely breaks", "breaks".
std::string_view to_string(Verdict verdict);
/// "ready", "review", "likely-breaks", "breaks": the spelling used in data files and JSON.
std::string_view to_key(Verdict verdict);
std::optional<Verdict> parse_verdict(std::string_view key);
/// review -> note, likely breaks -> warning, breaks -> error.
Severity severity_of(Verdict verdict);
/// The verdict a severity stands for, for checks that judge every target alike.
Verdict verdict_of(Severity severity);

/// A finding's verdict on one target, and why.
struct TargetVerdict {
  std::string target;
  Verdict verdict = Verdict::Review;
  std::string why;  ///< the fact it rests on, with its source key and confidence
};

/// Where a finding sat in rendered Helm output before it was mapped onto its template.
struct RenderedLocation {
  std::string file;
  Span span;
};

/// One reported problem.
struct Finding {
  std::string check;  ///< check id, e.g. "host-network"
  Severity severity = Severity::Warning;
  std::string message;
  std::string file;  ///< display path of the input
  Span span;         ///< the offending key and value
  std::optional<ObjectRef> object;  ///< the object concerned, when there is one
  std::string container;  ///< set only when exactly one container is concerned
  std::string field;      ///< JSON Pointer from the object's root; empty when none applies
  std::string source;     ///< template named by a Helm `# Source:` comment, when present
  std::optional<RenderedLocation> rendered;  ///< set when the finding was moved onto a chart template
  std::vector<TargetVerdict> targets;  ///< the selected targets it affects, in profile order
};

/// The report order: file, line, column, check id, then the remaining fields so that the
/// order is total and output is the same whatever order the findings were made in.
bool report_order(const Finding& a, const Finding& b);

}  // namespace immutalint
