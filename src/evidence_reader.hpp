// The reader that gathers one workload's evidence (WorkloadEvidenceReader) and the helpers its
// parts share: the evidence stage's own header, for src/evidence.cpp (mounts, volumes, sites),
// src/evidence_commands.cpp (commands, scripts, the host writes they make) and
// src/evidence_known_installers.cpp (the evidence catalogue: installers, settings, journals).
#pragma once

#include "immutalint/evidence.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <ranges>
#include <set>
#include <unordered_set>

#include <fmt/format.h>
#include <re2/re2.h>
#include <nlohmann/json.hpp>

#include "immutalint/target.hpp"
#include "immutalint/yaml_parse.hpp"

namespace immutalint::evidence_reading {

/// Nested script files (a script that runs another mounted script) are followed this deep.
inline constexpr int kMaxScriptDepth = 4;

/// One text that command words come from, and how to place an offset in it.
struct TextSource {
  TextSource(std::string_view text_in, Span span_in, bool block_in, std::string field_in, std::string file_in,
             const IndexedConfigMap* config_map_in)
      : text(text_in),
        span(span_in),
        block(block_in),
        field(std::move(field_in)),
        file(std::move(file_in)),
        config_map(config_map_in) {
    // Lines are counted once per text, not from its start for each command.
    if (block) {
      for (std::size_t at = text.find('\n'); at != std::string_view::npos; at = text.find('\n', at + 1))
        newlines.push_back(at);
    }
  }

  std::string_view text;
  Span span;           ///< the scalar's span
  bool block = false;  ///< a block scalar: lines can be counted from its first content line
  std::string field;   ///< JSON Pointer from its object's root
  std::string file;
  const IndexedConfigMap* config_map = nullptr;
  std::vector<std::size_t> newlines;  ///< where the text's line ends are, for a block scalar
};

/// The text of a ConfigMap entry, placed where the entry is written.
TextSource entry_source(std::string_view text, const IndexedEntry& entry, const IndexedConfigMap& config_map);

Site site_of(const TextSource& source, std::uint32_t offset);

bool is_kernel_filesystem(std::string_view path);

/// The value of a short option letter, also inside a cluster of flags: `-o FILE`, `-oFILE`,
/// `-fsSLo FILE` (curl) or `-qO FILE` (wget).
std::optional<ShellWord> short_option_value(std::span<const ShellWord> args, char letter);

/// What a command writes: each destination word and how it is written, from the standard
/// semantics of the tools (cp's last argument, mkdir's arguments, tee's files, ...).
std::vector<std::pair<ShellWord, WriteKind>> destinations(const ShellCommand& command);

/// The path a destination word names: `--opt=/path` and `of=/path` give their value.
std::string path_of(const ShellWord& word);

/// True when the container's command is a POSIX shell (`sh`, `/bin/bash`...).
bool runs_shell(const YamlTree& tree, const ContainerView& container);

class WorkloadEvidenceReader {
 public:
  explicit WorkloadEvidenceReader(const EvidenceInput& input) : in_(input) {}

  WorkloadEvidence read();

 private:
  /// The container's hostPath mounts: indices into out_.mounts, in order.
  const std::vector<std::size_t>& host_mounts_of(const ContainerView& container) const;

  /// The pod's volume of that name, the first one when the name is repeated.
  const VolumeView* volume_named(std::string_view name) const;

  bool is_read_file(std::string_view host_path) const;

  void read_mounts();

  /// A file a container sees through a ConfigMap volume: the ConfigMap's name and the data key.
  struct MountedFile {
    std::string config_map;
    std::string key;
  };

  std::optional<MountedFile> mounted_file(const ContainerView& container, std::string_view file) const;

  /// A ConfigMap volume's `items`: file path -> data key, read once per volume. Of two items
  /// with one path, the last counts.
  const std::unordered_map<std::string, std::string>& projected_keys(const VolumeView& volume, NodeId config) const;

  /// The script a container runs from a mounted ConfigMap, once the index is known.
  std::pair<const IndexedConfigMap*, const IndexedEntry*> mounted_script(const MountedFile& mounted) const;

  /// The ConfigMap's entry `key` (IndexedConfigMap::entry), from its entries indexed once.
  const IndexedEntry* entry_of(const IndexedConfigMap& config_map, std::string_view key) const;

  /// How many more commands the workload may keep (kMaxCommandsPerWorkload).
  std::size_t commands_left() const;

  void add_commands(const ContainerView& container, std::vector<ShellCommand> commands,
                    const std::vector<TextSource>& sources, const std::shared_ptr<const std::string>& origin,
                    const ShellEnv& env, int depth);

  /// Records, once per workload, that commands from `site` on were not kept.
  void note_cut(const ContainerView& container, const Site& site);

  static std::string script_name(const IndexedConfigMap& config_map, const IndexedEntry& entry);

  static std::string too_large(const IndexedEntry& entry);

  /// Records a script of the container whose commands were not read, once per `once_for` (a
  /// container, or the workload when null).
  void note_unread(const ContainerView* once_for, const ContainerView& container, const IndexedConfigMap& config_map,
                   const IndexedEntry& entry, std::string why);

  /// A command runs a file whose name is only partly known (`sh /scripts/$STEP.sh`): it may run
  /// any file of the directory, so each script there too large to be read is recorded.
  void note_may_run(const ContainerView& container, std::string_view runs, const RunCommand& run);

  /// Scripts run only by scripts nested kMaxScriptDepth deep, and read by no other command of
  /// their container.
  void note_too_deep();

