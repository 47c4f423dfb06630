// Stage 1: walks PATH arguments into the ordered list of files to lint.
#include "immutalint/inputs.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <set>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "immutalint/yaml_parse.hpp"

namespace immutalint {

namespace fs = std::filesystem;

namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

/// "./a/b" -> "a/b"; keeps everything else as the user wrote it.
std::string display_form(std::string path) {
  while (path.size() > 2 && path.starts_with("./")) path.erase(0, 2);
  return path;
}

/// Why a path that is neither a regular file nor a directory is not read: reading a FIFO, a
/// terminal or a device blocks or never ends.
std::string not_a_file_message(mode_t mode) {
  std::string_view what = "a special file";
  if (S_ISFIFO(mode)) {
    what = "a FIFO (named pipe)";
  } else if (S_ISCHR(mode)) {
    what = "a character device";
  } else if (S_ISBLK(mode)) {
    what = "a block device";
  } else if (S_ISSOCK(mode)) {
    what = "a socket";
  }
  return fmt::format("not a regular file but {}; it was not read (pipe it to standard input, -, instead)", what);
}

std::string join(const std::string& dir, const std::string& name) {
  if (dir == ".") return name;
  if (!dir.empty() && dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

/// Helm needs this file in a chart's folder.
constexpr std::string_view kChartFile = "Chart.yaml";

bool is_chart(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / kChartFile, ec);
}

/// Templates larger than this are not looked for: a chart's templates are small, and a large
/// file is a dump or a generated manifest, read by the linter anyway.
constexpr std::size_t kMaxTemplateBytes = 1u << 20;

/// The first line of `text` with a template action `{{` outside a `#` comment, or 0.
std::uint32_t template_action_line(std::string_view text) {
  std::uint32_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t at = text.find("{{"); at != std::string_view::npos; at = text.find("{{", at + 2)) {
    for (std::size_t i = line_start; i < at; ++i) {
      if (text[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    const std::string_view before = text.substr(line_start, at - line_start);
    const auto hash = before.find('#');
    const bool comment =
        hash != std::string_view::npos && (hash == 0 || before[hash - 1] == ' ' || before[hash - 1] == '\t');
    if (!comment) return line;
  }
  return 0;
}

/// The line of a Helm template action in the file, when the file is not YAML because of it; 0
/// otherwise. YAML with `{{` in its strings (Prometheus rules, Argo workflows) stays a manifest.
std::uint32_t helm_template_line(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return 0;  // the linter reports it when it cannot open it either
  std::string text(kMaxTemplateBytes + 1, '\0');
  std::size_t size = 0;
  while (size < text.size()) {
    const ssize_t got = ::read(fd, text.data() + size, text.size() - size);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    size += static_cast<std::size_t>(got);
  }
  ::close(fd);
  if (size > kMaxTemplateBytes) return 0;
  text.resize(size);
  const std::uint32_t line = template_action_line(text);
  if (line == 0) return 0;
  for (const ParsedDocument& doc : parse_yaml_documents(text, 1)) {
    if (doc.error) return line;
  }
  return 0;
}

/// The outermost chart that a file named on the command line is a template of: the folder
/// holding `Chart.yaml` above the `templates/` folder it lies in, and above that chart, as long
/// as it is a subchart (in the `charts/` folder of another chart), that one.
std::optional<fs::path> chart_of_template(const fs::path& file) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(file, ec).lexically_normal();
  if (ec) return std::nullopt;
  std::optional<fs::path> chart;
  for (fs::path dir = absolute.parent_path(); dir.has_relative_path(); dir = dir.parent_path()) {
    if (dir.filename() == "templates" && is_chart(dir.parent_path())) {
      chart = dir.parent_path();
      break;
    }
  }
  while (chart && chart->parent_path().filename() == "charts" && is_chart(chart->parent_path().parent_path())) {
    chart = chart->parent_path().parent_path();
  }
  return chart;
}

/// How reports name a folder found from an absolute path: relative to the working directory
/// when it lies below it.
std::string display_folder(const fs::path& dir) {
  std::error_code ec;
  const fs::path relative = dir.lexically_relative(fs::current_path(ec));
  if (ec || relative.empty() || *relative.begin() == "..") return dir.generic_string();
  return relative.generic_string();
}

/// Walks directories depth-first; a directory already entered (same device and inode) is not
/// entered again, which cuts symlink loops. Links are followed only when they resolve inside
/// the folder the walk started from.
class DirectoryWalker {
 public:
  explicit DirectoryWalker(InputSet& out) : out_(out) {}

  /// Walks `dir`, a PATH argument.
  void walk_from(const std::string& dir) {
    std::error_code ec;
    // Without its real path nothing can be shown to stay inside it: then no link is followed.
    root_ = fs::canonical(dir, ec).generic_string();
    if (ec) root_.clear();
    root_display_ = display_form(dir);
    walk(dir, {}, false);
  }

 private:
  /// `chart`: the outermost chart the walk is in, as displayed; `templates`: inside its (or a
  /// subchart's) `templates/` folder.
  void walk(const std::string& dir, std::string chart, bool templates) {
    struct stat info {};
    if (::stat(dir.c_str(), &info) != 0) return;
    if (!visited_.insert({info.st_dev, info.st_ino}).second) return;

    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) {
      out_.problems.push_back({display_form(dir), "cannot read directory: " + ec.message()});
      return;
    }
    std::vector<std::string> names;
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) {
        out_.problems.push_back({display_form(dir), "cannot read directory: " + ec.message()});
        break;
      }
      names.push_back(it->path().filename().string());
    }
    std::sort(names.begin(), names.end());
    const bool chart_here = std::binary_search(names.begin(), names.end(), kChartFile) && is_chart(dir);
    if (chart_here && chart.empty()) chart = display_form(dir);
    for (const auto& name : names) {
      const std::string path = join(dir, name);
      struct stat entry {};
      if (::lstat(path.c_str(), &entry) != 0) continue;  // gone since the directory was read
      if (S_ISLNK(entry.st_mode)) {
        if (::stat(path.c_str(), &entry) != 0) {
          if (is_manifest_file_name(name)) out_.problems.push_back({display_form(path), "broken symbolic link"});
          continue;
        }
        // Only a link the walk would take (to a folder that is not hidden, to a file with a
        // manifest's name) is worth a word when it leads out.
        const bool wanted = S_ISDIR(entry.st_mode) ? !name.starts_with(".") : is_manifest_file_name(name);
        if (!wanted) continue;
        if (!resolves_inside(path)) {
          std::error_code unread;
          const std::string target = fs::read_symlink(path, unread).generic_string();
          out_.problems.push_back(
              {display_form(path), fmt::format("symbolic link to {} points outside the folder walked ({}); it was "
                                               "not followed",
                                               target, root_display_)});
          continue;
        }
      }
      if (S_ISDIR(entry.st_mode)) {
        if (!name.starts_with(".")) walk(path, chart, templates || (chart_here && name == "templates"));
      } else if (is_manifest_file_name(name)) {
        if (S_ISREG(entry.st_mode)) {
          InputFile file{display_form(path), path};
          if (templates) {
            file.helm_chart = chart;
          } else {
            file.template_line = helm_template_line(path);
          }
          out_.files.push_back(std::move(file));
        } else {
          out_.problems.push_back({display_form(path), not_a_file_message(entry.st_mode)});
        }
      }
    }
  }

