// Builds YamlTrees from libyaml's event stream, applying what Kubernetes' decoder applies:
// aliases, merge keys (last explicit key wins over merged ones), and last-wins duplicate keys.
#include "immutalint/yaml_parse.hpp"

#include <yaml.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace immutalint {

std::string json_pointer_token(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

/// The entries of a mapping being closed, in order, with a lookup by key. The lookup holds
/// positions, never views into the keys: the entries move whenever the vector grows (merged
/// keys are added after the explicit ones), and a view would then dangle. Small mappings are
/// searched in place; past kIndexedAbove entries a hash index takes over, so that merging a
/// large mapping stays linear.
class MappingEntries {
 public:
  explicit MappingEntries(std::size_t expected) { entries_.reserve(expected); }

  /// Position of `key`, or nullopt.
  std::optional<std::size_t> find(std::string_view key) const {
    if (by_hash_.empty()) {
      for (std::size_t i = 0; i < entries_.size(); ++i) {
        if (entries_[i].key == key) return i;
      }
      return std::nullopt;
    }
    const auto [begin, end] = by_hash_.equal_range(std::hash<std::string_view>{}(key));
    for (auto it = begin; it != end; ++it) {
      if (entries_[it->second].key == key) return it->second;
    }
    return std::nullopt;
  }

  /// Adds an entry whose key is not present yet.
  void add(MapEntry entry) {
    entries_.push_back(std::move(entry));
    if (entries_.size() > kIndexedAbove) {
      if (by_hash_.empty()) {
        for (std::size_t i = 0; i + 1 < entries_.size(); ++i) index(i);
      }
      index(entries_.size() - 1);
    }
  }

  MapEntry& operator[](std::size_t position) { return entries_[position]; }
  const std::vector<MapEntry>& entries() const { return entries_; }
  std::vector<MapEntry> take() && { return std::move(entries_); }

 private:
  static constexpr std::size_t kIndexedAbove = 16;

  void index(std::size_t position) {
    by_hash_.emplace(std::hash<std::string_view>{}(entries_[position].key), position);
  }

  std::vector<MapEntry> entries_;
  std::unordered_multimap<std::size_t, std::size_t> by_hash_;  // hash of a key -> its position
};

}  // namespace

/// Assembles one YamlTree from events. Containers under construction are kept on a stack of
/// frames; a container's children are copied into the tree's tables when it closes, so each
/// sequence and mapping owns one contiguous range.
class YamlTreeBuilder {
 public:
  YamlTreeBuilder(std::uint32_t first_line, const ParseLimits& limits) : first_line_(first_line), limits_(limits) {}

  /// Feeds one event; returns false (with error()) when the document cannot be built.
  bool on_event(const yaml_event_t& event);
  bool finished() const { return finished_; }
  const ParseError& error() const { return error_; }
  ParsedDocument take_document();

 private:
  struct RawEntry {
    std::string key;
    Span key_span;
    NodeId value;
    bool merge;  // a `<<` key: its value is merged into the mapping
  };
  struct Frame {
    NodeId node;
    std::vector<NodeId> items;      // sequence items
    std::vector<RawEntry> entries;  // mapping entries
    bool have_key = false;          // a mapping has read a key and waits for its value
    RawEntry pending;
  };

  Mark mark(const yaml_mark_t& m) const {
    return Mark{first_line_ + static_cast<std::uint32_t>(m.line), static_cast<std::uint32_t>(m.column) + 1};
  }
  Span span(const yaml_event_t& e) const { return Span{mark(e.start_mark), mark(e.end_mark)}; }
  bool fail(std::string message, Mark where) {
    error_ = ParseError{std::move(message), where};
    return false;
  }

  NodeId new_node(NodeKind kind, const yaml_event_t& event, const yaml_char_t* tag);
  bool register_anchor(const yaml_char_t* anchor, NodeId id);
  bool attach(NodeId id, const yaml_event_t& event);
  bool close_sequence(Frame& frame);
  bool close_mapping(Frame& frame);
  std::string pointer_to_pending_key(const std::string& key) const;

