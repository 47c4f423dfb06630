// Stage 2a: streams a file into document chunks without holding more than one document.
#include "immutalint/document_split.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <vector>

#include <fmt/format.h>

namespace immutalint {

namespace {

/// True for a line that starts with `---` followed by white space or nothing. The line's first
/// four bytes decide it (its first three, when the input ends there).
bool is_separator(std::string_view line) {
  if (!line.starts_with("---")) return false;
  if (line.size() == 3) return true;
  const char next = line[3];
  return next == ' ' || next == '\t' || next == '\r' || next == '\n';
}
constexpr std::size_t kSeparatorDecidedBy = 4;

/// A directive line (`%YAML 1.1`, `%TAG ...`): YAML requires a `---` after it, so that `---`
/// line belongs to the same document as the directive.
bool is_directive(std::string_view line) {
  return line.starts_with("%");
}

/// A line of white space or a comment only.
bool is_blank_or_comment(std::string_view line) {
  const std::size_t first = line.find_first_not_of(" \t\r\n");
  return first == std::string_view::npos || line[first] == '#';
}

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

/// Accumulates bytes into documents, one line at a time. The result does not depend on how
/// the input is cut into blocks: every decision waits for the bytes it needs (four bytes of a
/// line tell a separator, the three bytes of a byte-order mark), never for a block's end.
class Splitter {
 public:
  Splitter(const SplitLimits& limits, const std::function<void(RawDocument&&)>& on_document)
      : limits_(limits), on_document_(on_document) {}

  /// Feeds a block of bytes; returns a problem when the input is not text. The documents
  /// that ended before the line with the NUL byte have been delivered.
  std::optional<StreamProblem> feed(std::string_view block) {
    if (!byte_order_mark_decided_) block = skip_byte_order_mark(block);
    return feed_text(block);
  }

  void finish() {
    if (!byte_order_mark_decided_) {  // the input is a strict prefix of a byte-order mark: it is text
      byte_order_mark_decided_ = true;
      feed_text(kByteOrderMark.substr(0, byte_order_mark_seen_));
    }
    if (!line_decided_ && current_.size() > line_begin_) decide_line();  // a last line without a newline
    check_size();
    emit();
  }

 private:
  /// Drops a leading byte-order mark, which may straddle blocks: its bytes are held until the
  /// mark is complete or ruled out.
  std::string_view skip_byte_order_mark(std::string_view block) {
    while (!block.empty() && byte_order_mark_seen_ < kByteOrderMark.size() &&
           block.front() == kByteOrderMark[byte_order_mark_seen_]) {
      ++byte_order_mark_seen_;
      block.remove_prefix(1);
    }
    if (byte_order_mark_seen_ == kByteOrderMark.size()) {
      byte_order_mark_decided_ = true;
    } else if (!block.empty()) {
      byte_order_mark_decided_ = true;  // not a mark: what matched so far is text
      if (byte_order_mark_seen_ > 0) feed_text(kByteOrderMark.substr(0, byte_order_mark_seen_));
    }
    return block;
  }

  std::optional<StreamProblem> feed_text(std::string_view block) {
    const void* nul = std::memchr(block.data(), '\0', block.size());
    const std::string_view text =
        nul ? block.substr(0, static_cast<std::size_t>(static_cast<const char*>(nul) - block.data())) : block;
    for (std::string_view rest = text; !rest.empty();) {
      const void* nl = std::memchr(rest.data(), '\n', rest.size());
      const std::size_t take =
          nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - rest.data()) + 1 : rest.size();
      append(rest.substr(0, take), nl != nullptr);
      rest.remove_prefix(take);
    }
    if (nul) return StreamProblem{"not a text file (it contains NUL bytes)", line_};
    return std::nullopt;
  }

  void append(std::string_view piece, bool ends_line) {
    if (skipping_ && line_decided_) {
      skipped_ += piece.size();  // a line of a dropped document: only its length matters
    } else {
      current_.append(piece);
    }
    if (!line_decided_ && (current_.size() - line_begin_ >= kSeparatorDecidedBy || ends_line)) decide_line();
    if (ends_line) end_line();
    check_size();
  }

