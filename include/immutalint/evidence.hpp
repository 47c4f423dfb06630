// The manifest's side of a verdict: what a workload does to its node, read once per workload
// from its containers, their commands and scripts, its volumes and the evidence catalogue.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "immutalint/evidence_catalogue.hpp"
#include "immutalint/finding.hpp"
#include "immutalint/input_index.hpp"
#include "immutalint/kube_object.hpp"
#include "immutalint/pod_spec.hpp"
#include "immutalint/shell.hpp"
#include "immutalint/yaml_tree.hpp"

namespace immutalint {

/// Where a piece of evidence is: in the workload's own document, or in a ConfigMap script.
struct Site {
  Place place;
  const IndexedConfigMap* config_map = nullptr;  ///< set when the evidence is in a ConfigMap
};

/// A hostPath volume as one container mounts it.
struct HostMount {
  const ContainerView* container = nullptr;
  const VolumeView* volume = nullptr;
  std::string mount_path;  ///< where the container sees it
  std::string host_path;   ///< what it is on the host, subPath applied
  bool read_only = false;
  bool read_file = false;  ///< a host file that workloads only read (os-release, resolv.conf, ...)
};

/// A command that a container runs, and where it runs.
struct RunCommand {
  const ContainerView* container = nullptr;
  ShellCommand command;
  Site site;  ///< the line of the command
  /// Null for the container's own command and args; else the script, e.g. `script "entrypoint.sh" of
  /// ConfigMap longhorn/agent`, shared by the script's commands.
  std::shared_ptr<const std::string> origin;
  /// It acts on the host's own files: nsenter into PID 1's mount namespace, or chroot into a
  /// mount of the host's root.
  bool on_host = false;
  /// What findings about it are about: the container's command and args as a whole, or one
  /// line of a ConfigMap script.
  std::string cause;

  /// "init container \"x\" runs `apt-get install -y open-iscsi` in script ..." for messages.
  std::string describe() const;
};

enum class WriteKind { Creates, Writes, Copies, Removes };
std::string_view to_string(WriteKind kind);

/// A path that a command writes, as the command sees it.
struct WrittenPath {
  std::string path;  ///< absolute and normalized
  WriteKind kind = WriteKind::Writes;
};

/// The paths a command writes, creates, copies into or removes, from the standard semantics of
/// the tools (cp's last operand, tee's and mkdir's operands, `dd of=`, `curl -o`, output
/// redirections, ...), relative ones taken from the command's working directory when it is
/// known. A word whose directory is only known at run time names no path and is left out.
std::vector<WrittenPath> written_paths(const ShellCommand& command);

/// A change to the host's filesystem that the manifest shows.
struct HostWrite {
  std::string host_path;  ///< the host path written, created or removed
  WriteKind kind = WriteKind::Writes;
  bool programs = false;  ///< known to put programs there (a catalogued installer)
  /// The most a verdict resting on this write may say: likely breaks for an install known only
  /// from an installer's name or switch, whose writes are up to the script in its image.
  Verdict at_most = Verdict::Breaks;
  const HostMount* mount = nullptr;  ///< the hostPath mount it goes through; nullptr on the host or by the volume type
  const VolumeView* volume = nullptr;  ///< the hostPath volume it goes through, when there is one
  std::string how;  ///< what does it, e.g. "init container \"install\" runs `cp -f /flannel /host/opt/cni/bin/`"
  Site site;
  std::string container;  ///< the container that does it; empty for the kubelet (volume type)
  std::string cause;      ///< its volume's pointer, or the cause of the command that makes it on the host
};

/// Kernel code a container builds or loads for the node's kernel, known from the evidence catalogue.
struct KernelWork {
  const KnownKernelWork* known = nullptr;
  std::string how;
  Site site;
  const ContainerView* container = nullptr;
  bool off = false;    ///< a ConfigMap of the input turns it off
  std::string off_by;  ///< which setting does, for messages
};

/// A configuration file that makes a container read the systemd journal: a ConfigMap entry that
/// the container mounts and its command names (EvidenceCatalogue::config_journal).
struct JournalConfig {
  const ConfigJournal* known = nullptr;
  const ContainerView* container = nullptr;
  std::string file;      ///< e.g. "docker-monitor.json of ConfigMap kube-system/npd"
  std::string setting;   ///< what selects the journal, e.g. "plugin: journald"
  std::string how;       ///< the file, its setting and what it does, with the catalogue's source
  Site site;             ///< the setting, in the ConfigMap
  std::string named_by;  ///< the command that names the file, as RunCommand::describe gives it
  Site command_site;     ///< that command's line
  std::string cause;     ///< that command's cause
  /// How many monitors the command names in all (files of the catalogue's flags and
  /// other-flags), this one included; a run with none that reads the journal starts the others.
  std::size_t monitors = 0;
};

/// Commands that a container runs, or may run, that were not read, so that no check saw them:
/// the pipeline reports them (analysis-incomplete).
struct UnreadCommands {
  const ContainerView* container = nullptr;
  Site site;            ///< where they are: a ConfigMap script's key, or the first command left out
  std::string message;  ///< what was not read, and why
};

/// ConfigMap scripts are read up to this size; a container that runs a larger one is told that
/// its commands were not checked. Reading is linear in a script's size: the limit, with the two
/// below, bounds the time and memory one workload may take.
inline constexpr std::size_t kMaxScriptBytes = 4 << 20;
/// What one workload's ConfigMap scripts may add up to. Each container reads the scripts it
/// runs (with its own variables), so without it a pod of many containers that run one large
/// script would cost their number times its size.
inline constexpr std::size_t kMaxScriptBytesPerWorkload = 4 * kMaxScriptBytes;
/// The commands kept for one workload, from its containers and their scripts: each costs some
/// 900 bytes, so this bounds a workload's commands to some 60 MB. Real workloads run a few
/// thousand at most.
inline constexpr std::size_t kMaxCommandsPerWorkload = 1 << 16;

/// Directories, each standing for an item, searched for the deepest that holds a path (as
/// path_within has it) in time linear in the path's length, however many directories there are.
/// Directories are kept per group (a container), by their path components.
class DirectoryIndex {
 public:
  /// Adds `dir` (not empty) for `item` in `group`. Where several hold a path, the one of the
  /// highest `rank` wins, then the item added first.
  void add(const void* group, std::string_view dir, std::size_t item, std::size_t rank);
  /// The item of the deepest directory of `group` that holds `path`; nullopt when none does.
  std::optional<std::size_t> deepest(const void* group, std::string_view path) const;