  std::uint32_t first_line_;
  const ParseLimits& limits_;
  YamlTree tree_;
  std::vector<std::uint64_t> expanded_;  // nodes each node expands to, aliases included
  std::uint64_t alias_nodes_ = 0;        // nodes the aliases read so far add, once expanded
  std::uint64_t merged_bytes_ = 0;       // memory of the entries copied by merge keys
  std::vector<bool> open_;               // node is a container still being read
  std::vector<Frame> stack_;
  std::unordered_map<std::string, NodeId> anchors_;
  std::vector<DuplicateKey> duplicates_;
  ParseError error_;
  Mark start_;
  bool finished_ = false;
};

NodeId YamlTreeBuilder::new_node(NodeKind kind, const yaml_event_t& event, const yaml_char_t* tag) {
  YamlNode node;
  node.kind = kind;
  node.span = span(event);
  if (tag) node.tag = reinterpret_cast<const char*>(tag);
  tree_.nodes_.push_back(std::move(node));
  expanded_.push_back(1);
  open_.push_back(kind == NodeKind::Sequence || kind == NodeKind::Mapping);
  return static_cast<NodeId>(tree_.nodes_.size() - 1);
}

bool YamlTreeBuilder::register_anchor(const yaml_char_t* anchor, NodeId id) {
  if (anchor) anchors_[reinterpret_cast<const char*>(anchor)] = id;  // a later anchor of the same name wins
  return true;
}

std::string YamlTreeBuilder::pointer_to_pending_key(const std::string& key) const {
  std::string pointer;
  for (const auto& frame : stack_) {  // the ancestors of the mapping that holds `key`
    if (tree_.nodes_[frame.node].kind == NodeKind::Sequence) {
      pointer += fmt::format("/{}", frame.items.size());
    } else {
      (pointer += '/') += json_pointer_token(frame.pending.key);
    }
  }
  return pointer + "/" + json_pointer_token(key);
}

bool YamlTreeBuilder::attach(NodeId id, const yaml_event_t& event) {
  if (stack_.empty()) {
    tree_.root_ = id;
    return true;
  }
  Frame& parent = stack_.back();
  if (tree_.nodes_[parent.node].kind == NodeKind::Sequence) {
    parent.items.push_back(id);
    return true;
  }
  if (!parent.have_key) {
    const YamlNode& key = tree_.nodes_[id];
    if (key.kind == NodeKind::Sequence || key.kind == NodeKind::Mapping) {
      return fail("a mapping key must be a plain value, not " + std::string(tree_.describe(id)), key.span.begin);
    }
    parent.pending = RawEntry{key.scalar, span(event), kNoNode, false};
    if (event.type == YAML_SCALAR_EVENT) {
      const auto& s = event.data.scalar;
      const bool untagged =
          s.tag == nullptr || std::string_view(reinterpret_cast<const char*>(s.tag)) == "tag:yaml.org,2002:merge";
      parent.pending.merge = key.scalar == "<<" && s.plain_implicit && untagged;
    }
    parent.have_key = true;
    return true;
  }
  parent.pending.value = id;
  parent.entries.push_back(std::move(parent.pending));
  parent.have_key = false;
  return true;
}

bool YamlTreeBuilder::close_sequence(Frame& frame) {
  YamlNode& node = tree_.nodes_[frame.node];
  node.first = static_cast<std::uint32_t>(tree_.items_.size());
  node.count = static_cast<std::uint32_t>(frame.items.size());
  std::uint64_t total = 1;
  for (NodeId item : frame.items) total += expanded_[item];
  expanded_[frame.node] = std::min<std::uint64_t>(total, std::numeric_limits<std::uint32_t>::max() * 16ULL);
  tree_.items_.insert(tree_.items_.end(), frame.items.begin(), frame.items.end());
  return true;
}

