// The whole-input index: what one document needs to know about the others. Workers fill one
// per thread while they read; after the merge, checks that need it see the whole input.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "immutalint/finding.hpp"
#include "immutalint/kube_object.hpp"
#include "immutalint/location.hpp"
#include "immutalint/spool.hpp"
#include "immutalint/waiver.hpp"
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
  /// Set, to the entry's size in bytes, when it is a text too large to be read as a script: its
  /// text is not kept, so that a container that runs it can be told it was not checked.
  std::optional<std::uint64_t> too_large;

  /// The entry's text; empty when it is too large, or in the unlikely case the spool cannot be
  /// read back.
  std::string text() const {
    return spool && !too_large ? spool->get(text_ref).value_or(std::string()) : std::string();
  }
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

/// One definition of an object, as duplicate-object reports it.
struct ObjectDefinition {
  ObjectRef ref;
  std::string file;    ///< display path of the input
  std::string source;  ///< Helm template, when a `# Source:` comment names it
  Mark at;             ///< where the object starts
  /// Set when an annotation of the object accepts duplicate-object.
  std::optional<Suppression> suppression;
};

/// Where one definition of an object is.
struct DefinitionPlace {
  std::string_view file;
  Mark at;
};

/// A Namespace manifest of the input: its labels, and where its `kind` is written.
struct NamespaceView {
  const std::map<std::string, std::string>* labels = nullptr;
  Place place;
};

/// Namespaces, their labels, and ConfigMaps, from every document of the input, and where each
/// object is defined. ConfigMaps wait in the run's spool with a small key in memory, so the index
/// does not grow with their contents; an object costs a few dozen bytes.
///
/// When an object is defined more than once, the last definition in input order wins, as with
/// `kubectl apply -f DIR`, which applies the files of a directory in lexical order: input order
/// is the order files are read (sorted by display path), then the order of the text of a file.
class InputIndex {
 public:
  explicit InputIndex(Spool& spool) : spool_(&spool) {}

  /// `kind` is where the Namespace's `kind` is written.
  void add_namespace(const std::string& name, std::map<std::string, std::string> labels, const std::string& file,
                     Span kind);
  void add_config_map(const IndexedConfigMap& config_map, Mark at);
  /// Records the device requests of a ResourceClaim or ResourceClaimTemplate (`kind`): per
  /// request, the device classes that can meet it.
  void add_device_claim(std::string_view kind, const std::string& ns, const std::string& name,
                        std::vector<std::vector<std::string>> requests, const std::string& file, Mark at);
  /// Records a definition of an object of any kind; `file_index` is its file's place in input
  /// order. Objects without a name (`generateName`) are new objects each time: not recorded.
  void add_object(const ObjectDefinition& definition, std::uint32_t file_index);
  /// Takes everything another worker's index holds. When an object is in the input twice, the
  /// one latest in the input wins, whatever the order of the merge.
  void merge(InputIndex&& other);

  /// Calls `replaced` for every definition of an object that a later definition of the same
  /// object (API group, kind, namespace, name; an unset namespace is a value of its own)
  /// replaces, in input order, with the next definition, the last (the one that is kept) and
  /// how many there are. Sorts what add_object recorded; objects added later are not seen.
  void for_each_replaced_object(const std::function<void(const ObjectDefinition& replaced, DefinitionPlace next,
                                                         DefinitionPlace last, std::size_t definitions)>& replaced);

  /// The Namespace `name` as a workload of `file` sees it: the one that file defines (a manifest
  /// that carries its Namespace is applied with it, and another manifest's alternative is not),
  /// else the one the input keeps. nullopt when the input has no such Namespace.
  std::optional<NamespaceView> namespace_for(std::string_view name, std::string_view file) const;
  /// The ConfigMap `name` as a workload of namespace `ns` sees it: the same namespace, or one
  /// of them unset (a manifest applied with -n). nullptr when the input has none. It is read
  /// back from the spool and stays valid until forget_read_back().
  const IndexedConfigMap* config_map(std::string_view ns, std::string_view name) const;
  /// True when the ConfigMap has entries a container may run as scripts.
  bool config_map_has_scripts(std::string_view ns, std::string_view name) const;
  /// True when the ConfigMap has entries the evidence catalogue reads as configuration.
  bool config_map_has_config(std::string_view ns, std::string_view name) const;
  /// The device requests of the ResourceClaim or ResourceClaimTemplate (`kind`) `name`, as a
  /// pod of namespace `ns` sees it (namespaces match as for config_map); nullptr when the input
  /// has none.
  const std::vector<std::vector<std::string>>* device_claim_requests(std::string_view kind, std::string_view ns,
                                                                     std::string_view name) const;
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
    Mark kind_end;  // origin.at is where its `kind` begins
  };
  struct ConfigMapEntry {
    Spool::Ref record;  // the IndexedConfigMap, encoded
    Origin origin;
    bool scripts = false;
    bool config = false;
  };
  const ConfigMapEntry* find_config_map(std::string_view ns, std::string_view name) const;
  struct DeviceClaimEntry {
    std::vector<std::vector<std::string>> requests;
    Origin origin;
  };
  /// A definition of an object: 32 bytes, whatever its names' length. Its names wait in the
  /// spool, in chunks of many definitions, so that recording one costs no write of its own.
  struct DefinedObject {
    std::uint64_t identity = 0;  // hash of (API group, kind, namespace, name)
    std::uint32_t chunk = 0;     // which of chunks_ holds its ObjectDefinition, encoded
    std::uint32_t offset = 0;    // where in that chunk
    std::uint32_t file = 0;      // index of its file in input order
    Mark at;
  };
  /// Writes the definitions not written yet to the spool as one chunk.
  void write_definitions();

  Spool* spool_;
  std::map<std::string, NamespaceEntry, std::less<>> namespaces_;  // the definition the input keeps
  // Each file's own definition, by (name, file): a manifest that carries its Namespace.
  std::map<std::pair<std::string, std::string>, NamespaceEntry, std::less<>> namespaces_by_file_;
  std::map<std::pair<std::string, std::string>, ConfigMapEntry> config_maps_;  // (name, namespace)
  // (kind, name, namespace) of ResourceClaims and ResourceClaimTemplates: a few names each
  std::map<std::tuple<std::string, std::string, std::string>, DeviceClaimEntry> device_claims_;
  mutable std::map<std::uint64_t, IndexedConfigMap> read_back_;  // by record offset
  std::deque<DefinedObject> objects_;                            // grows without copying what it holds
  std::vector<Spool::Ref> chunks_;                               // of encoded definitions
  std::string unwritten_;                                        // definitions of the next chunk
  std::map<std::uint32_t, std::string> file_names_;              // display paths by file index
};

}  // namespace immutalint
