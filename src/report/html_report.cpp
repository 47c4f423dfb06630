// The HTML readiness report: one self-contained page with the workloads x targets grid, the
// findings behind each cell, per-target counts and filters. Everything from the input is
// escaped; ids are numbers of our own; the page's policy allows only its own style and script.
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "immutalint/check.hpp"
#include "immutalint/report.hpp"
#include "report/csp_hash.hpp"
#include "report/escape.hpp"
#include "report/html_page.hpp"

namespace immutalint {

namespace {

using escape::html;

/// A column of the grid. Today each target judged is one; a column only needs a name to match
/// verdicts against and a title to show, so node pools can take their place.
struct Column {
  std::string name;   ///< matched against TargetVerdict::target
  std::string title;  ///< shown on hover, e.g. "Talos Linux"
};

std::vector<Column> target_columns(const LintResult& result) {
  const auto& targets = TargetSet::builtin();
  std::vector<Column> columns;
  for (const auto& name : result.targets) {
    const Target* target = targets ? targets->find(name) : nullptr;
    columns.push_back({name, target ? target->title() : name});
  }
  return columns;
}

/// The worst verdict of one workload on one column, and the finding that set it.
struct Cell {
  Verdict verdict = Verdict::Ready;
  std::string check;         ///< behind the worst verdict
  std::size_t findings = 0;  ///< findings with a verdict on this column
  std::size_t first = 0;     ///< number of the finding behind the worst verdict; 0 when none
};

using WorkloadKey = std::tuple<std::string, std::string, std::string, std::string>;  // file, kind, namespace, name

WorkloadKey key_of(const std::string& file, const ObjectRef& ref) {
  return {file, ref.kind, ref.namespace_, ref.name};
}

/// "1 workload", "3 workloads".
std::string counted(std::size_t count, std::string_view noun) {
  return fmt::format("{} {}{}", count, noun, count == 1 ? "" : "s");
}

constexpr Verdict kVerdicts[] = {Verdict::Ready, Verdict::Review, Verdict::LikelyBreaks, Verdict::Breaks};

std::string verdict_class(Verdict verdict) {
  return fmt::format("v-{}", to_key(verdict));
}

/// Finds the workload a finding belongs to, as the matrix report does (by the rendered file for
/// findings moved onto a Helm template).
class WorkloadIndex {
 public:
  explicit WorkloadIndex(const std::vector<WorkloadRef>& workloads) {
    for (std::size_t i = 0; i < workloads.size(); ++i)
      index_.emplace(key_of(workloads[i].file, workloads[i].object), i);
  }
  std::optional<std::size_t> find(const Finding& finding) const {
    if (!finding.object) return std::nullopt;
    const std::string& file = finding.rendered ? finding.rendered->file : finding.file;
    const auto found = index_.find(key_of(file, *finding.object));
    if (found == index_.end()) return std::nullopt;
    return found->second;
  }

 private:
  std::map<WorkloadKey, std::size_t> index_;
};

/// Catalogue prose for a page: paragraphs at blank lines, `code` spans as <code>.
std::string prose(std::string_view text) {
  std::string out = "<p>";
  const std::string escaped = html(text);  // newlines are now the two characters "\n"
  bool in_code = false;
  for (std::size_t at = 0; at < escaped.size(); ++at) {
    if (escaped.compare(at, 4, "\\n\\n") == 0) {
      out += in_code ? "</code></p><p>" : "</p><p>";
      in_code = false;
      at += 3;
    } else if (escaped.compare(at, 2, "\\n") == 0) {
      out += ' ';
      ++at;
    } else if (escaped[at] == '`') {
      out += in_code ? "</code>" : "<code>";
      in_code = !in_code;
    } else {
      out += escaped[at];
    }
  }
  while (out.ends_with(' ')) out.pop_back();
  out += in_code ? "</code></p>" : "</p>";
  return out;
}

std::string workload_heading(const WorkloadRef& workload) {
  const ObjectRef& ref = workload.object;
  return fmt::format(R"(<span class="kind">{}</span> {} <span class="where">{}:{}</span>)", html(ref.kind),
                     html(ref.qualified_name()), html(workload.file), workload.line);
}

/// "line 20", or "other.yaml:20" when the place is in another file.
std::string place_text(const Place& place, const std::string& file) {
  if (!place.file.empty() && place.file != file) return fmt::format("{}:{}", html(place.file), place.span.begin.line);
  return fmt::format("line {}", place.span.begin.line);
}

class HtmlReport {
 public:
  HtmlReport(std::ostream& out, const LintResult& result, const Catalogue& catalogue)
      : out_(out),
        result_(result),
        catalogue_(catalogue),
        columns_(target_columns(result)),
        workloads_(result.workloads),
        cells_(result.workloads.size(), std::vector<Cell>(columns_.size())),
        has_findings_(result.workloads.size(), false) {
    for (std::size_t c = 0; c < columns_.size(); ++c) column_index_.emplace(columns_[c].name, c);
  }

