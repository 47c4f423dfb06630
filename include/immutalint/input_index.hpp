// The whole-input index: what one document needs to know about the others. Workers fill one
// per thread while they read; after the merge, checks that need it see the whole input.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "immutalint/kube_object.hpp"
#include "immutalint/location.hpp"
#include "immutalint/spool.hpp"
#include "immutalint/suppression.hpp"
#include "immutalint/yaml_tree.hpp"

namespace immutalint {

/// One entry of a ConfigMap's data, kept because a container may run it as a script or the
/// evidence catalogue reads it as configuration. Its text waits in the run's spool.
struct IndexedEntry {
  std::string key;
  Spool::Ref text_ref;
  const Spool* spool = nullptr;
  Span entry_span;  ///< key and value
  Span value_span;
  ScalarStyle style = ScalarStyle::Plain;
  bool config = false;  ///< a key the evidence catalogue reads as configuration

  /// The entry's text; empty in the unlikely case the spool cannot be read back.
  std::string text() const { return spool ? spool->get(text_ref).value_or(std::string()) : std::string(); }
};

/// A ConfigMap of the input, with the entries worth keeping.
struct IndexedConfigMap {
  ObjectRef ref;
  std::string file;
  std::string source;           ///< Helm template, when a `# Source:` comment names it
  std::vector<Waiver> waivers;  ///< its ignore-check annotations
  std::vector<IndexedEntry> entries;

  const IndexedEntry* entry(std::string_view key) const;
};

/// Namespaces, their labels, and ConfigMaps, from every document of the input. ConfigMaps wait in
/// the run's spool with a small key in memory, so the index does not grow with their contents.
class InputIndex {
 public:
  explicit InputIndex(Spool& spool) : spool_(&spool) {}

  void add_namespace(const std::string& name, std::map<std::string, std::string> labels, const std::string& file,
                     Mark at);
  void add_config_map(const IndexedConfigMap& config_map, Mark at);
  /// Takes everything another worker's index holds. When an object is in the input twice, the
  /// one earliest in the input wins, whatever the order of the merge.
  void merge(InputIndex&& other);

  /// True when the input has a Namespace manifest of that name.
  bool has_namespace(std::string_view name) const;
  /// Its labels; nullptr when the input has no such Namespace.
  const std::map<std::string, std::string>* namespace_labels(std::string_view name) const;
  /// The ConfigMap `name` as a workload of namespace `ns` sees it: the same namespace, or one
  /// of them unset (a manifest applied with -n). nullptr when the input has none. It is read
  /// back from the spool and stays valid until forget_read_back().
  const IndexedConfigMap* config_map(std::string_view ns, std::string_view name) const;
  /// True when the ConfigMap has entries a container may run as scripts.
  bool config_map_has_scripts(std::string_view ns, std::string_view name) const;
  /// True when the ConfigMap has entries the evidence catalogue reads as configuration.
  bool config_map_has_config(std::string_view ns, std::string_view name) const;
  /// Drops the ConfigMaps read back so far; pointers to them become invalid.
  void forget_read_back() const { read_back_.clear(); }

 private:
  struct Origin {
    std::string file;
    Mark at;
    auto operator<=>(const Origin&) const = default;
  };
  struct NamespaceEntry {
    std::map<std::string, std::string> labels;
    Origin origin;
  };
  struct ConfigMapEntry {
    Spool::Ref record;  // the IndexedConfigMap, encoded
    Origin origin;
    bool scripts = false;
    bool config = false;
  };
  const ConfigMapEntry* find_config_map(std::string_view ns, std::string_view name) const;

  Spool* spool_;
  std::map<std::string, NamespaceEntry, std::less<>> namespaces_;
  std::map<std::pair<std::string, std::string>, ConfigMapEntry> config_maps_;  // (name, namespace)
  mutable std::map<std::uint64_t, IndexedConfigMap> read_back_;                // by record offset
};

}  // namespace immutalint
