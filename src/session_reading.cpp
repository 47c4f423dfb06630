// Reading documents on one thread: input problems, objects and their pods, AKS node pools,
// waivers, and what the whole-input index needs of each object.
#include "lint_session.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "immutalint/device_claims.hpp"
#include "immutalint/finding_store.hpp"
#include "immutalint/kube_object.hpp"
#include "immutalint/list_reassembly.hpp"
#include "immutalint/pod_spec.hpp"
#include "immutalint/spool.hpp"
#include "immutalint/suppression.hpp"

namespace immutalint {

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

std::uint64_t ownership_key(std::string_view api_version, std::string_view kind, std::string_view namespace_,
                            std::string_view name) {
  std::string key(api_group(api_version));
  for (std::string_view part : {kind, namespace_, name}) {
    key += '\0';
    key += part;
  }
  return std::hash<std::string>{}(key);
}

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

bool may_be_script(std::string_view text) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return false;
  return !nlohmann::json::accept(text);  // `[ -f x ] && ...` is a script; `["a"]` is data
}

void Linter::Session::file_problem(const std::string& file, std::string message, std::uint32_t line) {
  add(linter_.input_finding(check_id(CheckRole::InvalidInput), file, Span{{line, 1}, {line, 1}}, std::move(message)));
}

void Linter::Session::process(const RawDocument& raw, std::size_t file_index, const std::string& file) {
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

std::vector<CheckedWorkload> Linter::Session::recheck(const std::string& text, const std::vector<Deferred*>& items,
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

void Linter::Session::add(const Finding& finding, std::uint32_t deferred) {
  spilled_.push_back(SpilledFinding{fold_group(finding), id_, deferred, spool_.put(encode_finding(finding))});
}

void Linter::Session::add_for_object(const YamlTree& tree, const KubeObject* object, const std::string& file,
                                     Finding finding) {
  if (object) {
    mark_by_annotation(annotation_waivers(tree, *object, file), *linter_.catalogue_->find(finding.check), finding);
    finding.object = object->ref;
  }
  add(std::move(finding));
}

void Linter::Session::note_former_id(const std::string& file, std::uint32_t line, const std::string& former_id,
                                     const std::string& id) {
  result_.notices.push_back(fmt::format("{}:{}: annotation {}{} names check {} by its former id; rename it", file, line,
                                        kIgnoreAnnotationPrefix, former_id, id));
}

WorkloadReading Linter::Session::workload_reading() const {
  return {linter_.options_.workload_kinds, linter_.options_.discover_pod_templates};
}

void Linter::Session::note_discovered(const std::string& file, const KubeObject& object,
                                      const std::vector<std::string>& paths) {
  std::string where;
  for (const auto& path : paths) where += fmt::format("{}`{}`", where.empty() ? "" : ", ", path);
  result_.notices.push_back(fmt::format(
      "{}:{}: {} ({}) is not a known workload kind, but has a pod template at {}, found by its shape and checked; "
      "declare it under workload-kinds to check it without discovery",
      file, object.kind_span.begin.line, object.ref.describe(), object.ref.api_version, where));
}

std::pair<const KubeObject*, std::string> Linter::Session::owner_of(const DocumentObjects& objects,
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
void Linter::Session::process_document(const ParsedDocument& doc, std::size_t file_index, const std::string& file,
                                       const std::string& source, const std::optional<ListItem>& list_item,
                                       Defer&& defer) {
  const YamlTree& tree = doc.tree;
  const DocumentObjects objects = objects_of(tree, list_item);
  if (!objects.kubernetes) {  // some other YAML: a CI workflow, Helm values, ... or AKS node pools
    if (auto pools = read_node_pools(tree, file)) {
      for (const auto& problem : pools->problems) {  // entries of a pool list that are not pools
        Finding finding = linter_.input_finding(check_id(CheckRole::InvalidInput), file, problem.span, problem.message);
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

void Linter::Session::judge_node_pools(const NodePoolDocument& pools) {
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

void Linter::Session::record_definition(const YamlTree& tree, const KubeObject& object,
                                        const std::vector<Waiver>& waivers, std::size_t file_index,
                                        const std::string& file, const std::string& source) {
  ObjectDefinition definition{object.ref, file, source, tree.node(object.root).span.begin, std::nullopt};
  const CheckInfo& check = *linter_.catalogue_->find(check_id(CheckRole::DuplicateObject));
  for (const Waiver& waiver : waivers) {
    if (!accepts_on(waiver, check, "")) continue;
    definition.suppression = Suppression{waiver.channel, waiver.reason, waiver.where, {}, false};
    break;
  }
  index_.add_object(definition, static_cast<std::uint32_t>(file_index));
}

void Linter::Session::index_object(const YamlTree& tree, const KubeObject& object, const std::string& file,
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
    config_map.entries.push_back({entry.key, too_large ? Spool::Ref{} : spool_.put(*text), &spool_, tree.span_of(entry),
                                  value.span, value.style, config,
                                  too_large ? std::optional<std::uint64_t>(text->size()) : std::nullopt});
  }
  index_.add_config_map(config_map, object.kind_span.begin);
}

}  // namespace immutalint
