// After reporting's sort, before writing: findings recorded in a baseline file are left out, so
// that a repository adopting immutalint sees only what is new.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "immutalint/finding.hpp"
#include "immutalint/finding_store.hpp"
#include "immutalint/result.hpp"

namespace immutalint {

/// What identifies a finding independently of where in its file it is written: the check, the
/// object (API group, kind, namespace, name), the container and the field; for a finding without
/// an object (a syntax error), the file and the message. For a finding with an object, `file` is
/// added when not empty: a baseline keeps it, SARIF results carry their location instead.
/// Inserted lines, reindentation and reordered keys leave the identity unchanged.
std::string stable_identity(const Finding& finding, std::string_view file);

/// 64-bit FNV-1a of `text`, as 16 hex digits: a stable, dependency-free fingerprint (not for
/// security).
std::string fingerprint_of(std::string_view text);

/// One finding as a baseline file records it.
struct BaselineRecord {
  std::string fingerprint;
  std::string check;
  std::string file;
  std::string object;  ///< empty for a finding without an object
  std::string message;
};

/// The findings a baseline file records, by fingerprint.
class Baseline {
 public:
  /// Reads a file written by `write_baseline`; a missing, unreadable or malformed file is an
  /// error whose message names it and says why.
  static Result<Baseline> read(const std::string& path);

  /// True when the baseline still has an unmatched record of `finding`; the record is then used
  /// up, so two equal findings need two records.
  bool take(const Finding& finding);

  /// The records that findings have taken, in the file's order: what the file still needs.
  std::vector<BaselineRecord> taken() const;
  /// How many records no finding has taken: what no longer matches.
  std::size_t untaken() const;

 private:
  std::vector<BaselineRecord> records_;
  std::vector<bool> taken_;
  /// Per fingerprint, the indexes of its records not taken yet, the last to be taken first.
  std::unordered_map<std::string, std::vector<std::size_t>> open_;
};

/// Writes the findings as a baseline: JSON with a format version and one record per finding
/// (fingerprint, check, file, object, message), sorted, so that the file diffs well. A file that
/// cannot be written, or whose last bytes cannot be (a full disk), is an Error that says why.
Result<bool> write_baseline(const std::string& path, const FindingStore& findings);

/// Writes these records as a baseline, sorted as `write_baseline` sorts them.
Result<bool> write_baseline(const std::string& path, std::vector<BaselineRecord> records);

/// Leaves out the findings that `baseline` records, and returns how many were left out.
std::size_t apply_baseline(FindingStore& findings, Baseline& baseline);

}  // namespace immutalint