  /// True when `path`, every link on the way resolved, lies in the folder the walk started from.
  bool resolves_inside(const std::string& path) const {
    if (root_.empty()) return false;
    std::error_code ec;
    const std::string resolved = fs::canonical(path, ec).generic_string();
    if (ec) return false;
    if (root_ == "/" || resolved == root_) return true;
    return resolved.size() > root_.size() && resolved.starts_with(root_) && resolved[root_.size()] == '/';
  }

  InputSet& out_;
  std::string root_;  ///< the real path of the folder the walk started from
  std::string root_display_;
  std::set<std::pair<dev_t, ino_t>> visited_;
};

}  // namespace

bool is_manifest_file_name(std::string_view name) {
  return ends_with(name, ".yaml") || ends_with(name, ".yml") || ends_with(name, ".json");
}

Result<InputSet> collect_inputs(const std::vector<std::string>& paths, std::string_view stdin_name) {
  InputSet set;
  DirectoryWalker walker(set);
  const std::vector<std::string> effective = paths.empty() ? std::vector<std::string>{"."} : paths;
  bool stdin_taken = false;
  for (const auto& path : effective) {
    if (path == "-") {
      if (!stdin_taken) set.files.push_back({std::string(stdin_name), ""});
      stdin_taken = true;
      continue;
    }
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
      // Missing is a mistake in the command; anything else is a problem of that input.
      if (errno == ENOENT || errno == ENOTDIR) return Error{path + ": " + std::strerror(errno)};
      set.problems.push_back({display_form(path), fmt::format("cannot read: {}", std::strerror(errno))});
      continue;
    }
    if (S_ISDIR(info.st_mode)) {
      walker.walk_from(path);
    } else if (S_ISREG(info.st_mode)) {
      InputFile file{display_form(path), path, /*named=*/true};
      if (auto chart = chart_of_template(path)) {
        file.helm_chart = display_folder(*chart);
      } else {
        file.template_line = helm_template_line(path);
      }
      set.files.push_back(std::move(file));
    } else {
      set.problems.push_back({display_form(path), not_a_file_message(info.st_mode)});
    }
  }
  std::stable_sort(set.files.begin(), set.files.end(),
                   [](const InputFile& a, const InputFile& b) { return a.display_path < b.display_path; });
  // A file both named and found by a walk counts as named.
  for (std::size_t i = set.files.size(); i > 1; --i) {
    InputFile& kept = set.files[i - 2];
    if (kept.display_path == set.files[i - 1].display_path) kept.named = kept.named || set.files[i - 1].named;
  }
  set.files.erase(std::unique(set.files.begin(), set.files.end(),
                              [](const InputFile& a, const InputFile& b) { return a.display_path == b.display_path; }),
                  set.files.end());
  std::sort(set.problems.begin(), set.problems.end(),
            [](const InputProblem& a, const InputProblem& b) { return a.display_path < b.display_path; });
  return set;
}

