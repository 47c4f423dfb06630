// Writes a JSON array element by element, laid out exactly as nlohmann's dump(2) lays out the
// whole document, so that reports can stream their findings instead of building one tree.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace immutalint {

class JsonArrayWriter {
 public:
  /// `indent`: the number of spaces before the line that holds the array's closing bracket.
  JsonArrayWriter(std::ostream& out, std::size_t indent) : out_(out), indent_(indent) { out_ << '['; }

  void add(const nlohmann::ordered_json& value) {
    out_ << (empty_ ? "\n" : ",\n");
    empty_ = false;
    const std::string inner(indent_ + 2, ' ');
    const std::string text = value.dump(2);
    out_ << inner;
    // Strings are escaped by dump, so every line break here is layout: indent it one level deeper.
    for (char c : text) {
      out_ << c;
      if (c == '\n') out_ << inner;
    }
  }

  void close() {
    if (!empty_) out_ << '\n' << std::string(indent_, ' ');
    out_ << ']';
  }

 private:
  std::ostream& out_;
  std::size_t indent_;
  bool empty_ = true;
};

}  // namespace immutalint
