// Stage 2a: cut a manifest stream into document chunks at `---` lines, reading it piecewise.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "immutalint/result.hpp"

namespace immutalint {

/// The text of one document as it appears in its file (the `---` line included).
struct RawDocument {
  std::string text;
  std::uint32_t first_line = 1;  ///< 1-based file line of text's first line
  std::size_t skipped_bytes = 0;  ///< non-zero: the document was larger than allowed and dropped
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
};

/// Reads the file descriptor to its end and calls `on_document` for each document. A line that
/// starts with `---` followed by white space or nothing separates documents, as in Kubernetes'
/// own reader; YAML forbids such a line inside any scalar, so content is never cut. The `---`
/// that must follow a directive (`%YAML 1.1`) stays in the directive's document. A leading
/// UTF-8 byte-order mark is dropped. Memory holds one document at a time. Returns a problem when
/// the file cannot be read or is not text (NUL bytes, reported at the first one's line); the
/// documents that ended before it stand. The documents do not depend on how the input is read:
/// the same bytes from memory or in blocks of any size give the same documents.
std::optional<StreamProblem> split_documents(int fd, const SplitLimits& limits,
                                             const std::function<void(RawDocument&&)>& on_document);

/// Same, over text already in memory.
std::optional<StreamProblem> split_documents(std::string_view text, const SplitLimits& limits,
                                             const std::function<void(RawDocument&&)>& on_document);

/// The chart path named by a Helm `# Source: <path>` comment before the document's content, or
/// empty when there is none.
std::string helm_source_of(std::string_view document_text);

}  // namespace immutalint
