// The escaping policy of every report.
#include "immutalint/escape.hpp"

#include <cstring>

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

/// Characters that change what a terminal or a reader shows, or hide text, beyond the C0
/// controls.
bool is_hidden_control(char32_t point) {
  return (point >= 0x7F && point <= 0x9F) ||                       // DEL and the C1 controls
         point == 0x2028 || point == 0x2029 ||                     // line and paragraph separators
         (point >= 0x202A && point <= 0x202E) ||                   // bidirectional embeddings and overrides
         (point >= 0x2066 && point <= 0x2069) ||                   // bidirectional isolates
         point == 0x200E || point == 0x200F || point == 0x061C ||  // direction marks
         (point >= 0x200B && point <= 0x200D) ||                   // zero-width space and joiners
         (point >= 0x2060 && point <= 0x2064) ||                   // word joiner and invisible operators
         point == 0xFEFF || point == 0x180E ||                     // zero-width no-break space, Mongolian separator
         (point >= 0xFFF9 && point <= 0xFFFB) ||                   // interlinear annotation
         (point >= 0xE0000 && point <= 0xE007F);                   // tag characters
}

/// White space as .NET's char.IsWhiteSpace sees it, which is what a runner trims before it
/// looks for `::` (Unicode's White_Space property).
bool is_white_space(char32_t point) {
  return (point >= 0x09 && point <= 0x0D) || point == 0x20 || point == 0x85 || point == 0xA0 || point == 0x1680 ||
         (point >= 0x2000 && point <= 0x200A) || point == 0x2028 || point == 0x2029 || point == 0x202F ||
         point == 0x205F || point == 0x3000;
}

/// True when `input[at]` is the second `#` of `##`: written escaped, so that no `##[`, `##vso[`
/// or other runner command can stand in the output.
bool second_hash(std::string_view input, std::size_t at) {
  return at > 0 && input[at] == '#' && input[at - 1] == '#';
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
    } else if (second_hash(input, at)) {
      out += "\\x23";
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

std::string line_start(std::string_view input, bool is_path) {
  std::string escaped = text(input);
  if (escaped.empty()) return escaped;
  const auto [point, length] = decode(escaped, 0);
  if (point != ':' && !is_white_space(point)) return escaped;
  if (is_path) return "./" + escaped;
  const std::string first = point < 0x80 ? fmt::format("\\x{:02x}", static_cast<unsigned>(point))
                                         : fmt::format("\\u{{{:04x}}}", static_cast<unsigned>(point));
  return first + escaped.substr(length);
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
    if (point == '%' || point < 0x20 || is_hidden_control(point) || second_hash(input, at)) {
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
      case '#': out += second_hash(input, at) ? "&#35;" : "#"; break;
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

std::string xml(std::string_view input) {
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
      case '\'': out += "&apos;"; break;
      case '#': out += second_hash(input, at) ? "&#35;" : "#"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (point < 0x20) {
          out += fmt::format("\\x{:02x}", static_cast<unsigned>(point));
        } else if (is_hidden_control(point) || point == 0xFFFE || point == 0xFFFF) {
          out += fmt::format("\\u{{{:04x}}}", static_cast<unsigned>(point));
        } else {
          out.append(input.substr(at, length));
        }
    }
    at += length;
  }
  return out;
}

std::string azure_data(std::string_view input) {
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
    if (point == '%') {
      out += "%AZP25";
    } else if (point == ';') {
      out += "%3B";
    } else if (point == ']') {
      out += "%5D";
    } else if (point < 0x20 || is_hidden_control(point) || second_hash(input, at)) {
      percent(input.substr(at, length));  // CR and LF as %0D and %0A, which the agent decodes
    } else {
      out.append(input.substr(at, length));
    }
    at += length;
  }
  return out;
}

std::string azure_property(std::string_view input) {
  return azure_data(input);
}

JsonCommandBreaker::int_type JsonCommandBreaker::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  const char ch = traits_type::to_char_type(c);
  if (ch == '#' && after_hash_) {
    out_ << "\\u0023";
    after_hash_ = false;
  } else {
    out_.put(ch);
    after_hash_ = ch == '#';
  }
  return out_ ? c : traits_type::eof();
}

std::streamsize JsonCommandBreaker::xsputn(const char* data, std::streamsize count) {
  std::streamsize done = 0;
  while (done < count) {
    // Pass the stretch up to the next `#` through in one write.
    const auto* begin = data + done;
    const auto* hash = static_cast<const char*>(std::memchr(begin, '#', static_cast<std::size_t>(count - done)));
    const std::streamsize plain = hash ? hash - begin : count - done;
    if (plain > 0) {
      out_.write(begin, plain);
      after_hash_ = false;
      done += plain;
    }
    if (!hash) break;
    if (traits_type::eq_int_type(overflow('#'), traits_type::eof())) break;
    ++done;
  }
  return out_ ? done : 0;
}

int JsonCommandBreaker::sync() {
  out_.flush();
  return out_ ? 0 : -1;
}

}  // namespace immutalint::escape
