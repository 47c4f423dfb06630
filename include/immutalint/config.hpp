// The configuration file, `.immutalint.yaml`: settings a repository keeps beside its manifests.
// The command line wins over it; `--print-config` shows where each value came from.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "immutalint/catalogue.hpp"
#include "immutalint/pod_spec.hpp"
#include "immutalint/result.hpp"
#include "immutalint/suppression.hpp"
#include "immutalint/target.hpp"

namespace immutalint {

/// The name searched for from the working directory up to the repository root.
inline constexpr std::string_view kConfigFileName = ".immutalint.yaml";

/// A value and where it was written ("FILE:LINE").
template <typename T>
struct Setting {
  T value{};
  std::string origin;
};

/// A check's setting: "off", "on", or a severity its findings are given.
struct CheckSetting {
  std::string id;
  std::string value;  ///< off | on | note | warning | error
  std::string origin;
};

/// An extra kind that carries pod templates, as the file declares it.
struct ConfiguredWorkloadKind {
  std::string api_version;
  std::string kind;
  std::vector<std::string> pod_templates;
  std::string origin;

  CustomWorkloadKind declared() const { return {api_version, kind, pod_templates}; }
};

/// What one configuration file says. Unset keys are absent.
struct Config {
  std::string path;                             ///< the file read
  std::string dir;                              ///< its folder: globs in it are relative to this
  std::optional<Setting<std::string>> targets;  ///< comma-separated, or "all"
  std::optional<Setting<std::string>> fail_on;
  std::optional<Setting<std::string>> format;
  std::optional<Setting<bool>> inline_ignores;
  std::optional<Setting<bool>> discover_pod_templates;
  std::vector<CheckSetting> checks;
  std::vector<Setting<std::string>> exclude;
  std::vector<Waiver> ignores;  ///< channel Config; `where` is the entry in this file
  std::vector<ConfiguredWorkloadKind> workload_kinds;
};

/// The file that applies to `start`: `.immutalint.yaml` in it or the nearest folder above it,
/// looking no higher than the repository root (the first folder at or above `start` holding
/// `.git`, a directory or a file). Without a repository root, only `start` itself is searched.
/// nullopt when there is none.
std::optional<std::filesystem::path> find_config(const std::filesystem::path& start);

/// Reads and validates a configuration file. Every problem (a key it does not know, a wrong
/// type, a bad value, a check or target it does not know) is an Error whose message starts
/// with `FILE:LINE:COL: `.
Result<Config> load_config(const std::string& path, const Catalogue& catalogue, const TargetSet& targets);

/// Same, over text already read, named `path` in messages.
Result<Config> parse_config(std::string_view text, const std::string& path, const Catalogue& catalogue,
                            const TargetSet& targets);

}  // namespace immutalint