bool YamlTreeBuilder::close_mapping(Frame& frame) {
  MappingEntries out(frame.entries.size());
  std::vector<NodeId> merge_values;
  for (auto& raw : frame.entries) {
    if (raw.merge) {
      merge_values.push_back(raw.value);
      continue;
    }
    if (const auto at = out.find(raw.key)) {
      DuplicateKey dup;
      dup.key = raw.key;
      dup.repeat = raw.key_span;
      dup.first = out[*at].key_span.begin;
      dup.pointer = pointer_to_pending_key(raw.key);
      duplicates_.push_back(std::move(dup));
      out[*at].value = raw.value;
      out[*at].key_span = raw.key_span;
      continue;
    }
    out.add(MapEntry{std::move(raw.key), raw.key_span, raw.value});
  }

  // Merge keys: explicit keys win; among merged mappings the earlier one wins.
  for (NodeId value : merge_values) {
    std::vector<NodeId> sources;
    if (tree_.is_mapping(value)) {
      sources.push_back(value);
    } else if (tree_.is_sequence(value)) {
      for (NodeId item : tree_.items(value)) {
        if (!tree_.is_mapping(item)) {
          return fail("a merge key (<<) list may hold only mappings, found " + std::string(tree_.describe(item)),
                      tree_.nodes_[item].span.begin);
        }
        sources.push_back(item);
      }
    } else {
      return fail("a merge key (<<) needs a mapping or a list of mappings, found " + std::string(tree_.describe(value)),
                  value == kNoNode ? tree_.nodes_[frame.node].span.begin : tree_.nodes_[value].span.begin);
    }
    for (NodeId source : sources) {
      for (const auto& entry : tree_.entries(source)) {
        if (out.find(entry.key)) continue;
        // Merged entries are copies, not shared nodes: bound the memory they take.
        merged_bytes_ += sizeof(MapEntry) + entry.key.size();
        if (merged_bytes_ > limits_.max_merged_bytes) {
          return fail(fmt::format("merge keys (<<) copy more than {} MiB of entries into this document; it is "
                                  "not linted",
                                  limits_.max_merged_bytes >> 20),
                      tree_.nodes_[frame.node].span.begin);
        }
        out.add(entry);
      }
    }
  }

  std::uint64_t total = 1;
  for (const auto& entry : out.entries()) total += 1 + expanded_[entry.value];
  YamlNode& node = tree_.nodes_[frame.node];
  node.first = static_cast<std::uint32_t>(tree_.entries_.size());
  node.count = static_cast<std::uint32_t>(out.entries().size());
  expanded_[frame.node] = std::min<std::uint64_t>(total, std::numeric_limits<std::uint32_t>::max() * 16ULL);
  std::vector<MapEntry> entries = std::move(out).take();
  std::move(entries.begin(), entries.end(), std::back_inserter(tree_.entries_));
  return true;
}

