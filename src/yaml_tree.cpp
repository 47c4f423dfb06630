// Read-only queries on a parsed YAML document.
#include "immutalint/yaml_tree.hpp"
#include "immutalint/ascii.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace immutalint {

namespace {

constexpr std::string_view kBoolTag = "tag:yaml.org,2002:bool";
constexpr std::string_view kStrTag = "tag:yaml.org,2002:str";

}  // namespace

std::optional<bool> parse_yaml11_bool(std::string_view text) {
  static constexpr std::array<std::string_view, 4> kTrue = {"true", "yes", "on", "y"};
  static constexpr std::array<std::string_view, 4> kFalse = {"false", "no", "off", "n"};
  for (auto word : kTrue) {
    if (equal_ignoring_case(text, word)) return true;
  }
  for (auto word : kFalse) {
    if (equal_ignoring_case(text, word)) return false;
  }
  return std::nullopt;
}

bool YamlTree::is_null(NodeId id) const {
  return id == kNoNode || nodes_[id].kind == NodeKind::Null;
}

std::span<const MapEntry> YamlTree::entries(NodeId id) const {
  if (!is_mapping(id)) return {};
  const auto& n = nodes_[id];
  return std::span<const MapEntry>(entries_).subspan(n.first, n.count);
}

std::span<const NodeId> YamlTree::items(NodeId id) const {
  if (!is_sequence(id)) return {};
  const auto& n = nodes_[id];
  return std::span<const NodeId>(items_).subspan(n.first, n.count);
}

const MapEntry* YamlTree::find(NodeId mapping, std::string_view key) const {
  for (const auto& entry : entries(mapping)) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

NodeId YamlTree::get(NodeId mapping, std::string_view key) const {
  const MapEntry* entry = find(mapping, key);
  return entry ? entry->value : kNoNode;
}

std::optional<std::string_view> YamlTree::scalar(NodeId id) const {
  if (!is_scalar(id)) return std::nullopt;
  return std::string_view(nodes_[id].scalar);
}

std::optional<bool> YamlTree::boolean(NodeId id) const {
  if (!is_scalar(id)) return std::nullopt;
  const auto& n = nodes_[id];
  if (n.tag == kBoolTag) return parse_yaml11_bool(n.scalar);
  if (n.tag == kStrTag || n.style != ScalarStyle::Plain) return std::nullopt;
  return parse_yaml11_bool(n.scalar);
}

Span YamlTree::span_of(const MapEntry& entry) const {
  Span span = entry.key_span;
  if (entry.value != kNoNode) {
    const Span& value = nodes_[entry.value].span;
    if (value.begin >= span.begin) span.end = value.end;
  }
  return span;
}

std::string_view YamlTree::describe(NodeId id) const {
  if (id == kNoNode) return "nothing";
  switch (nodes_[id].kind) {
    case NodeKind::Null: return "null";
    case NodeKind::Mapping: return "a mapping";
    case NodeKind::Sequence: return "a list";
    case NodeKind::Scalar: break;
  }
  const auto& n = nodes_[id];
  if (n.style != ScalarStyle::Plain) return "a string";
  if (boolean(id).has_value()) return "a boolean";
  const bool numeric = !n.scalar.empty() && n.scalar.find_first_not_of("+-.0123456789eE_xXoObB") == std::string::npos &&
                       std::isdigit(static_cast<unsigned char>(n.scalar.back()));
  return numeric ? "a number" : "a string";
}

}  // namespace immutalint
