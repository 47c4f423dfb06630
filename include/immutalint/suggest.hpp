// "Did you mean ...?": the known name closest to a mistyped one.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace immutalint {

/// Edits between `a` and `b` (Damerau–Levenshtein, optimal string alignment): an inserted,
/// deleted or replaced character, or two neighbours swapped, is one edit.
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rows of the table: two back, one back, and the one being filled.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

/// The candidate `word` most likely stands for: the closest one, when at most 2 edits or a
/// third of the word's length away, and fewer edits than the word has characters (so that a
/// short word is not "corrected" into an unrelated one). The first of equally close ones wins.
template <typename Candidates>
std::optional<std::string> closest_match(std::string_view word, const Candidates& candidates) {
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  for (const auto& candidate : candidates) {
    const std::string_view name(candidate);
    if (name == word) continue;
    const std::size_t distance = edit_distance(word, name);
    if (distance < best_distance && distance < word.size()) {
      best = std::string(name);
      best_distance = distance;
    }
  }
  return best;
}

/// " (did you mean NAME?)" for the closest candidate, or `otherwise` when none is close.
template <typename Candidates>
std::string did_you_mean(std::string_view word, const Candidates& candidates, std::string_view otherwise = {}) {
  if (auto match = closest_match(word, candidates)) return " (did you mean " + *match + "?)";
  return std::string(otherwise);
}

}  // namespace immutalint
