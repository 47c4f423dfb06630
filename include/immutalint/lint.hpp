// The pipeline: read inputs -> parse documents -> find pod specs -> run checks -> apply
// suppressions. Reporting is the caller's (see report.hpp).
#pragma once

#include <compare>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "immutalint/baseline.hpp"
#include "immutalint/catalogue.hpp"
#include "immutalint/check.hpp"
#include "immutalint/components.hpp"
#include "immutalint/document_split.hpp"
#include "immutalint/evidence_catalogue.hpp"
#include "immutalint/finding.hpp"
#include "immutalint/finding_store.hpp"
#include "immutalint/helm_mapping.hpp"
#include "immutalint/inputs.hpp"
#include "immutalint/node_pool_blocker.hpp"
#include "immutalint/node_pools.hpp"
#include "immutalint/pod_spec.hpp"
#include "immutalint/result.hpp"
#include "immutalint/scheduling_pools.hpp"
#include "immutalint/spool.hpp"
#include "immutalint/suppression.hpp"
#include "immutalint/target.hpp"
#include "immutalint/yaml_parse.hpp"

namespace immutalint {

/// How to lint.
struct LintOptions {
  unsigned jobs = 0;                  ///< worker threads; 0 means one per core
  std::vector<std::string> only;      ///< run only these checks (empty: all)
  std::vector<std::string> disabled;  ///< never run these checks
  /// Target OSes to judge workloads for, in profile order; empty means the default profile.
  std::vector<const Target*> targets;
  SplitLimits split;
  ParseLimits parse;
  /// Keep the list of workloads checked (LintResult::workloads), which only the readiness
  /// matrix needs; without it memory does not grow with the number of workloads.
  bool list_workloads = true;
  /// Kinds whose pod templates configuration declares; they win over the built-in table for
  /// the same group and kind. Linter::create rejects malformed ones.
  std::vector<CustomWorkloadKind> workload_kinds;
  /// Search objects of kinds with no known pods for pod templates by their shape, check what is
  /// found, and add a notice saying where it was found.
  bool discover_pod_templates = false;
  /// Comments and configuration waivers, severity overrides (stage 5). `enabled` is filled in
  /// by the linter; an empty `today` means today's date.
  SuppressionSettings suppressions;
  /// Node pools judged for one target each instead of `targets` (--plan-pool NAME=TARGET).
  std::vector<PoolPlan> pool_plans;
  /// The cluster's node pools (scan_pools): when set, a workload is judged only for the targets
  /// of the pools it can be scheduled on, and one that fits no pool is reported.
  std::vector<SchedulingPool> pools;
  /// Rendered Helm charts (--helm-chart): once the run is over, findings on their output move
  /// onto the templates; what cannot move is in LintResult::template_refusals.
  std::vector<HelmChartDir> helm_charts;
  /// Once the run is over (and the Helm mapping done), the findings this baseline records are
  /// left out and counted; the baseline notes which of its entries were taken. Not owned.
  Baseline* baseline = nullptr;
};

/// --target auto: the cluster's node pools that `inputs` describe (Node objects, az aks output),
/// into `options.pools`, and their OSes' targets, into `options.targets`. Returns what to tell
/// the user: pools whose OS no rule of targets/node-os.yaml names (judged with the generic
/// profile), and an input without a Linux pool (then no pools and no targets: the generic
/// profile). Standard input cannot be read twice: the caller gives it a file first.
Result<std::vector<std::string>> use_pool_targets(const InputSet& inputs, const TargetSet& targets,
                                                  LintOptions& options);

/// Counts for the closing summary.
struct Summary {
  std::size_t files = 0;
  std::size_t documents = 0;   ///< non-empty YAML documents
  std::size_t objects = 0;     ///< Kubernetes objects, List items counted one by one
  std::size_t workloads = 0;   ///< objects whose pod spec was checked
  std::size_t skipped = 0;     ///< workloads not checked because they run only on Windows nodes
  std::size_t suppressed = 0;  ///< findings accepted by a waiver (kept, but not counted below)
  std::size_t baselined = 0;   ///< findings left out because the baseline records them
  /// Objects owned by a controller that is in the input too (a cluster dump's ReplicaSets and
  /// Pods): their findings are the controller's, reported once on it.
  std::size_t folded = 0;
  std::size_t errors = 0;
  std::size_t warnings = 0;
  std::size_t notes = 0;

