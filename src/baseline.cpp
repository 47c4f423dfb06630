// Baselines: findings recorded once, by a fingerprint that survives edits elsewhere in the file.
#include "immutalint/baseline.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
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

/// The offset of the first byte that does not belong to a well-formed UTF-8 sequence, if any.
std::optional<std::size_t> invalid_utf8_at(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 1;
    unsigned char low = 0x80;  // the range of the second byte, tighter after some leads
    unsigned char high = 0xBF;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;   // no overlong forms
      if (lead == 0xED) high = 0x9F;  // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;
      if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
    } else {
      return i;
    }
    if (i + length > text.size()) return i;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if (next < (k == 1 ? low : 0x80) || next > (k == 1 ? high : 0xBF)) return i;
    }
    i += length;
  }
  return std::nullopt;
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
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error{errno != 0 ? fmt::format("cannot read the baseline {}: {}", path, std::strerror(errno))
                            : fmt::format("cannot read the baseline {}", path)};
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Error{fmt::format("cannot read the baseline {}: {}", path, std::strerror(errno))};
  const std::string text = std::move(buffer).str();
  const auto malformed = [&](std::string_view why) {
    return Error{fmt::format("{} is not an immutalint baseline: {}", path, why)};
  };
  Json json;
  try {
    json = Json::parse(text);
  } catch (const Json::parse_error& error) {
    // The position, not the parser's message: that quotes the bytes it stopped at.
    if (const auto bad = invalid_utf8_at(text)) return malformed(fmt::format("not UTF-8 text (byte {})", *bad + 1));
    return malformed(fmt::format("not valid JSON (byte {})", error.byte));
  } catch (const Json::out_of_range&) {
    // Valid JSON that nlohmann cannot hold, such as a number beyond a double (1e400).
    return malformed("a number is out of range");
  }
  if (!json.is_object()) return malformed("not a JSON object");
  const auto version = json.find("immutalintBaseline");
  if (version == json.end() || !version->is_number_integer()) return malformed("no \"immutalintBaseline\" version");
  // Compared as JSON numbers: reading it into an int first would wrap 4294967297 to 1.
  if (*version != kFormatVersion) {
    return malformed(fmt::format("format {} is not the supported {}", version->dump(), kFormatVersion));
  }
  const auto records = json.find("findings");
  if (records == json.end() || !records->is_array()) return malformed("no \"findings\" list");
  Baseline baseline;
  const auto text_of = [](const Json& record, const char* key) {
    const auto value = record.find(key);
    return value != record.end() && value->is_string() ? value->get<std::string>() : std::string();
  };
  for (const auto& record : *records) {
    const auto fingerprint = record.is_object() ? record.find("fingerprint") : record.end();
    if (!record.is_object() || fingerprint == record.end() || !fingerprint->is_string()) {
      return malformed("a finding without a \"fingerprint\"");
    }
    baseline.records_.push_back({fingerprint->get<std::string>(), text_of(record, "check"), text_of(record, "file"),
                                 text_of(record, "object"), text_of(record, "message")});
  }
  baseline.taken_.assign(baseline.records_.size(), false);
  for (std::size_t i = baseline.records_.size(); i > 0; --i) {
    baseline.open_[baseline.records_[i - 1].fingerprint].push_back(i - 1);
  }
  return baseline;
}

bool Baseline::take(const Finding& finding) {
  const auto it = open_.find(baseline_fingerprint(finding));
  if (it == open_.end() || it->second.empty()) return false;
  taken_[it->second.back()] = true;
  it->second.pop_back();
  return true;
}

std::vector<BaselineRecord> Baseline::taken() const {
  std::vector<BaselineRecord> records;
  for (std::size_t i = 0; i < records_.size(); ++i) {
    if (taken_[i]) records.push_back(records_[i]);
  }
  return records;
}

std::size_t Baseline::untaken() const {
  return static_cast<std::size_t>(std::count(taken_.begin(), taken_.end(), false));
}

Result<bool> write_baseline(const std::string& path, const FindingStore& findings) {
  std::vector<BaselineRecord> records;
  records.reserve(findings.size());
  findings.for_each([&](const Finding& finding) {
    if (finding.suppressed()) return;  // a waiver already accounts for it
    records.push_back({baseline_fingerprint(finding), finding.check, finding.file,
                       finding.object ? finding.object->describe() : std::string(), finding.message});
  });
  return write_baseline(path, std::move(records));
}

Result<bool> write_baseline(const std::string& path, std::vector<BaselineRecord> records) {
  using Record = BaselineRecord;
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
  // Invalid UTF-8 from a manifest is replaced rather than thrown on.
  const std::string text = baseline.dump(2, ' ', false, OrderedJson::error_handler_t::replace) + '\n';
  const auto cannot_write = [&](int error) {
    return Error{fmt::format("cannot write the baseline {}: {}", path, std::strerror(error))};
  };
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0666);
  if (fd < 0) return cannot_write(errno);
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t wrote = ::write(fd, text.data() + done, text.size() - done);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) {
      const int error = wrote < 0 ? errno : EIO;
      ::close(fd);
      return cannot_write(error);
    }
    done += static_cast<std::size_t>(wrote);
  }
  // A file system may report a failed write only when the file is closed (NFS, a full quota).
  if (::close(fd) != 0) return cannot_write(errno);
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
