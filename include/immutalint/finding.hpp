// What a check reports, with its place in the input.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "immutalint/kube_object.hpp"
#include "immutalint/location.hpp"

namespace immutalint {

/// Ordered from least to most severe, so that `--fail-on` is a comparison.
enum class Severity { Note, Warning, Error };

std::string_view to_string(Severity severity);
std::optional<Severity> parse_severity(std::string_view text);

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
};

/// The report order: file, line, column, check id, then the remaining fields so that the
/// order is total and output is the same whatever order the findings were made in.
bool report_order(const Finding& a, const Finding& b);

}  // namespace immutalint
