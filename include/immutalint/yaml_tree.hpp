// The parsed form of one YAML document: a compact, read-only tree with positions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "immutalint/location.hpp"

namespace immutalint {

/// Index of a node inside its YamlTree.
using NodeId = std::uint32_t;
inline constexpr NodeId kNoNode = static_cast<NodeId>(-1);

enum class NodeKind : std::uint8_t { Null, Scalar, Sequence, Mapping };

/// How a scalar was written; it decides typing (a quoted "true" is a string, a plain one a bool).
enum class ScalarStyle : std::uint8_t { Plain, Quoted, Block };

/// One key of a mapping after merge keys are applied and duplicate keys resolved (last wins).
struct MapEntry {
  std::string key;
  Span key_span;
  NodeId value = kNoNode;
};

/// A YAML node. Aliases are not nodes of their own: an alias refers to its anchor's node, so a
/// node may have several parents. Cycles are rejected while parsing.
struct YamlNode {
  NodeKind kind = NodeKind::Null;
  ScalarStyle style = ScalarStyle::Plain;
  Span span;
  std::string tag;          ///< explicit tag, e.g. "tag:yaml.org,2002:bool"; empty when untagged
  std::string scalar;       ///< scalar text (Scalar only)
  std::uint32_t first = 0;  ///< first child in the tree's item or entry table
  std::uint32_t count = 0;  ///< number of children
};

/// A whole document. Nodes live in one array; sequences and mappings refer to ranges of the
/// item and entry tables. Read-only once built.
class YamlTree {
 public:
  NodeId root() const { return root_; }
  const YamlNode& node(NodeId id) const { return nodes_[id]; }
  std::size_t node_count() const { return nodes_.size(); }

  bool is_mapping(NodeId id) const { return id != kNoNode && nodes_[id].kind == NodeKind::Mapping; }
  bool is_sequence(NodeId id) const { return id != kNoNode && nodes_[id].kind == NodeKind::Sequence; }
  bool is_scalar(NodeId id) const { return id != kNoNode && nodes_[id].kind == NodeKind::Scalar; }
  /// True for a missing node and for an explicit null (`key:`, `~`, `null`).
  bool is_null(NodeId id) const;

  /// Entries of a mapping (empty for anything else).
  std::span<const MapEntry> entries(NodeId id) const;
  /// Items of a sequence (empty for anything else).
  std::span<const NodeId> items(NodeId id) const;
  /// The entry for `key` in a mapping, or nullptr.
  const MapEntry* find(NodeId mapping, std::string_view key) const;
  /// The value under `key` in a mapping, or kNoNode.
  NodeId get(NodeId mapping, std::string_view key) const;
  /// Scalar text of a node, or nullopt when it is not a scalar.
  std::optional<std::string_view> scalar(NodeId id) const;
  /// The node read as Kubernetes reads a boolean field (YAML 1.1: plain yes/no/on/off/y/n/
  /// true/false in any case); nullopt when it is not a boolean.
  std::optional<bool> boolean(NodeId id) const;
  /// The span of a mapping entry: from its key to the end of its value (just the key when
  /// the value is an alias written elsewhere).
  Span span_of(const MapEntry& entry) const;
  /// A short word for the node's shape ("a mapping", "a string", ...) for messages.
  std::string_view describe(NodeId id) const;

 private:
  friend class YamlTreeBuilder;
  std::vector<YamlNode> nodes_;
  std::vector<NodeId> items_;
  std::vector<MapEntry> entries_;
  NodeId root_ = kNoNode;
};

/// Interprets a scalar the way the API server's YAML 1.1 decoder types a boolean field.
std::optional<bool> parse_yaml11_bool(std::string_view text);

}  // namespace immutalint
