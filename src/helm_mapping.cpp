// Maps findings on `helm template` output back to the chart's template files.
#include "immutalint/helm_mapping.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "immutalint/yaml_parse.hpp"

namespace immutalint {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The `name` in a Chart.yaml.
std::optional<std::string> chart_name(const fs::path& dir) {
  auto text = read_text(dir / "Chart.yaml");
  if (!text) return std::nullopt;
  auto documents = parse_yaml_documents(*text, 1);
  if (documents.empty() || documents[0].error) return std::nullopt;
  const YamlTree& tree = documents[0].tree;
  auto name = tree.scalar(tree.get(tree.root(), "name"));
  if (!name || name->empty()) return std::nullopt;
  return std::string(*name);
}

void add_chart(const fs::path& dir, const std::string& prefix, std::vector<HelmChartDir>& out) {
  out.push_back({prefix, dir.generic_string()});
  std::error_code ec;
  std::vector<fs::path> subcharts;
  for (const auto& entry : fs::directory_iterator(dir / "charts", ec)) {
    if (entry.is_directory()) subcharts.push_back(entry.path());
  }
  std::sort(subcharts.begin(), subcharts.end());
  for (const auto& sub : subcharts) {
    if (auto name = chart_name(sub)) add_chart(sub, prefix + "charts/" + *name + "/", out);
  }
}

/// The unescaped tokens of a JSON Pointer.
std::vector<std::string> pointer_tokens(const std::string& pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) return tokens;
  std::size_t start = 1;
  for (;;) {
    const auto slash = pointer.find('/', start);
    const std::string token = pointer.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    std::string unescaped;
    for (std::size_t i = 0; i < token.size(); ++i) {
      if (token[i] == '~' && i + 1 < token.size()) {
        unescaped += token[i + 1] == '1' ? '/' : '~';
        ++i;
      } else {
        unescaped += token[i];
      }
    }
    tokens.push_back(std::move(unescaped));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return tokens;
}

bool is_index(const std::string& token) {
  return !token.empty() && std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// The tokens that are keys, list indices left out.
std::vector<std::string> keys_only(const std::vector<std::string>& tokens) {
  std::vector<std::string> keys;
  for (const auto& token : tokens) {
    if (!is_index(token)) keys.push_back(token);
  }
  return keys;
}

/// The key a template line starts with (after any `- ` list markers), and its column.
std::optional<std::pair<std::string, std::size_t>> key_of_line(std::string_view line) {
  std::size_t at = line.find_first_not_of(' ');
  if (at == std::string_view::npos) return std::nullopt;
  while (line.compare(at, 2, "- ") == 0) {
    at = line.find_first_not_of(' ', at + 2);
    if (at == std::string_view::npos) return std::nullopt;
  }
  if (line[at] == '#' || line.compare(at, 2, "{{") == 0) return std::nullopt;
  std::string key;
  std::size_t end;
  if (line[at] == '"' || line[at] == '\'') {
    const char quote = line[at];
    const auto close = line.find(quote, at + 1);
    if (close == std::string_view::npos) return std::nullopt;
    key = std::string(line.substr(at + 1, close - at - 1));
    end = close + 1;
  } else {
    end = at;
    while (end < line.size() && line[end] != ':' && line[end] != ' ' && line[end] != '{') ++end;
    key = std::string(line.substr(at, end - at));
  }
  if (key.empty() || end >= line.size() || line[end] != ':') return std::nullopt;
  if (end + 1 < line.size() && line[end + 1] != ' ' && line[end + 1] != '\r') return std::nullopt;
  return std::make_pair(std::move(key), at);
}

}  // namespace

Result<std::vector<HelmChartDir>> load_helm_charts(const std::vector<std::string>& dirs) {
  std::vector<HelmChartDir> charts;
  for (const auto& dir : dirs) {
    auto name = chart_name(dir);
    if (!name) return Error{fmt::format("--helm-chart {}: no Chart.yaml with a name in that directory", dir)};
    std::string clean = dir;
    while (clean.size() > 1 && clean.back() == '/') clean.pop_back();
    add_chart(clean, *name + "/", charts);
  }
  // Longest prefix first, so that a subchart wins over its parent.
  std::stable_sort(charts.begin(), charts.end(),
                   [](const HelmChartDir& a, const HelmChartDir& b) { return a.prefix.size() > b.prefix.size(); });
  return charts;
}

std::vector<TemplateKeyLine> template_key_lines(const std::string& text) {
  // An open key: where it is, its path of tokens, and the list items seen directly under it.
  struct OpenKey {
    std::size_t column;
    std::vector<std::string> path;
    int items = 0;
    int current_item = -1;
  };
  std::vector<TemplateKeyLine> lines;
  std::vector<OpenKey> stack;
  std::istringstream in(text);
  std::string line;
  std::uint32_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.starts_with("---")) {
      stack.clear();
      continue;
    }
    auto key = key_of_line(line);
    if (!key) continue;
    const bool starts_item = line.find_first_not_of(' ') != key->second;
    while (!stack.empty() && stack.back().column >= key->second) stack.pop_back();
    std::vector<std::string> path;
    if (!stack.empty()) {
      OpenKey& parent = stack.back();
      if (starts_item) parent.current_item = parent.items++;
      path = parent.path;
      if (parent.current_item >= 0) path.push_back(std::to_string(parent.current_item));
    }
    path.push_back(key->first);
    TemplateKeyLine entry;
    entry.line = number;
    entry.column = static_cast<std::uint32_t>(key->second + 1);
    entry.end_column = static_cast<std::uint32_t>(line.find_last_not_of(' ') + 2);
    entry.path = path;
    lines.push_back(std::move(entry));
    stack.push_back(OpenKey{key->second, std::move(path)});
  }
  return lines;
}

