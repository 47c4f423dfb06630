// One escaping policy for every report: text from the input (names, paths, values, `# Source:`
// comments, file names) is made safe for its format where the report is written, so that no
// manifest can start a command in a CI log, move the cursor of a terminal, reorder what a
// reader sees, or make a JSON or SARIF document invalid.
//
// CI runners take commands from their logs in two ways that input must never reach: a line whose
// first non-blank characters are `::` (GitHub Actions), and `##` followed by `[` or a name
// anywhere in a line (`##[error]` for GitHub Actions' older form and Azure Pipelines, `##vso[`,
// `##teamcity[`). So every escaper below writes the second `#` of `##` in its format's escaped
// form, and text that a report puts at the start of a line goes through `line_start`.
//
// One escaper per format: text (terminals, the text report and the matrix), GitHub workflow
// commands, Azure Pipelines logging commands, Markdown table cells, HTML, XML (JUnit), and for
// JSON (JSON, SARIF, GitLab Code Quality) valid UTF-8 and a stream that breaks up `##`.
#pragma once

#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>

namespace immutalint::escape {

/// For text reports and terminals: C0 and C1 control characters, DEL, the Unicode line and
/// paragraph separators, the bidirectional overrides and isolates, zero-width and tag characters
/// become `\n`, `\xNN` or `\u{NNNN}`; bytes that are not valid UTF-8 become `\xNN`; the second
/// `#` of `##` becomes `\x23`; a backslash is doubled so the result reads back unambiguously.
std::string text(std::string_view input);

/// `text(input)` for the start of a line: when it would begin with white space (Unicode's
/// included, which runners trim) or `:`, that first character is written as `\xNN` or
/// `\u{NNNN}` instead, so that no line can begin with a runner's `::`. A relative path is
/// given a leading `./` instead, which keeps it a path.
std::string line_start(std::string_view input, bool is_path = false);

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
/// and every other control character (ESC among them), hidden character and the second `#` of
/// `##` percent-encoded too.
std::string github_data(std::string_view input);

/// For a workflow command's property values: as data, and `:` and `,` as well.
std::string github_property(std::string_view input);

/// For a Markdown table cell: as text, and `|` escaped.
std::string markdown_cell(std::string_view input);

/// For HTML text and double-quoted attribute values: `&`, `<`, `>`, `"` and `'` as character
/// references; control characters, line and paragraph separators, bidirectional controls,
/// zero-width and tag characters shown as in `text`, so that none reorders or hides what a
/// reader sees; the second `#` of `##` as `&#35;`; bytes that are not valid UTF-8 replaced by
/// U+FFFD. Backslashes stay single: a page is read, not parsed back.
std::string html(std::string_view input);

/// For XML 1.0 text and attribute values (the JUnit report): `&`, `<`, `>`, `"` and `'` as
/// entity references; characters XML 1.0 does not allow (C0 controls, U+FFFE, U+FFFF) and the
/// white space that would start a new line or column (line feed, carriage return, tab) shown as
/// in `text`, so that input never starts a line of the file; line and paragraph separators,
/// bidirectional controls, zero-width and tag characters shown the same way; the second `#` of
/// `##` as `&#35;`; bytes that are not valid UTF-8 (lone surrogates among them) replaced by
/// U+FFFD. Backslashes stay single: a test report is read, not parsed back.
std::string xml(std::string_view input);

/// For an Azure Pipelines logging command's message (`##vso[...]MESSAGE`): the agent decodes
/// `%AZP25`, `%3B`, `%0D`, `%0A` and `%5D` (microsoft/azure-pipelines-agent,
/// `CommandStringConvertor`), so `%`, `;`, CR, LF and `]` are written that way and no input can
/// end the command or start another line. Every other control character, hidden character, the
/// second `#` of `##` and bytes that are not UTF-8 are percent-encoded as `%XX`, which the agent
/// shows as written.
std::string azure_data(std::string_view input);

/// For a logging command's property values (`sourcepath=...;code=...`): as data; `=` needs no
/// escape, the agent splits a property at its first `=`.
std::string azure_property(std::string_view input);

/// An output stream for JSON text (JSON, SARIF): passes everything through but writes the
/// second `#` of `##` as `\u0023`. In JSON a `#` can only stand inside a string, where that
/// escape means the same character, so the document is unchanged for every reader but a log
/// scanner. Wraps `out`; flush it (or let it go out of scope) before using `out` again.
class JsonCommandBreaker : public std::streambuf {
 public:
  explicit JsonCommandBreaker(std::ostream& out) : out_(out) {}
  JsonCommandBreaker(const JsonCommandBreaker&) = delete;
  JsonCommandBreaker& operator=(const JsonCommandBreaker&) = delete;

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* data, std::streamsize count) override;
  int sync() override;

 private:
  std::ostream& out_;
  bool after_hash_ = false;
};

}  // namespace immutalint::escape