 private:
  struct Best {
    std::size_t item = 0;
    std::size_t rank = 0;
    bool set = false;
    /// Keeps the better of this and (item, rank).
    void offer(std::size_t other_item, std::size_t other_rank);
  };
  struct Node {
    Best here;  // the directory that ends at this node
    Best root;  // on a group's first node: "/", which holds every absolute path
  };
  /// The key of a node's child: the node's number, then the child's path component.
  static std::string edge(std::uint32_t node, std::string_view component);

  std::vector<Node> nodes_;
  std::unordered_map<std::string, std::uint32_t> children_;  // edge(node, component) -> child
  std::unordered_map<const void*, std::uint32_t> groups_;    // group -> its first node
};

/// Everything the checks read about what one workload does. Writes point into `mounts`, so
/// it can be moved but not copied.
struct WorkloadEvidence {
  WorkloadEvidence() = default;
  WorkloadEvidence(WorkloadEvidence&&) = default;
  WorkloadEvidence& operator=(WorkloadEvidence&&) = default;
  WorkloadEvidence(const WorkloadEvidence&) = delete;
  WorkloadEvidence& operator=(const WorkloadEvidence&) = delete;

  std::vector<HostMount> mounts;
  std::vector<RunCommand> commands;
  std::vector<HostWrite> writes;
  /// Installs known only from an installer's name or switch (EvidenceCatalogue::install_intents):
  /// one per writable hostPath mount of the container that runs it, at the mount's host path, at
  /// most likely breaks. Kept apart from `writes`, which the manifest shows: which of the mounts
  /// the script writes, and what, only the image knows. A mount that a known installer of the
  /// same container writes through has none.
  std::vector<HostWrite> intended;
  std::vector<KernelWork> kernel;
  /// Configuration files that make a container read the systemd journal, in command order, each
  /// once per container. Known only with the index.
  std::vector<JournalConfig> journal;
  /// ConfigMaps from which a container runs a mounted file as a script, by name, sorted. Known
  /// without the index; their scripts are read once the whole input is known.
  std::vector<std::string> scripts_from;
  /// Commands that a container runs, or may run, that were not read: scripts too large, nested
  /// deeper than scripts are followed, or beyond the workload's limits.
  std::vector<UnreadCommands> unread;

  /// The writes that go through a hostPath volume, or are made by its type.
  std::vector<const HostWrite*> writes_through(const VolumeView& volume) const;
  /// The container's hostPath mount whose mount path holds `path`, the deepest one; nullptr if none.
  const HostMount* host_mount_of(const ContainerView& container, std::string_view container_path) const;

  /// Indexes `mounts` for host_mount_of, once they are all read.
  void index_mounts();
  /// Indexes `writes` for writes_through, once they are all read.
  void index_writes();

 private:
  DirectoryIndex mount_index_;  // mounts by container, then mount path
  std::unordered_map<const VolumeView*, std::vector<const HostWrite*>> writes_by_volume_;
};

/// What `gather_evidence` reads.
struct EvidenceInput {
  const YamlTree& tree;
  const KubeObject& object;
  const PodSpecView& pod;
  const std::string& file;
  const EvidenceCatalogue& catalogue;
  const InputIndex* index = nullptr;  ///< the whole input, in the second phase; ConfigMap scripts need it
};

/// Reads the evidence of one workload.
WorkloadEvidence gather_evidence(const EvidenceInput& input);

/// The literal environment of a container, as commands see it: `env` values written in the
/// manifest; variables from valueFrom are set with an unknown value.
ShellEnv container_env(const YamlTree& tree, const ContainerView& container);

/// The container's command, args and postStart hook as one line, for matching.
std::string command_line(const YamlTree& tree, const ContainerView& container);

}  // namespace immutalint