  /// Enough of the line is known to tell whether it is a separator: a separator that ends a
  /// document hands the document over at once, and the line starts the next one.
  void decide_line() {
    line_decided_ = true;
    const std::string_view line = std::string_view(current_).substr(line_begin_);
    const bool splits = is_separator(line) && (skipping_ || (line_begin_ > 0 && !awaiting_document_start_));
    if (splits) {
      std::string start(line);
      current_.resize(line_begin_);
      emit();
      current_ = std::move(start);
      line_begin_ = 0;
      document_line_ = line_;
    } else if (skipping_) {
      skipped_ += current_.size();
      current_.clear();
      line_begin_ = 0;
    }
  }

  /// The line being read is complete.
  void end_line() {
    if (!skipping_) {
      const std::string_view line = std::string_view(current_).substr(line_begin_);
      if (is_directive(line)) {
        awaiting_document_start_ = true;
      } else if (!is_blank_or_comment(line)) {
        awaiting_document_start_ = false;
      }
    }
    ++line_;
    line_decided_ = false;
    line_begin_ = current_.size();
  }

  /// Starts dropping the document once what is known to belong to it is over the limit. The
  /// first bytes of a line that may still turn out to be the next separator are not counted.
  void check_size() {
    if (skipping_) return;
    const std::size_t known = line_decided_ ? current_.size() : line_begin_;
    if (known <= limits_.max_document_bytes) return;
    skipping_ = true;
    awaiting_document_start_ = false;
    skipped_ = known;
    current_.erase(0, known);  // keeps only the undecided start of the line, if any
    line_begin_ = 0;
  }

  void emit() {
    if (skipping_) {
      RawDocument doc;
      doc.first_line = document_line_;
      doc.skipped_bytes = skipped_ + current_.size();
      on_document_(std::move(doc));
      skipping_ = false;
      skipped_ = 0;
      current_.clear();
      return;
    }
    awaiting_document_start_ = false;
    if (current_.empty()) return;
    RawDocument doc;
    doc.text = std::move(current_);
    doc.first_line = document_line_;
    on_document_(std::move(doc));
    current_.clear();
  }

  const SplitLimits& limits_;
  const std::function<void(RawDocument&&)>& on_document_;
  std::string current_;         // the document being read; while skipping, the undecided start of a line
  std::size_t line_begin_ = 0;  // offset in current_ where the line being read starts
  bool line_decided_ = false;   // whether the line being read is known to be a separator or not
  std::uint32_t line_ = 1;      // file line of the line being read
  std::uint32_t document_line_ = 1;
  std::size_t byte_order_mark_seen_ = 0;
  bool byte_order_mark_decided_ = false;
  bool awaiting_document_start_ = false;  // the last line with content was a directive
  bool skipping_ = false;
  std::size_t skipped_ = 0;
};

}  // namespace

std::optional<StreamProblem> split_documents(int fd, const SplitLimits& limits,
                                             const std::function<void(RawDocument&&)>& on_document) {
  Splitter splitter(limits, on_document);
  std::vector<char> buffer(std::max<std::size_t>(limits.read_block_bytes, 1));
  for (;;) {
    const ssize_t got = ::read(fd, buffer.data(), buffer.size());
    if (got < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {  // a non-blocking pipe, e.g. standard input: wait for it
        pollfd readable{fd, POLLIN, 0};
        if (::poll(&readable, 1, -1) >= 0 || errno == EINTR) continue;
      }
      return StreamProblem{fmt::format("cannot read: {}", std::strerror(errno)), 1};
    }
    if (got == 0) break;
    if (auto problem = splitter.feed(std::string_view(buffer.data(), static_cast<std::size_t>(got)))) return problem;
  }
  splitter.finish();
  return std::nullopt;
}

std::optional<StreamProblem> split_documents(std::string_view text, const SplitLimits& limits,
                                             const std::function<void(RawDocument&&)>& on_document) {
  Splitter splitter(limits, on_document);
  if (auto problem = splitter.feed(text)) return problem;
  splitter.finish();
  return std::nullopt;
}

std::string helm_source_of(std::string_view text) {
  constexpr std::string_view kPrefix = "# Source: ";
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (line.starts_with(kPrefix)) return std::string(line.substr(kPrefix.size()));
    if (is_blank_or_comment(line) || is_directive(line) || is_separator(line)) continue;
    break;  // content starts: a later "# Source:" belongs to nothing we report
  }
  return {};
}

}  // namespace immutalint
