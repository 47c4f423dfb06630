// The fixed parts of the HTML report: its style sheet and its script. Both are inline, so that
// the report is one file that needs nothing from the network, and the page's
// Content-Security-Policy allows exactly these two texts by their SHA-256 (csp_hash.hpp): a
// byte changed here changes the hashes with it.
#pragma once

#include <string_view>

namespace immutalint::html_page {

inline constexpr std::string_view kStyle = R"css(
:root { color-scheme: light; }
[hidden] { display: none !important; }
body { margin: 0 24px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1f24; background: #fff; }
h1 { font-size: 22px; margin: 20px 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; }
h4 { font-size: 14px; margin: 0 0 4px; font-weight: 600; }
code { font: 12.5px ui-monospace, "DejaVu Sans Mono", monospace; overflow-wrap: anywhere; }
a { color: inherit; }
.tool { color: #57606a; margin: 0; }
table { border-collapse: collapse; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: #f6f8fa; }
.counts td { text-align: right; min-width: 5em; }
.run { display: flex; flex-wrap: wrap; gap: 6px 20px; margin: 12px 0 0; padding: 0; }
.run div { display: flex; gap: 6px; }
.run dt { color: #57606a; }
.run dd { margin: 0; font-weight: 600; }
#filters { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 20px; margin: 16px 0 8px; padding: 8px 12px; background: #f6f8fa; border: 1px solid #d0d7de; }
#filters fieldset { border: 0; margin: 0; padding: 0; display: flex; gap: 10px; }
#filters legend { float: left; margin-right: 8px; padding: 0; }
#filter-count { color: #57606a; }
.grid-wrap { overflow-x: auto; }
.grid thead th { position: sticky; top: 0; }
.grid { font-size: 13px; }
.grid th[scope=row] { font-weight: normal; min-width: 14em; max-width: 22em; overflow-wrap: anywhere; }
.grid th[scope=row] .where { display: block; }
.grid td { min-width: 6em; padding: 3px 6px; }
.grid td .check { display: block; font-size: 12px; overflow-wrap: anywhere; }
.grid td a { display: block; text-decoration: none; }
.grid td a:hover, .grid td a:focus { text-decoration: underline; }
.kind { font-weight: 600; }
.where { color: #57606a; font-size: 12.5px; }
.v-breaks { background: #f9d0d0; color: #7d0f0f; }
.v-likely-breaks { background: #fde2c4; color: #733b00; }
.v-review { background: #fff1b8; color: #574600; }
.v-ready { background: #dcf1e0; color: #14532d; }
.v-not-scheduled { background: #eceff3; color: #3d4654; }
.off { color: #5f6b7a; font-style: italic; }
.badge { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 12px; font-weight: 600; }
.severity { background: #eaeef2; color: #24292f; }
section.workload { margin-top: 18px; }
article.finding { border: 1px solid #d0d7de; border-left-width: 4px; padding: 8px 12px; margin: 8px 0; }
article.finding[data-verdict=breaks] { border-left-color: #c62828; }
article.finding[data-verdict=likely-breaks] { border-left-color: #e07b00; }
article.finding[data-verdict=review] { border-left-color: #c9a400; }
.finding:target, .finding.in-cell { outline: 2px solid #0969da; }
article.finding p { margin: 4px 0; }
.facts { margin: 6px 0; font-size: 13px; }
.facts td, .facts th { padding: 2px 6px; }
ul.evidence, ul.related { margin: 4px 0; padding-left: 20px; }
#filter-text { width: 16em; }
ul.notes { margin: 8px 0; padding: 2px 0 2px 24px; border-left: 4px solid #c9a400; }
ul.notes li { margin: 2px 0; }
a.fix-link { font: 12.5px ui-monospace, "DejaVu Sans Mono", monospace; text-decoration: none; }
a.fix-link:hover, a.fix-link:focus { text-decoration: underline; }
.help { color: #57606a; }
article.fix { border-top: 1px solid #d0d7de; margin: 12px 0; }
article.fix:target { outline: 2px solid #0969da; }
article.fix p { margin: 4px 0; }
)css";

inline constexpr std::string_view kScript = R"js(
(function () {
  'use strict';
  function all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  var form = document.getElementById('filters');
  var textInput = document.getElementById('filter-text');
  var namespaceSelect = document.getElementById('filter-namespace');
  var verdictBoxes = all('input[name=verdict]', form);
  var rows = all('#grid tbody tr');
  var groups = all('#findings section.workload');
  var findings = all('#findings .finding');
  var count = document.getElementById('filter-count');

  // Data comes from data-* attributes and text content only, and is compared, never parsed or
  // inserted as markup.
  var rowOf = {};
  rows.forEach(function (row) { rowOf[row.id.slice(1)] = row; });
  // What the text filter searches: a row's own text and its findings', or a group's own.
  var haystack = new Map();
  rows.forEach(function (row) { haystack.set(row, row.textContent.toLowerCase()); });
  groups.forEach(function (group) {
    var row = rowOf[group.dataset.workload];
    var text = group.textContent.toLowerCase();
    if (row) haystack.set(row, haystack.get(row) + '\n' + text);
    else haystack.set(group, text);
  });

  function verdictWanted(verdict) {
    if (verdict === undefined) return true;
    return verdictBoxes.some(function (box) { return box.checked && box.value === verdict; });
  }
  function namespaceWanted(element) {
    return namespaceSelect.selectedIndex === 0 || element.dataset.namespace === namespaceSelect.value;
  }
  function textWanted(element) {
    var query = textInput.value.trim().toLowerCase();
    return query === '' || haystack.get(element).indexOf(query) >= 0;
  }

  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      row.hidden = !(namespaceWanted(row) && verdictWanted(row.dataset.verdict) && textWanted(row));
      if (!row.hidden) shown += 1;
    });
    // A workload's findings follow its row; the others follow the filters themselves.
    groups.forEach(function (group) {
      var row = rowOf[group.dataset.workload];
      var open = row ? !row.hidden : textWanted(group);
      all('.finding', group).forEach(function (finding) {
        finding.hidden = !open || !verdictWanted(finding.dataset.verdict) || (!row && !namespaceWanted(finding));
      });
      group.hidden = !group.querySelector('.finding:not([hidden])');
    });
    count.textContent = shown + ' of ' + rows.length + ' workloads shown';
  }

  // A cell's link jumps to the finding behind its verdict; mark every finding of the cell too.
  function markCell(cell) {
    var workload = cell.parentElement.id.slice(1);
    var column = String(cell.cellIndex - 1);
    findings.forEach(function (finding) {
      var inCell = finding.closest('section.workload').dataset.workload === workload &&
          (finding.dataset.columns || '').split(' ').indexOf(column) >= 0;
      finding.classList.toggle('in-cell', inCell);
      if (inCell) {
        finding.hidden = false;
        finding.closest('section.workload').hidden = false;
      }
    });
  }

  document.getElementById('grid').addEventListener('click', function (event) {
    var link = event.target.closest('td a');
    if (link) markCell(link.closest('td'));
  });
  form.addEventListener('change', apply);
  form.addEventListener('input', apply);
  form.addEventListener('submit', function (event) { event.preventDefault(); });
  // A link may say what to find: report.html?find=nvidia.
  var find = new URLSearchParams(window.location.search).get('find');
  if (find) textInput.value = find;
  form.hidden = false;
  apply();
  document.body.setAttribute('data-ready', 'true');
}());
)js";

}  // namespace immutalint::html_page
