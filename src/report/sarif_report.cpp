// SARIF 2.1.0 for GitHub code scanning: rules from the catalogue, results with regions,
// logical locations and fingerprints that survive edits elsewhere in the file.
#include <cstdint>
#include <filesystem>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "immutalint/baseline.hpp"
#include "immutalint/check.hpp"
#include "immutalint/escape.hpp"
#include "immutalint/report.hpp"
#include "report/json_stream.hpp"
#include "report/verdict_json.hpp"

namespace immutalint {

using Json = nlohmann::ordered_json;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kSchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr std::string_view kSourceRoot = "%SRCROOT%";
// GitHub rejects runs with more results than this.
constexpr std::size_t kMaxResults = 25000;

/// Percent-encodes everything but RFC 3986 unreserved characters and '/'.
std::string percent_encode(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    const bool unreserved = std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string rule_name(std::string_view id) {
  std::string name;
  bool upper = true;
  for (char c : id) {
    if (c == '-') {
      upper = true;
      continue;
    }
    name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return name;
}

std::string_view level_of(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "warning";
}

/// GitHub's bands: 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low.
std::string_view security_severity_of(Severity severity) {
  switch (severity) {
    case Severity::Error: return "7.5";
    case Severity::Warning: return "5.0";
    case Severity::Note: return "2.0";
  }
  return "5.0";
}

/// The first paragraph of a text, for descriptions GitHub shows in lists.
std::string first_paragraph(const std::string& text) {
  const auto end = text.find("\n\n");
  std::string paragraph = text.substr(0, end);
  for (char& c : paragraph) {
    if (c == '\n') c = ' ';
  }
  while (!paragraph.empty() && paragraph.back() == ' ') paragraph.pop_back();
  if (paragraph.size() > 1000) paragraph = paragraph.substr(0, 997) + "...";
  return paragraph;
}

Json rule_json(const CheckInfo& check, std::string_view project_url) {
  std::string markdown = fmt::format("{}\n\n## Why\n\n{}\n## Fix\n\n{}\n## Example\n\n```yaml\n{}```\n", check.summary,
                                     check.rationale, check.remediation, check.example_flagged);
  Json rule;
  rule["id"] = check.id;
  rule["name"] = rule_name(check.id);
  rule["shortDescription"] = {{"text", check.summary}};
  rule["fullDescription"] = {{"text", first_paragraph(check.rationale)}};
  rule["help"] = {{"text", fmt::format("{}\n\nWhy: {}\nFix: {}", check.summary, check.rationale, check.remediation)},
                  {"markdown", markdown}};
  // helpUri is optional in SARIF (reportingDescriptor requires only "id"): without the
  // project's address there is none to give.
  if (auto url = check_doc_url(project_url, check.id); !url.empty()) rule["helpUri"] = url;
  rule["defaultConfiguration"] = {{"level", level_of(check.severity)}};
  rule["properties"] = {{"tags", {"security", "kubernetes", "immutable-os"}},
                        {"precision", "high"},
                        {"security-severity", security_severity_of(check.severity)}};
  return rule;
}

Json region_json(const Span& span) {
  Json region;
  region["startLine"] = std::max<std::uint32_t>(span.begin.line, 1);
  region["startColumn"] = std::max<std::uint32_t>(span.begin.column, 1);
  if (span.end >= span.begin && span.end.line >= 1 && span.end.column >= 1) {
    region["endLine"] = span.end.line;
    region["endColumn"] = span.end.column;
  }
  return region;
}

/// Where a file is: relative to %SRCROOT% when it lies inside the SARIF root, else an absolute
/// file:// URI, which has no base.
struct ArtifactUri {
  std::string uri;
  bool relative = true;
};

Json physical_location(const ArtifactUri& artifact, const Span& span) {
  Json location = {{"uri", artifact.uri}};
  if (artifact.relative) location["uriBaseId"] = kSourceRoot;
  return {{"artifactLocation", std::move(location)}, {"region", region_json(span)}};
}

Json logical_locations(const Finding& finding) {
  Json locations = Json::array();
  if (!finding.object) return locations;
  const ObjectRef& ref = *finding.object;
  const std::string qualified = ref.kind + "/" + ref.qualified_name();
  locations.push_back({{"name", ref.name}, {"fullyQualifiedName", qualified}, {"kind", "resource"}});
  if (!finding.container.empty()) {
    locations.push_back(
        {{"name", finding.container}, {"fullyQualifiedName", qualified + "/" + finding.container}, {"kind", "member"}});
  }
  return locations;
}

}  // namespace

std::optional<std::string> sarif_artifact_uri(const std::string& file, const std::string& root) {
  const fs::path absolute = fs::absolute(file).lexically_normal();
  const fs::path base = fs::absolute(root.empty() ? "." : root).lexically_normal();
  const fs::path relative = absolute.lexically_relative(base);
  if (relative.empty() || *relative.begin() == "..") return std::nullopt;
  return percent_encode(relative.generic_string());
}

std::string file_uri(const std::string& file) {
  // An absolute path starts with '/', which makes "file://" + path the "file:///..." form.
  return "file://" + percent_encode(fs::absolute(file).lexically_normal().generic_string());
}

std::string check_doc_url(std::string_view project_url, std::string_view check_id) {
  while (!project_url.empty() && project_url.back() == '/') project_url.remove_suffix(1);
  if (project_url.empty()) return {};
  // docs/checks.md has a "## <id>" heading per check; ids are lower-case words and dashes, which
  // is their anchor as GitHub makes it.
  return fmt::format("{}/blob/main/docs/checks.md#{}", project_url, check_id);
}

void write_sarif_report(std::ostream& out, const LintResult& result, const Catalogue& catalogue,
                        const ReportOptions& options) {
  Json rules = Json::array();
  std::map<std::string, std::size_t> rule_index;
  for (const auto& id : options.enabled_checks) {
    const CheckInfo* check = catalogue.find(id);
    if (!check) continue;
    rule_index[id] = rules.size();
    rules.push_back(rule_json(*check, options.project_url));
  }

  // GitHub code scanning places results by paths relative to the repository; a file outside the
  // SARIF root has none, and gets its absolute file:// URI, which other SARIF readers resolve.
  std::size_t outside_root = 0;
  auto uri_of = [&](const std::string& file) {
    if (auto relative = sarif_artifact_uri(file, options.sarif_root)) return ArtifactUri{*relative, true};
    return ArtifactUri{file_uri(file), false};
  };

  // One result per finding, up to what GitHub accepts.
  std::map<std::string, int> occurrences;
  auto result_json = [&](const Finding& finding) {
    const ArtifactUri uri = uri_of(finding.file);
    // A result carries its location, so an object's identity leaves the file out.
    const std::string identity = stable_identity(finding, finding.object ? std::string() : uri.uri);
    const std::string hash = fingerprint_of(identity);
    Json entry;
    entry["ruleId"] = finding.check;
    if (auto it = rule_index.find(finding.check); it != rule_index.end()) entry["ruleIndex"] = it->second;
    entry["level"] = level_of(finding.severity);
    entry["message"] = {{"text", finding.message}};
    entry["locations"] = Json::array({{{"physicalLocation", physical_location(uri, finding.span)}}});
    if (auto logical = logical_locations(finding); !logical.empty())
      entry["locations"][0]["logicalLocations"] = logical;
    if (finding.rendered) {
      entry["relatedLocations"] =
          Json::array({{{"id", 1},
                        {"physicalLocation", physical_location(uri_of(finding.rendered->file), finding.rendered->span)},
                        {"message", {{"text", "where the finding is in the rendered Helm output"}}}}});
    }
    // What the finding rests on in the manifest, and the other observations on its cause.
    auto related_location = [&](const Place& place, const std::string& text) {
      const Json location = physical_location(uri_of(place.file.empty() ? finding.file : place.file), place.span);
      entry["relatedLocations"].push_back({{"id", entry["relatedLocations"].size() + 1},
                                           {"physicalLocation", location},
                                           {"message", {{"text", text}}}});
    };
    for (const auto& item : finding.evidence) related_location(item.place, item.text);
    for (const auto& related : finding.related) {
      const std::string about = related.object ? related.object->describe() + ": " : std::string();
      related_location(related.place, fmt::format("[{}] {}{}", related.check, about, related.message));
    }
    entry["partialFingerprints"] = {{"primaryLocationLineHash", fmt::format("{}:{}", hash, ++occurrences[identity])},
                                    {"immutalintFinding/v1", hash}};
    Json properties;
    if (finding.object) {
      properties["kind"] = finding.object->kind;
      properties["object"] = finding.object->describe();
    }
    if (!finding.field.empty()) properties["field"] = finding.field;
    if (!finding.source.empty()) properties["helmSource"] = finding.source;
    properties["action"] = to_string(finding.action);
    for (const auto& target : finding.targets) properties["targets"].push_back(verdict_json(target));
    if (finding.suppression) {
      const Suppression& s = *finding.suppression;
      if (s.expired) {
        properties["expiredWaiver"] = describe_suppression(s);
      } else {
        // Code scanning shows these as dismissed, with the reason, rather than not at all.
        Json suppression = {{"kind", s.channel == SuppressionChannel::Config ? "external" : "inSource"},
                            {"status", "accepted"}};
        if (!s.reason.empty()) suppression["justification"] = s.reason;
        suppression["location"] = {{"physicalLocation", physical_location(uri_of(s.where.file), s.where.span)}};
        entry["suppressions"] = Json::array({std::move(suppression)});
      }
    }
    if (!properties.empty()) entry["properties"] = std::move(properties);
    return entry;
  };

  // The results are written as they are read back, so that memory does not grow with them. What
  // comes before them in the log (notifications about input errors, and whether any text had to
  // be made valid UTF-8) needs a first pass.
  Json notifications = Json::array();
  bool replaced = false;
  std::size_t included = 0;
  const auto left_out = [&](const Finding& finding) { return options.sarif_omit_suppressed && finding.suppressed(); };
  result.findings.for_each([&](const Finding& finding) {
    if (left_out(finding)) return;
    if (finding.check == check_id(CheckRole::InvalidInput)) {
      notifications.push_back(
          {{"level", "error"},
           {"message", {{"text", fmt::format("{}: {}", finding.file, finding.message)}}},
           {"locations", {{{"physicalLocation", physical_location(uri_of(finding.file), finding.span)}}}},
           {"descriptor", {{"id", finding.check}}}});
    }
    if (included == kMaxResults) return;
    ++included;
    if (!sarif_artifact_uri(finding.file, options.sarif_root)) ++outside_root;
    Json entry = result_json(finding);
    replaced = escape::utf8_strings(entry) || replaced;
  });
  occurrences.clear();
  if (result.findings.size() > kMaxResults) {
    notifications.push_back(
        {{"level", "warning"},
         {"message",
          {{"text", fmt::format("{} findings; only the first {} are included, the most GitHub accepts",
                                result.findings.size(), kMaxResults)}}}});
  }

  if (outside_root > 0) {
    notifications.push_back(
        {{"level", "warning"},
         {"message",
          {{"text",
            fmt::format("{} in files outside the SARIF root {}: their locations are absolute file:// "
                        "URIs, which GitHub code scanning cannot place in the repository; run from the "
                        "repository root or pass --sarif-root",
                        outside_root == 1 ? std::string("1 result is") : fmt::format("{} results are", outside_root),
                        file_uri(options.sarif_root.empty() ? "." : options.sarif_root))}}}});
  }

  Json run;
  run["tool"]["driver"] = {{"name", kToolName}, {"semanticVersion", kToolVersion}, {"version", kToolVersion}};
  // informationUri is optional in SARIF (toolComponent requires only "name").
  if (!options.project_url.empty()) run["tool"]["driver"]["informationUri"] = options.project_url;
  run["tool"]["driver"]["rules"] = std::move(rules);
  Json invocation = {{"executionSuccessful", true}};
  if (!notifications.empty()) invocation["toolExecutionNotifications"] = std::move(notifications);
  run["invocations"] = Json::array({std::move(invocation)});
  std::string root_uri = file_uri(options.sarif_root.empty() ? "." : options.sarif_root);
  if (root_uri.back() != '/') root_uri += '/';
  run["originalUriBaseIds"] = {{kSourceRoot, {{"uri", root_uri}}}};
  if (!options.sarif_category.empty()) {
    std::string id = options.sarif_category;
    if (id.back() != '/') id += '/';
    run["automationDetails"] = {{"id", id}};
  }
  run["columnKind"] = "unicodeCodePoints";

  // SARIF is UTF-8: bytes from the input that are not are replaced, and a notification says so.
  replaced = escape::utf8_strings(run) || replaced;
  if (replaced) {
    run["invocations"][0]["toolExecutionNotifications"].push_back(
        {{"level", "note"}, {"message", {{"text", escape::kReplacedNote}}}});
  }
  Json log;
  log["$schema"] = kSchemaUri;
  log["version"] = "2.1.0";
  log["runs"] = Json::array({std::move(run)});
  // The log so far ends with the run's last member and the closing brackets; "results" goes
  // after that member, laid out as a dump of the whole log would lay it out.
  const std::string text = log.dump(2);
  const std::string run_end = "\n    }\n  ]\n}";
  out << std::string_view(text).substr(0, text.size() - run_end.size()) << ",\n      \"results\": ";
  included = 0;
  JsonArrayWriter results(out, 6);
  result.findings.for_each([&](const Finding& finding) {
    if (left_out(finding) || included == kMaxResults) return;
    ++included;
    Json entry = result_json(finding);
    escape::utf8_strings(entry);
    results.add(entry);
  });
  results.close();
  out << run_end << '\n';
}

}  // namespace immutalint
