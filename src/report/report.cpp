// Chooses the writer for a report format.
#include "immutalint/report.hpp"

namespace immutalint {

std::optional<ReportFormat> parse_report_format(std::string_view name) {
  if (name == "text") return ReportFormat::Text;
  if (name == "json") return ReportFormat::Json;
  if (name == "sarif") return ReportFormat::Sarif;
  if (name == "github") return ReportFormat::Github;
  return std::nullopt;
}

void write_report(std::ostream& out, ReportFormat format, const LintResult& result, const Catalogue& catalogue,
                  const ReportOptions& options) {
  switch (format) {
    case ReportFormat::Text: write_text_report(out, result, options.color); return;
    case ReportFormat::Json: write_json_report(out, result); return;
    case ReportFormat::Sarif: write_sarif_report(out, result, catalogue, options); return;
    case ReportFormat::Github: write_github_report(out, result); return;
  }
}

}  // namespace immutalint
