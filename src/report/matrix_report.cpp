// The readiness matrix: each workload against each target, with the worst verdict and the check
// behind it, as an aligned text table that fits a terminal, or as Markdown for a CI job summary or
// PR comment that stays a few kilobytes whatever the size of the input.
#include <algorithm>
#include <map>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include "immutalint/check.hpp"
#include "immutalint/escape.hpp"
#include "immutalint/report.hpp"

namespace immutalint {

namespace {

/// A terminal's width: the text matrix switches to its compact form beyond it.
constexpr std::size_t kTerminalColumns = 120;
/// The widest workload name in the text matrix (in columns), and in the compact form.
constexpr std::size_t kWorkloadColumns = 60;
constexpr std::size_t kCompactWorkloadColumns = 40;
/// How much of a table of workloads that are not ready the Markdown form lists without
/// `all_rows`: every row of a repository of ordinary size, and a bound on a job summary or a PR
/// comment for a whole cluster, which is read, not searched.
constexpr std::size_t kMarkdownTableBytes = 6 << 10;
constexpr std::string_view kEllipsis = "\u2026";

struct Cell {
  Verdict verdict = Verdict::Ready;
  std::string check;        // behind the worst verdict
  std::size_t failing = 0;  // findings at likely breaks or worse
  std::size_t reviews = 0;  // findings that only need review
  bool unreachable = false;
};

using WorkloadKey = std::tuple<std::string, std::string, std::string, std::string>;  // file, kind, namespace, name

WorkloadKey key_of(const std::string& file, const ObjectRef& ref) {
  return {file, ref.kind, ref.namespace_, ref.name};
}

bool unscheduled(const Cell& cell) {
  return cell.unreachable && cell.verdict == Verdict::Ready && cell.reviews == 0;
}

/// "breaks: host-package-install (+2)": the worst cause and how many others fail too; a workload
/// that only needs review reads "ready (review 3)".
std::string cell_text(const Cell& cell) {
  if (unscheduled(cell)) return "not scheduled";
  if (cell.verdict <= Verdict::Review) {
    return cell.reviews == 0 ? std::string("ready") : fmt::format("ready (review {})", cell.reviews);
  }
  std::string text = fmt::format("{}: {}", to_string(cell.verdict), cell.check);
  if (cell.failing > 1) text += fmt::format(" (+{})", cell.failing - 1);
  return text;
}

/// One letter per cell in the compact text form (the legend below the table says which).
std::string_view cell_letter(const Cell& cell) {
  if (unscheduled(cell)) return "-";
  switch (cell.verdict) {
    case Verdict::Breaks: return "B";
    case Verdict::LikelyBreaks: return "L";
    default: return cell.reviews == 0 ? "." : "r";
  }
}

/// How bad a cell is, for finding a row's worst cell: breaks, likely breaks, not scheduled,
/// review, ready.
int badness(const Cell& cell) {
  if (cell.verdict >= Verdict::LikelyBreaks) return 2 + static_cast<int>(cell.verdict);
  if (unscheduled(cell)) return 3;
  return cell.reviews > 0 ? 1 : 0;
}

struct Row {
  const WorkloadRef* workload = nullptr;
  std::vector<Cell> cells;  // one per target, in the result's order

