// What the checks know about real workloads, as data (checks/evidence/*.yaml compiled into the
// binary): known installers and what they write on the node, installers known only by name or
// install switch, kernel-driver builders and loaders, ConfigMap settings that name host paths or
// make a program read the systemd journal, and host files that are only ever read.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "immutalint/finding.hpp"
#include "immutalint/result.hpp"

namespace re2 {
class RE2;
}

namespace immutalint {

/// How an entry recognises a container: every part that is given must match.
struct ContainerMatcher {
  std::string image_pattern;                            ///< RE2, searched in the container's image
  std::string command_pattern;                          ///< RE2, searched in the command and args joined by spaces
  std::map<std::string, std::vector<std::string>> env;  ///< variable -> accepted literal values
  std::shared_ptr<const re2::RE2> image;
  std::shared_ptr<const re2::RE2> command;

  /// `literal_env` holds the variables whose values are known literally.
  bool matches(std::string_view image_name, std::string_view command_line,
               const std::map<std::string, std::string>& literal_env) const;
};

/// A host path a known installer writes.
struct InstallerWrite {
  std::string path;
  bool programs = false;  ///< it puts programs there that the node runs
};

/// A container known to copy files onto the node.
struct KnownInstaller {
  std::string name;
  std::string does;  ///< what it does, for messages
  ContainerMatcher match;
  std::vector<InstallerWrite> writes;
  std::string source;
};

/// An installer known only by name or by its install switch: it copies programs from its image onto
/// the node through the container's writable hostPath mounts, but which of them, and what, is up to
/// the script in the image. So it is evidence of an install into each such mount of a directory the
/// node runs programs from, and a verdict resting on it says at most likely breaks.
struct InstallIntent {
  std::string name;
  std::string does;  ///< what it installs, for messages
  /// Program names, without their directory: a container that runs one of them (its command and
  /// args, a lifecycle hook, a script they run) installs.
  std::vector<std::string> runs;
  /// Install switches: variable -> the literal values that turn the install on; every one listed
  /// must be set to one of its values. A switch set to anything else, or from valueFrom, does not count.
  std::map<std::string, std::vector<std::string>> env;
  std::string source;
};

/// A ConfigMap setting that turns a loader off.
struct ConfigSwitch {
  std::string key;                  ///< the ConfigMap data key, e.g. "falco.yaml"
  std::string setting;              ///< dotted path inside that YAML document, e.g. "engine.kind"
  std::vector<std::string> values;  ///< values that turn it off
};

/// A documented statement about a workload itself, that stands in for a target fact.
struct WorkloadFact {
  std::string why;
  std::string source;
  Confidence confidence = Confidence::Guess;
};

/// A container known to build or load kernel code for the node's kernel.
struct KnownKernelWork {
  std::string name;
  std::string does;
  ContainerMatcher match;
  bool builds = false;
  bool loads = false;
  /// The most it can be blamed for: `likely-breaks` when it may find a prebuilt artifact at run
  /// time, `review` when it picks a driverless mode wherever the kernel allows one.
  Verdict at_most = Verdict::Breaks;
  /// The modules it loads, when its source names them: a kernel that has them all built in
  /// loads nothing for it.
  std::vector<std::string> modules;
  std::optional<ConfigSwitch> off_when;
  /// Set when the builder supports only general-purpose distributions: it then breaks on every
  /// immutable target, whatever the target's own facts.
  std::optional<WorkloadFact> immutable_support;
  std::string source;
};

/// A ConfigMap entry (JSON) that names host paths a workload creates.
struct ConfigHostPaths {
  std::string name;
  std::string does;
  std::string key;   ///< the ConfigMap data key, e.g. "config.json"
  std::string json;  ///< path in the JSON document: keys joined by '.', `[]` for every item
  std::string source;
};

/// A program that reads the systemd journal when a configuration file its command names, a JSON
/// entry of a mounted ConfigMap, selects it (node-problem-detector's journald log watcher).
struct ConfigJournal {
  std::string name;
  std::string does;
  /// Command-line options whose value lists configuration files, comma-separated, as
  /// `--option=a,b` or `--option a,b`.
  std::vector<std::string> flags;
  /// Options that name the program's other monitors, of other kinds: while one of them, or a
  /// file of `flags` that does not read the journal, starts, the program runs without the journal.
  std::vector<std::string> other_flags;
  std::string key_pattern;  ///< RE2 searched in a ConfigMap data key: the entries that may be such files
  std::shared_ptr<const re2::RE2> key;
  std::string json;                 ///< the setting, a path in the JSON document as in ConfigHostPaths
  std::vector<std::string> values;  ///< values of the setting that read the journal
  std::string detail;               ///< a setting worth naming in messages (the journal's source); may be empty
  std::string source;
};

/// A family of Azure VM sizes, recognised by name, and what its sizes are.
struct VmSizeFamily {
  std::string name;  ///< e.g. "Dv3 series"
  std::string regex;
  std::shared_ptr<const re2::RE2> pattern;
  /// confidential, gen1-only, no-trusted-launch, arm64, nvidia-gpu, amd-gpu
  std::vector<std::string> traits;
  std::string source;

