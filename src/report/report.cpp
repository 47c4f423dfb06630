// Chooses the writer for a report format.
#include "immutalint/report.hpp"

#include "immutalint/enum_names.hpp"

namespace immutalint {

std::optional<ReportFormat> parse_report_format(std::string_view name) {
  constexpr EnumNames<ReportFormat, 6> kNames{{{ReportFormat::Text, "text"},
                                               {ReportFormat::Json, "json"},
                                               {ReportFormat::Sarif, "sarif"},
                                               {ReportFormat::Github, "github"},
                                               {ReportFormat::Matrix, "matrix"},
                                               {ReportFormat::MatrixMarkdown, "matrix-markdown"}}};
  return value_of(kNames, name);
}

void write_report(std::ostream& out, ReportFormat format, const LintResult& result, const Catalogue& catalogue,
                  const ReportOptions& options) {
  switch (format) {
    case ReportFormat::Text: write_text_report(out, result, options.color); return;
    case ReportFormat::Json: write_json_report(out, result); return;
    case ReportFormat::Sarif: write_sarif_report(out, result, catalogue, options); return;
    case ReportFormat::Github: write_github_report(out, result); return;
    case ReportFormat::Matrix: write_matrix_report(out, result, false); return;
    case ReportFormat::MatrixMarkdown: write_matrix_report(out, result, true); return;
  }
}

}  // namespace immutalint