  void write() {
    collect_cells();
    write_head();
    write_summary();
    write_filters();
    write_grid();
    write_findings();
    fmt::print(out_, "<script>{}</script>\n</body>\n</html>\n", html_page::kScript);
  }

 private:
  /// First pass: each workload's worst verdict per column, as the matrix report counts it.
  void collect_cells() {
    std::size_t number = 0;
    result_.findings.for_each([&](const Finding& finding) {
      if (finding.suppressed()) return;
      ++number;
      const auto workload = workloads_.find(finding);
      if (!workload) return;
      has_findings_[*workload] = true;
      for (const auto& target : finding.targets) {
        const auto column = column_index_.find(target.target);
        if (column == column_index_.end()) continue;
        Cell& cell = cells_[*workload][column->second];
        ++cell.findings;
        if (target.verdict > cell.verdict || cell.first == 0) {
          cell.verdict = std::max(cell.verdict, target.verdict);
          cell.check = target.check.empty() ? finding.check : target.check;
          cell.first = number;
        }
      }
    });
  }

  Verdict row_verdict(std::size_t workload) const {
    Verdict worst = Verdict::Ready;
    for (const auto& cell : cells_[workload]) worst = std::max(worst, cell.verdict);
    return worst;
  }

  void write_head() {
    const std::string policy =
        fmt::format("default-src 'none'; style-src '{}'; script-src '{}'; base-uri 'none'; form-action 'none'",
                    csp::hash_source(html_page::kStyle), csp::hash_source(html_page::kScript));
    fmt::print(out_,
               "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
               "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n"
               "<meta name=\"referrer\" content=\"no-referrer\">\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
               "<title>Node OS readiness - {} {}</title>\n<style>{}</style>\n</head>\n<body>\n"
               "<h1>Node OS readiness</h1>\n<p class=\"tool\">{} {}: {} judged for {}</p>\n",
               policy, kToolName, kToolVersion, html_page::kStyle, kToolName, kToolVersion,
               counted(workloads_count(), "workload"), counted(columns_.size(), "target"));
  }

  std::size_t workloads_count() const { return result_.workloads.size(); }

  void write_summary() {
    out_ << "<section id=\"summary\">\n<h2>Summary</h2>\n<table class=\"counts\">\n<thead><tr><th>Target</th>";
    for (Verdict verdict : kVerdicts) fmt::print(out_, "<th>{}</th>", to_string(verdict));
    out_ << "</tr></thead>\n<tbody>\n";
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      std::map<Verdict, std::size_t> counts;
      for (std::size_t w = 0; w < cells_.size(); ++w) ++counts[cells_[w][c].verdict];
      fmt::print(out_, "<tr data-column=\"{}\"><th scope=\"row\" title=\"{}\">{}</th>", html(columns_[c].name),
                 html(columns_[c].title), html(columns_[c].name));
      for (Verdict verdict : kVerdicts) {
        fmt::print(out_, "<td class=\"{}\" data-count=\"{}\">{}</td>", verdict_class(verdict), to_key(verdict),
                   counts[verdict]);
      }
      out_ << "</tr>\n";
    }
    out_ << "</tbody>\n</table>\n<dl class=\"run\">\n";
    const Summary& s = result_.summary;
    std::vector<std::pair<std::string_view, std::size_t>> numbers = {
        {"files", s.files},         {"documents", s.documents}, {"objects", s.objects},
        {"workloads", s.workloads}, {"skipped", s.skipped},     {"error", s.errors},
        {"warning", s.warnings},    {"note", s.notes},          {"suppressed", s.suppressed}};
    if (s.baselined > 0) numbers.emplace_back("baselined", s.baselined);
    for (const auto& [name, value] : numbers) {
      fmt::print(out_, "<div><dt>{}</dt><dd data-summary=\"{}\">{}</dd></div>\n", name, name, value);
    }
    out_ << "</dl>\n";
    if (!result_.notices.empty()) {
      out_ << "<ul class=\"notices\">\n";
      for (const auto& notice : result_.notices) fmt::print(out_, "<li>{}</li>\n", html(notice));
      out_ << "</ul>\n";
    }
    out_ << "</section>\n";
  }

