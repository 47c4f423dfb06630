// A lint run's per-thread state (Linter::Session) and what it hands the last phase: the pipeline's
// own header, shared by src/lint.cpp (making the linter, the whole-input phase, finishing),
// src/session_reading.cpp (reading documents: objects, node pools, the index, input problems) and
// src/session_judging.cpp (judging one workload with every enabled check).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "immutalint/components.hpp"
#include "immutalint/device_claims.hpp"
#include "immutalint/document_split.hpp"
#include "immutalint/input_index.hpp"
#include "immutalint/kube_object.hpp"
#include "immutalint/lint.hpp"
#include "immutalint/list_reassembly.hpp"
#include "immutalint/node_pools.hpp"
#include "immutalint/pod_spec.hpp"
#include "immutalint/spool.hpp"
#include "immutalint/waiver.hpp"
#include "immutalint/yaml_parse.hpp"

namespace immutalint {

/// Turned off by --disable or the configuration. (analysis-incomplete, unlike the checks that
/// look for problems, is not left out by --only: what the run did not check matters whatever it
/// looks for.)
inline bool disabled(const LintOptions& options, std::string_view id) {
  return std::find(options.disabled.begin(), options.disabled.end(), id) != options.disabled.end();
}

/// True when --only and --disable leave check `id` on (their ids already resolved).
inline bool enabled_by(const LintOptions& options, std::string_view id) {
  if (std::find(options.disabled.begin(), options.disabled.end(), id) != options.disabled.end()) return false;
  return options.only.empty() || std::find(options.only.begin(), options.only.end(), id) != options.only.end();
}

/// What the checks found on one workload.
struct CheckedWorkload {
  bool judged = false;  // false when a second pass did not find the workload again
  std::vector<Finding> findings;
  std::vector<std::string> scripts_from;  // ConfigMaps whose mounted files it runs
  std::vector<const Target*> landing;     // the targets it was judged for
};

/// A finding written to the run's spool as soon as it is made (findings are not held in memory),
/// with what the last phase needs to know of it without reading it back.
struct SpilledFinding {
  std::uint64_t group =
      0;  // hash of (file, object), or of (file, cause) without an object: findings that may fold share it
  std::uint32_t session = 0;  // the session that made it
  std::uint32_t deferred =
      0;  // 1 + the index of that session's Deferred workload whose first pass made it; 0 otherwise
  Spool::Ref ref;
};

/// A workload checked before the whole input was known, kept to be checked again when a
/// ConfigMap it mounts turns out to hold scripts or settings, or a device claim it names turns
/// out to keep it off some target's nodes.
struct Deferred {
  std::size_t file = 0;  // index of the input file
  std::string display_path;
  std::uint32_t first_line = 0;  // of the chunk
  std::size_t document = 0;      // index of the document within the chunk
  std::string object_pointer;
  std::string pod_pointer;                                       // which of the object's pods
  std::string source;                                            // Helm template
  std::optional<ListItem> list_item;                             // the chunk is one item of a List read item by item
  Spool::Ref text;                                               // the chunk, in the run's spool
  std::vector<std::pair<std::string, std::string>> config_maps;  // (namespace, name) it mounts
  std::vector<std::string> scripts_from;                         // ConfigMaps whose mounted files it runs
  std::string pod_namespace;
  std::vector<PodDeviceClaim> device_claims;  // ResourceClaims and templates it names
  std::uint32_t session = 0;
  std::uint32_t tag = 0;  // SpilledFinding::deferred of its first pass
  // For the list of workloads: its place there (kNotListed if none), the targets its first pass
  // landed on, and those the object's pods that were not deferred land on.
  std::size_t workload = kNotListed;
  std::vector<const Target*> first_landing;
  std::vector<const Target*> settled_landing;
  std::optional<std::vector<const Target*>> rechecked_landing;

  static constexpr std::size_t kNotListed = static_cast<std::size_t>(-1);
};

/// An object whose metadata names a controller (`ownerReferences` with `controller: true`).
struct OwnedObject {
  std::uint64_t self = 0;
  std::uint64_t controller = 0;
  bool workload = false;  // counted among the workloads checked
};

std::uint64_t fold_group(const Finding& finding);

/// An object's identity for ownership: a hash of its API group, kind, namespace and name.
/// Hashes rather than names keep a cluster dump's ownership graph small in memory.
std::uint64_t ownership_key(std::string_view api_version, std::string_view kind, std::string_view namespace_,
                            std::string_view name);

/// The key of the controller named in an object's ownerReferences, if any. Owners are always in
/// the object's own namespace.
std::optional<std::uint64_t> controller_of(const YamlTree& tree, const KubeObject& object);

/// The ConfigMaps a pod mounts as volumes, each once.
std::vector<std::pair<std::string, std::string>> mounted_config_maps(const YamlTree& tree, const KubeObject& object,
                                                                     const PodSpecView& pod);

/// ConfigMap entries kept for the second phase, where a container may turn out to run them: any
/// text that is not JSON. There is no list of tool names here: what a script does is judged by
/// the same checks as a container's own command. One over kMaxScriptBytes is kept without its
/// text, so that a container that runs it is told it was not read.
bool may_be_script(std::string_view text);

/// The work of one lint run on one thread: turns documents into findings, counts and an index.
class Linter::Session {
 public:
  Session(const Linter& linter, Spool& spool, std::uint32_t id)
      : linter_(linter),
        index_(spool),
        spool_(spool),
        id_(id),
        duplicate_objects_(enabled_by(linter.options_, check_id(CheckRole::DuplicateObject))) {}

