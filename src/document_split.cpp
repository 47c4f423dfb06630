// Stage 2a: streams a file into document chunks without holding more than one document.
#include "immutalint/document_split.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <vector>

#include <fmt/format.h>

namespace immutalint {

namespace {

bool is_separator(std::string_view line) {
  if (!line.starts_with("---")) return false;
  if (line.size() == 3) return true;
  const char next = line[3];
  return next == ' ' || next == '\t' || next == '\r' || next == '\n';
}

/// Accumulates bytes into documents, one line at a time.
class Splitter {
 public:
  Splitter(const SplitLimits& limits, const std::function<void(RawDocument&&)>& on_document)
      : limits_(limits), on_document_(on_document) {}

  /// Feeds a block of bytes; returns a problem when the input is not text.
  std::optional<StreamProblem> feed(std::string_view block) {
    if (first_block_) {
      first_block_ = false;
      if (block.starts_with("\xEF\xBB\xBF")) block.remove_prefix(3);
    }
    if (std::memchr(block.data(), '\0', block.size()) != nullptr) {
      return StreamProblem{"not a text file (it contains NUL bytes)", line_};
    }
    while (!block.empty()) {
      const void* nl = std::memchr(block.data(), '\n', block.size());
      const std::size_t take = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - block.data()) + 1
                                  : block.size();
      append(block.substr(0, take), nl != nullptr);
      block.remove_prefix(take);
    }
    return std::nullopt;
  }

  void finish() {
    if (line_begin_ < current_.size()) end_of_line();  // a last line without a newline
    emit();
  }

 private:
  // While dropping an oversized document only the start of the current line is kept: enough
  // to recognise the next separator.
  static constexpr std::size_t kKeptWhileSkipping = 8;

  void append(std::string_view piece, bool ends_line) {
    current_.append(piece);
    if (ends_line) end_of_line();
    if (skipping_ && current_.size() > kKeptWhileSkipping && !ends_line) {
      skipped_ += current_.size() - kKeptWhileSkipping;
      current_.resize(kKeptWhileSkipping);
    }
    if (!skipping_ && current_.size() > limits_.max_document_bytes) {
      skipping_ = true;
      skipped_ = line_begin_;
      current_.erase(0, line_begin_);
      line_begin_ = 0;
    }
  }

  /// The line starting at line_begin_ is complete: a separator line starts a new document.
  void end_of_line() {
    std::string_view line(current_);
    line.remove_prefix(line_begin_);
    if (is_separator(line) && (line_begin_ > 0 || skipping_)) {
      std::string separator(line);
      current_.resize(line_begin_);
      emit();
      current_ = std::move(separator);
      document_line_ = line_;
    }
    ++line_;
    if (skipping_) {
      skipped_ += current_.size();
      current_.clear();
    }
    line_begin_ = current_.size();
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
    if (current_.empty()) return;
    RawDocument doc;
    doc.text = std::move(current_);
    doc.first_line = document_line_;
    on_document_(std::move(doc));
    current_.clear();
  }

  const SplitLimits& limits_;
  const std::function<void(RawDocument&&)>& on_document_;
  std::string current_;
  std::size_t line_begin_ = 0;  // offset in current_ where the line being read starts
  std::uint32_t line_ = 1;      // file line of the line being read
  std::uint32_t document_line_ = 1;
  bool first_block_ = true;
  bool skipping_ = false;
  std::size_t skipped_ = 0;
};

}  // namespace

std::optional<StreamProblem> split_documents(int fd, const SplitLimits& limits,
                                             const std::function<void(RawDocument&&)>& on_document) {
  Splitter splitter(limits, on_document);
  std::vector<char> buffer(limits.read_block_bytes);
  for (;;) {
    const ssize_t got = ::read(fd, buffer.data(), buffer.size());
    if (got < 0) {
      if (errno == EINTR) continue;
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
    const bool blank = line.find_first_not_of(" \t") == std::string_view::npos;
    if (blank || line.starts_with("#") || is_separator(line)) continue;
    break;  // content starts: a later "# Source:" belongs to nothing we report
  }
  return {};
}

}  // namespace immutalint
