// Positions in an input file, 1-based as editors and SARIF count them.
#pragma once

#include <compare>
#include <cstdint>

namespace immutalint {

/// A point in a file: 1-based line and column (columns count characters, not bytes).
struct Mark {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  auto operator<=>(const Mark&) const = default;
};

/// A range in a file: from `begin` to just past the last character of the offending text.
struct Span {
  Mark begin;
  Mark end;
  auto operator<=>(const Span&) const = default;
};

}  // namespace immutalint
