// After checking: move findings in Helm-rendered output onto the chart templates they came from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "immutalint/finding.hpp"
#include "immutalint/result.hpp"

namespace immutalint {

/// A chart, or a subchart, on disk: `# Source: <prefix>...` lines map into `dir`.
struct HelmChartDir {
  std::string prefix;  ///< e.g. "agent/" or "agent/charts/redis/"
  std::string dir;     ///< e.g. "charts/agent" or "charts/agent/charts/redis"
  /// The directory given with --helm-chart, made canonical: no file outside it is ever read,
  /// whatever a `# Source:` comment names.
  std::string root;
};

/// Reads DIR/Chart.yaml for the chart's name, and the subcharts under DIR/charts/ the same way
/// (a subchart that a symbolic link places outside DIR, or back into a chart already read, is
/// left out). A DIR without a readable Chart.yaml naming the chart is an error.
Result<std::vector<HelmChartDir>> load_helm_charts(const std::vector<std::string>& dirs);

/// A template that a `# Source:` comment names but that is not read, and why: it lies outside
/// its chart (an absolute path, `..`, a symbolic link leading out), or it is not a regular file,
/// or it is larger than 8 MiB. The findings from it stay on the rendered output; the caller
/// reports the refusal as a note.
struct TemplateRefusal {
  std::string source;  ///< the `# Source:` path as written in the input
  std::string file;    ///< the rendered file, and the place of the first finding from that source
  Span span;
  std::string message;  ///< says what was refused and why; bytes outside printable ASCII are escaped
};

/// The key path written on each line of a template, read by indentation. Template actions
/// (`{{ ... }}`) are ignored, so the text need not be valid YAML.
struct TemplateKeyLine {
  std::uint32_t line;
  std::uint32_t column;           ///< 1-based column of the key
  std::uint32_t end_column;       ///< just past the line's last non-blank character
  std::vector<std::string> path;  ///< keys and list indices from the template's top level to this key
};
std::vector<TemplateKeyLine> template_key_lines(const std::string& text);

/// The template line that best matches a JSON Pointer: the longest run of keys matching from
/// the end of the path, then a line whose list indices match too, then the first line;
/// nullptr when no line names the last key.
const TemplateKeyLine* best_template_line(const std::vector<TemplateKeyLine>& lines, const std::string& pointer);

/// Moves each finding whose `source` falls under one of `charts` onto the template file and
/// line, keeping the rendered place in `rendered`. Findings whose template cannot be found, or
/// whose key is not written in it, stay where they are. The findings are re-sorted. Templates
/// are read only from inside their chart's root, as regular files of at most 8 MiB; each
/// `# Source:` path that names anything else is returned once as a refusal.
std::vector<TemplateRefusal> map_findings_to_templates(std::vector<Finding>& findings,
                                                       const std::vector<HelmChartDir>& charts);

}  // namespace immutalint