  /// Hidden until the script shows it: without script the controls would do nothing.
  void write_filters() {
    std::set<std::string> namespaces;
    for (const auto& workload : result_.workloads) namespaces.insert(workload.object.namespace_);
    out_ << "<form id=\"filters\" hidden>\n<label>Namespace <select id=\"filter-namespace\">"
            "<option>all namespaces</option>";
    for (const auto& name : namespaces) {
      fmt::print(out_, "<option value=\"{}\">{}</option>", html(name), name.empty() ? "(none)" : html(name));
    }
    out_ << "</select></label>\n<fieldset><legend>Worst verdict</legend>";
    for (auto verdict = std::rbegin(kVerdicts); verdict != std::rend(kVerdicts); ++verdict) {
      fmt::print(out_, "<label><input type=\"checkbox\" name=\"verdict\" value=\"{}\" checked> {}</label>",
                 to_key(*verdict), to_string(*verdict));
    }
    out_ << "</fieldset>\n<output id=\"filter-count\"></output>\n</form>\n";
  }

  void write_grid() {
    out_ << "<section id=\"grid\">\n<h2>Workloads</h2>\n<div class=\"grid-wrap\">\n<table class=\"grid\">\n"
            "<thead><tr><th>Workload</th>";
    for (const auto& column : columns_) {
      fmt::print(out_, "<th scope=\"col\" title=\"{}\">{}</th>", html(column.title), html(column.name));
    }
    out_ << "</tr></thead>\n<tbody>\n";
    for (std::size_t w = 0; w < workloads_count(); ++w) {
      const WorkloadRef& workload = result_.workloads[w];
      fmt::print(out_, "<tr id=\"w{}\" data-namespace=\"{}\" data-verdict=\"{}\"><th scope=\"row\">", w + 1,
                 html(workload.object.namespace_), to_key(row_verdict(w)));
      if (has_findings_[w]) {
        fmt::print(out_, "<a href=\"#d{}\">{}</a>", w + 1, workload_heading(workload));
      } else {
        out_ << workload_heading(workload);
      }
      out_ << "</th>";
      for (std::size_t c = 0; c < columns_.size(); ++c) write_cell(w, c);
      out_ << "</tr>\n";
    }
    out_ << "</tbody>\n</table>\n</div>\n</section>\n";
  }

  /// "breaks: host-package-install (+2)", linked to the finding behind the verdict; the check and
  /// the number of other findings in the cell on a line of their own.
  void write_cell(std::size_t w, std::size_t c) {
    const Cell& cell = cells_[w][c];
    fmt::print(out_, "<td class=\"{}\" data-verdict=\"{}\">", verdict_class(cell.verdict), to_key(cell.verdict));
    if (cell.first == 0) {
      const auto& unreachable = result_.workloads[w].unreachable;
      const bool off = std::find(unreachable.begin(), unreachable.end(), columns_[c].name) != unreachable.end();
      fmt::print(out_, "{}</td>", off ? "<span class=\"off\">not scheduled here</span>" : to_string(cell.verdict));
      return;
    }
    std::string text = fmt::format("{}: <span class=\"check\">{}", to_string(cell.verdict), html(cell.check));
    if (cell.findings > 1) text += fmt::format(" (+{})", cell.findings - 1);
    text += "</span>";
    fmt::print(out_, "<a href=\"#f{}\" data-workload=\"{}\" data-column=\"{}\" title=\"{} {} on {}\">{}</a></td>",
               cell.first, w + 1, c, cell.findings, cell.findings == 1 ? "finding" : "findings",
               html(columns_[c].title), text);
  }

  /// Second pass: the findings in report order, under a heading whenever the workload changes.
  void write_findings() {
    out_ << "<section id=\"findings\">\n<h2>Findings</h2>\n";
    std::vector<bool> anchored(workloads_count(), false);
    bool open = false;
    std::optional<std::size_t> current_workload;
    std::string current_file;
    std::size_t number = 0;
    result_.findings.for_each([&](const Finding& finding) {
      if (finding.suppressed()) return;
      ++number;
      const auto workload = workloads_.find(finding);
      const bool same_group = open && workload == current_workload && (workload || finding.file == current_file);
      if (!same_group) {
        if (open) out_ << "</section>\n";
        open = true;
        current_workload = workload;
        current_file = finding.file;
        if (workload) {
          const WorkloadRef& ref = result_.workloads[*workload];
          std::string id;
          if (!anchored[*workload]) id = fmt::format(" id=\"d{}\"", *workload + 1);
          anchored[*workload] = true;
          fmt::print(out_,
                     "<section class=\"workload\"{} data-namespace=\"{}\">\n<h3>{} <a href=\"#w{}\">grid</a></h3>\n",
                     id, html(ref.object.namespace_), workload_heading(ref), *workload + 1);
        } else {
          fmt::print(out_,
                     "<section class=\"workload\">\n<h3>Not in a workload: <span class=\"where\">{}</span></h3>\n",
                     html(finding.file));
        }
      }
      write_finding(finding, number, workload);
    });
    if (open) out_ << "</section>\n";
    if (number == 0) out_ << "<p>No findings.</p>\n";
    out_ << "</section>\n";
  }

