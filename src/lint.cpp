// The pipeline: parse -> objects -> pod spec -> evidence -> checks -> suppressions, per
// document on worker threads; then, once the whole input is known, a second phase for what
// depends on other documents, the verdict ladder, and one finding per cause. Findings are
// sorted at the end, which makes the output independent of scheduling.
#include "immutalint/lint.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <numeric>
#include <set>
#include <system_error>
#include <thread>
#include <tuple>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "checks/duplicate-object.hpp"
#include "checks/known-component.hpp"
#include "checks/os-sku-pinning.hpp"
#include "immutalint/cause_folding.hpp"
#include "immutalint/cpus.hpp"
#include "immutalint/device_claims.hpp"
#include "immutalint/finding_store.hpp"
#include "immutalint/kube_object.hpp"
#include "immutalint/list_reassembly.hpp"
#include "immutalint/node_os.hpp"
#include "immutalint/placement.hpp"
#include "immutalint/pod_spec.hpp"
#include "immutalint/shared_causes.hpp"
#include "immutalint/spool.hpp"
#include "immutalint/suppression.hpp"
#include "job_queue.hpp"

namespace immutalint {

void count_by_severity(LintResult& result) {
  result.summary.errors = result.summary.warnings = result.summary.notes = result.summary.suppressed = 0;
  result.findings.for_each([&](const Finding& finding) {
    if (finding.suppressed()) {
      ++result.summary.suppressed;
      return;
    }
    switch (finding.severity) {
      case Severity::Error: ++result.summary.errors; break;
      case Severity::Warning: ++result.summary.warnings; break;
      case Severity::Note: ++result.summary.notes; break;
    }
  });
}

void Summary::add(const Summary& other) {
  files += other.files;
  documents += other.documents;
  objects += other.objects;
  workloads += other.workloads;
  skipped += other.skipped;
  suppressed += other.suppressed;
  baselined += other.baselined;
  folded += other.folded;
  errors += other.errors;
  warnings += other.warnings;
  notes += other.notes;
}

namespace {

/// Turned off by --disable or the configuration. (analysis-incomplete, unlike the checks that
/// look for problems, is not left out by --only: what the run did not check matters whatever it
/// looks for.)
bool disabled(const LintOptions& options, std::string_view id) {
  return std::find(options.disabled.begin(), options.disabled.end(), id) != options.disabled.end();
}

/// True when --only and --disable leave check `id` on (their ids already resolved).
bool enabled_by(const LintOptions& options, std::string_view id) {
  if (std::find(options.disabled.begin(), options.disabled.end(), id) != options.disabled.end()) return false;
  return options.only.empty() || std::find(options.only.begin(), options.only.end(), id) != options.only.end();
}

}  // namespace

Result<Linter> Linter::create(const Catalogue& catalogue, LintOptions options) {
  // Checks named by a former id are the checks they were renamed to.
  for (auto* list : {&options.only, &options.disabled}) {
    for (auto& id : *list) {
      const CheckInfo* info = catalogue.resolve(id);
      if (!info) return Error{fmt::format("unknown check id '{}' (see --list-checks)", id)};
      id = info->id;
    }
  }
  auto wanted = [&](std::string_view id) {
    if (std::find(options.disabled.begin(), options.disabled.end(), id) != options.disabled.end()) return false;
    return options.only.empty() || std::find(options.only.begin(), options.only.end(), id) != options.only.end();
  };
  for (const auto& kind : options.workload_kinds) {
    if (auto why = check_custom_workload_kind(kind)) return Error{fmt::format("workload kind {}", *why)};
  }
  if (options.targets.empty()) {
    const auto& builtin = TargetSet::builtin();
    if (!builtin) return builtin.error();
    const Target* fallback = builtin->find(kDefaultTarget);
    if (!fallback) return Error{fmt::format("the built-in target profiles have no `{}` profile", kDefaultTarget)};
    options.targets.push_back(fallback);
  }
  const auto& evidence = EvidenceCatalogue::builtin();
  if (!evidence) return evidence.error();
  const auto& components = ComponentCatalogue::builtin();
  if (!components) return components.error();
  Linter linter(catalogue, *evidence, options);
  linter.components_ = &*components;
  linter.known_components_ = wanted(check_id(CheckRole::DocumentedOutcome));
  for (const auto& factory : check_registry()) {
    const CheckInfo* info = catalogue.find(factory.id);
    if (!info) return Error{fmt::format("check '{}' has no entry in the catalogue", factory.id)};
    if (!factory.make || !wanted(factory.id)) continue;  // a stage makes the findings of the others
    // Parameters are read once, when the check is made, from a copy of its entry that records
    // what it reads: a missing or unused one is a catalogue error. The shared catalogue itself
    // is never written, so linters can be made on several threads.
    CheckInfo reading = *info;
    reading.params.forget_reads();
    auto check = factory.make(reading);
    if (auto missing = reading.params.missing(); !missing.empty()) {
      return Error{fmt::format("checks/{}.yaml: parameter `{}` is missing", info->id, missing.front())};
    }
    if (auto unread = reading.params.unread(); !unread.empty()) {
      return Error{fmt::format("checks/{}.yaml: parameter `{}` is not used by the check", info->id, unread.front())};
    }
    if (auto unknown = reading.params.unknown_facts(); !unknown.empty()) {
      return Error{
          fmt::format("checks/{}.yaml: `{}` is no fact of targets/vocabulary.yaml", info->id, unknown.front())};
    }
    linter.checks_.push_back({info, std::move(check), factory.role});
  }
  linter.duplicate_keys_ = wanted(check_id(CheckRole::DuplicateKey));
  if (wanted(check_id(CheckRole::NodePools))) {
    const auto& node_os = NodeOsRules::builtin();
    if (!node_os) return node_os.error();
    linter.node_pool_blocker_.emplace(*evidence, node_os->os_sku_label());
  }
  for (auto id : {check_id(CheckRole::UnusedWaiver), check_id(CheckRole::ReasonlessWaiver)}) {
    if (wanted(id)) linter.waiver_checks_.emplace_back(id);
  }
  return linter;
}

std::vector<std::string> Linter::enabled_checks() const {
  std::vector<std::string> ids{std::string(check_id(CheckRole::InvalidInput))};
  if (!disabled(options_, check_id(CheckRole::AnalysisIncomplete)))
    ids.emplace_back(check_id(CheckRole::AnalysisIncomplete));
  if (duplicate_keys_) ids.emplace_back(check_id(CheckRole::DuplicateKey));
  if (enabled_by(options_, check_id(CheckRole::DuplicateObject)))
    ids.emplace_back(check_id(CheckRole::DuplicateObject));
  if (node_pool_blocker_) ids.emplace_back(check_id(CheckRole::NodePools));
  if (known_components_) ids.emplace_back(check_id(CheckRole::DocumentedOutcome));
  ids.insert(ids.end(), waiver_checks_.begin(), waiver_checks_.end());
  for (const auto& enabled : checks_) ids.push_back(enabled.info->id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

namespace {

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

std::uint64_t fold_group(const Finding& finding) {
  // Per object, not per cause: causes of one object can be joined (the volumes of one install).
  std::string key = finding.file;
  if (finding.object) {
    for (const auto* part :
         {&finding.object->api_version, &finding.object->kind, &finding.object->namespace_, &finding.object->name}) {
      key += '\0';
      key += *part;
    }
  } else {
    key += '\0';
    key += finding.cause;
  }
  return std::hash<std::string>{}(key);
}

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

/// An object's identity for ownership: a hash of its API group, kind, namespace and name.
/// Hashes rather than names keep a cluster dump's ownership graph small in memory.
std::uint64_t ownership_key(std::string_view api_version, std::string_view kind, std::string_view namespace_,
                            std::string_view name) {
  std::string key(api_group(api_version));
  for (std::string_view part : {kind, namespace_, name}) {
    key += '\0';
    key += part;
  }
  return std::hash<std::string>{}(key);
}

/// An object whose metadata names a controller (`ownerReferences` with `controller: true`).
struct OwnedObject {
  std::uint64_t self = 0;
  std::uint64_t controller = 0;
  bool workload = false;  // counted among the workloads checked
};

/// The key of the controller named in an object's ownerReferences, if any. Owners are always in
/// the object's own namespace.
std::optional<std::uint64_t> controller_of(const YamlTree& tree, const KubeObject& object) {
  const NodeId references = tree.get(tree.get(object.root, "metadata"), "ownerReferences");
  for (NodeId reference : tree.items(references)) {
    if (tree.boolean(tree.get(reference, "controller")) != true) continue;
    auto text = [&](std::string_view key) { return tree.scalar(tree.get(reference, key)).value_or(""); };
    if (text("kind").empty() || text("name").empty()) continue;
    return ownership_key(text("apiVersion"), text("kind"), object.ref.namespace_, text("name"));
  }
  return std::nullopt;
}

/// The ConfigMaps a pod mounts as volumes, each once.
std::vector<std::pair<std::string, std::string>> mounted_config_maps(const YamlTree& tree, const KubeObject& object,
                                                                     const PodSpecView& pod) {
  std::vector<std::pair<std::string, std::string>> found;
  std::set<std::string_view> seen;
  for (const auto& volume : pod.volumes) {
    auto name = tree.scalar(tree.get(tree.get(volume.node, "configMap"), "name"));
    if (name && seen.insert(*name).second) found.emplace_back(object.ref.namespace_, std::string(*name));
  }
  return found;
}

/// ConfigMap entries kept for the second phase, where a container may turn out to run them: any
/// text that is not JSON. There is no list of tool names here: what a script does is judged by
/// the same checks as a container's own command. One over kMaxScriptBytes is kept without its
/// text, so that a container that runs it is told it was not read.
bool may_be_script(std::string_view text) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return false;
  return !nlohmann::json::accept(text);  // `[ -f x ] && ...` is a script; `["a"]` is data
}

}  // namespace

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
  void file_problem(const std::string& file, std::string message, std::uint32_t line) {
    add(linter_.input_finding(check_id(CheckRole::InvalidInput), file, Span{{line, 1}, {line, 1}}, std::move(message)));
  }

  void process(const RawDocument& raw, std::size_t file_index, const std::string& file) {
    const std::optional<ListItem>& list_item = raw.list_item;
    if (raw.skipped_bytes > 0) {
      const std::string what =
          list_item ? fmt::format("item {} of the {}", list_item->index, list_item->list_kind) : "document";
      file_problem(file,
                   fmt::format("{} is {} bytes, more than the {} MiB limit; it was not linted", what, raw.skipped_bytes,
                               linter_.options_.split.max_document_bytes >> 20),
                   raw.first_line);
      return;
    }
    const std::string source = list_item ? list_item->source : helm_source_of(raw.text);
    auto comments = inline_waivers(raw.text, raw.first_line, file);
    result_.waivers.insert(result_.waivers.end(), comments.begin(), comments.end());
    std::optional<Spool::Ref> spooled;
    std::size_t index = 0;
    for (ParsedDocument& doc : parse_yaml_documents(raw.text, raw.first_line, linter_.options_.parse)) {
      const std::size_t document = index++;
      if (doc.empty && !doc.error) continue;
      if (!list_item) ++result_.summary.documents;  // a List's items are counted with it
      if (list_item) {
        // Pointers from the item's root become pointers from the List's, as when read whole.
        for (auto& dup : doc.duplicates) dup.pointer = fmt::format("/items/{}{}", list_item->index, dup.pointer);
      }
      if (doc.error) {
        Finding finding = linter_.input_finding(check_id(CheckRole::InvalidInput), file,
                                                Span{doc.error->mark, doc.error->mark}, doc.error->message);
        finding.source = source;
        add(std::move(finding));
        continue;
      }
      process_document(
          doc, file_index, file, source, list_item,
          [&](const KubeObject& object, const PodSpecView& pod, std::vector<std::pair<std::string, std::string>> maps,
              std::vector<PodDeviceClaim> claims, CheckedWorkload checked) {
            if (!spooled) spooled = spool_.put(raw.text);
            const auto tag = static_cast<std::uint32_t>(deferred_.size() + 1);
            for (auto& finding : checked.findings) add(std::move(finding), tag);
            Deferred item{file_index,
                          file,
                          raw.first_line,
                          document,
                          object.pointer,
                          pod.pointer,
                          source,
                          list_item,
                          *spooled,
                          std::move(maps),
                          std::move(checked.scripts_from),
                          object.ref.namespace_,
                          std::move(claims),
                          id_,
                          tag,
                          Deferred::kNotListed,
                          std::move(checked.landing),
                          {},
                          std::nullopt};
            deferred_.push_back(std::move(item));
          });
    }
  }

  /// Checks workloads of one chunk again, now with the whole input's index: the chunk is parsed
  /// once for all of them. Returns what each item's workload gives, in the order of `items`.
  std::vector<CheckedWorkload> recheck(const std::string& text, const std::vector<Deferred*>& items,
                                       const InputIndex& index) {
    std::vector<CheckedWorkload> checked(items.size());
    std::size_t at = 0;
    for (ParsedDocument& doc : parse_yaml_documents(text, items.front()->first_line, linter_.options_.parse)) {
      const std::size_t document = at++;
      if (doc.error) continue;
      std::optional<DocumentObjects> objects;
      for (std::size_t i = 0; i < items.size(); ++i) {
        const Deferred& item = *items[i];
        if (item.document != document) continue;
        if (!objects) objects = objects_of(doc.tree, item.list_item);
        for (const auto& object : objects->objects) {
          if (object.pointer != item.object_pointer) continue;
          Workload workload = read_workload(doc.tree, object, workload_reading());
          for (const PodSpecView& pod : workload.pods) {
            if (pod.pointer != item.pod_pointer) continue;
            checked[i] =
                check_workload(doc.tree, object, pod, item.display_path, item.source, &index, item.device_claims);
            break;
          }
          break;
        }
      }
    }
    return checked;
  }

 private:
  void add(const Finding& finding, std::uint32_t deferred = 0) {
    spilled_.push_back(SpilledFinding{fold_group(finding), id_, deferred, spool_.put(encode_finding(finding))});
  }

  /// Adds a finding about `object`, marked as suppressed when its annotations accept the check.
  void add_for_object(const YamlTree& tree, const KubeObject* object, const std::string& file, Finding finding) {
    if (object) {
      mark_by_annotation(annotation_waivers(tree, *object, file), *linter_.catalogue_->find(finding.check), finding);
      finding.object = object->ref;
    }
    add(std::move(finding));
  }

  /// Marks `finding` as suppressed by the first of `waivers` that accepts its check on its
  /// container; one that names the check by a former id still does, with a notice.
  void mark_by_annotation(const std::vector<Waiver>& waivers, const CheckInfo& check, Finding& finding) {
    if (finding.suppression) return;
    for (const Waiver& waiver : waivers) {
      if (!accepts_on(waiver, check, finding.container)) continue;
      finding.suppression = Suppression{waiver.channel, waiver.reason, waiver.where, {}, false};
      for (const auto& id : waiver.checks) {
        std::string former_id;
        if (accepts(id, check, &former_id) && !former_id.empty()) {
          note_former_id(waiver.where.file, waiver.where.span.begin.line, former_id, check.id);
        }
      }
      return;
    }
  }

  void note_former_id(const std::string& file, std::uint32_t line, const std::string& former_id,
                      const std::string& id) {
    result_.notices.push_back(fmt::format("{}:{}: annotation {}{} names check {} by its former id; rename it", file,
                                          line, kIgnoreAnnotationPrefix, former_id, id));
  }

  WorkloadReading workload_reading() const {
    return {linter_.options_.workload_kinds, linter_.options_.discover_pod_templates};
  }

  /// Pod templates found by shape are checked, and the user is told where they were found so
  /// that the kind can be declared.
  void note_discovered(const std::string& file, const KubeObject& object, const std::vector<std::string>& paths) {
    std::string where;
    for (const auto& path : paths) where += fmt::format("{}`{}`", where.empty() ? "" : ", ", path);
    result_.notices.push_back(fmt::format(
        "{}:{}: {} ({}) is not a known workload kind, but has a pod template at {}, found by its shape and checked; "
        "declare it under workload-kinds to check it without discovery",
        file, object.kind_span.begin.line, object.ref.describe(), object.ref.api_version, where));
  }

  /// The object of the document that holds a document-relative pointer (List items are
  /// objects of their own), and the pointer made relative to it.
  static std::pair<const KubeObject*, std::string> owner_of(const DocumentObjects& objects,
                                                            const std::string& pointer) {
    const KubeObject* best = nullptr;
    for (const auto& object : objects.objects) {
      const auto& prefix = object.pointer;
      const bool inside =
          pointer.starts_with(prefix) && (pointer.size() == prefix.size() || pointer[prefix.size()] == '/');
      if (inside && (!best || prefix.size() > best->pointer.size())) best = &object;
    }
    return {best, best ? pointer.substr(best->pointer.size()) : pointer};
  }

  template <typename Defer>
  void process_document(const ParsedDocument& doc, std::size_t file_index, const std::string& file,
                        const std::string& source, const std::optional<ListItem>& list_item, Defer&& defer) {
    const YamlTree& tree = doc.tree;
    const DocumentObjects objects = objects_of(tree, list_item);
    if (!objects.kubernetes) {  // some other YAML: a CI workflow, Helm values, ... or AKS node pools
      if (auto pools = read_node_pools(tree, file)) {
        for (const auto& problem : pools->problems) {  // entries of a pool list that are not pools
          Finding finding =
              linter_.input_finding(check_id(CheckRole::InvalidInput), file, problem.span, problem.message);
          finding.field = problem.pointer;
          finding.source = source;
          add(std::move(finding));
        }
        judge_node_pools(*pools);
      }
      return;
    }

    for (const auto& problem : objects.problems) {
      auto [owner, field] = owner_of(objects, problem.pointer);
      Finding finding = linter_.input_finding(check_id(CheckRole::InvalidInput), file, problem.span, problem.message);
      finding.field = field;
      finding.source = source;
      add_for_object(tree, owner, file, std::move(finding));
    }
    if (linter_.duplicate_keys_) {
      for (const auto& dup : doc.duplicates) {
        auto [owner, field] = owner_of(objects, dup.pointer);
        Finding finding = linter_.input_finding(
            check_id(CheckRole::DuplicateKey), file, dup.repeat,
            fmt::format("key \"{}\" is repeated (first at line {}); the API server keeps only this last value", dup.key,
                        dup.first.line));
        finding.field = field;
        finding.source = source;
        add_for_object(tree, owner, file, std::move(finding));
      }
    }

    AliasBudget aliases(tree);  // shared by the document's objects
    WorkloadReading reading = workload_reading();
    reading.aliases = &aliases;
    for (const auto& object : objects.objects) {
      ++result_.summary.objects;
      // Pods own nothing; every other object may be the controller of objects in the input.
      const std::uint64_t self =
          ownership_key(object.ref.api_version, object.ref.kind, object.ref.namespace_, object.ref.name);
      if (object.ref.kind != "Pod") controllers_.push_back(self);
      OwnedObject* owned = nullptr;
      if (auto controller = controller_of(tree, object)) owned = &owned_.emplace_back(OwnedObject{self, *controller});
      auto waivers = annotation_waivers(tree, object, file);
      result_.waivers.insert(result_.waivers.end(), waivers.begin(), waivers.end());
      index_object(tree, object, file, source);
      if (duplicate_objects_) record_definition(tree, object, waivers, file_index, file, source);
      Workload workload = read_workload(tree, object, reading);
      for (const auto& problem : workload.problems) {
        Finding finding = linter_.input_finding(check_id(CheckRole::InvalidInput), file, problem.span, problem.message);
        finding.field = problem.pointer;
        finding.source = source;
        add_for_object(tree, &object, file, std::move(finding));
      }
      if (!workload.discovered.empty()) note_discovered(file, object, workload.discovered);
      if (workload.pods.empty()) continue;
      // An object is one workload however many pods it makes (JobSet, Argo Workflow); each pod
      // is checked on its own.
      if (std::all_of(workload.pods.begin(), workload.pods.end(),
                      [&](const PodSpecView& pod) { return runs_only_on_windows(tree, pod); })) {
        ++result_.summary.skipped;
        continue;
      }
      ++result_.summary.workloads;
      if (owned) owned->workload = true;
      std::set<const Target*> reached;
      std::set<const Target*> settled;  // reached by pods that are not checked again
      const std::size_t first_deferred = deferred_.size();
      for (const PodSpecView& pod : workload.pods) {
        if (runs_only_on_windows(tree, pod)) continue;
        CheckedWorkload checked = check_workload(tree, object, pod, file, source, nullptr, {});
        reached.insert(checked.landing.begin(), checked.landing.end());
        auto maps = mounted_config_maps(tree, object, pod);
        auto claims = pod_device_claims(tree, pod);
        if (maps.empty() && claims.empty()) {
          settled.insert(checked.landing.begin(), checked.landing.end());
          for (auto& finding : checked.findings) add(std::move(finding));
        } else {
          defer(object, pod, std::move(maps), std::move(claims), std::move(checked));
        }
      }
      if (linter_.options_.list_workloads) {
        WorkloadRef listed{file, object.kind_span.begin.line, object.ref, {}};
        for (const Target* target : linter_.options_.targets) {
          if (!reached.count(target)) listed.unreachable.push_back(target->name());
        }
        for (std::size_t k = first_deferred; k < deferred_.size(); ++k) {
          deferred_[k].workload = result_.workloads.size();
          deferred_[k].settled_landing.assign(settled.begin(), settled.end());
        }
        result_.workloads.push_back(std::move(listed));
      }
    }
  }

  /// Node pools from `az aks` output: their names are kept for --plan-pool, and node-pool-blocker
  /// judges them.
  void judge_node_pools(const NodePoolDocument& pools) {
    for (const auto& pool : pools.pools) result_.node_pools.push_back(pool.name);
    if (!linter_.node_pool_blocker_) return;
    // With --target auto the targets are the OSes the pools already run: a pool is judged for
    // re-creation only where --plan-pool moves it, not for every other pool's OS.
    const std::span<const Target* const> targets = linter_.options_.pools.empty()
                                                       ? std::span<const Target* const>(linter_.options_.targets)
                                                       : std::span<const Target* const>();
    for (auto& finding : linter_.node_pool_blocker_->judge(pools, targets, linter_.options_.pool_plans))
      add(std::move(finding));
  }

  /// Runs every enabled check on one workload; findings carry their verdicts and severity, and
  /// those the workload's annotations accept are marked so.
  /// `device_claims` are the pod's, judged against `index`; without an index, they rule
  /// nothing out.
  CheckedWorkload check_workload(const YamlTree& tree, const KubeObject& object, const PodSpecView& pod,
                                 const std::string& file, const std::string& source, const InputIndex* index,
                                 const std::vector<PodDeviceClaim>& device_claims) {
    const WorkloadEvidence evidence =
        gather_evidence(EvidenceInput{tree, object, pod, file, *linter_.evidence_catalogue_, index});
    CheckedWorkload checked;
    checked.judged = true;
    checked.scripts_from = evidence.scripts_from;
    // A device no node of the target offers keeps the pod off the target's nodes.
    const auto claim_block = [&](const Target& target) -> std::optional<std::string> {
      if (!index || device_claims.empty()) return std::nullopt;
      auto block = device_claim_block(device_claims, object.ref.namespace_, *index, target);
      if (!block) return std::nullopt;
      return fmt::format("it claims devices of class {} ({} {}), which no node of {} offers", block->device_class->name,
                         block->claim.kind, block->claim.name, target.name());
    };
    // A workload is judged only for the targets whose nodes it can be scheduled on: the
    // cluster's pools when the input describes them, else the targets' own node labels.
    const auto& pools = linter_.options_.pools;
    std::vector<const Target*> landing;
    std::vector<std::pair<const SchedulingPool*, std::string>> blocked;
    for (const Target* target : linter_.options_.targets) {
      if (pools.empty()) {
        if (can_land_on(tree, pod, *target) && !claim_block(*target)) landing.push_back(target);
        continue;
      }
      bool reaches = false;
      for (const SchedulingPool& pool : pools) {
        if (!pool.linux || pool.target != target) continue;
        auto block = pool_block(tree, pod, pool);
        if (!block) block = claim_block(*target);
        if (!block) {
          reaches = true;
        } else {
          blocked.emplace_back(&pool, std::move(*block));
        }
      }
      if (reaches) landing.push_back(target);
    }
    checked.landing = landing;
    if (!pools.empty() && landing.empty()) {
      const CheckInfo& placement = *linter_.catalogue_->find(check_id(CheckRole::PodPlacement));
      checked.findings.push_back(checks::no_pool_accepts(placement, tree, object, pod, file, source, blocked));
      return checked;
    }
    const CheckContext context{tree, object, pod, landing, evidence, file, linter_.options_.targets, source};
    const std::vector<Waiver> waivers = annotation_waivers(tree, object, file);
    if (!disabled(linter_.options_, check_id(CheckRole::AnalysisIncomplete))) {
      // Commands the workload runs that no check could read: the run must not pass silently.
      const CheckInfo& incomplete = *linter_.catalogue_->find(check_id(CheckRole::AnalysisIncomplete));
      for (const UnreadCommands& unread : evidence.unread) {
        const IndexedConfigMap* script = unread.site.config_map;
        Finding finding = linter_.input_finding(
            check_id(CheckRole::AnalysisIncomplete), unread.site.place.file, unread.site.place.span,
            script ? fmt::format("{} (run by {})", unread.message, object.ref.describe()) : unread.message);
        finding.field = unread.site.place.field;
        finding.container = unread.container->name;
        finding.object = script ? script->ref : object.ref;
        finding.source = script ? script->source : source;
        mark_by_annotation(waivers, incomplete, finding);
        if (script) mark_by_annotation(script->waivers, incomplete, finding);
        checked.findings.push_back(std::move(finding));
      }
    }
    std::vector<Observation> observations;
    for (const auto& enabled : linter_.checks_) {
      observations.clear();
      // With pools known, where a pod can run is decided above, by the pools themselves.
      if (!pools.empty() && enabled.role == CheckRole::PodPlacement) continue;
      enabled.check->inspect(context, observations);
      for (auto& observation : observations) {
        const IndexedConfigMap* script = observation.config_map;
        Finding finding =
            linter_.make_finding(*enabled.info, std::move(observation), file, object.ref, source, landing);
        if (finding.targets.empty()) continue;  // ready on every selected target
        // A finding in a ConfigMap script may be accepted on the workload or on the ConfigMap.
        mark_by_annotation(waivers, *enabled.info, finding);
        if (script) mark_by_annotation(script->waivers, *enabled.info, finding);
        checked.findings.push_back(std::move(finding));
      }
    }
    if (auto component = recognise_component(*linter_.components_, tree, pod)) {
      apply_documented_outcomes(tree, object, pod, *component, landing, file, source, waivers, checked.findings);
    }
    return checked;
  }

  /// What the targets document about a well-known component the pod runs
  /// (checks::judge_documented_outcomes), and the known-component finding where it needs
  /// configuration or breaks: the findings that show how it breaks join that finding's cause.
  void apply_documented_outcomes(const YamlTree& tree, const KubeObject& object, const PodSpecView& pod,
                                 const RecognisedComponent& found, const std::vector<const Target*>& landing,
                                 const std::string& file, const std::string& source, const std::vector<Waiver>& waivers,
                                 std::vector<Finding>& findings) {
    auto outcome = checks::judge_documented_outcomes(tree, pod, found, landing, linter_.known_components_, findings);
    if (outcome.observation.targets.empty()) return;
    const CheckInfo& info = *linter_.catalogue_->find(check_id(CheckRole::DocumentedOutcome));
    Finding documented = linter_.make_finding(info, std::move(outcome.observation), file, object.ref, source, landing);
    if (documented.targets.empty()) return;
    mark_by_annotation(waivers, info, documented);
    // What the documentation says breaks is the same cause as the findings on how it breaks there;
    // they join it, so that the one that shows how leads.
    for (Finding& finding : findings) {
      const bool same_target = std::any_of(finding.targets.begin(), finding.targets.end(), [&](const TargetVerdict& v) {
        return v.verdict > Verdict::Review &&
               std::find(outcome.breaks_on.begin(), outcome.breaks_on.end(), v.target) != outcome.breaks_on.end();
      });
      if (same_target && finding.shared_cause.empty() && !finding.cause.empty() && !documented.suppressed())
        finding.joined_causes.push_back(documented.cause);
    }
    findings.push_back(std::move(documented));
  }

  /// Where the object is defined, for duplicate-object, with the annotation that accepts the
  /// check on it, if any: the finding is made after the last document, without the object's tree.
  void record_definition(const YamlTree& tree, const KubeObject& object, const std::vector<Waiver>& waivers,
                         std::size_t file_index, const std::string& file, const std::string& source) {
    ObjectDefinition definition{object.ref, file, source, tree.node(object.root).span.begin, std::nullopt};
    const CheckInfo& check = *linter_.catalogue_->find(check_id(CheckRole::DuplicateObject));
    for (const Waiver& waiver : waivers) {
      if (!accepts_on(waiver, check, "")) continue;
      definition.suppression = Suppression{waiver.channel, waiver.reason, waiver.where, {}, false};
      break;
    }
    index_.add_object(definition, static_cast<std::uint32_t>(file_index));
  }

  /// What other documents may need of this object: Namespace labels, ConfigMap entries, device
  /// claims.
  void index_object(const YamlTree& tree, const KubeObject& object, const std::string& file,
                    const std::string& source) {
    if (object.ref.name.empty()) return;
    if (is_device_claim(object)) {
      auto requests = device_requests(tree, object);
      if (!requests.empty()) {
        index_.add_device_claim(object.ref.kind, object.ref.namespace_, object.ref.name, std::move(requests), file,
                                object.kind_span.begin);
      }
      return;
    }
    if (!api_group(object.ref.api_version).empty()) return;
    const NodeId metadata = tree.get(object.root, "metadata");
    if (object.ref.kind == "Namespace") {
      std::map<std::string, std::string> labels;
      for (const auto& entry : tree.entries(tree.get(metadata, "labels"))) {
        if (auto value = tree.scalar(entry.value)) labels[entry.key] = std::string(*value);
      }
      index_.add_namespace(object.ref.name, std::move(labels), file, object.kind_span);
      return;
    }
    if (object.ref.kind != "ConfigMap") return;
    IndexedConfigMap config_map;
    config_map.ref = object.ref;
    config_map.file = file;
    config_map.source = source;
    config_map.waivers = annotation_waivers(tree, object, file);
    for (const auto& entry : tree.entries(tree.get(object.root, "data"))) {
      auto text = tree.scalar(entry.value);
      const bool config = linter_.evidence_catalogue_->names_config_key(entry.key);
      if (!text || !(config || may_be_script(*text))) continue;
      const YamlNode& value = tree.node(entry.value);
      const bool too_large = !config && text->size() > kMaxScriptBytes;
      config_map.entries.push_back({entry.key, too_large ? Spool::Ref{} : spool_.put(*text), &spool_,
                                    tree.span_of(entry), value.span, value.style, config,
                                    too_large ? std::optional<std::uint64_t>(text->size()) : std::nullopt});
    }
    index_.add_config_map(config_map, object.kind_span.begin);
  }

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

Finding Linter::input_finding(std::string_view check, const std::string& file, Span span, std::string message) const {
  Finding finding;
  finding.check = std::string(check);
  finding.file = file;
  finding.span = span;
  finding.message = std::move(message);
  finding.severity = catalogue_->find(check)->severity;
  return finding;
}

Finding Linter::make_finding(const CheckInfo& info, Observation observation, const std::string& file,
                             const ObjectRef& object, const std::string& source,
                             std::span<const Target* const> targets) const {
  Finding finding;
  finding.check = info.id;
  finding.message = std::move(observation.message);
  finding.span = observation.span;
  finding.field = std::move(observation.field);
  finding.container = std::move(observation.container);
  finding.action = observation.action;
  finding.evidence = std::move(observation.evidence);
  finding.cause = observation.cause.empty() ? finding.field : std::move(observation.cause);
  finding.joined_causes = std::move(observation.joined_causes);
  finding.shared_cause = std::move(observation.shared_cause);
  if (observation.config_map) {
    // Reported where the script is, naming the workload that runs it.
    finding.file = observation.config_map->file;
    finding.object = observation.config_map->ref;
    finding.source = observation.config_map->source;
    finding.message += fmt::format(" (run by {})", object.describe());
  } else {
    finding.file = file;
    finding.object = object;
    finding.source = source;
  }
  if (info.targets_rule.empty()) {
    for (const Target* target : targets) {
      StaticVerdict row = info.static_verdict(*target);
      if (row.verdict != Verdict::Ready) {
        finding.targets.push_back(
            {target->name(), row.verdict, std::move(row.why), std::move(row.source), row.confidence, {}});
      }
    }
  } else {
    finding.targets = std::move(observation.targets);
  }
  apply_ladder(finding, info.kind);
  return finding;
}

void Linter::finish(std::vector<std::unique_ptr<Session>>& sessions, Spool& spool, LintResult& result) const {
  // Merge what the sessions saw, in session order; nothing below depends on that order.
  InputIndex index(spool);
  std::vector<Deferred*> deferred;
  std::vector<SpilledFinding> spilled;
  std::vector<std::uint64_t> controllers;
  std::vector<OwnedObject> owned;
  for (auto& session : sessions) {
    auto& part = session->result();
    controllers.insert(controllers.end(), session->controllers().begin(), session->controllers().end());
    owned.insert(owned.end(), session->owned().begin(), session->owned().end());
    session->controllers() = {};
    session->owned() = {};
    result.summary.add(part.summary);
    const std::size_t first_workload = result.workloads.size();
    std::move(part.workloads.begin(), part.workloads.end(), std::back_inserter(result.workloads));
    std::move(part.notices.begin(), part.notices.end(), std::back_inserter(result.notices));
    std::move(part.waivers.begin(), part.waivers.end(), std::back_inserter(result.waivers));
    std::move(part.node_pools.begin(), part.node_pools.end(), std::back_inserter(result.node_pools));
    index.merge(std::move(session->index()));
    for (auto& item : session->deferred()) {
      if (item.workload != Deferred::kNotListed) item.workload += first_workload;
      deferred.push_back(&item);
    }
    auto& findings = session->spilled();
    spilled.insert(spilled.end(), findings.begin(), findings.end());
    findings = {};
  }
  auto spill = [&](const Finding& finding) {
    spilled.push_back(SpilledFinding{fold_group(finding), 0, 0, spool.put(encode_finding(finding))});
  };

  // An object defined more than once: kubectl apply keeps the last definition, which the index
  // holds, and each earlier one is reported. The copies one file makes of another's objects (an
  // alternative install, a second render) are one cause: one finding per pair of files, at the
  // first replaced object, with the others as its evidence.
  if (enabled_by(options_, check_id(CheckRole::DuplicateObject)))
    checks::report_replaced_definitions(index, *catalogue_->find(check_id(CheckRole::DuplicateObject)), spill);

  // A cluster dump holds a Deployment, its ReplicaSets and their Pods: what is owned by a
  // controller in the input is reported once, on the controller.
  std::sort(controllers.begin(), controllers.end());
  std::vector<std::uint64_t> folded;
  for (const OwnedObject& object : owned) {
    if (!std::binary_search(controllers.begin(), controllers.end(), object.controller)) continue;
    folded.push_back(object.self);
    if (object.workload) --result.summary.workloads;
  }
  controllers = {};
  std::sort(folded.begin(), folded.end());
  folded.erase(std::unique(folded.begin(), folded.end()), folded.end());
  result.summary.folded = folded.size();
  const auto is_folded = [&](const ObjectRef& object) {
    return std::binary_search(folded.begin(), folded.end(),
                              ownership_key(object.api_version, object.kind, object.namespace_, object.name));
  };

  // Second phase: workloads that run a script from a ConfigMap, or mount one holding settings
  // the evidence catalogue reads, are checked again now that every ConfigMap is known; what
  // they give replaces their first pass. The others keep what the first pass found.
  std::set<std::pair<std::uint32_t, std::uint32_t>> replaced;  // (session, tag) of first passes replaced
  std::map<std::uint64_t, std::vector<Deferred*>> by_chunk;    // spool offset -> its workloads, in input order
  for (Deferred* item : deferred) {
    const auto& scripts_from = item->scripts_from;
    const bool needs_index = std::any_of(item->config_maps.begin(), item->config_maps.end(), [&](const auto& map) {
      const bool runs = std::binary_search(scripts_from.begin(), scripts_from.end(), map.second);
      return (runs && index.config_map_has_scripts(map.first, map.second)) ||
             index.config_map_has_config(map.first, map.second);
    });
    const bool claims_block =
        !item->device_claims.empty() &&
        std::any_of(options_.targets.begin(), options_.targets.end(), [&](const Target* target) {
          return device_claim_block(item->device_claims, item->pod_namespace, index, *target).has_value();
        });
    if (needs_index || claims_block) by_chunk[item->text.offset].push_back(item);
  }
  for (auto& [offset, items] : by_chunk) {
    const std::optional<std::string> text = spool.get(items.front()->text);
    if (!text) {
      // The temporary file failed under us: keep the first pass and say what was not done.
      spill(input_finding(check_id(CheckRole::InvalidInput), items.front()->display_path,
                          Span{{items.front()->first_line, 1}, {items.front()->first_line, 1}},
                          "this document could not be read back from the temporary file; its workloads were checked "
                          "without the ConfigMaps of other documents"));
      continue;
    }
    Session second(*this, spool, 0);
    std::vector<CheckedWorkload> checked = second.recheck(*text, items, index);
    auto& notices = second.result().notices;
    std::move(notices.begin(), notices.end(), std::back_inserter(result.notices));
    index.forget_read_back();
    for (std::size_t i = 0; i < items.size(); ++i) {
      replaced.emplace(items[i]->session, items[i]->tag);
      for (const auto& finding : checked[i].findings) spill(finding);
      if (checked[i].judged) items[i]->rechecked_landing = std::move(checked[i].landing);
    }
  }
  // Where a workload can be scheduled may have narrowed: its pods' landings, joined again.
  std::map<std::size_t, std::set<const Target*>> relisted;  // workload -> targets reached
  for (const Deferred* item : deferred) {
    if (item->workload != Deferred::kNotListed && item->rechecked_landing) relisted[item->workload];
  }
  for (const Deferred* item : deferred) {
    auto it = relisted.find(item->workload);
    if (it == relisted.end()) continue;
    const auto& landing = item->rechecked_landing ? *item->rechecked_landing : item->first_landing;
    it->second.insert(landing.begin(), landing.end());
    it->second.insert(item->settled_landing.begin(), item->settled_landing.end());
  }
  for (const auto& [workload, reached] : relisted) {
    auto& unreachable = result.workloads[workload].unreachable;
    unreachable.clear();
    for (const Target* target : options_.targets) {
      if (!reached.count(target)) unreachable.push_back(target->name());
    }
  }
  if (!folded.empty()) std::erase_if(result.workloads, [&](const WorkloadRef& w) { return is_folded(w.object); });

  // Last phase, one fold group at a time, so that only a group's findings are in memory: checks
  // whose verdicts depend on other documents revise their findings (a check may withdraw one),
  // findings on one cause fold into one, and what remains goes to the store in report order.
  // Findings on a cause that spans objects are held until every workload it affects is known.
  std::sort(spilled.begin(), spilled.end(), [](const SpilledFinding& a, const SpilledFinding& b) {
    return std::tie(a.group, a.ref.offset) < std::tie(b.group, b.ref.offset);
  });
  std::size_t unreadable = 0;
  std::vector<Finding> group;
  SharedCauses shared;  // causes that span objects are reported once the whole input is known
  for (std::size_t i = 0; i < spilled.size();) {
    group.clear();
    std::size_t j = i;
    for (; j < spilled.size() && spilled[j].group == spilled[i].group; ++j) {
      const SpilledFinding& item = spilled[j];
      if (item.deferred != 0 && replaced.count({item.session, item.deferred})) continue;
      auto bytes = spool.get(item.ref);
      auto finding = bytes ? decode_finding(*bytes) : std::nullopt;
      if (!finding) {
        ++unreadable;
        continue;
      }
      // An owned object defined twice is still defined twice.
      if (finding->object && !folded.empty() && finding->check != check_id(CheckRole::DuplicateObject) &&
          is_folded(*finding->object))
        continue;
      auto it = std::find_if(checks_.begin(), checks_.end(),
                             [&](const EnabledCheck& e) { return e.info->id == finding->check; });
      if (it != checks_.end()) {
        if (!it->check->revise(index, *finding)) continue;
        apply_ladder(*finding, it->info->kind);
      }
      group.push_back(std::move(*finding));
    }
    i = j;
    fold_causes(group, *catalogue_, options_.targets);
    for (auto& finding : group) {
      if (!shared.take(finding)) result.findings.add(finding);
    }
  }
  for (const auto& finding : shared.fold()) result.findings.add(finding);
  if (unreadable > 0) {
    result.findings.add(
        input_finding(check_id(CheckRole::InvalidInput), "-", Span{{1, 1}, {1, 1}},
                      fmt::format("{} findings could not be read back from the temporary file", unreadable)));
  }
  spilled = {};
  result.findings.seal();

  std::sort(result.workloads.begin(), result.workloads.end());
  std::sort(result.waivers.begin(), result.waivers.end(), [](const Waiver& a, const Waiver& b) {
    return std::tie(a.where.file, a.where.span.begin, a.checks) < std::tie(b.where.file, b.where.span.begin, b.checks);
  });
  std::vector<std::string> pools_read = result.node_pools;
  for (const SchedulingPool& pool : options_.pools) pools_read.push_back(pool.name);  // from Node objects too
  for (auto& notice : unknown_planned_pools(options_.pool_plans, pools_read))
    result.notices.push_back(std::move(notice));
  std::sort(result.notices.begin(), result.notices.end());
  result.notices.erase(std::unique(result.notices.begin(), result.notices.end()), result.notices.end());
  for (const Target* target : options_.targets) result.targets.push_back(target->name());
  result.pools = options_.pools;

  // Stage 5: what the authors and the configuration say about the findings.
  SuppressionSettings settings = options_.suppressions;
  settings.enabled = enabled_checks();
  if (settings.today.empty()) settings.today = today_utc();
  apply_suppressions(result, *catalogue_, settings);
}

LintResult Linter::lint(const InputSet& inputs) const {
  // More threads than documents in flight only cost memory; a few hundred is beyond any machine's
  // use here, and asking for 100,000 would fail to create them.
  constexpr unsigned kMaxJobs = 256;
  const unsigned jobs = std::min(options_.jobs > 0 ? options_.jobs : usable_cpus(), kMaxJobs);
  Spool spool;  // documents and ConfigMap entries kept for the second phase
  std::vector<std::unique_ptr<Session>> sessions;
  sessions.push_back(std::make_unique<Session>(*this, spool, 0));  // the reading thread's: files it cannot read
  Session& reader = *sessions.front();
  for (const auto& problem : inputs.problems) reader.file_problem(problem.display_path, problem.message, 1);

  // With one job everything happens on this thread; otherwise this thread reads and splits
  // while workers parse and check.
  struct Job {
    RawDocument document;
    std::size_t file = 0;
  };
  auto job_bytes = [](const Job& job) { return job.document.text.size(); };
  std::vector<std::thread> workers;
  std::optional<JobQueue<Job, decltype(job_bytes)>> queue;
  if (jobs > 1) {
    queue.emplace(std::max<std::size_t>(8u << 20, options_.split.read_block_bytes * 2), job_bytes);
    for (unsigned i = 0; i < jobs; ++i) {
      sessions.push_back(std::make_unique<Session>(*this, spool, static_cast<std::uint32_t>(sessions.size())));
      try {
        workers.emplace_back([&, session = sessions.back().get()] {
          while (auto job = queue->pop())
            session->process(job->document, job->file, inputs.files[job->file].display_path);
        });
      } catch (const std::system_error&) {
        // The system gives no more threads: work with those it gave, or on this one.
        sessions.pop_back();
        break;
      }
    }
    if (workers.empty()) queue.reset();
  }

  for (std::size_t index = 0; index < inputs.files.size(); ++index) {
    const InputFile& file = inputs.files[index];
    reader.count_file();
    const auto opened = open_input_file(file);
    if (!opened) {
      reader.file_problem(file.display_path, opened.error().message, 1);
      continue;
    }
    const int fd = *opened;
    const auto take = [&](RawDocument&& document) {
      if (queue) {
        queue->push(Job{std::move(document), index});
      } else {
        reader.process(document, index, file.display_path);
      }
    };
    const auto cannot_read_back = [&](std::uint32_t line, std::string message) {
      reader.file_problem(file.display_path, std::move(message), line);
    };
    auto problem = split_documents(fd, options_.split, [&](RawDocument&& document) {
      hand_over_document(std::move(document), options_.split, options_.parse, take, cannot_read_back);
    });
    if (!file.is_stdin()) ::close(fd);
    if (problem) reader.file_problem(file.display_path, problem->message, problem->line);
  }

  if (queue) queue->close();
  for (auto& worker : workers) worker.join();
  LintResult result;
  finish(sessions, spool, result);
  settle(result);
  return result;
}

void Linter::settle(LintResult& result) const {
  if (result.summary.objects == 0 && result.node_pools.empty()) {
    // Judged before the baseline, which may leave out what could not be read.
    bool invalid = false;
    const std::string_view invalid_input = check_id(CheckRole::InvalidInput);
    result.findings.for_each([&](const Finding& finding) { invalid = invalid || finding.check == invalid_input; });
    result.holds_nothing = !invalid;
  }
  if (!options_.helm_charts.empty()) {
    // Rendered charts are small: their findings are mapped onto the templates in memory.
    std::vector<Finding> findings = result.findings.all();
    result.template_refusals = map_findings_to_templates(findings, options_.helm_charts);
    FindingStore mapped;
    for (const auto& finding : findings) mapped.add(finding);
    mapped.seal();
    result.findings = std::move(mapped);
  }
  if (options_.baseline) {
    result.summary.baselined = apply_baseline(result.findings, *options_.baseline);
    count_by_severity(result);
  }
}

LintResult Linter::lint_text(std::string_view text, const std::string& display_path) const {
  Spool spool;
  std::vector<std::unique_ptr<Session>> sessions;
  sessions.push_back(std::make_unique<Session>(*this, spool, 0));
  Session& session = *sessions.front();
  session.count_file();
  const auto take = [&](RawDocument&& document) { session.process(document, 0, display_path); };
  const auto cannot_read_back = [&](std::uint32_t line, std::string message) {
    session.file_problem(display_path, std::move(message), line);
  };
  auto problem = split_documents(text, options_.split, [&](RawDocument&& document) {
    hand_over_document(std::move(document), options_.split, options_.parse, take, cannot_read_back);
  });
  if (problem) session.file_problem(display_path, problem->message, problem->line);
  LintResult result;
  finish(sessions, spool, result);
  settle(result);
  return result;
}

}  // namespace immutalint
