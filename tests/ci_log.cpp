// The CI log command scanner of the hostile-output tests.
#include "ci_log.hpp"

#include <cctype>

namespace immutalint::test {

namespace {

/// The UTF-8 length of the Unicode white space character at `at`, or 0.
std::size_t white_space_at(std::string_view s, std::size_t at) {
  static constexpr std::string_view kMultiByte[] = {
      "\xC2\x85",     "\xC2\xA0",     "\xE1\x9A\x80", "\xE2\x80\x80", "\xE2\x80\x81", "\xE2\x80\x82", "\xE2\x80\x83",
      "\xE2\x80\x84", "\xE2\x80\x85", "\xE2\x80\x86", "\xE2\x80\x87", "\xE2\x80\x88", "\xE2\x80\x89", "\xE2\x80\x8A",
      "\xE2\x80\xA8", "\xE2\x80\xA9", "\xE2\x80\xAF", "\xE2\x81\x9F", "\xE3\x80\x80"};
  const unsigned char c = static_cast<unsigned char>(s[at]);
  if (c == ' ' || (c >= 0x09 && c <= 0x0D)) return 1;
  for (std::string_view space : kMultiByte) {
    if (s.substr(at).starts_with(space)) return space.size();
  }
  return 0;
}

void scan_line(std::string_view line, std::size_t number, std::vector<CiCommand>& found) {
  std::size_t start = 0;
  while (start < line.size()) {
    const std::size_t length = white_space_at(line, start);
    if (length == 0) break;
    start += length;
  }
  const std::string_view trimmed = line.substr(start);
  if (trimmed.starts_with("::")) {
    const auto end = trimmed.find("::", 2);
    if (end != std::string_view::npos) {
      const std::string_view info = trimmed.substr(2, end - 2);
      found.push_back({number, "github", std::string(info.substr(0, info.find(' '))), std::string(line)});
    }
  }
  for (auto at = line.find("##"); at != std::string_view::npos; at = line.find("##", at + 1)) {
    std::size_t name_end = at + 2;
    while (name_end < line.size() && (std::isalnum(static_cast<unsigned char>(line[name_end])) ||
                                      line[name_end] == '.' || line[name_end] == '-')) {
      ++name_end;
    }
    if (name_end >= line.size() || line[name_end] != '[') continue;
    std::string name(line.substr(at + 2, name_end - at - 2));
    if (name.empty()) {
      // `##[name ...]`: the name is inside the brackets, and the runner needs the `]`.
      const auto close = line.find(']', name_end);
      if (close == std::string_view::npos) continue;
      const std::string_view info = line.substr(name_end + 1, close - name_end - 1);
      name = std::string(info.substr(0, info.find(' ')));
    }
    found.push_back({number, "hash", name, std::string(line)});
  }
}

}  // namespace

std::vector<CiCommand> ci_commands(std::string_view log) {
  std::vector<CiCommand> found;
  std::size_t number = 0;
  while (!log.empty()) {
    // .NET's ReadLine, which runners read output with, ends a line at CR as well as at LF.
    const auto end = log.find_first_of("\r\n");
    scan_line(log.substr(0, end), ++number, found);
    if (end == std::string_view::npos) break;
    log.remove_prefix(end + 1);
  }
  return found;
}

}  // namespace immutalint::test
