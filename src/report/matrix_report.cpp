// The readiness matrix: each workload against each target, with the worst verdict and the check
// behind it, as an aligned text table or as Markdown for a CI job summary or PR comment.
#include <algorithm>
#include <map>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include "immutalint/check.hpp"
#include "immutalint/report.hpp"
#include "report/escape.hpp"

namespace immutalint {

namespace {

struct Cell {
  Verdict verdict = Verdict::Ready;
  std::string check;        // behind the worst verdict
  std::size_t failing = 0;  // findings at likely breaks or worse
  std::size_t reviews = 0;  // findings that only need review
};

using WorkloadKey = std::tuple<std::string, std::string, std::string, std::string>;  // file, kind, namespace, name

WorkloadKey key_of(const std::string& file, const ObjectRef& ref) {
  return {file, ref.kind, ref.namespace_, ref.name};
}

/// "breaks: host-package-install (+2)": the worst cause and how many others fail too; a workload
/// that only needs review reads "ready (review 3)".
std::string cell_text(const Cell& cell, bool unreachable) {
  if (unreachable && cell.verdict == Verdict::Ready && cell.reviews == 0) return "not scheduled";
  if (cell.verdict <= Verdict::Review) {
    return cell.reviews == 0 ? std::string("ready") : fmt::format("ready (review {})", cell.reviews);
  }
  std::string text = fmt::format("{}: {}", to_string(cell.verdict), cell.check);
  if (cell.failing > 1) text += fmt::format(" (+{})", cell.failing - 1);
  return text;
}

std::string workload_text(const WorkloadRef& workload) {
  const ObjectRef& ref = workload.object;
  return fmt::format("{} ({}:{})", ref.describe(), workload.file, workload.line);
}

}  // namespace

void write_matrix_report(std::ostream& out, const LintResult& result, bool markdown) {
  std::map<WorkloadKey, std::map<std::string, Cell>> cells;
  result.findings.for_each([&](const Finding& finding) {
    if (!finding.object || finding.suppressed()) return;
    const std::string& file = finding.rendered ? finding.rendered->file : finding.file;
    auto& row = cells[key_of(file, *finding.object)];
    for (const auto& target : finding.targets) {
      Cell& cell = row[target.target];
      if (target.verdict >= Verdict::LikelyBreaks) {
        ++cell.failing;
      } else {
        ++cell.reviews;
      }
      if (target.verdict > cell.verdict) {
        cell.verdict = target.verdict;
        cell.check = target.check.empty() ? finding.check : target.check;
      }
    }
  });

  std::vector<std::vector<std::string>> rows;
  std::map<std::string, std::map<Verdict, std::size_t>> totals;
  std::map<std::string, std::size_t> reviewed;
  std::map<std::string, std::size_t> unscheduled;
  for (const auto& workload : result.workloads) {
    std::vector<std::string> row{workload_text(workload)};
    const auto found = cells.find(key_of(workload.file, workload.object));
    for (const auto& target : result.targets) {
      Cell cell;
      if (found != cells.end()) {
        if (auto it = found->second.find(target); it != found->second.end()) cell = it->second;
      }
      const bool unreachable =
          std::find(workload.unreachable.begin(), workload.unreachable.end(), target) != workload.unreachable.end();
      const std::string text = cell_text(cell, unreachable);
      if (text == "not scheduled") {
        ++unscheduled[target];
      } else {
        ++totals[target][cell.verdict == Verdict::Review ? Verdict::Ready : cell.verdict];
        if (cell.verdict <= Verdict::Review && cell.reviews > 0) ++reviewed[target];
      }
      row.push_back(text);
    }
    rows.push_back(std::move(row));
  }
  std::vector<std::string> header{"workload"};
  header.insert(header.end(), result.targets.begin(), result.targets.end());

  if (markdown) {
    out << "## Node OS readiness\n\n";
    fmt::print(out, "| {} |\n|{}|\n", fmt::join(header, " | "),
               fmt::join(std::vector<std::string>(header.size(), "---"), "|"));
    for (const auto& row : rows) {
      std::vector<std::string> escaped;
      for (const auto& text : row) escaped.push_back(escape::markdown_cell(text));
      fmt::print(out, "| {} |\n", fmt::join(escaped, " | "));
    }
    out << '\n';
  } else {
    for (auto& row : rows) {
      // The row's first cell starts the line: the workload's kind, which may come from the input.
      for (std::size_t i = 0; i < row.size(); ++i) row[i] = i == 0 ? escape::line_start(row[i]) : escape::text(row[i]);
    }
    std::vector<std::size_t> widths(header.size());
    for (std::size_t i = 0; i < header.size(); ++i) widths[i] = header[i].size();
    for (const auto& row : rows) {
      for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
    }
    auto print_row = [&](const std::vector<std::string>& row) {
      std::string line;
      for (std::size_t i = 0; i < row.size(); ++i) {
        line += fmt::format("{:<{}}", row[i], i + 1 == row.size() ? 0 : widths[i] + 2);
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out << line << '\n';
    };
    print_row(header);
    for (const auto& row : rows) print_row(row);
    out << '\n';
  }
  for (const auto& target : result.targets) {
    auto& counts = totals[target];
    std::string elsewhere;
    if (unscheduled[target] > 0) elsewhere = fmt::format(", {} not scheduled there", unscheduled[target]);
    fmt::print(out, "{}{}: {} ready ({} to review), {} likely breaks, {} breaks{}\n", markdown ? "- " : "", target,
               counts[Verdict::Ready], reviewed[target], counts[Verdict::LikelyBreaks], counts[Verdict::Breaks],
               elsewhere);
  }
}

}  // namespace immutalint