  bool ready() const {
    return std::none_of(cells.begin(), cells.end(), [](const Cell& cell) { return badness(cell) >= 3; });
  }
  /// The cell that says most about the row: its worst, the first target's on a tie.
  const Cell& worst() const {
    return *std::max_element(cells.begin(), cells.end(),
                             [](const Cell& a, const Cell& b) { return badness(a) < badness(b); });
  }
  /// Targets it breaks on, likely breaks on, and is not scheduled on: the Markdown form lists the
  /// worst rows first.
  std::tuple<std::size_t, std::size_t, std::size_t> weight() const {
    std::size_t breaks = 0, likely = 0, off = 0;
    for (const Cell& cell : cells) {
      breaks += cell.verdict == Verdict::Breaks;
      likely += cell.verdict == Verdict::LikelyBreaks;
      off += unscheduled(cell);
    }
    return {breaks, likely, off};
  }
};

/// Columns a terminal gives `text`: one per code point (the escaped text has no controls).
std::size_t display_width(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

/// The first code points of `text` that fit `width` columns with an ellipsis after them.
std::string shorten_end(std::string_view text, std::size_t width) {
  if (display_width(text) <= width) return std::string(text);
  std::size_t columns = 0;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t next = at + 1;
    while (next < text.size() && (static_cast<unsigned char>(text[next]) & 0xC0) == 0x80) ++next;
    if (columns + 1 >= width) break;
    ++columns;
    at = next;
  }
  return std::string(text.substr(0, at)) + std::string(kEllipsis);
}

/// An ellipsis and the last code points of `text` that fit `width` columns.
std::string shorten_start(std::string_view text, std::size_t width) {
  if (display_width(text) <= width) return std::string(text);
  std::size_t columns = 0;
  std::size_t at = text.size();
  while (at > 0 && columns + 1 < width) {
    --at;
    while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;
    ++columns;
  }
  return std::string(kEllipsis) + std::string(text.substr(at));
}

/// "DaemonSet kube-system/agent (deploy/agent.yaml:12)" within about `width` columns: a long path
/// loses its start first ("(…/agent.yaml:12)"), then the name its end. It is shortened before it
/// is escaped, so that no escape sequence is cut in two.
std::string fit_workload(const WorkloadRef& workload, std::size_t width) {
  const std::string kind_name = workload.object.describe();
  const std::string place = fmt::format("{}:{}", workload.file, workload.line);
  const std::size_t name_width = display_width(kind_name);
  if (name_width + 3 + display_width(place) <= width) return fmt::format("{} ({})", kind_name, place);
  constexpr std::size_t kShortestPlace = 12;
  if (name_width + 3 + kShortestPlace <= width) {
    return fmt::format("{} ({})", kind_name, shorten_start(place, width - name_width - 3));
  }
  return shorten_end(kind_name, width);
}

std::string pad(const std::string& text, std::size_t width) {
  const std::size_t used = display_width(text);
  return used >= width ? text : text + std::string(width - used, ' ');
}

/// Prints aligned columns separated by two spaces, without trailing blanks.
void print_columns(std::ostream& out, const std::vector<std::vector<std::string>>& lines) {
  std::vector<std::size_t> widths;
  for (const auto& line : lines) {
    widths.resize(std::max(widths.size(), line.size()));
    for (std::size_t i = 0; i < line.size(); ++i) widths[i] = std::max(widths[i], display_width(line[i]));
  }
  for (const auto& line : lines) {
    std::string text;
    for (std::size_t i = 0; i < line.size(); ++i) text += i + 1 == line.size() ? line[i] : pad(line[i], widths[i] + 2);
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out << text << '\n';
  }
}

void write_text_matrix(std::ostream& out, const std::vector<Row>& rows, const std::vector<std::string>& targets) {
  // The workload column starts each line with the workload's kind, which may come from the
  // input: it goes through line_start.
  const auto workload_text = [](const Row& row, std::size_t width) {
    return escape::line_start(fit_workload(*row.workload, width));
  };
  std::vector<std::vector<std::string>> lines;
  lines.push_back({"workload"});
  lines.back().insert(lines.back().end(), targets.begin(), targets.end());
  std::size_t widest = 0;
  for (const Row& row : rows) {
    std::vector<std::string> line{workload_text(row, kWorkloadColumns)};
    for (const Cell& cell : row.cells) line.push_back(escape::text(cell_text(cell)));
    lines.push_back(std::move(line));
  }
  std::vector<std::size_t> widths(targets.size() + 1);
  for (const auto& line : lines) {
    for (std::size_t i = 0; i < line.size(); ++i) widths[i] = std::max(widths[i], display_width(line[i]));
  }
  for (std::size_t width : widths) widest += width + 2;
  if (widest <= kTerminalColumns + 2) {
    print_columns(out, lines);
    out << '\n';
    return;
  }

  // Compact: a letter per cell under the targets' numbers, and the row's worst cell in words.
  lines.clear();
  lines.push_back({"workload"});
  for (std::size_t i = 0; i < targets.size(); ++i) lines.back().push_back(std::to_string(i + 1));
  lines.back().push_back("worst");
  std::size_t name_width = 0;
  for (const Row& row : rows)
    name_width = std::max(name_width, display_width(workload_text(row, kCompactWorkloadColumns)));
  name_width = std::max<std::size_t>(name_width, 8);
  const std::size_t letter_width = std::to_string(targets.size()).size();
  const std::size_t before_worst = name_width + 2 + targets.size() * (letter_width + 2);
  const std::size_t worst_width = before_worst + 20 < kTerminalColumns ? kTerminalColumns - before_worst : 20;
  for (const Row& row : rows) {
    std::vector<std::string> line{workload_text(row, kCompactWorkloadColumns)};
    for (const Cell& cell : row.cells) line.emplace_back(cell_letter(cell));
    line.push_back(shorten_end(escape::text(cell_text(row.worst())), worst_width));
    lines.push_back(std::move(line));
  }
  print_columns(out, lines);
  out << '\n';
  std::vector<std::string> legend;
  for (std::size_t i = 0; i < targets.size(); ++i) legend.push_back(fmt::format("{} {}", i + 1, targets[i]));
  std::string line = "targets:";
  for (const auto& item : legend) {
    if (display_width(line) + 2 + display_width(item) > kTerminalColumns) {
      out << line << '\n';
      line = "        ";
    }
    line += "  " + item;
  }
  out << line << '\n'
      << "B breaks, L likely breaks, r ready with findings to review, . ready, - not scheduled there; "
         "worst: the row's worst cell\n\n";
}

void write_markdown_matrix(std::ostream& out, const std::vector<Row>& rows, const std::vector<std::string>& targets,
                           bool all_rows) {
  out << "## Node OS readiness\n\n";
  std::vector<const Row*> shown;
  for (const Row& row : rows) {
    if (all_rows || !row.ready()) shown.push_back(&row);
  }
  const std::size_t not_ready = all_rows ? 0 : shown.size();
  const std::size_t ready = rows.size() - shown.size();
  if (!all_rows) {
    // The worst first: the rows a reader should see when there are more than fit.
    std::stable_sort(shown.begin(), shown.end(), [](const Row* a, const Row* b) { return a->weight() > b->weight(); });
  }
  std::vector<std::string> lines;  // the table's rows, as many as fit
  std::size_t table_bytes = 0;
  for (const Row* row : shown) {
    std::vector<std::string> cells{escape::markdown_cell(fit_workload(*row->workload, kWorkloadColumns))};
    for (const Cell& cell : row->cells) cells.push_back(escape::markdown_cell(cell_text(cell)));
    std::string line = fmt::format("| {} |\n", fmt::join(cells, " | "));
    table_bytes += line.size();
    if (!all_rows && table_bytes > kMarkdownTableBytes && !lines.empty()) break;
    lines.push_back(std::move(line));
  }
  shown.resize(lines.size());
  if (!shown.empty()) {
    std::vector<std::string> header{"workload"};
    header.insert(header.end(), targets.begin(), targets.end());
    fmt::print(out, "| {} |\n|{}|\n", fmt::join(header, " | "),
               fmt::join(std::vector<std::string>(header.size(), "---"), "|"));
    for (const std::string& line : lines) out << line;
    out << '\n';
  }
  if (!all_rows) {
    if (not_ready == 0) {
      fmt::print(out, "All {} workloads are ready on every target.\n\n", rows.size());
    } else if (not_ready > shown.size()) {
      fmt::print(out,
                 "{} workloads are not ready on some target; the {} above break on the most targets. {} more are "
                 "not shown, nor {} ready ones: `--all-rows` lists every workload, and the HTML and JSON reports "
                 "hold them all.\n\n",
                 not_ready, shown.size(), not_ready - shown.size(), ready);
    } else if (ready > 0) {
      fmt::print(out, "{} ready workloads are not shown (`--all-rows` lists every workload).\n\n", ready);
    }
  }
}

}  // namespace

void write_matrix_report(std::ostream& out, const LintResult& result, bool markdown, bool all_rows) {
  std::map<WorkloadKey, std::map<std::string, Cell>> cells;
  result.findings.for_each([&](const Finding& finding) {
    if (finding.suppressed()) return;
    for_each_workload_of(finding, [&](const std::string& file, const ObjectRef& object) {
      auto& row = cells[key_of(file, object)];
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
  });

  std::vector<Row> rows;
  std::map<std::string, std::map<Verdict, std::size_t>> totals;
  std::map<std::string, std::size_t> reviewed;
  std::map<std::string, std::size_t> unscheduled_count;
  for (const auto& workload : result.workloads) {
    Row row;
    row.workload = &workload;
    const auto found = cells.find(key_of(workload.file, workload.object));
    for (const auto& target : result.targets) {
      Cell cell;
      if (found != cells.end()) {
        if (auto it = found->second.find(target); it != found->second.end()) cell = it->second;
      }
      cell.unreachable =
          std::find(workload.unreachable.begin(), workload.unreachable.end(), target) != workload.unreachable.end();
      if (unscheduled(cell)) {
        ++unscheduled_count[target];
      } else {
        ++totals[target][cell.verdict == Verdict::Review ? Verdict::Ready : cell.verdict];
        if (cell.verdict <= Verdict::Review && cell.reviews > 0) ++reviewed[target];
      }
      row.cells.push_back(std::move(cell));
    }
    rows.push_back(std::move(row));
  }

  if (markdown) {
    write_markdown_matrix(out, rows, result.targets, all_rows);
  } else {
    write_text_matrix(out, rows, result.targets);
  }
  for (const auto& target : result.targets) {
    auto& counts = totals[target];
    std::string elsewhere;
    if (unscheduled_count[target] > 0) elsewhere = fmt::format(", {} not scheduled there", unscheduled_count[target]);
    fmt::print(out, "{}{}: {} ready ({} to review), {} likely breaks, {} breaks{}\n", markdown ? "- " : "", target,
               counts[Verdict::Ready], reviewed[target], counts[Verdict::LikelyBreaks], counts[Verdict::Breaks],
               elsewhere);
  }
}

}  // namespace immutalint
