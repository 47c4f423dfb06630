// One table of names per enum, read both ways: to_string and parse come from the same rows.
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <utility>

namespace immutalint {

template <typename Enum, std::size_t N>
using EnumNames = std::array<std::pair<Enum, std::string_view>, N>;

/// The name of `value` in `names`; the first row's name if the value has none (never, when
/// every enumerator has a row).
template <typename Enum, std::size_t N>
constexpr std::string_view name_of(const EnumNames<Enum, N>& names, Enum value) {
  for (const auto& [candidate, name] : names) {
    if (candidate == value) return name;
  }
  return names.front().second;
}

/// The enumerator called `text` in `names`, or nullopt.
template <typename Enum, std::size_t N>
constexpr std::optional<Enum> value_of(const EnumNames<Enum, N>& names, std::string_view text) {
  for (const auto& [value, name] : names) {
    if (name == text) return value;
  }
  return std::nullopt;
}

}  // namespace immutalint