  void write_finding(const Finding& finding, std::size_t number, std::optional<std::size_t> workload) {
    fmt::print(out_, "<article class=\"finding\" id=\"f{}\"", number);
    if (!finding.targets.empty()) fmt::print(out_, " data-verdict=\"{}\"", to_key(worst_verdict(finding)));
    if (finding.object) fmt::print(out_, " data-namespace=\"{}\"", html(finding.object->namespace_));
    if (workload) {
      std::string columns;
      for (const auto& target : finding.targets) {
        if (auto column = column_index_.find(target.target); column != column_index_.end()) {
          columns += fmt::format("{}{}", columns.empty() ? "" : " ", column->second);
        }
      }
      fmt::print(out_, " data-workload=\"{}\" data-columns=\"{}\"", *workload + 1, columns);
    }
    out_ << ">\n<h4>";
    if (finding.targets.empty()) {
      fmt::print(out_, "<span class=\"badge severity\">{}</span>", to_string(finding.severity));
    } else {
      const Verdict worst = worst_verdict(finding);
      fmt::print(out_, "<span class=\"badge {}\">{}</span>", verdict_class(worst), to_string(worst));
    }
    fmt::print(out_, " {} <code>[{}]</code></h4>\n", html(finding.message), html(finding.check));

    fmt::print(out_, "<p class=\"where\"><code>{}:{}:{}</code>", html(finding.file), finding.span.begin.line,
               finding.span.begin.column);
    if (finding.object && !workload) fmt::print(out_, " in {}", html(finding.object->describe()));
    if (!finding.container.empty()) fmt::print(out_, ", container <code>{}</code>", html(finding.container));
    if (!finding.field.empty()) fmt::print(out_, ", field <code>{}</code>", html(finding.field));
    if (!finding.source.empty()) fmt::print(out_, ", from <code>{}</code>", html(finding.source));
    if (finding.rendered) {
      fmt::print(out_, ", rendered at <code>{}:{}:{}</code>", html(finding.rendered->file),
                 finding.rendered->span.begin.line, finding.rendered->span.begin.column);
    }
    out_ << "</p>\n";

    if (!finding.targets.empty()) {
      out_ << "<table class=\"facts\"><thead><tr><th>Target</th><th>Verdict</th><th>Fact</th><th>Source</th>"
              "<th>Confidence</th></tr></thead><tbody>\n";
      for (const auto& target : finding.targets) {
        fmt::print(out_, "<tr><td>{}</td><td class=\"{}\">{}</td><td>{}", html(target.target),
                   verdict_class(target.verdict), to_string(target.verdict), html(target.why));
        if (!target.check.empty()) fmt::print(out_, " (from <code>{}</code>)", html(target.check));
        if (target.source.empty()) {
          out_ << "</td><td></td><td></td></tr>\n";
        } else {
          fmt::print(out_, "</td><td><code>{}</code></td><td>{}</td></tr>\n", html(target.source),
                     to_string(target.confidence));
        }
      }
      out_ << "</tbody></table>\n";
    }
    if (!finding.evidence.empty()) {
      out_ << "<ul class=\"evidence\">\n";
      for (const auto& item : finding.evidence) {
        fmt::print(out_, "<li>{} <span class=\"where\">({})</span></li>\n", html(item.text),
                   place_text(item.place, finding.file));
      }
      out_ << "</ul>\n";
    }
    if (!finding.related.empty()) {
      out_ << "<ul class=\"related\">\n";
      for (const auto& related : finding.related) {
        fmt::print(out_, "<li>also <code>[{}]</code> ({}): {} <span class=\"where\">({})</span></li>\n",
                   html(related.check), to_string(related.verdict), html(related.message),
                   place_text(related.place, finding.file));
      }
      out_ << "</ul>\n";
    }
    if (const CheckInfo* check = catalogue_.find(finding.check); check && !check->remediation.empty()) {
      fmt::print(out_, "<div class=\"fix\"><strong>Fix</strong>{}</div>\n", prose(check->remediation));
    }
    out_ << "</article>\n";
  }

  std::ostream& out_;
  const LintResult& result_;
  const Catalogue& catalogue_;
  std::vector<Column> columns_;
  std::map<std::string, std::size_t> column_index_;
  WorkloadIndex workloads_;
  std::vector<std::vector<Cell>> cells_;  // [workload][column]
  std::vector<bool> has_findings_;        // [workload]
};

}  // namespace

void write_html_report(std::ostream& out, const LintResult& result, const Catalogue& catalogue) {
  HtmlReport(out, result, catalogue).write();
}

}  // namespace immutalint
