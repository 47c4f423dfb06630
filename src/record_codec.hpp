// Records written to the run's temporary file and read back by the same run: fixed-width
// little-endian numbers and length-prefixed strings. Nothing else reads them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "immutalint/finding.hpp"

namespace immutalint::record {

class Encoder {
 public:
  void number(std::uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8) out_.push_back(static_cast<char>((value >> shift) & 0xFF));
  }
  void wide(std::uint64_t value) {
    number(static_cast<std::uint32_t>(value & 0xFFFFFFFFu));
    number(static_cast<std::uint32_t>(value >> 32));
  }
  void text(std::string_view value) {
    number(static_cast<std::uint32_t>(value.size()));
    out_ += value;
  }
  void span(const Span& value) {
    for (std::uint32_t n : {value.begin.line, value.begin.column, value.end.line, value.end.column}) number(n);
  }
  void place(const Place& value) {
    text(value.file);
    span(value.span);
    text(value.field);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Decoder {
 public:
  explicit Decoder(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return ok_ && at_ == in_.size(); }

  std::uint32_t number() {
    if (!ok_ || in_.size() - at_ < 4) return fail();
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i)
      value |= static_cast<std::uint32_t>(static_cast<unsigned char>(in_[at_ + i])) << (8 * i);
    at_ += 4;
    return value;
  }
  std::uint64_t wide() {
    const std::uint64_t low = number();
    return low | (static_cast<std::uint64_t>(number()) << 32);
  }
  std::string text() {
    const std::uint32_t size = number();
    if (!ok_ || in_.size() - at_ < size) return fail(), std::string();
    std::string value(in_.substr(at_, size));
    at_ += size;
    return value;
  }
  Span span() {
    Span value;
    value.begin.line = number();
    value.begin.column = number();
    value.end.line = number();
    value.end.column = number();
    return value;
  }
  Place place() {
    Place value;
    value.file = text();
    value.span = span();
    value.field = text();
    return value;
  }
  /// An enum stored as its number; out of range marks the bytes damaged.
  template <typename Enum>
  Enum choice(Enum last) {
    const std::uint32_t value = number();
    if (value > static_cast<std::uint32_t>(last)) return fail(), Enum{};
    return static_cast<Enum>(value);
  }
  /// A count of items that each take at least `min_bytes`: a damaged count cannot ask for more
  /// than the bytes left.
  std::uint32_t count(std::size_t min_bytes) {
    const std::uint32_t value = number();
    if (ok_ && value > (in_.size() - at_) / min_bytes) return fail();
    return value;
  }

 private:
  std::uint32_t fail() {
    ok_ = false;
    return 0;
  }
  std::string_view in_;
  std::size_t at_ = 0;
  bool ok_ = true;
};

}  // namespace immutalint::record
