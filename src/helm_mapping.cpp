// Maps findings on `helm template` output back to the chart's template files.
#include "immutalint/helm_mapping.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string_view>
#include <system_error>

#include <fmt/format.h>

#include "immutalint/yaml_parse.hpp"

namespace immutalint {

namespace fs = std::filesystem;

namespace {

/// Templates and Chart.yaml files are far smaller than this; a larger file is not read.
constexpr std::size_t kMaxChartFileBytes = 8u << 20;

/// Closes a file descriptor when it goes out of scope.
struct FileDescriptor {
  int fd;
  explicit FileDescriptor(int descriptor) : fd(descriptor) {}
  ~FileDescriptor() {
    if (fd >= 0) ::close(fd);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
};

/// A file of a chart: its text, or why it was refused. Neither is set when the file does not
/// exist or cannot be opened: then there is simply nothing to map onto.
struct ChartFile {
  std::optional<std::string> text;
  std::string refusal;
};

/// `text` with control bytes and bytes outside ASCII written as \xNN, so that a message can
/// quote a path taken from the input whatever bytes it holds.
std::string printable(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f) {
      out += fmt::format("\\x{:02X}", byte);
    } else {
      out += c;
    }
  }
  return out;
}

/// Reads a regular file of at most kMaxChartFileBytes. Opening does not block (a FIFO would
/// wait for a writer), and the type is checked on the opened file, not on its name.
ChartFile read_regular_file(const fs::path& path) {
  const FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (file.fd < 0) return {};
  struct stat info {};
  if (::fstat(file.fd, &info) != 0) return {};
  if (!S_ISREG(info.st_mode)) {
    return {std::nullopt, fmt::format("{} is not a regular file", printable(path.generic_string()))};
  }
  const auto too_large = [&] {
    return ChartFile{std::nullopt, fmt::format("{} is larger than {} MiB", printable(path.generic_string()),
                                               kMaxChartFileBytes >> 20)};
  };
  if (static_cast<std::uintmax_t>(info.st_size) > kMaxChartFileBytes) return too_large();
  std::string text;
  std::array<char, std::size_t{64} << 10> buffer{};
  for (;;) {
    const ssize_t got = ::read(file.fd, buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return {};
    if (got == 0) break;
    text.append(buffer.data(), static_cast<std::size_t>(got));
    if (text.size() > kMaxChartFileBytes) return too_large();  // it grew since fstat
  }
  return {std::move(text), {}};
}

/// True when `path` is `root` or lies under it; both are canonical.
bool is_within(const fs::path& root, const fs::path& path) {
  return std::mismatch(root.begin(), root.end(), path.begin(), path.end()).first == root.end();
}

/// Reads `relative`, a path written in the input, under `dir`, which lies under the chart
/// `root`. Absolute paths, `..` and symbolic links that lead out of `root` are refused, so a
/// `# Source:` comment cannot make the tool read anything but the chart's own files.
ChartFile read_chart_file(const fs::path& root, const fs::path& dir, std::string_view relative) {
  if (relative.empty()) return {std::nullopt, "it names no file"};
  if (relative.find('\0') != std::string_view::npos) return {std::nullopt, "it holds a NUL byte"};
  const fs::path path(relative);
  if (path.has_root_path()) return {std::nullopt, "it is an absolute path, outside the chart"};
  for (const auto& part : path) {
    if (part.native() == "..") return {std::nullopt, "it climbs out of the chart with .."};
  }
  std::error_code ec;
  const fs::path resolved = fs::weakly_canonical(dir / path, ec);
  if (ec) return {};
  if (!is_within(root, resolved)) {
    return {std::nullopt,
            fmt::format("a symbolic link leads it out of the chart, to {}", printable(resolved.generic_string()))};
  }
  return read_regular_file(resolved);
}

/// The `name` in the text of a Chart.yaml.
std::optional<std::string> name_in_chart_file(const std::string& text) {
  auto documents = parse_yaml_documents(text, 1);
  if (documents.empty() || documents[0].error) return std::nullopt;
  const YamlTree& tree = documents[0].tree;
  auto name = tree.scalar(tree.get(tree.root(), "name"));
  if (!name || name->empty()) return std::nullopt;
  return std::string(*name);
}

/// The `name` in DIR/Chart.yaml, read under the chart `root`.
std::optional<std::string> chart_name(const fs::path& root, const fs::path& dir) {
  auto file = read_chart_file(root, dir, "Chart.yaml");
  if (!file.text) return std::nullopt;
  return name_in_chart_file(*file.text);
}

/// Adds the chart in `dir` and its subcharts. A subchart directory that a symbolic link leads
/// out of `root`, or back into a chart already added (a loop), is left out.
void add_chart(const fs::path& root, const fs::path& dir, const std::string& prefix, std::vector<HelmChartDir>& out,
               std::set<fs::path>& visited) {
  std::error_code ec;
  const fs::path resolved = fs::canonical(dir, ec);
  if (ec || !is_within(root, resolved) || !visited.insert(resolved).second) return;
  out.push_back({prefix, dir.generic_string(), root.generic_string()});
  std::vector<fs::path> subcharts;
  for (fs::directory_iterator it(dir / "charts", ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::error_code type_ec;
    if (it->is_directory(type_ec)) subcharts.push_back(it->path());
  }
  std::sort(subcharts.begin(), subcharts.end());
  for (const auto& sub : subcharts) {
    if (auto name = chart_name(root, sub)) add_chart(root, sub, prefix + "charts/" + *name + "/", out, visited);
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
    std::error_code ec;
    const fs::path root = fs::canonical(dir, ec);
    if (ec) return Error{fmt::format("--helm-chart {}: {}", dir, ec.message())};
    auto file = read_chart_file(root, dir, "Chart.yaml");
    if (!file.refusal.empty()) {
      return Error{fmt::format("--helm-chart {}: Chart.yaml is not read: {}", dir, file.refusal)};
    }
    auto name = file.text ? name_in_chart_file(*file.text) : std::nullopt;
    if (!name) return Error{fmt::format("--helm-chart {}: no Chart.yaml with a name in that directory", dir)};
    std::string clean = dir;
    while (clean.size() > 1 && clean.back() == '/') clean.pop_back();
    std::set<fs::path> visited;
    add_chart(root, clean, *name + "/", charts, visited);
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
    const bool exact =
        line.path.size() <= tokens.size() && std::equal(line.path.rbegin(), line.path.rend(), tokens.rbegin());
    const std::pair<std::size_t, bool> score{matched, exact};
    if (matched > 0 && score > best_score) {
      best = &line;
      best_score = score;
    }
  }
  return best;
}

std::vector<TemplateRefusal> map_findings_to_templates(std::vector<Finding>& findings,
                                                       const std::vector<HelmChartDir>& charts) {
  struct Template {
    std::string path;  // as reports name it: the chart directory as given, then the source's path
    std::optional<std::vector<TemplateKeyLine>> lines;
  };
  std::map<std::string, Template> templates;  // by `# Source:` path, each read once
  std::vector<TemplateRefusal> refusals;
  for (auto& finding : findings) {
    if (finding.source.empty() || finding.field.empty()) continue;
    auto chart = std::find_if(charts.begin(), charts.end(),
                              [&](const HelmChartDir& c) { return finding.source.starts_with(c.prefix); });
    if (chart == charts.end()) continue;
    auto [it, fresh] = templates.try_emplace(finding.source);
    Template& found = it->second;
    if (fresh) {
      const std::string_view relative = std::string_view(finding.source).substr(chart->prefix.size());
      ChartFile file = read_chart_file(chart->root, chart->dir, relative);
      if (file.text) {
        found.path = (fs::path(chart->dir) / relative).generic_string();
        found.lines = template_key_lines(*file.text);
      } else if (!file.refusal.empty()) {
        refusals.push_back({finding.source, finding.file, finding.span,
                            fmt::format("the template named by `# Source: {}` is not read: {}; findings from it stay "
                                        "on the rendered output",
                                        printable(finding.source), file.refusal)});
      }
    }
    if (!found.lines) continue;
    const TemplateKeyLine* line = best_template_line(*found.lines, finding.field);
    if (!line) continue;
    finding.rendered = RenderedLocation{finding.file, finding.span};
    finding.file = found.path;
    finding.span = Span{{line->line, line->column}, {line->line, line->end_column}};
  }
  std::sort(findings.begin(), findings.end(), report_order);
  return refusals;
}

}  // namespace immutalint