const TemplateKeyLine* best_template_line(const std::vector<TemplateKeyLine>& lines, const std::string& pointer) {
  const auto tokens = pointer_tokens(pointer);
  const auto keys = keys_only(tokens);
  if (keys.empty()) return nullptr;
  const TemplateKeyLine* best = nullptr;
  std::pair<std::size_t, bool> best_score{0, false};
  for (const auto& line : lines) {
    const auto line_keys = keys_only(line.path);
    std::size_t matched = 0;
    while (matched < keys.size() && matched < line_keys.size() &&
           keys[keys.size() - 1 - matched] == line_keys[line_keys.size() - 1 - matched]) {
      ++matched;
    }
    // Literal list items in the template line up with the rendered indices; items made by a
    // `range` do not, and then the keys alone decide.
    const bool exact = line.path.size() <= tokens.size() &&
                       std::equal(line.path.rbegin(), line.path.rend(), tokens.rbegin());
    const std::pair<std::size_t, bool> score{matched, exact};
    if (matched > 0 && score > best_score) {
      best = &line;
      best_score = score;
    }
  }
  return best;
}

void map_findings_to_templates(std::vector<Finding>& findings, const std::vector<HelmChartDir>& charts) {
  std::map<std::string, std::optional<std::vector<TemplateKeyLine>>> templates;  // read once per file
  for (auto& finding : findings) {
    if (finding.source.empty() || finding.field.empty()) continue;
    auto chart = std::find_if(charts.begin(), charts.end(),
                              [&](const HelmChartDir& c) { return finding.source.starts_with(c.prefix); });
    if (chart == charts.end()) continue;
    const std::string path = (fs::path(chart->dir) / finding.source.substr(chart->prefix.size())).generic_string();
    auto [it, fresh] = templates.try_emplace(path);
    if (fresh) {
      if (auto text = read_text(path)) it->second = template_key_lines(*text);
    }
    if (!it->second) continue;
    const TemplateKeyLine* line = best_template_line(*it->second, finding.field);
    if (!line) continue;
    finding.rendered = RenderedLocation{finding.file, finding.span};
    finding.file = path;
    finding.span = Span{{line->line, line->column}, {line->line, line->end_column}};
  }
  std::sort(findings.begin(), findings.end(), report_order);
}

}  // namespace immutalint
