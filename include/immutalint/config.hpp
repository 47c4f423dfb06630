// The configuration file, `.immutalint.yaml`: settings a repository keeps beside its manifests.
// The command line wins over it; `--print-config` shows where each value came from.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
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
  std::optional<Setting<bool>> show_notes;   ///< like --show-notes
  std::optional<Setting<bool>> all_rows;     ///< like --all-rows
  std::optional<Setting<bool>> allow_empty;  ///< like --allow-empty
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

/// At most this many mistakes of one configuration file are listed; the rest are counted.
inline constexpr std::size_t kMaxConfigProblems = 50;

/// Reads and validates a configuration file. Every problem (a key it does not know, a wrong
/// type, a bad value, a check or target it does not know) is reported, not only the first: the
/// Error's message holds one line per problem, each `FILE:LINE:COL: message`, in the order of
/// the file, at most kMaxConfigProblems of them and then a line that counts the others.
/// A file that cannot be read is an Error that says why.
Result<Config> load_config(const std::string& path, const Catalogue& catalogue, const TargetSet& targets);

/// Same, over text already read, named `path` in messages.
Result<Config> parse_config(std::string_view text, const std::string& path, const Catalogue& catalogue,
                            const TargetSet& targets);

/// Why `name` is not a target that --target and `targets:` take (a profile's name or alias,
/// `all` or `auto`): "unknown target 'flatcr' (did you mean flatcar?)"; nullopt when it is one.
std::optional<std::string> unknown_target(std::string_view name, const TargetSet& targets);

/// Why the target names of one list do not go together (`all` or `auto` with other names), or
/// nullopt.
std::optional<std::string> target_list_problem(const std::vector<std::string>& names);

/// Why `id` is not a check id the catalogue knows, by its id or a former one: "unknown check id
/// 'host-path-volum' (did you mean host-path-volume?)"; nullopt when it is one.
std::optional<std::string> unknown_check(std::string_view id, const Catalogue& catalogue);

}  // namespace immutalint
