// The whole-input index.
#include "immutalint/input_index.hpp"

#include <algorithm>
#include <tuple>

#include "record_codec.hpp"

namespace immutalint {

const IndexedEntry* IndexedConfigMap::entry(std::string_view key) const {
  for (const auto& candidate : entries) {
    if (candidate.key == key) return &candidate;
  }
  return nullptr;
}

void InputIndex::add_namespace(const std::string& name, std::map<std::string, std::string> labels,
                               const std::string& file, Span kind) {
  NamespaceEntry entry{std::move(labels), Origin{file, kind.begin}, kind.end};
  auto [in_file, first_in_file] = namespaces_by_file_.try_emplace({name, file}, entry);
  if (!first_in_file && in_file->second.origin < entry.origin) in_file->second = entry;
  auto [it, fresh] = namespaces_.try_emplace(name, entry);
  if (!fresh && it->second.origin < entry.origin) it->second = std::move(entry);  // a later one wins
}

namespace {

std::string encode_config_map(const IndexedConfigMap& config_map) {
  record::Encoder out;
  for (const auto* text : {&config_map.ref.api_version, &config_map.ref.kind, &config_map.ref.namespace_,
                           &config_map.ref.name, &config_map.file, &config_map.source}) {
    out.text(*text);
  }
  out.number(static_cast<std::uint32_t>(config_map.waivers.size()));
  for (const auto& waiver : config_map.waivers) {
    out.text(waiver.checks.empty() ? std::string() : waiver.checks.front());
    out.text(waiver.reason);
    out.place(waiver.where);
    out.number(static_cast<std::uint32_t>(waiver.containers.size()));
    for (const auto& container : waiver.containers) out.text(container);
    out.text(waiver.object_label);
  }
  out.number(static_cast<std::uint32_t>(config_map.entries.size()));
  for (const auto& entry : config_map.entries) {
    out.text(entry.key);
    out.wide(entry.text_ref.offset);
    out.wide(entry.text_ref.size);
    out.span(entry.entry_span);
    out.span(entry.value_span);
    out.number(static_cast<std::uint32_t>(entry.style));
    out.number(entry.config ? 1 : 0);
    out.number(entry.too_large ? 1 : 0);
    out.wide(entry.too_large.value_or(0));
  }
  return out.take();
}

std::optional<IndexedConfigMap> decode_config_map(std::string_view bytes, const Spool& spool) {
  record::Decoder in(bytes);
  IndexedConfigMap config_map;
  for (auto* text : {&config_map.ref.api_version, &config_map.ref.kind, &config_map.ref.namespace_,
                     &config_map.ref.name, &config_map.file, &config_map.source}) {
    *text = in.text();
  }
  for (std::uint32_t n = in.count(4); n > 0 && in.ok(); --n) {
    Waiver waiver;
    waiver.checks.push_back(in.text());
    waiver.reason = in.text();
    waiver.where = in.place();
    for (std::uint32_t c = in.count(4); c > 0 && in.ok(); --c) waiver.containers.push_back(in.text());
    waiver.object_label = in.text();
    config_map.waivers.push_back(std::move(waiver));
  }
  for (std::uint32_t n = in.count(60); n > 0 && in.ok(); --n) {
    IndexedEntry entry;
    entry.key = in.text();
    entry.text_ref.offset = in.wide();
    entry.text_ref.size = static_cast<std::size_t>(in.wide());
    entry.spool = &spool;
    entry.entry_span = in.span();
    entry.value_span = in.span();
    entry.style = in.choice(ScalarStyle::Block);
    entry.config = in.number() == 1;
    const bool too_large = in.number() == 1;
    const std::uint64_t size = in.wide();
    if (too_large) entry.too_large = size;
    config_map.entries.push_back(std::move(entry));
  }
  if (!in.done()) return std::nullopt;
  return config_map;
}

/// An object's identity, as a hash: 64 bits keep a dump of millions of objects free of
/// collisions in practice, at a fraction of the memory of the names.
std::uint64_t object_identity(const ObjectRef& ref) {
  std::string key = api_group(ref.api_version);
  for (const std::string* part : {&ref.kind, &ref.namespace_, &ref.name}) {
    key += '\0';
    key += *part;
  }
  return std::hash<std::string>{}(key);
}

std::string encode_definition(const ObjectDefinition& definition) {
  record::Encoder out;
  for (const auto* text : {&definition.ref.api_version, &definition.ref.kind, &definition.ref.namespace_,
                           &definition.ref.name, &definition.source}) {
    out.text(*text);
  }
  out.number(definition.suppression ? 1 : 0);
  if (definition.suppression) {
    out.number(static_cast<std::uint32_t>(definition.suppression->channel));
    out.text(definition.suppression->reason);
    out.place(definition.suppression->where);
  }
  return out.take();
}

/// The definition at the start of `bytes`, which may hold others after it.
std::optional<ObjectDefinition> decode_definition(std::string_view bytes) {
  record::Decoder in(bytes);
  ObjectDefinition definition;
  for (auto* text : {&definition.ref.api_version, &definition.ref.kind, &definition.ref.namespace_,
                     &definition.ref.name, &definition.source}) {
    *text = in.text();
  }
  if (in.number() == 1) {
    Suppression suppression;
    suppression.channel = in.choice(SuppressionChannel::Config);
    suppression.reason = in.text();
    suppression.where = in.place();
    definition.suppression = std::move(suppression);
  }
  if (!in.ok()) return std::nullopt;
  return definition;
}

}  // namespace

void InputIndex::add_config_map(const IndexedConfigMap& config_map, Mark at) {
  std::pair<std::string, std::string> key{config_map.ref.name, config_map.ref.namespace_};
  ConfigMapEntry entry;
  entry.origin = Origin{config_map.file, at};
  for (const auto& item : config_map.entries) (item.config ? entry.config : entry.scripts) = true;
  auto it = config_maps_.find(key);
  if (it != config_maps_.end() && !(it->second.origin < entry.origin)) return;  // a later one wins
  entry.record = spool_->put(encode_config_map(config_map));
  config_maps_.insert_or_assign(std::move(key), std::move(entry));
}

void InputIndex::add_device_claim(std::string_view kind, const std::string& ns, const std::string& name,
                                  std::vector<std::vector<std::string>> requests, const std::string& file, Mark at) {
  DeviceClaimEntry entry{std::move(requests), Origin{file, at}};
  auto [it, fresh] = device_claims_.try_emplace({std::string(kind), name, ns}, entry);
  if (!fresh && it->second.origin < entry.origin) it->second = std::move(entry);  // a later one wins
}

void InputIndex::add_object(const ObjectDefinition& definition, std::uint32_t file_index) {
  static_assert(sizeof(DefinedObject) <= 32, "a cluster dump's objects must stay cheap to remember");
  // A chunk is written once it holds this much: a few hundred definitions a write.
  constexpr std::size_t kChunkBytes = 64 << 10;
  if (definition.ref.name.empty()) return;
  if (file_names_.empty() || file_names_.rbegin()->first != file_index) {
    file_names_.try_emplace(file_index, definition.file);
  }
  objects_.push_back(DefinedObject{object_identity(definition.ref), static_cast<std::uint32_t>(chunks_.size()),
                                   static_cast<std::uint32_t>(unwritten_.size()), file_index, definition.at});
  unwritten_ += encode_definition(definition);
  if (unwritten_.size() >= kChunkBytes) write_definitions();
}

void InputIndex::write_definitions() {
  if (unwritten_.empty()) return;
  chunks_.push_back(spool_->put(unwritten_));
  unwritten_.clear();
}

void InputIndex::merge(InputIndex&& other) {
  // Origins are places in input order: the greatest is the latest, whichever worker saw it.
  for (auto& [name, entry] : other.namespaces_) {
    auto [it, fresh] = namespaces_.try_emplace(name, entry);
    if (!fresh && it->second.origin < entry.origin) it->second = std::move(entry);
  }
  for (auto& [key, entry] : other.namespaces_by_file_) {
    auto [it, fresh] = namespaces_by_file_.try_emplace(key, entry);
    if (!fresh && it->second.origin < entry.origin) it->second = std::move(entry);
  }
  for (auto& [key, entry] : other.config_maps_) {
    auto [it, fresh] = config_maps_.try_emplace(key, entry);
    if (!fresh && it->second.origin < entry.origin) it->second = std::move(entry);
  }
  for (auto& [key, entry] : other.device_claims_) {
    auto [it, fresh] = device_claims_.try_emplace(key, entry);
    if (!fresh && it->second.origin < entry.origin) it->second = std::move(entry);
  }
  write_definitions();
  other.write_definitions();
  const auto first_chunk = static_cast<std::uint32_t>(chunks_.size());
  chunks_.insert(chunks_.end(), other.chunks_.begin(), other.chunks_.end());
  // One at a time, so that the two never hold all of them at once.
  for (; !other.objects_.empty(); other.objects_.pop_front()) {
    DefinedObject object = other.objects_.front();
    object.chunk += first_chunk;
    objects_.push_back(object);
  }
  file_names_.merge(other.file_names_);
  other.namespaces_.clear();
  other.namespaces_by_file_.clear();
  other.config_maps_.clear();
  other.device_claims_.clear();
  other.read_back_.clear();
  other.chunks_.clear();
  other.file_names_.clear();
}

void InputIndex::for_each_replaced_object(
    const std::function<void(const ObjectDefinition&, DefinitionPlace, DefinitionPlace, std::size_t)>& replaced) {
  write_definitions();
  std::sort(objects_.begin(), objects_.end(), [](const DefinedObject& a, const DefinedObject& b) {
    return std::tie(a.identity, a.file, a.at) < std::tie(b.identity, b.file, b.at);
  });
  // The definitions a later one replaces, each with the first and last of its object's.
  struct Replaced {
    std::size_t index;
    std::size_t first;
    std::size_t last;
  };
  std::vector<Replaced> found;
  for (std::size_t first = 0; first < objects_.size();) {
    std::size_t end = first + 1;
    while (end < objects_.size() && objects_[end].identity == objects_[first].identity) ++end;
    for (std::size_t i = first; i + 1 < end; ++i) found.push_back({i, first, end - 1});
    first = end;
  }
  // Read in the order they were written, so that each chunk is read once.
  std::sort(found.begin(), found.end(), [&](const Replaced& a, const Replaced& b) {
    const DefinedObject& x = objects_[a.index];
    const DefinedObject& y = objects_[b.index];
    return std::tie(x.chunk, x.offset) < std::tie(y.chunk, y.offset);
  });
  const auto place = [&](const DefinedObject& object) {
    auto name = file_names_.find(object.file);
    return DefinitionPlace{name == file_names_.end() ? std::string_view() : std::string_view(name->second), object.at};
  };
  std::optional<std::uint32_t> read;  // the chunk read last
  std::optional<std::string> chunk;
  for (const Replaced& item : found) {
    const DefinedObject& object = objects_[item.index];
    if (read != object.chunk) {
      chunk = object.chunk < chunks_.size() ? spool_->get(chunks_[object.chunk]) : std::nullopt;
      read = object.chunk;
    }
    if (!chunk || object.offset > chunk->size()) continue;  // the spool counts what it could not read back
    auto definition = decode_definition(std::string_view(*chunk).substr(object.offset));
    if (!definition) continue;
    definition->file = std::string(place(object).file);
    definition->at = object.at;
    replaced(*definition, place(objects_[item.index + 1]), place(objects_[item.last]), item.last - item.first + 1);
  }
}

std::optional<NamespaceView> InputIndex::namespace_for(std::string_view name, std::string_view file) const {
  const NamespaceEntry* entry = nullptr;
  if (auto in_file = namespaces_by_file_.find(std::make_pair(std::string(name), std::string(file)));
      in_file != namespaces_by_file_.end()) {
    entry = &in_file->second;
  } else if (auto kept = namespaces_.find(name); kept != namespaces_.end()) {
    entry = &kept->second;
  }
  if (!entry) return std::nullopt;
  return NamespaceView{&entry->labels, Place{entry->origin.file, Span{entry->origin.at, entry->kind_end}, "/kind"}};
}

const InputIndex::ConfigMapEntry* InputIndex::find_config_map(std::string_view ns, std::string_view name) const {
  const auto exact = config_maps_.find(std::pair<std::string, std::string>(name, ns));
  if (exact != config_maps_.end()) return &exact->second;
  // Either side may leave the namespace unset: the first ConfigMap of that name then serves.
  for (auto it = config_maps_.lower_bound(std::pair<std::string, std::string>(name, ""));
       it != config_maps_.end() && it->first.first == name; ++it) {
    if (ns.empty() || it->first.second.empty()) return &it->second;
  }
  return nullptr;
}

const IndexedConfigMap* InputIndex::config_map(std::string_view ns, std::string_view name) const {
  const ConfigMapEntry* found = find_config_map(ns, name);
  if (!found) return nullptr;
  if (auto it = read_back_.find(found->record.offset); it != read_back_.end()) return &it->second;
  auto bytes = spool_->get(found->record);
  auto config_map = bytes ? decode_config_map(*bytes, *spool_) : std::nullopt;
  if (!config_map) return nullptr;
  return &read_back_.emplace(found->record.offset, std::move(*config_map)).first->second;
}

bool InputIndex::config_map_has_scripts(std::string_view ns, std::string_view name) const {
  const ConfigMapEntry* found = find_config_map(ns, name);
  return found && found->scripts;
}

bool InputIndex::config_map_has_config(std::string_view ns, std::string_view name) const {
  const ConfigMapEntry* found = find_config_map(ns, name);
  return found && found->config;
}

const std::vector<std::vector<std::string>>* InputIndex::device_claim_requests(std::string_view kind,
                                                                               std::string_view ns,
                                                                               std::string_view name) const {
  using Key = std::tuple<std::string, std::string, std::string>;
  const auto exact = device_claims_.find(Key(kind, name, ns));
  if (exact != device_claims_.end()) return &exact->second.requests;
  for (auto it = device_claims_.lower_bound(Key(kind, name, "")); it != device_claims_.end(); ++it) {
    if (std::get<0>(it->first) != kind || std::get<1>(it->first) != name) break;
    if (ns.empty() || std::get<2>(it->first).empty()) return &it->second.requests;
  }
  return nullptr;
}

}  // namespace immutalint
