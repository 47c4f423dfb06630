// Baselines: findings recorded once, by a fingerprint that survives edits elsewhere in the file.
#include "immutalint/baseline.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <tuple>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "immutalint/kube_object.hpp"

namespace immutalint {

namespace {

using Json = nlohmann::json;

/// The baseline file format; a reader refuses any other.
constexpr int kFormatVersion = 1;

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

std::string baseline_fingerprint(const Finding& finding) {
  return fingerprint_of(stable_identity(finding, finding.file));
}

}  // namespace

std::string stable_identity(const Finding& finding, std::string_view file) {
  if (!finding.object) return fmt::format("{}|{}|{}", finding.check, file, finding.message);
  const ObjectRef& ref = *finding.object;
  std::string identity = fmt::format("{}|{}|{}|{}|{}|{}|{}", finding.check, api_group(ref.api_version), ref.kind,
                                     ref.namespace_, ref.name, finding.container, finding.field);
  if (!file.empty()) identity += fmt::format("|{}", file);
  return identity;
}

std::string fingerprint_of(std::string_view text) {
  return fmt::format("{:016x}", fnv1a(text));
}

Result<Baseline> Baseline::read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{fmt::format("cannot read the baseline {}", path)};
  std::ostringstream text;
  text << in.rdbuf();
  const Json json = Json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  const auto malformed = [&](std::string_view why) {
    return Error{fmt::format("{} is not an immutalint baseline: {}", path, why)};
  };
  if (!json.is_object()) return malformed("not a JSON object");
  const auto version = json.find("immutalintBaseline");
  if (version == json.end() || !version->is_number_integer()) return malformed("no \"immutalintBaseline\" version");
  if (version->get<int>() != kFormatVersion) {
    return malformed(fmt::format("format {} is not the supported {}", version->dump(), kFormatVersion));
  }
  const auto records = json.find("findings");
  if (records == json.end() || !records->is_array()) return malformed("no \"findings\" list");
  Baseline baseline;
  for (const auto& record : *records) {
    const auto fingerprint = record.is_object() ? record.find("fingerprint") : record.end();
    if (!record.is_object() || fingerprint == record.end() || !fingerprint->is_string()) {
      return malformed("a finding without a \"fingerprint\"");
    }
    ++baseline.remaining_[fingerprint->get<std::string>()];
  }
  return baseline;
}

bool Baseline::take(const Finding& finding) {
  const auto it = remaining_.find(baseline_fingerprint(finding));
  if (it == remaining_.end() || it->second == 0) return false;
  --it->second;
  return true;
}

Result<bool> write_baseline(const std::string& path, const FindingStore& findings) {
  struct Record {
    std::string file, check, fingerprint, object, message;
  };
  std::vector<Record> records;
  records.reserve(findings.size());
  findings.for_each([&](const Finding& finding) {
    if (finding.suppressed()) return;  // a waiver already accounts for it
    records.push_back({finding.file, finding.check, baseline_fingerprint(finding),
                       finding.object ? finding.object->describe() : std::string(), finding.message});
  });
  // By file and check rather than by line, so that an edit moves no record.
  std::sort(records.begin(), records.end(), [](const Record& a, const Record& b) {
    return std::tie(a.file, a.check, a.object, a.fingerprint, a.message) <
           std::tie(b.file, b.check, b.object, b.fingerprint, b.message);
  });
  // Fields in a fixed order, the version first, for people reading the diff.
  using OrderedJson = nlohmann::ordered_json;
  OrderedJson list = OrderedJson::array();
  for (const auto& record : records) {
    OrderedJson entry;
    entry["fingerprint"] = record.fingerprint;
    entry["check"] = record.check;
    entry["file"] = record.file;
    if (!record.object.empty()) entry["object"] = record.object;
    entry["message"] = record.message;
    list.push_back(std::move(entry));
  }
  OrderedJson baseline;
  baseline["immutalintBaseline"] = kFormatVersion;
  baseline["findings"] = std::move(list);
  std::ofstream out(path, std::ios::binary);
  // Invalid UTF-8 from a manifest is replaced rather than thrown on.
  if (out) out << baseline.dump(2, ' ', false, OrderedJson::error_handler_t::replace) << '\n';
  if (!out) return Error{fmt::format("cannot write the baseline {}", path)};
  return true;
}

std::size_t apply_baseline(FindingStore& findings, Baseline& baseline) {
  FindingStore kept;
  std::size_t left_out = 0;
  findings.for_each([&](const Finding& finding) {
    if (!finding.suppressed() && baseline.take(finding)) {
      ++left_out;
    } else {
      kept.add(finding);
    }
  });
  kept.seal();
  findings = std::move(kept);
  return left_out;
}

}  // namespace immutalint
