// The whole-input index.
#include "immutalint/input_index.hpp"

#include "record_codec.hpp"

#include <algorithm>

namespace immutalint {

const IndexedEntry* IndexedConfigMap::entry(std::string_view key) const {
  for (const auto& candidate : entries) {
    if (candidate.key == key) return &candidate;
  }
  return nullptr;
}

void InputIndex::add_namespace(const std::string& name, std::map<std::string, std::string> labels,
                               const std::string& file, Mark at) {
  NamespaceEntry entry{std::move(labels), Origin{file, at}};
  auto [it, fresh] = namespaces_.try_emplace(name, entry);
  if (!fresh && entry.origin < it->second.origin) it->second = std::move(entry);
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
    config_map.entries.push_back(std::move(entry));
  }
  if (!in.done()) return std::nullopt;
  return config_map;
}

}  // namespace

void InputIndex::add_config_map(const IndexedConfigMap& config_map, Mark at) {
  std::pair<std::string, std::string> key{config_map.ref.name, config_map.ref.namespace_};
  ConfigMapEntry entry;
  entry.origin = Origin{config_map.file, at};
  for (const auto& item : config_map.entries) (item.config ? entry.config : entry.scripts) = true;
  auto it = config_maps_.find(key);
  if (it != config_maps_.end() && !(entry.origin < it->second.origin)) return;  // an earlier one wins
  entry.record = spool_->put(encode_config_map(config_map));
  config_maps_.insert_or_assign(std::move(key), std::move(entry));
}

void InputIndex::merge(InputIndex&& other) {
  for (auto& [name, entry] : other.namespaces_) {
    auto [it, fresh] = namespaces_.try_emplace(name, entry);
    if (!fresh && entry.origin < it->second.origin) it->second = std::move(entry);
  }
  for (auto& [key, entry] : other.config_maps_) {
    auto [it, fresh] = config_maps_.try_emplace(key, entry);
    if (!fresh && entry.origin < it->second.origin) it->second = std::move(entry);
  }
  other.namespaces_.clear();
  other.config_maps_.clear();
  other.read_back_.clear();
}

bool InputIndex::has_namespace(std::string_view name) const {
  return namespaces_.find(name) != namespaces_.end();
}

const std::map<std::string, std::string>* InputIndex::namespace_labels(std::string_view name) const {
  auto it = namespaces_.find(name);
  return it == namespaces_.end() ? nullptr : &it->second.labels;
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

}  // namespace immutalint
