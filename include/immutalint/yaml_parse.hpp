// Stage 2b: parse the text of one document chunk into YAML trees, as Kubernetes reads them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "immutalint/location.hpp"
#include "immutalint/yaml_tree.hpp"

namespace immutalint {

/// Bounds that keep hostile documents from exhausting time or memory.
struct ParseLimits {
  /// Deepest nesting of mappings and sequences accepted. libyaml's scanner slows down
  /// quadratically with flow nesting, so this also bounds parse time.
  std::uint32_t max_depth = 512;
  /// Largest number of nodes that aliases may add to a document once expanded (alias bombs).
  /// Nodes written out count nothing here: a large document without aliases is bounded by the
  /// document size limit instead.
  std::uint64_t max_expanded_nodes = 4'000'000;
  /// Largest memory, in bytes, that the entries copied by merge keys (`<<`) may take in a
  /// document. Merged entries are copies rather than shared nodes, so short aliases of a
  /// mapping with long keys would otherwise cost memory far beyond the document's size.
  std::uint64_t max_merged_bytes = 64u << 20;
};

/// A key written twice in one mapping. Kubernetes keeps the last value; so does the tree.
struct DuplicateKey {
  std::string key;
  Span repeat;          ///< the later occurrence, which wins
  Mark first;           ///< where the key was first written
  std::string pointer;  ///< JSON Pointer of the key, from the document root
};

/// Why a document could not be read: the parser's message and where it stopped.
struct ParseError {
  std::string message;
  Mark mark;
};

/// One YAML document of a chunk.
struct ParsedDocument {
  YamlTree tree;  ///< empty (root() == kNoNode) when `error` is set
  std::vector<DuplicateKey> duplicates;
  std::optional<ParseError> error;
  Mark start;         ///< first line of the document in its file
  bool empty = true;  ///< no content at all (empty or comment-only document)
};

/// Parses every document in `text`. `first_line` is the file line on which `text` starts, so
/// that positions come out relative to the file. A syntax error ends the chunk: the document
/// in which it occurs carries the error and later documents of the same chunk are not read.
std::vector<ParsedDocument> parse_yaml_documents(std::string_view text, std::uint32_t first_line,
                                                 const ParseLimits& limits = {});

/// Escapes one reference token of a JSON Pointer (RFC 6901: "~" -> "~0", "/" -> "~1").
std::string json_pointer_token(std::string_view token);

}  // namespace immutalint
