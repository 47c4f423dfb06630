// Stage 2a: cut a manifest stream into document chunks at `---` lines, reading it piecewise.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "immutalint/result.hpp"

namespace immutalint {

/// The top-level `items:` block sequence of a large document, moved to a temporary file as it
/// was read so that a cluster dump's List does not have to fit in memory. Its lines are kept as
/// they were, so that positions stay those of the input file.
class SpilledItems {
 public:
  SpilledItems(std::FILE* file, std::uint32_t first_line, std::size_t indent, std::size_t cut_at)
      : file_(file), first_line_(first_line), indent_(indent), cut_at_(cut_at) {}
  SpilledItems(const SpilledItems&) = delete;
  SpilledItems& operator=(const SpilledItems&) = delete;
  ~SpilledItems() { std::fclose(file_); }

  /// Appends lines; a failed write is remembered and makes every read fail.
  void write(std::string_view lines);
  std::uint64_t bytes() const { return bytes_; }
  /// Where the items were cut out of the document's text (just after the `items:` line).
  std::size_t cut_at() const { return cut_at_; }

  /// All the lines, as they were in the document; nullopt when the file failed.
  std::optional<std::string> read_all() const;

  /// One item: its lines with the `-` that opens it turned into a space, so that the item reads
  /// as a document of its own with the columns it had in the input.
  struct Item {
    std::string text;
    std::uint32_t first_line = 1;
    std::size_t bytes = 0;  ///< its size in the input, even when over the limit and not kept
  };
  /// Calls `on_item` for each item in order. An item larger than `max_item_bytes` comes with an
  /// empty text. Returns false when the file cannot be read back.
  bool for_each_item(std::size_t max_item_bytes, const std::function<void(Item&&)>& on_item) const;

 private:
  std::FILE* file_;
  std::uint32_t first_line_;
  std::size_t indent_;
  std::size_t cut_at_;
  std::uint64_t bytes_ = 0;
  bool failed_ = false;
};

/// Where a document that is one item of a List came from.
struct ListItem {
  std::string list_kind;  ///< e.g. "List", "PodList"
  std::size_t index = 0;  ///< its position in the List's `items`
  std::string source;     ///< the List's Helm `# Source:`, if any
};

/// The text of one document as it appears in its file (the `---` line included).
struct RawDocument {
  std::string text;
  std::uint32_t first_line = 1;   ///< 1-based file line of text's first line
  std::size_t skipped_bytes = 0;  ///< non-zero: the document was larger than allowed and dropped
  /// Set when the document's top-level `items` were moved out of `text` (see SplitLimits).
  std::shared_ptr<const SpilledItems> items;
  /// Set when this document is one item of a List read item by item.
  std::optional<ListItem> list_item;
};

/// What went wrong with a whole file, and where.
struct StreamProblem {
  std::string message;
  std::uint32_t line = 1;
};

/// Splitting rules, in one place so that tests can shrink them.
struct SplitLimits {
  std::size_t max_document_bytes = 32u << 20;  ///< larger documents are dropped and reported
  /// Bytes asked of each read(2); the result does not depend on it.
  std::size_t read_block_bytes = 1u << 20;
  /// A document whose top-level `items:` block sequence grows past this many bytes (a cluster
  /// dump's List) has those lines moved to a temporary file as they are read; the document
  /// limit then applies to the rest of the document and to each item, not to the whole.
  std::size_t spill_items_above = 1u << 20;
};

/// Reads the file descriptor to its end and calls `on_document` for each document. A line that
/// starts with `---` followed by white space or nothing separates documents, as in Kubernetes'
/// own reader; YAML forbids such a line inside any scalar, so content is never cut. The `---`
/// that must follow a directive (`%YAML 1.1`) stays in the directive's document. A leading
/// UTF-8 byte-order mark is dropped. Memory holds one document at a time. Returns a problem when
/// the file cannot be read or is not text (NUL bytes, reported at the first one's line); the
/// documents that ended before it stand. The documents do not depend on how the input is read:
/// the same bytes from memory or in blocks of any size give the same documents. A document
/// whose top-level `items:` sequence is spilled (see SplitLimits) comes with `items` set and
/// those lines cut out of its text.
std::optional<StreamProblem> split_documents(int fd, const SplitLimits& limits,
                                             const std::function<void(RawDocument&&)>& on_document);

/// Same, over text already in memory.
std::optional<StreamProblem> split_documents(std::string_view text, const SplitLimits& limits,
                                             const std::function<void(RawDocument&&)>& on_document);

/// The chart path named by a Helm `# Source: <path>` comment before the document's content, or
/// empty when there is none.
std::string helm_source_of(std::string_view document_text);

}  // namespace immutalint
