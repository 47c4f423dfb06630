// The HTML readiness report: one self-contained page with the workloads x targets grid (worst rows
// first), the findings behind each cell, per-target counts, filters and each check's fix once.
// Everything from the input is escaped; ids are numbers of our own; the page's policy allows only
// its own style and script.
#include <algorithm>
#include <array>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include "immutalint/check.hpp"
#include "immutalint/escape.hpp"
#include "immutalint/report.hpp"
#include "report/csp_hash.hpp"
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

/// What a cell of the grid says, worst first: the order of the rows, the summary's columns and the
/// verdict filter. A workload that cannot be scheduled on a target's pools is not judged there,
/// which is neither ready nor broken.
enum class Standing { Ready, Review, NotScheduled, LikelyBreaks, Breaks };

constexpr std::array<Standing, 5> kWorstFirst = {Standing::Breaks, Standing::LikelyBreaks, Standing::NotScheduled,
                                                 Standing::Review, Standing::Ready};

std::string_view key_of(Standing standing) {
  switch (standing) {
    case Standing::Breaks: return "breaks";
    case Standing::LikelyBreaks: return "likely-breaks";
    case Standing::NotScheduled: return "not-scheduled";
    case Standing::Review: return "review";
    case Standing::Ready: break;
  }
  return "ready";
}

std::string_view label_of(Standing standing) {
  switch (standing) {
    case Standing::Breaks: return "breaks";
    case Standing::LikelyBreaks: return "likely breaks";
    case Standing::NotScheduled: return "not scheduled";
    case Standing::Review: return "review";
    case Standing::Ready: break;
  }
  return "ready";
}

/// The worst verdict of one workload on one column, and the finding that set it.
struct Cell {
  Verdict verdict = Verdict::Ready;
  std::string check;         ///< behind the worst verdict
  std::size_t findings = 0;  ///< findings with a verdict on this column
  std::size_t first = 0;     ///< number of the finding behind the worst verdict; 0 when none
  bool unreachable = false;  ///< the workload cannot be scheduled on this column's nodes

  /// As the matrix report counts it: not scheduled only when no finding concerns the column.
  Standing standing() const {
    if (unreachable && findings == 0) return Standing::NotScheduled;
    switch (verdict) {
      case Verdict::Breaks: return Standing::Breaks;
      case Verdict::LikelyBreaks: return Standing::LikelyBreaks;
      case Verdict::Review: return Standing::Review;
      case Verdict::Ready: break;
    }
    return Standing::Ready;
  }
};

using WorkloadKey = std::tuple<std::string, std::string, std::string, std::string>;  // file, kind, namespace, name

WorkloadKey key_of(const std::string& file, const ObjectRef& ref) {
  return {file, ref.kind, ref.namespace_, ref.name};
}

/// "1 workload", "3 workloads".
std::string counted(std::size_t count, std::string_view noun) {
  return fmt::format("{} {}{}", count, noun, count == 1 ? "" : "s");
}

std::string verdict_class(Verdict verdict) {
  return fmt::format("v-{}", to_key(verdict));
}

/// A finding listed in full: one that says a target breaks or likely breaks, or that is a
/// warning or an error by the configuration. Notes that only ask for a review are listed in one
/// line each; they are most of what a cluster or a large repository gives.
bool listed_in_full(const Finding& finding) {
  return finding.severity != Severity::Note || worst_verdict(finding) >= Verdict::LikelyBreaks;
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
    return find(finding.rendered ? finding.rendered->file : finding.file, *finding.object);
  }
  std::optional<std::size_t> find(const std::string& file, const ObjectRef& object) const {
    const auto found = index_.find(key_of(file, object));
    if (found == index_.end()) return std::nullopt;
    return found->second;
  }

 private:
  std::map<WorkloadKey, std::size_t> index_;
};

