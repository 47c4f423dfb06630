// Azure Pipelines logging commands: each error and warning becomes an issue of the build, shown
// in its summary and on the file.
#include <fmt/format.h>
#include <fmt/ostream.h>

#include "immutalint/escape.hpp"
#include "immutalint/report.hpp"
#include "report/log_lines.hpp"

namespace immutalint {

void write_azure_report(std::ostream& out, const LintResult& result, const ReportOptions& options) {
  // The agent takes `##vso[area.event properties]data` anywhere in a line
  // (microsoft/azure-pipelines-agent, Command.TryParse): each command here is a line of its own
  // that starts with it, and azure_data and azure_property keep input from ending it early or
  // writing a `##` of its own.
  result.findings.for_each([&](const Finding& finding) {
    if (!log_lines::listed(finding, options, false)) return;
    const auto object = log_lines::object_place(finding, options);
    const std::string message = object ? fmt::format("{}: {}", *object, finding.message)
                                : finding.object
                                    ? fmt::format("{} (in {})", finding.message, finding.object->describe())
                                    : finding.message;
    if (finding.severity == Severity::Note) {
      // Azure has no notice level: a note is a plain line, started by our own word.
      if (object) {
        fmt::print(out, "note: {} [{}]\n", escape::text(message), finding.check);
      } else {
        fmt::print(out, "note: {}:{}:{}: {} [{}]\n", escape::text(finding.file), finding.span.begin.line,
                   finding.span.begin.column, escape::text(message), finding.check);
      }
      return;
    }
    const std::string_view type = finding.severity == Severity::Error ? "error" : "warning";
    std::string place;
    if (!object) {
      place = fmt::format("sourcepath={};linenumber={};columnnumber={};", escape::azure_property(finding.file),
                          finding.span.begin.line, finding.span.begin.column);
    }
    fmt::print(out, "##vso[task.logissue type={};{}code={}]{} [{}]\n", type, place,
               escape::azure_property(finding.check), escape::azure_data(message), escape::azure_data(finding.check));
  });
  out << log_lines::summary(result, options) << '\n';
}

}  // namespace immutalint
