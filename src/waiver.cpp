// Waivers as the input writes them: ignore-check annotations and `# immutalint: ignore` comments.
#include "immutalint/waiver.hpp"

#include <algorithm>
#include <memory>

#include <yaml.h>

#include "immutalint/text_list.hpp"
#include "immutalint/yaml_parse.hpp"

namespace immutalint {

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

/// A reason that starts with `[a,b]` names the containers it is for.
void read_container_scope(std::string_view value, Waiver& waiver) {
  value = trim_blanks(value);
  if (value.starts_with('[')) {
    const auto close = value.find(']');
    if (close != std::string_view::npos) {
      waiver.containers = split_list(value.substr(1, close - 1));
      value = trim_blanks(value.substr(close + 1));
    }
  }
  waiver.reason = std::string(value);
}

/// Calls `visit(begin, end)` with the byte range of each scalar of a YAML text, in order, as
/// libyaml's scanner reads them; a block scalar's range starts on the line after its `|` or `>`
/// header, whose comment is a comment. The scan ends at the first syntax error, at flow nesting
/// deeper than the parser accepts (where libyaml's scanner slows down) or at text that is not
/// UTF-8: what lies beyond is not visited.
template <typename Visit>
void for_each_scalar(std::string_view text, Visit visit) {
  yaml_parser_t parser{};
  if (!yaml_parser_initialize(&parser)) return;
  const std::unique_ptr<yaml_parser_t, void (*)(yaml_parser_t*)> parser_owner(&parser, &yaml_parser_delete);
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  // libyaml counts characters; the byte offset of a character index is found by walking
  // forward, once over the whole text, as scalars come in order.
  std::size_t byte = 0;
  std::size_t character = 0;
  const auto byte_of = [&](std::size_t index) {
    while (character < index && byte < text.size()) {
      ++byte;
      while (byte < text.size() && (static_cast<unsigned char>(text[byte]) & 0xC0) == 0x80) ++byte;
      ++character;
    }
    return byte;
  };
  std::uint32_t flow_depth = 0;
  for (;;) {
    yaml_token_t token{};
    if (!yaml_parser_scan(&parser, &token)) return;
    const std::unique_ptr<yaml_token_t, void (*)(yaml_token_t*)> token_owner(&token, &yaml_token_delete);
    if (parser.encoding != YAML_UTF8_ENCODING) return;
    switch (token.type) {
      case YAML_STREAM_END_TOKEN: return;
      case YAML_FLOW_SEQUENCE_START_TOKEN:
      case YAML_FLOW_MAPPING_START_TOKEN:
        if (++flow_depth > ParseLimits{}.max_depth) return;
        break;
      case YAML_FLOW_SEQUENCE_END_TOKEN:
      case YAML_FLOW_MAPPING_END_TOKEN:
        if (flow_depth > 0) --flow_depth;
        break;
      case YAML_SCALAR_TOKEN: {
        std::size_t begin = byte_of(token.start_mark.index);
        const std::size_t end = byte_of(token.end_mark.index);
        const auto style = token.data.scalar.style;
        if (style == YAML_LITERAL_SCALAR_STYLE || style == YAML_FOLDED_SCALAR_STYLE) {
          const std::size_t header_end = text.find_first_of("\r\n", begin);
          begin = header_end == std::string_view::npos ? end : std::min(end, header_end + 1);
        }
        visit(begin, end);
        break;
      }
      default: break;
    }
  }
}

}  // namespace

std::vector<Waiver> annotation_waivers(const YamlTree& tree, const KubeObject& object, const std::string& file) {
  std::vector<Waiver> found;
  const NodeId annotations = tree.get(tree.get(object.root, "metadata"), "annotations");
  for (const auto& entry : tree.entries(annotations)) {
    const std::string_view key = entry.key;
    if (!key.starts_with(kIgnoreAnnotationPrefix)) continue;
    Waiver waiver;
    waiver.channel = SuppressionChannel::Annotation;
    waiver.checks.emplace_back(key.substr(kIgnoreAnnotationPrefix.size()));
    read_container_scope(tree.scalar(entry.value).value_or(""), waiver);
    waiver.where = Place{file, tree.span_of(entry), {}};
    waiver.object_label = object.ref.describe();
    found.push_back(std::move(waiver));
  }
  return found;
}