  LintResult& result() { return result_; }
  InputIndex& index() { return index_; }
  std::vector<Deferred>& deferred() { return deferred_; }
  std::vector<SpilledFinding>& spilled() { return spilled_; }
  std::vector<std::uint64_t>& controllers() { return controllers_; }
  std::vector<OwnedObject>& owned() { return owned_; }

  void count_file() { ++result_.summary.files; }

  /// A problem with a whole file or path (unreadable, not text).
  void file_problem(const std::string& file, std::string message, std::uint32_t line);

  void process(const RawDocument& raw, std::size_t file_index, const std::string& file);

  /// Checks workloads of one chunk again, now with the whole input's index: the chunk is parsed
  /// once for all of them. Returns what each item's workload gives, in the order of `items`.
  std::vector<CheckedWorkload> recheck(const std::string& text, const std::vector<Deferred*>& items,
                                       const InputIndex& index);

 private:
  void add(const Finding& finding, std::uint32_t deferred = 0);

  /// Adds a finding about `object`, marked as suppressed when its annotations accept the check.
  void add_for_object(const YamlTree& tree, const KubeObject* object, const std::string& file, Finding finding);

  /// Marks `finding` as suppressed by the first of `waivers` that accepts its check on its
  /// container; one that names the check by a former id still does, with a notice.
  void mark_by_annotation(const std::vector<Waiver>& waivers, const CheckInfo& check, Finding& finding);

  void note_former_id(const std::string& file, std::uint32_t line, const std::string& former_id, const std::string& id);

  WorkloadReading workload_reading() const;

  /// Pod templates found by shape are checked, and the user is told where they were found so
  /// that the kind can be declared.
  void note_discovered(const std::string& file, const KubeObject& object, const std::vector<std::string>& paths);

  /// The object of the document that holds a document-relative pointer (List items are
  /// objects of their own), and the pointer made relative to it.
  static std::pair<const KubeObject*, std::string> owner_of(const DocumentObjects& objects, const std::string& pointer);

  template <typename Defer>
  void process_document(const ParsedDocument& doc, std::size_t file_index, const std::string& file,
                        const std::string& source, const std::optional<ListItem>& list_item, Defer&& defer);

  /// Node pools from `az aks` output: their names are kept for --plan-pool, and node-pool-blocker
  /// judges them.
  void judge_node_pools(const NodePoolDocument& pools);

  /// Runs every enabled check on one workload; findings carry their verdicts and severity, and
  /// those the workload's annotations accept are marked so.
  /// `device_claims` are the pod's, judged against `index`; without an index, they rule
  /// nothing out.
  CheckedWorkload check_workload(const YamlTree& tree, const KubeObject& object, const PodSpecView& pod,
                                 const std::string& file, const std::string& source, const InputIndex* index,
                                 const std::vector<PodDeviceClaim>& device_claims);

  /// What the targets document about a well-known component the pod runs
  /// (checks::judge_documented_outcomes), and the known-component finding where it needs
  /// configuration or breaks: the findings that show how it breaks join that finding's cause.
  void apply_documented_outcomes(const YamlTree& tree, const KubeObject& object, const PodSpecView& pod,
                                 const RecognisedComponent& found, const std::vector<const Target*>& landing,
                                 const std::string& file, const std::string& source, const std::vector<Waiver>& waivers,
                                 std::vector<Finding>& findings);

  /// Where the object is defined, for duplicate-object, with the annotation that accepts the
  /// check on it, if any: the finding is made after the last document, without the object's tree.
  void record_definition(const YamlTree& tree, const KubeObject& object, const std::vector<Waiver>& waivers,
                         std::size_t file_index, const std::string& file, const std::string& source);

  /// What other documents may need of this object: Namespace labels, ConfigMap entries, device
  /// claims.
  void index_object(const YamlTree& tree, const KubeObject& object, const std::string& file, const std::string& source);

  const Linter& linter_;
  LintResult result_;
  InputIndex index_;
  std::vector<Deferred> deferred_;
  std::vector<SpilledFinding> spilled_;
  std::vector<std::uint64_t> controllers_;  // every object that is not a Pod
  std::vector<OwnedObject> owned_;          // objects that name a controller
  Spool& spool_;                            // the run's, shared by its sessions
  std::uint32_t id_;
  bool duplicate_objects_;  // duplicate-object is enabled: every object's definition is recorded
};

}  // namespace immutalint
