// The check catalogue: each check's metadata, read from checks/*.yaml compiled into the binary.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "immutalint/finding.hpp"
#include "immutalint/result.hpp"

namespace immutalint {

/// Everything users are told about a check.
struct CheckInfo {
  std::string id;  ///< kebab-case; also its file name, testdata folder and suppression key
  Severity severity = Severity::Warning;
  std::string summary;      ///< one line
  std::string rationale;    ///< why it breaks on an immutable host
  std::string remediation;  ///< how to fix it
  std::string example_flagged;  ///< a manifest the check reports
  std::string example_clean;    ///< the same manifest fixed
};

/// All checks' metadata, sorted by id.
class Catalogue {
 public:
  /// Parses catalogue files given as (file name, YAML text) pairs; every field is validated.
  static Result<Catalogue> parse(std::span<const std::pair<std::string, std::string>> files);

  /// The catalogue compiled into the binary (parsed once).
  static const Result<Catalogue>& builtin();

  const CheckInfo* find(std::string_view id) const;
  std::span<const CheckInfo> checks() const { return checks_; }

 private:
  std::vector<CheckInfo> checks_;
};

}  // namespace immutalint
