// The check catalogue: each check's metadata, read from checks/*.yaml compiled into the binary.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "immutalint/finding.hpp"
#include "immutalint/result.hpp"

namespace immutalint {

class Target;

/// A check's verdict on a target from its fixed table, and why.
struct StaticVerdict {
  Verdict verdict = Verdict::Review;
  std::string why;
};

/// A named regular expression (RE2 syntax) that a check scans text with.
struct PatternInfo {
  std::string name;
  std::string regex;
};

/// Everything users are told about a check.
struct CheckInfo {
  std::string id;  ///< kebab-case; also its file name, testdata folder and suppression key
  Severity severity = Severity::Warning;
  std::string summary;      ///< one line
  std::string rationale;    ///< why it breaks on an immutable host
  std::string remediation;  ///< how to fix it
  std::string example_flagged;  ///< a manifest the check reports
  std::string example_clean;    ///< the same manifest fixed
  /// Fixed verdicts: "default" and per target name. Empty: every target gets the verdict that
  /// the severity stands for.
  std::map<std::string, StaticVerdict> verdicts;
  /// For checks that judge each target from its facts: how, in words (for --explain).
  std::string verdict_rule;
  std::vector<PatternInfo> patterns;

  /// The fixed verdict on `target`.
  StaticVerdict static_verdict(const Target& target) const;
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
