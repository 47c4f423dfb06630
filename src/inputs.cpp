// Stage 1: walks PATH arguments into the ordered list of files to lint.
#include "immutalint/inputs.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <system_error>
#include <utility>

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

std::string join(const std::string& dir, const std::string& name) {
  if (dir == ".") return name;
  if (!dir.empty() && dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

/// Walks directories depth-first; a directory already entered (same device and inode) is not
/// entered again, which cuts symlink loops.
class DirectoryWalker {
 public:
  explicit DirectoryWalker(InputSet& out) : out_(out) {}

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
      if (::stat(path.c_str(), &entry) != 0) {
        struct stat link {};
        if (::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode) && is_manifest_file_name(name)) {
          out_.problems.push_back({display_form(path), "broken symbolic link"});
        }
        continue;
      }
      if (S_ISDIR(entry.st_mode)) {
        if (!name.starts_with(".")) walk(path);
      } else if (S_ISREG(entry.st_mode) && is_manifest_file_name(name)) {
        out_.files.push_back({display_form(path), path});
      }
    }
  }

 private:
  InputSet& out_;
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
      walker.walk(path);
    } else {
      set.files.push_back({display_form(path), path});
    }
  }
  std::stable_sort(set.files.begin(), set.files.end(),
                   [](const InputFile& a, const InputFile& b) { return a.display_path < b.display_path; });
  set.files.erase(std::unique(set.files.begin(), set.files.end(),
                              [](const InputFile& a, const InputFile& b) { return a.display_path == b.display_path; }),
                  set.files.end());
  std::sort(set.problems.begin(), set.problems.end(),
            [](const InputProblem& a, const InputProblem& b) { return a.display_path < b.display_path; });
  return set;
}

}  // namespace immutalint