std::vector<Waiver> inline_waivers(std::string_view text, std::uint32_t first_line, const std::string& file) {
  // A marker that follows `#` and blanks, where the `#` starts the line or follows a blank.
  struct Candidate {
    std::size_t hash;   // the `#`
    std::size_t after;  // just past the marker
    std::size_t line_start;
    std::size_t line_end;
    std::size_t content_end;  // the line's end, trailing blanks left out
    std::uint32_t line;
  };
  std::vector<Candidate> candidates;
  // One pass: each line is measured once, however many markers it holds.
  std::uint32_t line = first_line;
  std::size_t counted_to = 0;
  std::size_t line_start = 0;
  std::size_t line_end = 0;
  std::size_t content_end = 0;
  for (std::size_t at = text.find(kInlineMarker); at != std::string_view::npos;
       at = text.find(kInlineMarker, at + kInlineMarker.size())) {
    if (at >= line_end) {  // the first marker of a line
      const std::size_t newline = text.rfind('\n', at);
      line_start = newline == std::string_view::npos ? 0 : newline + 1;
      line += static_cast<std::uint32_t>(std::count(text.begin() + counted_to, text.begin() + line_start, '\n'));
      counted_to = line_start;
      line_end = std::min(text.find('\n', at), text.size());
      content_end = line_end;
      while (content_end > at && is_blank(text[content_end - 1])) --content_end;
    }
    std::size_t hash = at;
    while (hash > line_start && is_blank(text[hash - 1])) --hash;
    if (hash == line_start || text[--hash] != '#') continue;
    if (hash > line_start && text[hash - 1] != ' ' && text[hash - 1] != '\t') continue;
    candidates.push_back({hash, at + kInlineMarker.size(), line_start, line_end, content_end, line});
  }
  if (candidates.empty()) return {};

  // A `#` that looks like a comment may be text: in a quoted string, or on a line of a block
  // scalar (`key: |`, a ConfigMap's script). Only YAML's own reading tells, so the text is
  // scanned, only when it holds a candidate, and every candidate inside a scalar is dropped.
  std::vector<bool> in_scalar(candidates.size(), false);
  for_each_scalar(text, [&](std::size_t begin, std::size_t end) {
    const auto first = std::lower_bound(candidates.begin(), candidates.end(), begin,
                                        [](const Candidate& c, std::size_t at) { return c.hash < at; });
    for (auto it = first; it != candidates.end() && it->hash < end; ++it) {
      in_scalar[static_cast<std::size_t>(it - candidates.begin())] = true;
    }
  });

  // The first comment marker of a line decides: the rest of the line is its reason.
  std::vector<Waiver> found;
  std::size_t decided_line_start = std::string_view::npos;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& candidate = candidates[i];
    if (in_scalar[i] || candidate.line_start == decided_line_start) continue;
    decided_line_start = candidate.line_start;
    std::string_view rest = trim_blanks(text.substr(candidate.after, candidate.content_end - candidate.after));
    if (!rest.starts_with("ignore") || (rest.size() > 6 && rest[6] != ' ' && rest[6] != '\t')) continue;
    rest = trim_blanks(rest.substr(6));
    Waiver waiver;
    waiver.channel = SuppressionChannel::Comment;
    const auto dashes = rest.find("--");
    waiver.checks = split_list(rest.substr(0, dashes));
    if (dashes != std::string_view::npos) waiver.reason = std::string(trim_blanks(rest.substr(dashes + 2)));
    const auto column = static_cast<std::uint32_t>(candidate.hash - candidate.line_start + 1);
    const auto end_column = static_cast<std::uint32_t>(candidate.line_end - candidate.line_start + 1);
    waiver.where = Place{file, Span{{candidate.line, column}, {candidate.line, end_column}}, {}};
    found.push_back(std::move(waiver));
  }
  return found;
}

}  // namespace immutalint
