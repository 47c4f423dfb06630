// Stage 1: walks PATH arguments into the ordered list of files to lint.
#include "immutalint/inputs.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <system_error>
#include <utility>

#include <fmt/format.h>

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
    walk(dir);
  }

 private:
  void walk(const std::string& dir) {
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
        if (!name.starts_with(".")) walk(path);
      } else if (is_manifest_file_name(name)) {
        if (S_ISREG(entry.st_mode)) {
          out_.files.push_back({display_form(path), path});
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
      return Error{path + ": " + std::strerror(errno)};
    }
    if (S_ISDIR(info.st_mode)) {
      walker.walk_from(path);
    } else if (S_ISREG(info.st_mode)) {
      set.files.push_back({display_form(path), path, /*named=*/true});
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
