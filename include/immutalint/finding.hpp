// What a check reports, with its place in the input and the evidence it rests on.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "immutalint/kube_object.hpp"
#include "immutalint/location.hpp"

namespace immutalint {

/// Ordered from least to most severe, so that `--fail-on` is a comparison.
enum class Severity { Note, Warning, Error };

std::string_view to_string(Severity severity);
std::optional<Severity> parse_severity(std::string_view text);

/// What a finding means on one target OS, from best to worst. The worst verdict over the
/// selected targets sets the finding's severity.
enum class Verdict { Ready, Review, LikelyBreaks, Breaks };

/// "ready", "review", "likely breaks", "breaks".
std::string_view to_string(Verdict verdict);
/// "ready", "review", "likely-breaks", "breaks": the spelling used in data files and JSON.
std::string_view to_key(Verdict verdict);
std::optional<Verdict> parse_verdict(std::string_view key);
/// review -> note, likely breaks -> warning, breaks -> error.
Severity severity_of(Verdict verdict);

/// How well a target fact is established, from the fact base's grades, weakest first. A
/// verdict that rests on a guess is never "breaks".
enum class Confidence { Guess, Issue, Code, Documented };
std::string_view to_string(Confidence confidence);
std::optional<Confidence> parse_confidence(std::string_view text);

/// What the manifest shows the workload doing: the half of a verdict that comes from the
/// input. `Posture` (a hostPath, a host namespace, privileges) shows nothing done, so a
/// verdict that rests on it alone is at most a review.
enum class Action { Posture, Requires, Runs, Creates, Writes, Installs };

/// "posture", "requires", "runs", "creates", "writes", "installs".
std::string_view to_string(Action action);

/// A finding's verdict on one target, and the target fact it rests on.
struct TargetVerdict {
  std::string target;
  Verdict verdict = Verdict::Review;
  std::string why;     ///< the fact, in words
  std::string source;  ///< the fact's source keys, e.g. "TAL-ARCH"; empty when no fact is cited
  Confidence confidence = Confidence::Guess;
  std::string check;  ///< set when the verdict comes from a related observation, not the finding's own check
};

/// A place in the input, when it is not the finding's own.
struct Place {
  std::string file;
  Span span;
  std::string field;  ///< JSON Pointer from its object's root
};

/// One piece of the manifest's evidence: what it does, and where.
struct EvidenceItem {
  std::string text;  ///< e.g. "init container \"install-cni\" runs `cp -f /flannel /opt/cni/bin/flannel`"
  Place place;
};

/// Appends evidence to a list, leaving out an item whose text and span it already holds. A
/// script can give thousands of items: a set of what is listed keeps adding them linear.
class EvidenceAppender {
 public:
  explicit EvidenceAppender(std::vector<EvidenceItem>& list) : list_(list) {
    for (const EvidenceItem& item : list_) listed_.insert(key(item));
  }
  void add(EvidenceItem item) {
    if (listed_.insert(key(item)).second) list_.push_back(std::move(item));
  }

 private:
  static std::string key(const EvidenceItem& item) {
    const Span& span = item.place.span;
    std::string out = item.text;
    for (std::uint32_t number : {span.begin.line, span.begin.column, span.end.line, span.end.column}) {
      out += '\0';
      out += std::to_string(number);
    }
    return out;
  }
  std::vector<EvidenceItem>& list_;
  std::unordered_set<std::string> listed_;
};

/// Another observation on the same cause, reported as context of the finding.
struct RelatedObservation {
  std::string check;
  Verdict verdict = Verdict::Review;  ///< its worst verdict over the selected targets
  std::string message;
  Place place;
  /// Set when it is about another object than its finding: a cause shared by several workloads
  /// (see Finding::shared_cause). That workload has the finding's verdicts.
  std::optional<ObjectRef> object;
};

/// Where a finding sat in rendered Helm output before it was mapped onto its template.
struct RenderedLocation {
  std::string file;
  Span span;
};

/// How a finding was accepted: by whom, why and where. SARIF calls the first two channels
/// "inSource" and the third "external".
enum class SuppressionChannel { Annotation, Comment, Config };

/// "annotation", "comment", "config".
std::string_view to_string(SuppressionChannel channel);

/// A waiver that matched a finding.
struct Suppression {
  SuppressionChannel channel = SuppressionChannel::Annotation;
  std::string reason;    ///< as written; empty when none was given (itself reported)
  Place where;           ///< the annotation, the comment or the configuration entry
  std::string until;     ///< configuration waivers: the last day they apply (YYYY-MM-DD), or empty
  bool expired = false;  ///< `until` has passed: the finding counts again, with a note saying so
};

/// Where a cause shared by several workloads is itself written, when the input holds it (the
/// Namespace that lacks a label): the folded finding is reported there, about that object, and
/// lists every workload it affects as a related observation.
struct CauseSite {
  Place place;
  ObjectRef object;
  std::string message;  ///< the finding's message at that place
};

/// One reported problem.
struct Finding {
  std::string check;  ///< check id, e.g. "host-network"
  Severity severity = Severity::Warning;
  std::string message;
  std::string file;                          ///< display path of the input
  Span span;                                 ///< the offending key and value
  std::optional<ObjectRef> object;           ///< the object concerned, when there is one
  std::string container;                     ///< set only when exactly one container is concerned
  std::string field;                         ///< JSON Pointer from the object's root; empty when none applies
  std::string source;                        ///< template named by a Helm `# Source:` comment, when present
  std::optional<RenderedLocation> rendered;  ///< set when the finding was moved onto a chart template
  std::vector<TargetVerdict> targets;        ///< the selected targets it affects, in profile order
  Action action = Action::Posture;           ///< what the manifest does, per its evidence
  std::vector<EvidenceItem> evidence;        ///< the manifest's side of the claim
  std::vector<RelatedObservation> related;   ///< other observations on the same cause
  std::string cause;  ///< what the finding is about (a volume, a command, a field); findings on one cause are folded
  /// Other causes of the same object that are this one (volumes of one install): their findings
  /// fold into the same finding.
  std::vector<std::string> joined_causes;
  /// A cause larger than the object, e.g. `namespace "gpu-operator"` lacking a label: the
  /// findings of one check on it, with the same verdicts, are reported as one, which lists the
  /// other workloads as related observations.
  std::string shared_cause;
  /// Set by a check's revision in the last phase and used when the shared cause is folded, never
  /// stored: after the fold the finding is at that site.
  std::optional<CauseSite> cause_site;
  std::optional<Suppression> suppression;  ///< set when a waiver matched

  /// True when a waiver in force accepts the finding: it is counted apart and shown only on request.
  bool suppressed() const { return suppression && !suppression->expired; }
};

/// Calls `visit(file, object)` for each workload a finding is about: its own object (by the
/// rendered file when it was moved onto a Helm template) and the objects of its related
/// observations, which share its verdicts.
template <typename Visit>
void for_each_workload_of(const Finding& finding, Visit&& visit) {
  if (!finding.object) return;
  visit(finding.rendered ? finding.rendered->file : finding.file, *finding.object);
  for (const auto& related : finding.related) {
    if (related.object) visit(related.place.file, *related.object);
  }
}

/// The worst verdict of a finding over its targets (ready when it has none).
Verdict worst_verdict(const Finding& finding);

/// The report order: file, line, column, check id, then the remaining fields so that the
/// order is total and output is the same whatever order the findings were made in.
bool report_order(const Finding& a, const Finding& b);

}  // namespace immutalint