/// Catalogue prose for a page: paragraphs at blank lines (unless `paragraphs` is false: one line),
/// `code` spans as <code>.
std::string prose(std::string_view text, bool paragraphs = true) {
  std::string out = paragraphs ? "<p>" : "";
  const std::string escaped = html(text);  // newlines are now the two characters "\n"
  bool in_code = false;
  for (std::size_t at = 0; at < escaped.size(); ++at) {
    if (paragraphs && escaped.compare(at, 4, "\\n\\n") == 0) {
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
  if (in_code) out += "</code>";
  return paragraphs ? out + "</p>" : out;
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

/// How many findings of one check the page shows, and how.
struct CheckTally {
  std::size_t full = 0;             ///< listed in full
  std::size_t notes = 0;            ///< listed in one line, in their workload
  std::size_t notes_elsewhere = 0;  ///< notes on objects that are not in the grid: counted only
  std::set<std::string> files;      ///< of notes_elsewhere
  std::size_t anchor = 0;           ///< number of its section among the fixes (id "x<anchor>")
};

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
    for (std::size_t w = 0; w < workloads_count(); ++w) {
      const auto& unreachable = result.workloads[w].unreachable;
      for (std::size_t c = 0; c < columns_.size(); ++c) {
        cells_[w][c].unreachable =
            std::find(unreachable.begin(), unreachable.end(), columns_[c].name) != unreachable.end();
      }
    }
  }

  void write() {
    collect();
    write_head();
    write_summary();
    write_filters();
    write_grid();
    write_findings();
    write_fixes();
    fmt::print(out_, "<script>{}</script>\n</body>\n</html>\n", html_page::kScript);
  }

 private:
  /// First pass: each workload's worst verdict per column, as the matrix report counts it, and
  /// how many findings of each check the page shows in full, in short or only counts.
  void collect() {
    std::size_t number = 0;
    result_.findings.for_each([&](const Finding& finding) {
      if (finding.suppressed()) return;
      ++number;
      const auto workload = workloads_.find(finding);
      CheckTally& tally = tallies_[finding.check];
      if (listed_in_full(finding)) {
        ++tally.full;
      } else if (workload) {
        ++tally.notes;
        ++notes_in_workloads_;
      } else {
        ++tally.notes_elsewhere;
        tally.files.insert(finding.file);
        ++notes_elsewhere_;
      }
      if (workload) has_findings_[*workload] = true;
      // A finding on a shared cause gives its verdicts to every workload it lists.
      for_each_workload_of(finding, [&](const std::string& file, const ObjectRef& object) {
        const auto affected = workloads_.find(file, object);
        if (!affected) return;
        for (const auto& target : finding.targets) {
          const auto column = column_index_.find(target.target);
          if (column == column_index_.end()) continue;
          Cell& cell = cells_[*affected][column->second];
          ++cell.findings;
          if (target.verdict > cell.verdict || cell.first == 0) {
            cell.verdict = std::max(cell.verdict, target.verdict);
            cell.check = target.check.empty() ? finding.check : target.check;
            cell.first = number;
          }
        }
      });
    });
    std::size_t anchor = 0;
    for (auto& [check, tally] : tallies_) tally.anchor = ++anchor;
  }

  Standing row_standing(std::size_t workload) const {
    Standing worst = Standing::Ready;
    for (const auto& cell : cells_[workload]) worst = std::max(worst, cell.standing());
    return worst;
  }

  /// The grid's order: worst row first; among equals, the one that breaks on more targets, then
  /// likely breaks on more, and so on; then input order.
  std::vector<std::size_t> row_order() const {
    using Weight = std::array<std::size_t, kWorstFirst.size() + 1>;
    std::vector<Weight> weights(workloads_count());
    for (std::size_t w = 0; w < workloads_count(); ++w) {
      weights[w][0] = static_cast<std::size_t>(row_standing(w));
      for (const auto& cell : cells_[w]) {
        const auto at = std::find(kWorstFirst.begin(), kWorstFirst.end(), cell.standing()) - kWorstFirst.begin();
        ++weights[w][static_cast<std::size_t>(at) + 1];
      }
    }
    std::vector<std::size_t> order(workloads_count());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return weights[a] > weights[b]; });
    return order;
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
    for (Standing standing : kWorstFirst) fmt::print(out_, "<th>{}</th>", label_of(standing));
    out_ << "</tr></thead>\n<tbody>\n";
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      std::map<Standing, std::size_t> counts;
      for (std::size_t w = 0; w < cells_.size(); ++w) ++counts[cells_[w][c].standing()];
      fmt::print(out_, "<tr data-column=\"{}\"><th scope=\"row\" title=\"{}\">{}</th>", html(columns_[c].name),
                 html(columns_[c].title), html(columns_[c].name));
      for (Standing standing : kWorstFirst) {
        fmt::print(out_, "<td class=\"v-{}\" data-count=\"{}\">{}</td>", key_of(standing), key_of(standing),
                   counts[standing]);
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
    if (s.folded > 0) numbers.emplace_back("folded", s.folded);
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
    out_ << "<form id=\"filters\" hidden>\n<label>Find <input type=\"search\" id=\"filter-text\" "
            "placeholder=\"name, check, path...\" autocomplete=\"off\"></label>\n"
            "<label>Namespace <select id=\"filter-namespace\"><option>all namespaces</option>";
    for (const auto& name : namespaces) {
      fmt::print(out_, "<option value=\"{}\">{}</option>", html(name), name.empty() ? "(none)" : html(name));
    }
    out_ << "</select></label>\n<fieldset><legend>Worst verdict</legend>";
    for (Standing standing : kWorstFirst) {
      fmt::print(out_, "<label><input type=\"checkbox\" name=\"verdict\" value=\"{}\" checked> {}</label>",
                 key_of(standing), label_of(standing));
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
    for (std::size_t w : row_order()) {
      const WorkloadRef& workload = result_.workloads[w];
      fmt::print(out_, "<tr id=\"w{}\" data-namespace=\"{}\" data-verdict=\"{}\"><th scope=\"row\">", w + 1,
                 html(workload.object.namespace_), key_of(row_standing(w)));
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
  /// the number of other findings in the cell on a line of their own. The script finds the cell's
  /// workload and column from its row and position.
  void write_cell(std::size_t w, std::size_t c) {
    const Cell& cell = cells_[w][c];
    fmt::print(out_, "<td class=\"v-{}\">", key_of(cell.standing()));
    if (cell.first == 0) {
      fmt::print(out_, "{}</td>",
                 cell.standing() == Standing::NotScheduled ? "<span class=\"off\">not scheduled here</span>" : "ready");
      return;
    }
    std::string text = fmt::format("{}: <span class=\"check\">{}", to_string(cell.verdict), html(cell.check));
    if (cell.findings > 1) text += fmt::format(" (+{})", cell.findings - 1);
    text += "</span>";
    fmt::print(out_, "<a href=\"#f{}\">{}</a></td>", cell.first, text);
  }

  /// Second pass: the findings in report order, under a heading whenever the workload changes.
  /// Within a workload, the findings listed in full come first, then its notes in one line each.
  void write_findings() {
    out_ << "<section id=\"findings\">\n<h2>Findings</h2>\n";
    if (notes_in_workloads_ + notes_elsewhere_ > 0) {
      out_ << "<p class=\"help\">";
      if (notes_in_workloads_ > 0) {
        fmt::print(out_, "{} that only ask for a review are shown in one line each, under their workload. ",
                   counted(notes_in_workloads_, "note"));
      }
      if (notes_elsewhere_ > 0) {
        fmt::print(out_, "{} on objects that are not workloads are counted per check at the end. ",
                   counted(notes_elsewhere_, "note"));
      }
      out_ << "The JSON report (<code>--format json</code>) and the text report with <code>--show-notes</code> "
              "list every note in full, with its facts, evidence and related observations.</p>\n";
    }
    std::vector<bool> anchored(workloads_count(), false);
    bool open = false;
    std::optional<std::size_t> current_workload;
    std::string current_file;
    std::string notes;  // the open group's notes, written when it closes
    const auto close = [&] {
      if (!open) return;
      if (!notes.empty()) fmt::print(out_, "<ul class=\"notes\">\n{}</ul>\n", notes);
      notes.clear();
      out_ << "</section>\n";
    };
    std::size_t number = 0;
    std::size_t listed = 0;
    result_.findings.for_each([&](const Finding& finding) {
      if (finding.suppressed()) return;
      ++number;
      const auto workload = workloads_.find(finding);
      const bool full = listed_in_full(finding);
      if (!full && !workload) return;  // counted per check at the end
      ++listed;
      const bool same_group = open && workload == current_workload && (workload || finding.file == current_file);
      if (!same_group) {
        close();
        open = true;
        current_workload = workload;
        current_file = finding.file;
        if (workload) {
          const WorkloadRef& ref = result_.workloads[*workload];
          std::string id;
          if (!anchored[*workload]) id = fmt::format(" id=\"d{}\"", *workload + 1);
          anchored[*workload] = true;
          fmt::print(out_,
                     "<section class=\"workload\"{} data-workload=\"{}\">\n<h3>{} <a href=\"#w{}\">grid</a></h3>\n", id,
                     *workload + 1, workload_heading(ref), *workload + 1);
        } else {
          fmt::print(out_,
                     "<section class=\"workload\">\n<h3>Not in a workload: <span class=\"where\">{}</span></h3>\n",
                     html(finding.file));
        }
      }
      if (full) {
        write_finding(finding, number, workload);
      } else {
        notes += note_line(finding, number, *workload);
      }
    });
    close();
    if (listed == 0 && notes_elsewhere_ == 0) out_ << "<p>No findings.</p>\n";
    write_notes_elsewhere();
    out_ << "</section>\n";
  }

  /// The columns a finding has a verdict on, for the script to mark a cell's findings (its
  /// workload is that of its section).
  std::string columns_attribute(const Finding& finding) const {
    std::string columns;
    for (const auto& target : finding.targets) {
      if (auto column = column_index_.find(target.target); column != column_index_.end()) {
        columns += fmt::format("{}{}", columns.empty() ? "" : " ", column->second);
      }
    }
    return fmt::format(" data-columns=\"{}\"", columns);
  }

  /// `[check]`, linked to the check's fix.
  std::string check_link(const std::string& check) const {
    const auto tally = tallies_.find(check);
    if (tally == tallies_.end()) return fmt::format("<code>[{}]</code>", html(check));
    return fmt::format("<a class=\"fix-link\" href=\"#x{}\">[{}]</a>", tally->second.anchor, html(check));
  }

  /// A note in one line: its message, check, place and the checks it folds in.
  std::string note_line(const Finding& finding, std::size_t number, std::size_t workload) const {
    std::string line = fmt::format("<li class=\"finding\" id=\"f{}\"", number);
    if (!finding.targets.empty()) {
      line += fmt::format(" data-verdict=\"{}\"{}", to_key(worst_verdict(finding)), columns_attribute(finding));
    }
    line += fmt::format(">{} {} <span class=\"where\">({})</span>", html(finding.message), check_link(finding.check),
                        place_text(Place{finding.file, finding.span, {}}, result_.workloads[workload].file));
    for (const auto& related : finding.related) line += fmt::format(" also <code>[{}]</code>", html(related.check));
    return line + "</li>\n";
  }

  void write_finding(const Finding& finding, std::size_t number, std::optional<std::size_t> workload) {
    fmt::print(out_, "<article class=\"finding\" id=\"f{}\"", number);
    if (!finding.targets.empty()) fmt::print(out_, " data-verdict=\"{}\"", to_key(worst_verdict(finding)));
    if (workload) {
      if (!finding.targets.empty()) out_ << columns_attribute(finding);
    } else if (finding.object) {
      fmt::print(out_, " data-namespace=\"{}\"", html(finding.object->namespace_));
    }
    out_ << ">\n<h4>";
    if (finding.targets.empty()) {
      fmt::print(out_, "<span class=\"badge severity\">{}</span>", to_string(finding.severity));
    } else {
      const Verdict worst = worst_verdict(finding);
      fmt::print(out_, "<span class=\"badge {}\">{}</span>", verdict_class(worst), to_string(worst));
    }
    fmt::print(out_, " {} {}</h4>\n", html(finding.message), check_link(finding.check));

    // In its workload's file, the line is enough: the heading names the file.
    if (workload && finding.file == result_.workloads[*workload].file) {
      fmt::print(out_, "<p class=\"where\">line {}:{}", finding.span.begin.line, finding.span.begin.column);
    } else {
      fmt::print(out_, "<p class=\"where\"><code>{}:{}:{}</code>", html(finding.file), finding.span.begin.line,
                 finding.span.begin.column);
    }
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
        const std::string about = related.object ? related.object->describe() + ": " : std::string();
        fmt::print(out_, "<li>also <code>[{}]</code> ({}): {}{} <span class=\"where\">({})</span></li>\n",
                   html(related.check), to_string(related.verdict), html(about), html(related.message),
                   place_text(related.place, finding.file));
      }
      out_ << "</ul>\n";
    }
    out_ << "</article>\n";
  }

  /// Notes on objects outside the grid (a CustomResourceDefinition defined twice, a ConfigMap):
  /// how many per check, and where to read them.
  void write_notes_elsewhere() {
    if (notes_elsewhere_ == 0) return;
    out_ << "<section class=\"elsewhere\">\n<h3>Notes on objects that are not workloads</h3>\n<ul>\n";
    for (const auto& [check, tally] : tallies_) {
      if (tally.notes_elsewhere == 0) continue;
      fmt::print(out_, "<li data-notes=\"{}\">{}: {} in {}</li>\n", tally.notes_elsewhere, check_link(check),
                 counted(tally.notes_elsewhere, "note"), counted(tally.files.size(), "file"));
    }
    out_ << "</ul>\n<p>The JSON report (<code>--format json</code>) lists each of them; so does the text report "
            "with <code>--show-notes</code> (add <code>--only ID</code> for one check).</p>\n</section>\n";
  }

  /// Each check's fix once, with how many findings of the page it concerns; findings link here.
  void write_fixes() {
    if (tallies_.empty()) return;
    out_ << "<section id=\"fixes\">\n<h2>How to fix</h2>\n";
    for (const auto& [check, tally] : tallies_) {
      const CheckInfo* info = catalogue_.find(check);
      fmt::print(out_, "<article class=\"fix\" id=\"x{}\">\n<h3><code>{}</code>{}{}</h3>\n", tally.anchor, html(check),
                 info && !info->summary.empty() ? " " : "", info ? prose(info->summary, false) : "");
      std::vector<std::string> counts;
      if (tally.full > 0) counts.push_back(counted(tally.full, "finding"));
      if (tally.notes + tally.notes_elsewhere > 0)
        counts.push_back(counted(tally.notes + tally.notes_elsewhere, "note"));
      fmt::print(out_,
                 "<p class=\"where\">{} on this page; <code>immutalint --explain {}</code> says why it matters "
                 "on each target</p>\n",
                 fmt::join(counts, " and "), html(check));
      if (info && !info->remediation.empty()) out_ << prose(info->remediation) << '\n';
      out_ << "</article>\n";
    }
    out_ << "</section>\n";
  }

  std::ostream& out_;
  const LintResult& result_;
  const Catalogue& catalogue_;
  std::vector<Column> columns_;
  std::map<std::string, std::size_t> column_index_;
  WorkloadIndex workloads_;
  std::vector<std::vector<Cell>> cells_;  // [workload][column]
  std::vector<bool> has_findings_;        // [workload]
  std::map<std::string, CheckTally> tallies_;
  std::size_t notes_in_workloads_ = 0;
  std::size_t notes_elsewhere_ = 0;
};

}  // namespace

void write_html_report(std::ostream& out, const LintResult& result, const Catalogue& catalogue) {
  HtmlReport(out, result, catalogue).write();
}

}  // namespace immutalint
