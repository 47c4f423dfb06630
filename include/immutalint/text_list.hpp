// Comma-separated lists, read one way wherever one is written: an option, the configuration, a
// waiver comment.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace immutalint {

/// The blanks that surround an item of a list: spaces, tabs and line ends.
inline constexpr std::string_view kListBlanks = " \t\r\n";

/// `text` without the blanks at either end.
inline std::string_view trim_blanks(std::string_view text) {
  const auto begin = text.find_first_not_of(kListBlanks);
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(kListBlanks) - begin + 1);
}

/// The items of "a, b,,c": each trimmed of blanks, empty ones dropped, in order.
inline std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> items;
  for (;;) {
    const auto comma = text.find(',');
    const std::string_view item = trim_blanks(text.substr(0, comma));
    if (!item.empty()) items.emplace_back(item);
    if (comma == std::string_view::npos) return items;
    text.remove_prefix(comma + 1);
  }
}

/// The words of "A  B C": the items of a blank-separated list, such as the source keys a fact or
/// a rule cites.
inline std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  for (;;) {
    text = text.substr(std::min(text.size(), text.find_first_not_of(kListBlanks)));
    if (text.empty()) return words;
    const auto end = std::min(text.size(), text.find_first_of(kListBlanks));
    words.emplace_back(text.substr(0, end));
    text.remove_prefix(end);
  }
}

}  // namespace immutalint
