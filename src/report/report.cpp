// Chooses the writer for a report format.
#include "immutalint/report.hpp"

#include <fmt/format.h>

#include "immutalint/enum_names.hpp"
#include "immutalint/escape.hpp"

namespace immutalint {

namespace {

constexpr EnumNames<ReportFormat, 10> kFormatNames{{{ReportFormat::Text, "text"},
                                                    {ReportFormat::Json, "json"},
                                                    {ReportFormat::Sarif, "sarif"},
                                                    {ReportFormat::Github, "github"},
                                                    {ReportFormat::Matrix, "matrix"},
                                                    {ReportFormat::MatrixMarkdown, "matrix-markdown"},
                                                    {ReportFormat::Html, "html"},
                                                    {ReportFormat::Junit, "junit"},
                                                    {ReportFormat::Gitlab, "gitlab"},
                                                    {ReportFormat::Azure, "azure"}}};

}  // namespace

std::optional<ReportFormat> parse_report_format(std::string_view name) {
  return value_of(kFormatNames, name);
}

std::vector<std::string_view> report_format_names() {
  std::vector<std::string_view> names;
  for (const auto& [format, name] : kFormatNames) names.push_back(name);
  return names;
}

std::string describe_suppression(const Suppression& suppression) {
  const std::string place = fmt::format("{}:{}", suppression.where.file, suppression.where.span.begin.line);
  const std::string reason = suppression.reason.empty() ? std::string("(no reason given)") : suppression.reason;
  if (suppression.expired)
    return fmt::format("the waiver at {} expired after {}: {}", place, suppression.until, reason);
  std::string by;
  switch (suppression.channel) {
    case SuppressionChannel::Annotation: by = "the annotation"; break;
    case SuppressionChannel::Comment: by = "the comment"; break;
    case SuppressionChannel::Config: by = "the ignores entry"; break;
  }
  std::string until;
  if (!suppression.until.empty()) until = fmt::format(" until {}", suppression.until);
  return fmt::format("accepted by {} at {}{}: {}", by, place, until, reason);
}

namespace {

/// Runs `write` on a stream that breaks up `##` in the JSON it writes (see escape.hpp).
template <typename Write>
void as_json_text(std::ostream& out, Write write) {
  escape::JsonCommandBreaker breaker(out);
  std::ostream json(&breaker);
  write(json);
  json.flush();
  if (!json) out.setstate(std::ios::badbit);
}

}  // namespace

void write_report(std::ostream& out, ReportFormat format, const LintResult& result, const Catalogue& catalogue,
                  const ReportOptions& options) {
  switch (format) {
    case ReportFormat::Text: write_text_report(out, result, options); return;
    case ReportFormat::Json:
      return as_json_text(out, [&](std::ostream& json) { write_json_report(json, result, options.show_suppressed); });
    case ReportFormat::Sarif:
      return as_json_text(out, [&](std::ostream& json) { write_sarif_report(json, result, catalogue, options); });
    case ReportFormat::Github: write_github_report(out, result, options); return;
    case ReportFormat::Matrix: write_matrix_report(out, result, false); return;
    case ReportFormat::MatrixMarkdown: write_matrix_report(out, result, true, options.all_rows); return;
    case ReportFormat::Html: write_html_report(out, result, catalogue); return;
    case ReportFormat::Junit: write_junit_report(out, result); return;
    case ReportFormat::Gitlab:
      return as_json_text(out, [&](std::ostream& json) { write_gitlab_report(json, result, options); });
    case ReportFormat::Azure: write_azure_report(out, result, options); return;
  }
}

}  // namespace immutalint
