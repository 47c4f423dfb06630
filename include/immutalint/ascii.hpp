// ASCII letter case, as Kubernetes names, YAML's null and boolean spellings and the AKS API's
// values are compared where case does not matter. Bytes outside A-Z are left as they are,
// whatever the locale.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace immutalint {

inline char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

/// `text` with A-Z made a-z.
inline std::string ascii_lowered(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), ascii_lower);
  return out;
}

/// True when `a` and `b` differ at most in the case of ASCII letters.
inline bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

}  // namespace immutalint