  bool has(std::string_view trait) const;
};

/// An AKS OS SKU that takes no new pools, and the target profile of its successor.
struct RetiredOsSku {
  std::string sku;        ///< as AKS spells it in `osSku`, e.g. "Flatcar"
  std::string successor;  ///< a target name, e.g. "aks-acl"
  WorkloadFact retirement;
};

/// The evidence catalogue.
class EvidenceCatalogue {
 public:
  /// Parses (file name, YAML) pairs; every field and pattern is validated.
  static Result<EvidenceCatalogue> parse(std::span<const std::pair<std::string, std::string>> files);
  /// The catalogue compiled into the binary (parsed once).
  static const Result<EvidenceCatalogue>& builtin();

  const std::vector<KnownInstaller>& installers() const { return installers_; }
  /// Installers known only by name or switch, in catalogue order.
  const std::vector<InstallIntent>& install_intents() const { return install_intents_; }
  const std::vector<KnownKernelWork>& kernel_work() const { return kernel_work_; }
  const std::vector<ConfigHostPaths>& config_host_paths() const { return config_host_paths_; }
  /// Programs that a ConfigMap file makes read the systemd journal.
  const std::vector<ConfigJournal>& config_journal() const { return config_journal_; }
  /// Host files (and directories) that workloads mount only to read them.
  const std::vector<std::string>& read_files() const { return read_files_; }
  /// VM size families, narrow ones first (checks/evidence/aks-node-pools.yaml).
  const std::vector<VmSizeFamily>& vm_size_families() const { return vm_size_families_; }
  /// The family of a VM size: the first whose pattern matches it; nullptr if none.
  const VmSizeFamily* vm_size_family(std::string_view size) const;
  /// The retired OS SKU spelt `sku` (compared ignoring case), or nullptr.
  const RetiredOsSku* retired_os_sku(std::string_view sku) const;
  /// Source keys and what they stand for.
  const std::map<std::string, std::string>& sources() const { return sources_; }
  /// ConfigMap data keys that any entry reads (config switches, host paths, journal settings).
  bool names_config_key(std::string_view key) const;

 private:
  std::vector<KnownInstaller> installers_;
  std::vector<InstallIntent> install_intents_;
  std::vector<KnownKernelWork> kernel_work_;
  std::vector<ConfigHostPaths> config_host_paths_;
  std::vector<ConfigJournal> config_journal_;
  std::vector<std::string> read_files_;
  std::vector<VmSizeFamily> vm_size_families_;
  std::vector<RetiredOsSku> retired_os_skus_;
  std::map<std::string, std::string> sources_;
};

}  // namespace immutalint