bool YamlTreeBuilder::on_event(const yaml_event_t& event) {
  switch (event.type) {
    case YAML_DOCUMENT_START_EVENT: start_ = mark(event.start_mark); return true;
    case YAML_DOCUMENT_END_EVENT: finished_ = true; return true;
    case YAML_ALIAS_EVENT: {
      std::string name = reinterpret_cast<const char*>(event.data.alias.anchor);
      auto it = anchors_.find(name);
      if (it == anchors_.end()) return fail("unknown anchor '" + name + "' referenced", mark(event.start_mark));
      if (open_[it->second]) {
        return fail("anchor '" + name + "' contains an alias to itself", mark(event.start_mark));
      }
      // Only what aliases add counts: a large document without aliases is just large, and the
      // document size limit bounds it. Checked at each alias, so that a bomb stops early.
      alias_nodes_ += expanded_[it->second];
      if (alias_nodes_ > limits_.max_expanded_nodes) {
        return fail(fmt::format("aliases expand this document to more than {} nodes; it is not linted "
                                "(Kubernetes rejects such documents too)",
                                limits_.max_expanded_nodes),
                    start_);
      }
      return attach(it->second, event);
    }
    case YAML_SCALAR_EVENT: {
      const auto& s = event.data.scalar;
      std::string_view text(reinterpret_cast<const char*>(s.value), s.length);
      const bool plain = s.style == YAML_PLAIN_SCALAR_STYLE || s.style == YAML_ANY_SCALAR_STYLE;
      const bool is_null = plain && s.plain_implicit &&
                           (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL");
      NodeId id = new_node(is_null ? NodeKind::Null : NodeKind::Scalar, event, s.tag);
      YamlNode& node = tree_.nodes_[id];
      node.scalar.assign(text);
      node.style = plain ? ScalarStyle::Plain
                   : (s.style == YAML_LITERAL_SCALAR_STYLE || s.style == YAML_FOLDED_SCALAR_STYLE)
                       ? ScalarStyle::Block
                       : ScalarStyle::Quoted;
      register_anchor(s.anchor, id);
      return attach(id, event);
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
      if (stack_.size() >= limits_.max_depth) {
        return fail(fmt::format("nesting is deeper than {} levels; the document is not linted", limits_.max_depth),
                    mark(event.start_mark));
      }
      const bool seq = event.type == YAML_SEQUENCE_START_EVENT;
      NodeId id = new_node(seq ? NodeKind::Sequence : NodeKind::Mapping, event,
                           seq ? event.data.sequence_start.tag : event.data.mapping_start.tag);
      register_anchor(seq ? event.data.sequence_start.anchor : event.data.mapping_start.anchor, id);
      stack_.push_back(Frame{id, {}, {}, false, {}});
      return true;
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: {
      Frame frame = std::move(stack_.back());
      stack_.pop_back();
      const bool ok = event.type == YAML_SEQUENCE_END_EVENT ? close_sequence(frame) : close_mapping(frame);
      if (!ok) return false;
      open_[frame.node] = false;
      tree_.nodes_[frame.node].span.end = mark(event.end_mark);
      return attach(frame.node, event);
    }
    default: return true;
  }
}

ParsedDocument YamlTreeBuilder::take_document() {
  ParsedDocument doc;
  doc.start = start_;
  doc.empty =
      tree_.root_ == kNoNode || (tree_.nodes_.size() == 1 && tree_.is_null(tree_.root_) && tree_.nodes_[0].tag.empty());
  doc.duplicates = std::move(duplicates_);
  doc.tree = std::move(tree_);
  return doc;
}

namespace {

/// Owns a libyaml parser for the length of one chunk.
struct LibyamlParser {
  yaml_parser_t parser{};
  LibyamlParser() { yaml_parser_initialize(&parser); }
  ~LibyamlParser() { yaml_parser_delete(&parser); }
  LibyamlParser(const LibyamlParser&) = delete;
  LibyamlParser& operator=(const LibyamlParser&) = delete;
};

/// Owns one libyaml event.
struct Event {
  yaml_event_t event{};
  ~Event() { yaml_event_delete(&event); }
};

std::string describe_syntax_error(const yaml_parser_t& parser, std::uint32_t first_line) {
  std::string message = "YAML syntax error: ";
  message += parser.problem ? parser.problem : "malformed input";
  if (parser.context) {
    message += fmt::format(" ({} that starts at line {}, column {})", parser.context,
                           first_line + parser.context_mark.line, parser.context_mark.column + 1);
  }
  return message;
}

}  // namespace

std::vector<ParsedDocument> parse_yaml_documents(std::string_view text, std::uint32_t first_line,
                                                 const ParseLimits& limits) {
  std::vector<ParsedDocument> documents;
  LibyamlParser lib;
  yaml_parser_set_input_string(&lib.parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());

  std::unique_ptr<YamlTreeBuilder> builder;
  auto fail_document = [&](ParseError error) {
    ParsedDocument doc = builder ? builder->take_document() : ParsedDocument{};
    if (!builder) doc.start = error.mark;
    doc.tree = YamlTree{};
    doc.empty = false;
    doc.error = std::move(error);
    documents.push_back(std::move(doc));
  };

  for (;;) {
    Event ev;
    if (!yaml_parser_parse(&lib.parser, &ev.event)) {
      Mark where{first_line + static_cast<std::uint32_t>(lib.parser.problem_mark.line),
                 static_cast<std::uint32_t>(lib.parser.problem_mark.column) + 1};
      fail_document(ParseError{describe_syntax_error(lib.parser, first_line), where});
      return documents;
    }
    const yaml_event_type_t type = ev.event.type;
    if (type == YAML_STREAM_END_EVENT) break;
    if (type == YAML_STREAM_START_EVENT) continue;
    if (type == YAML_DOCUMENT_START_EVENT) builder = std::make_unique<YamlTreeBuilder>(first_line, limits);
    if (!builder) continue;
    if (!builder->on_event(ev.event)) {
      fail_document(builder->error());
      return documents;
    }
    if (builder->finished()) {
      documents.push_back(builder->take_document());
      builder.reset();
    }
  }
  return documents;
}

}  // namespace immutalint
