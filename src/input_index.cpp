// The whole-input index.
#include "immutalint/input_index.hpp"

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

void InputIndex::add_config_map(IndexedConfigMap config_map, Mark at) {
  std::pair<std::string, std::string> key{config_map.ref.name, config_map.ref.namespace_};
  Origin origin{config_map.file, at};
  ConfigMapEntry entry{std::move(config_map), std::move(origin)};
  auto [it, fresh] = config_maps_.try_emplace(key, entry);
  if (!fresh && entry.origin < it->second.origin) it->second = std::move(entry);
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
  other = InputIndex();
}

bool InputIndex::has_namespace(std::string_view name) const { return namespaces_.find(name) != namespaces_.end(); }

const std::map<std::string, std::string>* InputIndex::namespace_labels(std::string_view name) const {
  auto it = namespaces_.find(name);
  return it == namespaces_.end() ? nullptr : &it->second.labels;
}

const IndexedConfigMap* InputIndex::config_map(std::string_view ns, std::string_view name) const {
  const auto exact = config_maps_.find(std::pair<std::string, std::string>(name, ns));
  if (exact != config_maps_.end()) return &exact->second.config_map;
  // Either side may leave the namespace unset: the first ConfigMap of that name then serves.
  for (auto it = config_maps_.lower_bound(std::pair<std::string, std::string>(name, ""));
       it != config_maps_.end() && it->first.first == name; ++it) {
    if (ns.empty() || it->first.second.empty()) return &it->second.config_map;
  }
  return nullptr;
}

bool InputIndex::config_map_has_scripts(std::string_view ns, std::string_view name) const {
  const IndexedConfigMap* found = config_map(ns, name);
  return found && std::any_of(found->entries.begin(), found->entries.end(), [](const IndexedEntry& e) { return !e.config; });
}

bool InputIndex::config_map_has_config(std::string_view ns, std::string_view name) const {
  const IndexedConfigMap* found = config_map(ns, name);
  return found && std::any_of(found->entries.begin(), found->entries.end(), [](const IndexedEntry& e) { return e.config; });
}

}  // namespace immutalint