void set_aside_helm_templates(InputSet& inputs) {
  std::set<std::string> charts;
  std::vector<InputProblem> problems;
  std::erase_if(inputs.files, [&](const InputFile& file) {
    if (!file.helm_chart.empty()) {
      charts.insert(file.helm_chart);
      return true;
    }
    if (file.template_line == 0) return false;
    problems.push_back({file.display_path,
                        fmt::format("holds a Helm template action (`{{{{` on line {}) and is not YAML until rendered: "
                                    "render it and lint the output, e.g. helm template RELEASE CHART | immutalint -",
                                    file.template_line)});
    return true;
  });
  for (const std::string& chart : charts) {
    std::error_code ec;
    fs::path folder = fs::absolute(chart, ec).lexically_normal();
    if (!folder.has_filename()) folder = folder.parent_path();  // "charts/agent/" or "."
    std::string name = folder.filename().generic_string();
    if (name.empty()) name = "release";
    problems.push_back({join(chart, std::string(kChartFile)),
                        fmt::format("{0} is a Helm chart: its templates are not YAML until rendered, and were not "
                                    "linted; render it and lint the output, e.g. helm template {1} {0} | immutalint "
                                    "--helm-chart {0} -",
                                    chart, name)});
  }
  inputs.problems.insert(inputs.problems.end(), problems.begin(), problems.end());
  std::sort(inputs.problems.begin(), inputs.problems.end(),
            [](const InputProblem& a, const InputProblem& b) { return a.display_path < b.display_path; });
}

Result<int> open_input_file(const InputFile& file) {
  if (file.is_stdin()) return STDIN_FILENO;
  // O_NONBLOCK: should a FIFO have taken the file's place since it was collected, opening it
  // must not wait for a writer. Regular files ignore the flag.
  const int fd = ::open(file.fs_path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return Error{fmt::format("cannot open: {}", std::strerror(errno))};
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    Error error{fmt::format("cannot open: {}", std::strerror(errno))};
    ::close(fd);
    return error;
  }
  if (!S_ISREG(info.st_mode)) {
    ::close(fd);
    return Error{not_a_file_message(info.st_mode)};
  }
  return fd;
}

}  // namespace immutalint
