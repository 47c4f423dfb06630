// The files a baseline of bench/run.sh reads, walked as immutalint walks its arguments: a file as
// given, a folder's manifests (.yaml, .yml, .json) in sorted order, hidden folders skipped.
#pragma once

#include <algorithm>
#include <filesystem>
#include <vector>

namespace bench {

inline bool is_manifest(const std::filesystem::path& path) {
  const auto ext = path.extension();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

inline std::vector<std::filesystem::path> input_files(const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(root)) return {root};
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    const bool hidden = it->path().filename().string().starts_with(".");
    if (it->is_directory() && hidden) {
      it.disable_recursion_pending();
    } else if (it->is_regular_file() && is_manifest(it->path())) {
      files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace bench
