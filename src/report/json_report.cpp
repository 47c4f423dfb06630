// The JSON report and --list-checks --format json, built with nlohmann::json.
#include <nlohmann/json.hpp>

#include "immutalint/escape.hpp"
#include "immutalint/report.hpp"
#include "report/json_stream.hpp"
#include "report/verdict_json.hpp"

namespace immutalint {

using Json = nlohmann::ordered_json;

namespace {

Json object_json(const ObjectRef& ref) {
  Json object;
  object["apiVersion"] = ref.api_version;
  object["kind"] = ref.kind;
  if (!ref.namespace_.empty()) object["namespace"] = ref.namespace_;
  object["name"] = ref.name;
  return object;
}

/// A place as JSON: file (when another one), line, column, field.
Json place_json(const Place& place, const std::string& file) {
  Json j;
  if (!place.file.empty() && place.file != file) j["file"] = place.file;
  j["line"] = place.span.begin.line;
  j["column"] = place.span.begin.column;
  if (!place.field.empty()) j["field"] = place.field;
  return j;
}

Json finding_json(const Finding& finding) {
  Json j;
  j["check"] = finding.check;
  j["severity"] = to_string(finding.severity);
  j["message"] = finding.message;
  j["file"] = finding.file;
  j["line"] = finding.span.begin.line;
  j["column"] = finding.span.begin.column;
  j["endLine"] = finding.span.end.line;
  j["endColumn"] = finding.span.end.column;
  if (finding.object) j["object"] = object_json(*finding.object);
  if (!finding.container.empty()) j["container"] = finding.container;
  if (!finding.field.empty()) j["field"] = finding.field;
  if (!finding.source.empty()) j["source"] = finding.source;
  j["targets"] = Json::array();
  for (const auto& target : finding.targets) j["targets"].push_back(verdict_json(target));
  j["action"] = to_string(finding.action);
  if (!finding.evidence.empty()) {
    j["evidence"] = Json::array();
    for (const auto& item : finding.evidence) {
      Json e = place_json(item.place, finding.file);
      e["text"] = item.text;
      j["evidence"].push_back(std::move(e));
    }
  }
  if (!finding.related.empty()) {
    j["related"] = Json::array();
    for (const auto& related : finding.related) {
      Json r = place_json(related.place, finding.file);
      r["check"] = related.check;
      r["verdict"] = to_key(related.verdict);
      r["message"] = related.message;
      if (related.object) r["object"] = object_json(*related.object);
      j["related"].push_back(std::move(r));
    }
  }
  if (finding.suppression) {
    const Suppression& s = *finding.suppression;
    j["suppression"] = {{"channel", to_string(s.channel)},
                        {"reason", s.reason},
                        {"file", s.where.file},
                        {"line", s.where.span.begin.line},
                        {"expired", s.expired}};
    if (!s.until.empty()) j["suppression"]["until"] = s.until;
  }
  if (finding.rendered) {
    j["rendered"] = {{"file", finding.rendered->file},
                     {"line", finding.rendered->span.begin.line},
                     {"column", finding.rendered->span.begin.column}};
  }
  return j;
}

}  // namespace

void write_json_report(std::ostream& out, const LintResult& result, bool show_suppressed) {
  // The findings are written as they are read back, so that memory does not grow with them; the
  // rest is laid out around them as one dump of the whole report would.
  Json head;
  head["tool"] = {{"name", kToolName}, {"version", kToolVersion}};
  head["targets"] = result.targets;
  for (const SchedulingPool& pool : result.pools) {
    Json entry = {{"name", pool.name},
                  {"target", pool.target ? pool.target->name() : std::string()},
                  {"linux", pool.linux},
                  {"os", pool.os},
                  {"identifiedBy", pool.identified_by},
                  {"nodes", pool.nodes},
                  {"file", pool.file},
                  {"line", pool.line}};
    if (!pool.planned_from.empty()) entry["plannedFrom"] = pool.planned_from;
    head["pools"].push_back(std::move(entry));
  }
  // JSON is UTF-8: bytes from the input that are not are replaced, and the report says so.
  bool replaced = escape::utf8_strings(head);
  const std::string head_text = head.dump(2);
  out << std::string_view(head_text).substr(0, head_text.size() - 2) << ",\n  \"findings\": ";  // without "\n}"
  JsonArrayWriter findings(out, 2);
  result.findings.for_each([&](const Finding& finding) {
    if (finding.suppressed() && !show_suppressed) return;
    Json j = finding_json(finding);
    replaced = escape::utf8_strings(j) || replaced;
    findings.add(j);
  });
  findings.close();
  const Summary& s = result.summary;
  Json tail;
  tail["summary"] = {{"files", s.files},         {"documents", s.documents}, {"objects", s.objects},
                     {"workloads", s.workloads}, {"skipped", s.skipped},     {"suppressed", s.suppressed},
                     {"error", s.errors},        {"warning", s.warnings},    {"note", s.notes}};
  if (s.baselined > 0) tail["summary"]["baselined"] = s.baselined;  // only with --baseline
  if (s.folded > 0) tail["summary"]["folded"] = s.folded;           // only for cluster dumps
  if (replaced) tail["notes"] = Json::array({escape::kReplacedNote});
  const std::string tail_text = tail.dump(2);
  out << ",\n" << std::string_view(tail_text).substr(2) << '\n';  // without "{\n"
}

void write_check_list_json(std::ostream& out, const Catalogue& catalogue) {
  Json list = Json::array();
  for (const auto& check : catalogue.checks()) {
    list.push_back({{"id", check.id},
                    {"severity", to_string(check.severity)},
                    {"summary", check.summary},
                    {"rationale", check.rationale},
                    {"remediation", check.remediation}});
  }
  out << list.dump(2) << '\n';
}

}  // namespace immutalint
