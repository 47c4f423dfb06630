// After reporting's sort, before writing: findings recorded in a baseline file are left out, so
// that a repository adopting immutalint sees only what is new.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

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

/// The findings a baseline file records, by fingerprint, with how many of each.
class Baseline {
 public:
  /// Reads a file written by `write_baseline`; a missing, unreadable or malformed file is an
  /// error whose message names it.
  static Result<Baseline> read(const std::string& path);

  /// True when the baseline still has an unmatched record of `finding`; the record is then used
  /// up, so two equal findings need two records.
  bool take(const Finding& finding);

 private:
  std::unordered_map<std::string, std::size_t> remaining_;
};

/// Writes the findings as a baseline: JSON with a format version and one record per finding
/// (fingerprint, check, file, object, message), sorted, so that the file diffs well.
Result<bool> write_baseline(const std::string& path, const FindingStore& findings);

/// Leaves out the findings that `baseline` records, and returns how many were left out.
std::size_t apply_baseline(FindingStore& findings, Baseline& baseline);

}  // namespace immutalint
