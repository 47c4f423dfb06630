// The check catalogue: each check's metadata, read from checks/*.yaml compiled into the binary.
#pragma once

#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "immutalint/fact_key.hpp"
#include "immutalint/finding.hpp"
#include "immutalint/result.hpp"

namespace immutalint {

class Target;

/// A check's verdict on a target from its fixed table, why, and the target fact behind it.
struct StaticVerdict {
  Verdict verdict = Verdict::Review;
  std::string why;
  std::string source;  ///< source keys of the target profile; required above review
  Confidence confidence = Confidence::Guess;
};

/// What a check's findings rest on. `posture` checks report coupling to the node (a hostPath,
/// a host namespace, privileges) and never rise above review; `evidence` checks combine what
/// the manifest does with the target's facts; `input` checks report the input itself (broken
/// YAML, repeated keys) and carry no per-target verdicts.
enum class CheckKind { Posture, Evidence, Input };
std::string_view to_string(CheckKind kind);
std::optional<CheckKind> parse_check_kind(std::string_view text);

/// A named regular expression (RE2 syntax) that a check scans text with.
struct PatternInfo {
  std::string name;  ///< what it recognises, e.g. "kured"
  std::string regex;
};

/// A check's parameters, from the `params:` section of its catalogue entry: each a list of
/// strings, or a table of lists. Read by name when the check is made; the linter refuses a
/// check that reads a parameter its entry lacks, or whose entry has one it never reads.
class CheckParams {
 public:
  /// The list `name` (empty when absent, which is then reported).
  const std::vector<std::string>& list(std::string_view name) const;
  /// The table `name`: key -> list.
  const std::map<std::string, std::vector<std::string>>& table(std::string_view name) const;
  /// The pattern group `name` of the entry's `patterns:` section (compiled when it loaded).
  const std::vector<PatternInfo>& patterns(std::string_view name) const;

  /// The target fact a parameter's value names. One the vocabulary lacks is reported by
  /// unknown_facts(), and the key returned for it is not to be used.
  FactKey fact(std::string_view value) const;

  /// Names read but absent, and names present but never read, since forget_reads().
  std::vector<std::string> missing() const { return {missing_.begin(), missing_.end()}; }
  std::vector<std::string> unread() const;
  /// Values given to fact() that name no fact of the vocabulary, since forget_reads().
  std::vector<std::string> unknown_facts() const { return {unknown_facts_.begin(), unknown_facts_.end()}; }
  void forget_reads() {
    read_.clear();
    missing_.clear();
    unknown_facts_.clear();
  }

 private:
  friend class CatalogueReader;
  std::map<std::string, std::vector<std::string>, std::less<>> lists_;
  std::map<std::string, std::map<std::string, std::vector<std::string>>, std::less<>> tables_;
  std::map<std::string, std::vector<PatternInfo>, std::less<>> patterns_;
  // What list(), table() and patterns() were asked for: written only on the copy a check is made from.
  mutable std::set<std::string, std::less<>> read_;
  mutable std::set<std::string, std::less<>> missing_;
  mutable std::set<std::string, std::less<>> unknown_facts_;
};

/// What --explain shows of a check's evidence ladder: what makes it say each verdict.
struct Ladder {
  std::string breaks;
  std::string likely_breaks;
  std::string review;
};

/// Everything users are told about a check.
struct CheckInfo {
  std::string id;  ///< kebab-case; also its file name, testdata folder and suppression key
  /// Former ids, still accepted (options, annotations) with a warning to use `id`.
  std::vector<std::string> aliases;
  CheckKind kind = CheckKind::Evidence;
  /// The worst a finding can be: for posture checks a note; for the others, the worst verdict
  /// of its table (validated when the catalogue loads).
  Severity severity = Severity::Warning;
  std::string summary;          ///< one line
  std::string rationale;        ///< why it breaks on an immutable host
  std::string remediation;      ///< how to fix it
  std::string example_flagged;  ///< a manifest the check reports
  std::string example_clean;    ///< the same manifest fixed
  /// Fixed verdicts: "default" and per target name. Empty: every target gets the verdict that
  /// the severity stands for.
  std::map<std::string, StaticVerdict> targets;
  /// `targets.rule`: for checks that judge each target from its facts, how, in words.
  std::string targets_rule;
  Ladder ladder;
  CheckParams params;

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

  /// The check with this id, or nullptr.
  const CheckInfo* find(std::string_view id) const;
  /// The check with this id or former id (`aliases`), or nullptr.
  const CheckInfo* resolve(std::string_view id) const;
  std::span<const CheckInfo> checks() const { return checks_; }

 private:
  std::vector<CheckInfo> checks_;
};

}  // namespace immutalint