  void add(const Summary& other);
};

/// A workload that was checked, for the readiness matrix.
struct WorkloadRef {
  std::string file;
  std::uint32_t line = 0;
  ObjectRef object;
  /// Targets whose nodes (or pools) it cannot be scheduled on: not judged there.
  std::vector<std::string> unreachable;
  auto operator<=>(const WorkloadRef&) const = default;
};

/// Findings in report order, the workloads checked, and the summary.
struct LintResult {
  FindingStore findings;               ///< in report order, in a temporary file
  std::vector<WorkloadRef> workloads;  ///< in file and line order
  std::vector<std::string> targets;    ///< names of the targets judged, in profile order
  std::vector<SchedulingPool> pools;   ///< the cluster's node pools, with --target auto
  Summary summary;
  /// Things worth telling the user that are not findings (an annotation that uses a former
  /// check id), sorted, each once.
  std::vector<std::string> notices;
  /// Every waiver the input declares (annotations and comments), in input order; stage 5 adds
  /// the configuration's and reports those that matched nothing.
  std::vector<Waiver> waivers;
  /// Names of the AKS node pools read (az aks output), in input order.
  std::vector<std::string> node_pools;
  /// Templates that findings could not be moved onto (LintOptions::helm_charts), and why.
  std::vector<TemplateRefusal> template_refusals;
  /// The input held no Kubernetes object, no node pool and nothing that could not be read:
  /// often the sign that the command producing it failed.
  bool holds_nothing = false;
};

/// Sets the summary's error, warning, note and suppressed counts from the findings, after
/// findings were added, left out or suppressed.
void count_by_severity(LintResult& result);

/// A configured pipeline: checks are instantiated once and shared, read-only, by the workers.
class Linter {
 public:
  /// Fails when `options` name a check the catalogue does not know. invalid-input cannot be
  /// turned off: broken input is always reported.
  static Result<Linter> create(const Catalogue& catalogue, LintOptions options);

  /// Lints every input. Documents are parsed and checked in parallel; the result does not
  /// depend on the number of jobs.
  LintResult lint(const InputSet& inputs) const;

  /// Lints text held in memory as if it were the file `display_path`.
  LintResult lint_text(std::string_view text, const std::string& display_path) const;

  /// The ids of the checks that will run, sorted.
  std::vector<std::string> enabled_checks() const;
  /// The targets workloads are judged for.
  const std::vector<const Target*>& targets() const { return options_.targets; }

 private:
  struct EnabledCheck {
    const CheckInfo* info;
    std::shared_ptr<const Check> check;
    CheckRole role = CheckRole::Workload;
  };
  class Session;

  Linter(const Catalogue& catalogue, const EvidenceCatalogue& evidence, LintOptions options)
      : catalogue_(&catalogue), evidence_catalogue_(&evidence), options_(std::move(options)) {}

  /// A finding of an input check (invalid-input, duplicate-key): no per-target verdicts.
  Finding input_finding(std::string_view check, const std::string& file, Span span, std::string message) const;
  /// A check's observation as a finding: placed, judged per target, the ladder applied.
  /// `targets` are those the workload can be scheduled on.
  Finding make_finding(const CheckInfo& info, Observation observation, const std::string& file, const ObjectRef& object,
                       const std::string& source, std::span<const Target* const> targets) const;
  /// After the last document: merges the sessions, runs the second phase, folds causes, sorts.
  void finish(std::vector<std::unique_ptr<Session>>& sessions, Spool& spool, LintResult& result) const;
  /// Once every finding is made: Helm findings onto their templates, then the baseline.
  void settle(LintResult& result) const;

  const Catalogue* catalogue_;
  const EvidenceCatalogue* evidence_catalogue_;
  const ComponentCatalogue* components_ = nullptr;
  LintOptions options_;
  std::vector<EnabledCheck> checks_;
  bool duplicate_keys_ = true;
  bool known_components_ = true;                      ///< known-component is enabled
  std::optional<NodePoolBlocker> node_pool_blocker_;  ///< when node-pool-blocker is enabled
  std::vector<std::string> waiver_checks_;  ///< unused-suppression and suppression-without-reason, when enabled
};

}  // namespace immutalint