  /// The items of an argv list (command, args, a lifecycle hook's exec command) as texts that
  /// command words point into.
  void read_argv_items(NodeId list, const std::string& pointer, std::vector<std::string_view>& argv,
                       std::vector<TextSource>& sources) const;

  void read_commands(const ContainerView& container);

  /// Where a chroot directory of a container is on the host.
  struct Chroot {
    const HostMount* mount = nullptr;  ///< the hostPath mount that holds the directory
    std::optional<std::string> root;   ///< the host path it is, through that mount
  };

  /// The chroot directory `chroot` (a string that commands share) of the container, worked out
  /// once however many commands run in it.
  const Chroot& chroot_of(const ContainerView& container, const std::string& chroot) const;

  /// The container's deepest mount (of any volume) that holds `path`.
  const VolumeMountView* deepest_mount(const ContainerView& container, std::string_view path) const;

  /// Where a path the command names lands on the host: (host path, the mount it goes through).
  std::optional<std::pair<std::string, const HostMount*>> to_host(const RunCommand& run,
                                                                  std::string_view written) const;

  void read_writes(const RunCommand& run);

  void read_volume_types();

  Site container_site(const ContainerView& container, const char* preferred) const;

  /// The value of the first environment variable a matcher names, as a site.
  Site env_site(const ContainerView& container, const std::map<std::string, std::vector<std::string>>& names) const;

  std::map<std::string, std::string> literal_env(const ContainerView& container) const;

  void read_catalogue(const ContainerView& container);

  /// Installers known only by name or switch: for each container that runs one (the first entry
  /// that matches it), an intended install through each of its writable hostPath mounts.
  void read_install_intents();

  /// Every switch is set, literally, to one of the values that turn the install on.
  static bool switches_on(const std::map<std::string, std::vector<std::string>>& switches,
                          const std::map<std::string, std::string>& env);

  void add_intended(const ContainerView& container, const InstallIntent& intent, const RunCommand* run,
                    const std::map<std::string, std::string>& env);

  /// The ConfigMaps the pod mounts, as the index has them, each once, in the order of the volumes.
  /// Found once per workload.
  const std::vector<const IndexedConfigMap*>& mounted_config_maps() const;

  /// The value of a setting in a mounted ConfigMap (a YAML document under `key`), and a
  /// description of where it is. Read once per workload, however many containers ask.
  const std::optional<std::pair<std::string, std::string>>& config_setting(const ConfigSwitch& setting) const;

  std::optional<std::pair<std::string, std::string>> read_config_setting(const ConfigSwitch& setting) const;

  /// Strings found at a `a.b[].c[]` path of a JSON document.
  static void walk_json(const nlohmann::json& node, std::string_view path, std::vector<std::string>& out);

  void read_config_host_paths();

  /// The files a command names through one of the entry's options: `--option=a,b` or
  /// `--option a,b`, each time the option is given.
  static std::vector<std::string> named_files(const ShellCommand& command, const std::vector<std::string>& flags);

  /// Configuration files of mounted ConfigMaps that the commands name and that make the container
  /// read the systemd journal. Each file is judged from its JSON, read once per workload.
  void read_journal_configs();

  void add_journal_config(const RunCommand& run, const ConfigJournal& known, const IndexedConfigMap& config_map,
                          const IndexedEntry& entry,
                          std::map<const IndexedEntry*, std::optional<nlohmann::json>>& parsed, std::size_t monitors);

  const EvidenceInput& in_;
  std::set<std::pair<const ContainerView*, const IndexedEntry*>> scripts_read_;
  std::unordered_set<std::string> scripts_from_seen_;  // out_.scripts_from, to keep each once
  struct TooDeep {
    const ContainerView* container;
    const IndexedConfigMap* config_map;
    const IndexedEntry* entry;
    std::string run_by;  // the origin of the command that runs it
  };
  std::vector<TooDeep> too_deep_;
  std::set<std::pair<const ContainerView*, const IndexedEntry*>> unread_noted_;
  std::size_t script_bytes_read_ = 0;  // of ConfigMap scripts (kMaxScriptBytesPerWorkload)
  bool commands_cut_ = false;          // kMaxCommandsPerWorkload was reached
  std::unordered_map<std::string_view, const VolumeView*> volumes_by_name_;
  DirectoryIndex mounts_by_path_;  // every mount of each container, by its normalized path
  mutable std::unordered_map<const VolumeView*, std::unordered_map<std::string, std::string>> projected_keys_;
  mutable std::unordered_map<const IndexedConfigMap*, std::unordered_map<std::string_view, const IndexedEntry*>>
      entries_by_key_;
  mutable std::unordered_map<const IndexedConfigMap*, std::vector<const IndexedEntry*>> too_large_entries_;
  std::set<std::pair<const ContainerView*, std::string>> may_run_seen_;  // directories note_may_run looked at
  std::unordered_map<const ContainerView*, std::vector<std::size_t>> host_mounts_by_container_;
  std::unordered_set<const HostMount*> installer_mounts_;  // mounts a known installer writes through
  mutable std::map<std::pair<const ContainerView*, const std::string*>, Chroot> chroots_;
  mutable std::optional<std::vector<const IndexedConfigMap*>> mounted_config_maps_;
  mutable std::map<const ConfigSwitch*, std::optional<std::pair<std::string, std::string>>> config_settings_;
  WorkloadEvidence out_;
};

}  // namespace immutalint::evidence_reading
