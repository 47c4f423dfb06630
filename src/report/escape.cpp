// The escaping policy of every report.
#include "report/escape.hpp"

#include <fmt/format.h>

namespace immutalint::escape {

namespace {

/// Decodes one UTF-8 sequence at `at`: its code point and length; length 0 when the bytes are
/// not valid UTF-8 (overlong forms, surrogates and code points past U+10FFFF included).
std::pair<char32_t, std::size_t> decode(std::string_view s, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(at);
  if (lead < 0x80) return {lead, 1};
  std::size_t length = 0;
  char32_t point = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    point = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    point = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    point = lead & 0x07;
  } else {
    return {0, 0};
  }
  if (at + length > s.size()) return {0, 0};
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) return {0, 0};
    point = (point << 6) | (byte(at + i) & 0x3F);
  }
  static constexpr char32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (point < kMinimum[length] || point > 0x10FFFF || (point >= 0xD800 && point <= 0xDFFF)) return {0, 0};
  return {point, length};
}

/// Characters that change what a terminal or a reader shows, beyond the C0 controls.
bool is_hidden_control(char32_t point) {
  return (point >= 0x7F && point <= 0x9F) ||                     // DEL and the C1 controls
         point == 0x2028 || point == 0x2029 ||                   // line and paragraph separators
         (point >= 0x202A && point <= 0x202E) ||                 // bidirectional embeddings and overrides
         (point >= 0x2066 && point <= 0x2069) ||                 // bidirectional isolates
         point == 0x200E || point == 0x200F || point == 0x061C;  // direction marks
}

}  // namespace

std::string text(std::string_view input) {
  std::string out;
  out.reserve(input.size());
  for (std::size_t at = 0; at < input.size();) {
    const auto [point, length] = decode(input, at);
    if (length == 0) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(input[at]));
      ++at;
      continue;
    }
    if (point == '\\') {
      out += "\\\\";
    } else if (point == '\n') {
      out += "\\n";
    } else if (point == '\r') {
      out += "\\r";
    } else if (point == '\t') {
      out += "\\t";
    } else if (point < 0x20) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned>(point));
    } else if (is_hidden_control(point)) {
      out += fmt::format("\\u{{{:04x}}}", static_cast<unsigned>(point));
    } else {
      out.append(input.substr(at, length));
    }
    at += length;
  }
  return out;
}

std::string utf8(std::string_view input, bool* replaced) {
  std::string out;
  out.reserve(input.size());
  for (std::size_t at = 0; at < input.size();) {
    const auto [point, length] = decode(input, at);
    if (length == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      if (replaced) *replaced = true;
      ++at;
      continue;
    }
    out.append(input.substr(at, length));
    at += length;
  }
  return out;
}

std::string github_data(std::string_view input) {
  // The runner decodes only %25, %0D and %0A; the other escapes show as written, which is what
  // hidden controls and bytes that are not UTF-8 should do in a log.
  std::string out;
  out.reserve(input.size());
  auto percent = [&](std::string_view bytes) {
    for (char c : bytes) out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
  };
  for (std::size_t at = 0; at < input.size();) {
    const auto [point, length] = decode(input, at);
    if (length == 0) {
      percent(input.substr(at, 1));
      ++at;
      continue;
    }
    if (point == '%' || point < 0x20 || is_hidden_control(point)) {
      percent(input.substr(at, length));
    } else {
      out.append(input.substr(at, length));
    }
    at += length;
  }
  return out;
}

std::string github_property(std::string_view input) {
  std::string out;
  for (char c : github_data(input)) {
    switch (c) {
      case ':': out += "%3A"; break;
      case ',': out += "%2C"; break;
      default: out += c;
    }
  }
  return out;
}

std::string markdown_cell(std::string_view input) {
  std::string out;
  for (char c : text(input)) {
    if (c == '|') {
      out += "\\|";
    } else {
      out += c;
    }
  }
  return out;
}

std::string html(std::string_view input) {
  std::string out;
  out.reserve(input.size());
  for (std::size_t at = 0; at < input.size();) {
    const auto [point, length] = decode(input, at);
    if (length == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++at;
      continue;
    }
    switch (point) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (point < 0x20) {
          out += fmt::format("\\x{:02x}", static_cast<unsigned>(point));
        } else if (is_hidden_control(point)) {
          out += fmt::format("\\u{{{:04x}}}", static_cast<unsigned>(point));
        } else {
          out.append(input.substr(at, length));
        }
    }
    at += length;
  }
  return out;
}

}  // namespace immutalint::escape
