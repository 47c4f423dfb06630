// Stage 2a: streams a file into document chunks without holding more than one document.
#include "immutalint/document_split.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "immutalint/temp_file.hpp"

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

/// `items:` at the start of a line with nothing after it but a comment: a top-level key whose
/// value, if anything follows, is a block on the next lines.
bool is_items_key(std::string_view line) {
  if (!line.starts_with("items:")) return false;
  const std::string_view rest = line.substr(6);
  return rest.empty() ||
         ((rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\r' || rest[0] == '\n') && is_blank_or_comment(rest));
}

/// A line that opens a block sequence entry at column `indent`: `-` followed by a space, a line
/// end or nothing. (After `-` and a tab, the `-` could not become a space without the tab
/// turning into indentation, so such a line ends the items instead.)
bool opens_entry_at(std::string_view line, std::size_t indent) {
  if (line.size() <= indent || line[indent] != '-') return false;
  return line.size() == indent + 1 || line[indent + 1] == ' ' || line[indent + 1] == '\r' || line[indent + 1] == '\n';
}

std::size_t indent_of(std::string_view line) {
  const std::size_t first = line.find_first_not_of(' ');
  return first == std::string_view::npos ? line.size() : first;
}

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
    // A line counts against the limit before it may move out with the List items, so that the
    // same line is judged alike whether it arrives whole or in pieces.
    check_size();
    if (ends_line) end_line();
  }

  /// Enough of the line is known to tell whether it is a separator: a separator that ends a
  /// document hands the document over at once, and the line starts the next one.
  void decide_line() {
    line_decided_ = true;
    const std::string_view line = std::string_view(current_).substr(line_begin_);
    const bool splits = is_separator(line) && !awaiting_document_start_ && (skipping_ || line_begin_ > 0);
    note_directive(line);
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

  /// A directive line makes the next `---` start its document rather than end one; a line that
  /// starts with content ends that wait. Decided by the line's first byte, which is known as soon
  /// as the line is, so a document being dropped is cut exactly like one being kept.
  void note_directive(std::string_view line) {
    if (line.empty()) return;
    if (is_directive(line)) {
      awaiting_document_start_ = true;
    } else if (std::string_view(" \t\r\n#").find(line.front()) == std::string_view::npos) {
      awaiting_document_start_ = false;
    }
  }

  /// The line being read is complete.
  void end_line() {
    if (!skipping_) track_items();
    ++line_;
    line_decided_ = false;
    line_begin_ = current_.size();
  }

  /// Follows the document's top-level `items:` block sequence by its lines: it starts with the
  /// first `-` line after `items:` and ends at the first line with content that is less indented,
  /// or as indented but not a `-` entry. Once its lines pass spill_items_above bytes, they go to a
  /// temporary file instead of memory. Anything unusual (tabs, flow style, a quoted scalar that
  /// runs onto an unindented line) only ends the sequence early: the reader then finds that the
  /// rest is not a List and puts the document back together.
  void track_items() {
    const std::string_view line = std::string_view(current_).substr(line_begin_);
    switch (items_state_) {
      case ItemsState::None:
        if (is_items_key(line)) {
          items_state_ = ItemsState::AwaitingFirstEntry;
          items_begin_ = current_.size();
          items_line_ = line_ + 1;
        }
        return;
      case ItemsState::AwaitingFirstEntry:
        if (is_blank_or_comment(line)) break;
        if (opens_entry_at(line, indent_of(line))) {
          items_state_ = ItemsState::InEntries;
          items_indent_ = indent_of(line);
          break;
        }
        items_state_ = ItemsState::Over;  // `items:` holds a mapping or a scalar: nothing to stream
        return;
      case ItemsState::InEntries: {
        const std::size_t indent = indent_of(line);
        if (is_blank_or_comment(line) || indent > items_indent_ || opens_entry_at(line, items_indent_)) break;
        items_state_ = ItemsState::Over;
        return;
      }
      case ItemsState::Over: return;
    }
    // The line belongs to the items.
    if (items_state_ != ItemsState::InEntries) return;
    if (!spilled_items_) {
      if (current_.size() - items_begin_ <= limits_.spill_items_above || no_temporary_file_) return;
      auto fd = open_unlinked_temp_file();
      std::FILE* file = fd ? ::fdopen(*fd, "w+b") : nullptr;
      if (fd && !file) ::close(*fd);
      if (!file) {
        no_temporary_file_ = true;  // the items stay in memory, under the document limit
        return;
      }
      spilled_items_ = std::make_shared<SpilledItems>(file, items_line_, items_indent_, items_begin_);
      spilled_items_->write(std::string_view(current_).substr(items_begin_));
      current_.resize(items_begin_);
      return;
    }
    spilled_items_->write(line);
    current_.resize(line_begin_);
  }

  void reset_items() {
    items_state_ = ItemsState::None;
    spilled_items_.reset();
    no_temporary_file_ = false;
  }

  /// Starts dropping the document once what is known to belong to it is over the limit. The
  /// first bytes of a line that may still turn out to be the next separator are not counted.
  void check_size() {
    if (skipping_) return;
    const std::size_t known = line_decided_ ? current_.size() : line_begin_;
    if (known <= limits_.max_document_bytes) return;
    skipping_ = true;
    skipped_ = known + (spilled_items_ ? spilled_items_->bytes() : 0);
    reset_items();
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
      reset_items();
      return;
    }
    awaiting_document_start_ = false;
    if (current_.empty() && !spilled_items_) return;
    RawDocument doc;
    doc.text = std::move(current_);
    doc.first_line = document_line_;
    doc.items = std::move(spilled_items_);
    reset_items();
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

  enum class ItemsState { None, AwaitingFirstEntry, InEntries, Over };
  ItemsState items_state_ = ItemsState::None;  // where the document is in its top-level `items:`
  std::size_t items_begin_ = 0;                // offset in current_ of the first line after `items:`
  std::uint32_t items_line_ = 0;               // and its file line
  std::size_t items_indent_ = 0;               // column of the entries' `-`
  std::shared_ptr<SpilledItems> spilled_items_;
  bool no_temporary_file_ = false;
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

void SpilledItems::write(std::string_view lines) {
  if (failed_) return;
  if (std::fwrite(lines.data(), 1, lines.size(), file_) != lines.size()) failed_ = true;
  bytes_ += lines.size();
}

std::optional<std::string> SpilledItems::read_all() const {
  std::string text(bytes_, '\0');
  if (failed_ || std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0 ||
      std::fread(text.data(), 1, text.size(), file_) != text.size()) {
    return std::nullopt;
  }
  return text;
}

bool SpilledItems::for_each_item(std::size_t max_item_bytes, const std::function<void(Item&&)>& on_item) const {
  if (failed_ || std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0) return false;
  Item item;
  bool started = false;  // lines before the first entry (comments) go with it
  auto deliver = [&] {
    if (item.bytes > max_item_bytes) item.text.clear();
    on_item(std::move(item));
    item = Item{};
  };
  std::uint32_t line_number = first_line_;
  std::string line;
  std::vector<char> block(64u << 10);
  std::uint64_t left = bytes_;
  auto take_line = [&] {
    if (opens_entry_at(line, indent_)) {
      if (started) deliver();
      started = true;
      line[indent_] = ' ';  // the entry's `-`: the item reads as a mapping at its own column
    }
    if (item.bytes == 0) item.first_line = line_number;
    item.bytes += line.size();
    if (item.bytes <= max_item_bytes) item.text += line;
    ++line_number;
    line.clear();
  };
  while (left > 0) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(left, block.size()));
    if (std::fread(block.data(), 1, want, file_) != want) return false;
    left -= want;
    for (std::string_view rest(block.data(), want); !rest.empty();) {
      const std::size_t nl = rest.find('\n');
      const std::size_t take = nl == std::string_view::npos ? rest.size() : nl + 1;
      line.append(rest.substr(0, take));  // the splitter kept every line under the document limit
      rest.remove_prefix(take);
      if (nl != std::string_view::npos) take_line();
    }
  }
  if (!line.empty()) take_line();
  if (item.bytes > 0) deliver();
  return true;
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
