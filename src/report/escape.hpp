// One escaping policy for every report: text from the input (names, paths, values, `# Source:`
// comments, file names) is made safe for its format where the report is written, so that no
// manifest can start a command in a CI log, move the cursor of a terminal, reorder what a
// reader sees, or make a JSON or SARIF document invalid.
#pragma once

#include <string>
#include <string_view>

namespace immutalint::escape {

/// For text reports and terminals: C0 and C1 control characters, DEL, the Unicode line and
/// paragraph separators and the bidirectional overrides and isolates become `\n`, `\xNN` or
/// `\u{NNNN}`; bytes that are not valid UTF-8 become `\xNN`; a backslash is doubled so the
/// result reads back unambiguously.
std::string text(std::string_view input);

/// For JSON and SARIF: valid UTF-8, with every byte that is not replaced by U+FFFD. Sets
/// `replaced` when it replaced any.
std::string utf8(std::string_view input, bool* replaced = nullptr);

/// Makes every string of a JSON value valid UTF-8 (see `utf8`); true when any byte was replaced.
/// Templated on the JSON type so that this header needs no JSON library.
template <typename Json>
bool utf8_strings(Json& value) {
  bool replaced = false;
  if (value.is_string()) {
    value = utf8(value.template get_ref<const std::string&>(), &replaced);
  } else if (value.is_structured()) {
    for (auto& item : value) replaced = utf8_strings(item) || replaced;
  }
  return replaced;
}

/// What reports say when they replaced bytes that were not UTF-8.
inline constexpr std::string_view kReplacedNote =
    "text from the input that was not valid UTF-8 was written with U+FFFD in place of the invalid bytes";

/// For a GitHub Actions workflow command's message: `%`, CR and LF as the runner decodes them,
/// and every other control character (ESC among them) percent-encoded too.
std::string github_data(std::string_view input);

/// For a workflow command's property values: as data, and `:` and `,` as well.
std::string github_property(std::string_view input);

/// For a Markdown table cell: as text, and `|` escaped.
std::string markdown_cell(std::string_view input);

/// For HTML text and double-quoted attribute values: `&`, `<`, `>`, `"` and `'` as character
/// references; control characters, line and paragraph separators and bidirectional controls
/// shown as in `text`, so that none reorders or hides what a reader sees; bytes that are not
/// valid UTF-8 replaced by U+FFFD. Backslashes stay single: a page is read, not parsed back.
std::string html(std::string_view input);

}  // namespace immutalint::escape
