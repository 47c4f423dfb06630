// host-sysctl-write: a pod sets the node's kernel parameters through /proc/sys (`sysctl -w`, a
// write under /proc/sys from a privileged container, through a hostPath of /proc, or on the
// host after nsenter or chroot), which immutable OSes set in their node configuration.
#include <algorithm>
#include <map>
#include <optional>
#include <unordered_set>

#include <fmt/format.h>

#include "checks/command_support.hpp"
#include "immutalint/check.hpp"
#include "immutalint/target.hpp"

namespace immutalint::checks {

namespace {

/// The namespaces that hold kernel parameters; None for the node's own.
enum class Namespace { None, Net, Ipc, Uts };

/// What a cause (a container's command, a script line) sets on the node.
struct Sets {
  const RunCommand* first = nullptr;  ///< its first command that sets something
  Observation observation;
  std::vector<std::string> keys;         ///< parameters by name, each once, in the order set
  std::unordered_set<std::string> seen;  ///< `keys` and `loads`, to keep each once
  bool unnamed = false;                  ///< a parameter whose name is only known at run time
  std::vector<std::string> loads;        ///< commands that load parameters from files
};

/// The deepest mount of a container that holds a path, from an index of every container's
/// mounts built on first use, so that many commands in a pod of many mounts cost linear time.
class MountDepths {
 public:
  explicit MountDepths(const PodSpecView& pod) : pod_(pod) {}

  /// The length of the deepest mount path that holds `path`; 0 when no mount does.
  std::size_t deepest(const ContainerView& container, std::string_view path) {
    if (!built_) build();
    auto found = index_.deepest(&container, path);
    return found ? lengths_[*found] : 0;
  }

 private:
  void build() {
    built_ = true;
    for (const auto& container : pod_.containers) {
      for (const auto& mount : container.mounts) {
        if (mount.mount_path.empty()) continue;
        const std::string path = normalize_host_path(mount.mount_path);
        index_.add(&container, path, lengths_.size(), path.size());
        lengths_.push_back(path.size());
      }
    }
  }

  const PodSpecView& pod_;
  bool built_ = false;
  DirectoryIndex index_;
  std::vector<std::size_t> lengths_;  // of each mount path added, by item
};

class HostSysctlWrite final : public Check {
 public:
  explicit HostSysctlWrite(const CheckInfo& info)
      : proc_sys_(info.params.list("proc-sys")),
        tools_(info.params.list("tools")),
        load_options_(info.params.list("load-options")),
        namespaced_{{{Namespace::Net, info.params.list("network-namespace")},
                     {Namespace::Ipc, info.params.list("ipc-namespace")},
                     {Namespace::Uts, info.params.list("uts-namespace")}}},
        node_level_(info.params.list("node-level")) {}

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    const Shared shared{pod_field(context, "hostNetwork"), pod_field(context, "hostIPC")};
    MountDepths depths(context.pod);
    std::vector<std::string> order;
    std::map<std::string, Sets> by_cause;
    for (const auto& run : context.evidence.commands) {
      const Written written = written_by(context, run, shared, depths);
      if (written.keys.empty() && written.loads.empty()) continue;
      auto [at, fresh] = by_cause.try_emplace(run.cause);
      Sets& sets = at->second;
      if (fresh) {
        order.push_back(run.cause);
        sets.first = &run;
        sets.observation = observe_command(run, {});
        sets.observation.action = Action::Writes;
      } else if (sets.observation.evidence.size() < kMaxEvidence) {
        sets.observation.evidence.push_back(evidence_of(run.describe(), run.site));
      }
      for (const auto& key : written.keys) {
        if (key.empty()) {
          sets.unnamed = true;
        } else if (sets.seen.insert(key).second) {
          sets.keys.push_back(key);
        }
      }
      if (!written.loads.empty() && sets.seen.insert(written.loads).second) sets.loads.push_back(written.loads);
    }
    for (const auto& cause : order) {
      Sets& sets = by_cause.at(cause);
      sets.observation.message = fmt::format("{} sets {}; {}", describe_container(*sets.first->container),
                                             describe(sets), lasting(context, sets));
      out.push_back(std::move(sets.observation));
    }
  }

 private:
  /// Evidence lines kept per finding: a script that sets hundreds of parameters is shown by its first.
  static constexpr std::size_t kMaxEvidence = 8;
  /// Parameters, and commands that load them, named in a message.
  static constexpr std::size_t kMaxNamed = 10;

  /// Whether the pod shares the host's namespaces.
  struct Shared {
    bool network = false;  ///< hostNetwork, which also shares the UTS namespace
    bool ipc = false;      ///< hostIPC
  };

  /// What one command sets on the node.
  struct Written {
    std::vector<std::string> keys;  ///< an empty key: the name is only known at run time
    std::string loads;              ///< the command, when it loads parameters from files
  };

  static bool pod_field(const CheckContext& context, std::string_view field) {
    return is_true(context.tree, context.pod.holder_of(context.tree, field).first, field);
  }

  /// A sysctl name pattern as Kubernetes writes them: a trailing * matches any rest.
  static bool matches(std::string_view key, std::string_view pattern) {
    if (pattern.ends_with('*')) return key.starts_with(pattern.substr(0, pattern.size() - 1));
    return key == pattern;
  }

  /// The namespace whose value a write of `key` sets; None for the node's own parameters.
  Namespace namespace_of(std::string_view key) const {
    for (const auto& level : node_level_) {
      if (matches(key, level)) return Namespace::None;
    }
    for (const auto& [ns, patterns] : namespaced_) {
      for (const auto& pattern : patterns) {
        if (matches(key, pattern)) return ns;
      }
    }
    return Namespace::None;
  }

  /// Whether the nsenter that put the command on the host also entered the host's namespace
  /// `ns`, reading its options as the shell reader does: `-n`, `--net[=FILE]`, `-a`, `--all`,
  /// or no namespace option at all, which enters every namespace of the target.
  static bool enters(const ShellCommand& command, Namespace ns) {
    if (!command.host_namespace) return false;
    const char letter = ns == Namespace::Net ? 'n' : ns == Namespace::Ipc ? 'i' : 'u';
    const std::string_view name = ns == Namespace::Net ? "--net" : ns == Namespace::Ipc ? "--ipc" : "--uts";
    constexpr std::string_view kLongOptions[] = {"--mount", "--uts",  "--ipc",    "--net",
                                                 "--pid",   "--user", "--cgroup", "--time"};
    bool any_namespace = false;
    std::string_view words = command.entered_by;
    while (!words.empty()) {
      const auto space = words.find(' ');
      const std::string_view word = words.substr(0, space);
      words = space == std::string_view::npos ? std::string_view() : words.substr(space + 1);
      if (word == "--all") return true;
      if (word.starts_with("--")) {
        const std::string_view option = word.substr(0, word.find('='));
        if (option == name) return true;
        if (std::find(std::begin(kLongOptions), std::end(kLongOptions), option) != std::end(kLongOptions))
          any_namespace = true;
        continue;
      }
      if (word.size() < 2 || word[0] != '-') continue;
      for (const char c : word.substr(1)) {
        if (c == 't' || c == 'S' || c == 'G') break;  // the rest is the option's value
        if (c == 'a') return true;
        if (c == 'm') {
          any_namespace = true;
          break;  // -mFILE
        }
        if (std::string_view("uinpUCT").find(c) != std::string_view::npos) {
          any_namespace = true;
          if (c == letter) return true;
        }
      }
    }
    return !any_namespace;
  }

  /// Whether a write of `key` from this command sets the node's value rather than one of the
  /// pod's own namespaces. A name known only at run time may be either; it is taken as the node's.
  bool reaches_node_value(const RunCommand& run, const std::string& key, const Shared& shared) const {
    if (key.empty()) return true;
    switch (namespace_of(key)) {
      case Namespace::None: return true;
      case Namespace::Net: return shared.network || enters(run.command, Namespace::Net);
      case Namespace::Ipc: return shared.ipc || enters(run.command, Namespace::Ipc);
      case Namespace::Uts: return shared.network || enters(run.command, Namespace::Uts);
    }
    return false;
  }

  /// The kernel parameter a host path under /proc/sys is, as sysctl names it; nullopt for other paths.
  std::optional<std::string> key_of(std::string_view host_path) const {
    for (const auto& dir : proc_sys_) {
      if (!path_within(host_path, dir)) continue;
      std::string key(host_path.substr(std::min(host_path.size(), dir.size() + 1)));
      std::replace(key.begin(), key.end(), '/', '.');
      return key;
    }
    return std::nullopt;
  }

  /// A sysctl operand's name with dots: slashes separate its parts when the first separator is
  /// one (`net/ipv4/ip_forward`).
  static std::string dotted(std::string key) {
    const auto separator = key.find_first_of("./");
    if (separator != std::string::npos && key[separator] == '/') std::replace(key.begin(), key.end(), '/', '.');
    return key;
  }

  /// Whether the command's own /proc/sys is the node's and writable: on the host, or in a
  /// privileged container (the runtime mounts /proc/sys read-only in the others).
  static bool own_proc_sys_is_node(const CheckContext& context, const RunCommand& run) {
    if (run.on_host) return true;
    if (run.command.chroot) return false;  // the chroot's own /proc, if it has one
    return is_true(context.tree, run.container->security_context, "privileged");
  }

  /// The parameter that a path the command writes sets, when the write reaches the host's
  /// /proc/sys: on the host, through a writable hostPath mount, or in the container's own /proc
  /// when that is the node's and writable. Nullopt otherwise.
  std::optional<std::string> landing(const CheckContext& context, const RunCommand& run, const std::string& path,
                                     MountDepths& depths) const {
    const ShellCommand& command = run.command;
    if (command.host_namespace)
      return key_of(command.chroot ? normalize_host_path(*command.chroot + "/" + path) : path);
    // chroot into a mount of the host's root: its paths are the host's.
    if (command.chroot) return run.on_host ? key_of(path) : std::nullopt;
    const ContainerView& container = *run.container;
    // The deepest mount that holds the path decides what it is.
    if (const HostMount* host = context.evidence.host_mount_of(container, path)) {
      if (host->read_only) return std::nullopt;
      auto key = key_of(normalize_host_path(host->host_path + "/" + path.substr(host->mount_path.size())));
      if (!key || depths.deepest(container, path) > host->mount_path.size()) return std::nullopt;
      return key;
    }
    auto key = key_of(path);
    if (!key || depths.deepest(container, path) > 0 || !own_proc_sys_is_node(context, run)) return std::nullopt;
    return key;
  }

  /// What the command sets on the node: through a sysctl program, or by writing under /proc/sys.
  Written written_by(const CheckContext& context, const RunCommand& run, const Shared& shared,
                     MountDepths& depths) const {
    Written written;
    if (own_proc_sys_is_node(context, run)) written = written_by_tool(run.command);
    for (const auto& path : written_paths(run.command)) {
      if (auto key = landing(context, run, path.path, depths)) written.keys.push_back(std::move(*key));
    }
    std::erase_if(written.keys, [&](const std::string& key) { return !reaches_node_value(run, key, shared); });
    return written;
  }

  /// What a sysctl command sets: its KEY=VALUE operands, or the files its load options name.
  Written written_by_tool(const ShellCommand& command) const {
    Written written;
    if (std::find(tools_.begin(), tools_.end(), command.program()) == tools_.end()) return written;
    bool operands_only = false;
    for (const auto& arg : command.args()) {
      const std::string& word = arg.text;
      if (!operands_only && word == "--") {
        operands_only = true;
        continue;
      }
      if (!operands_only && word.size() > 1 && word[0] == '-') {
        const bool loads = std::any_of(load_options_.begin(), load_options_.end(), [&](const std::string& option) {
          // `-p FILE`, `-pFILE`, `--load=FILE`
          return word == option || (option.size() == 2 && word.starts_with(option)) ||
                 (option.starts_with("--") && word.starts_with(option + "="));
        });
        if (loads) written.loads = command.text();
        continue;
      }
      // After a load option the operands are files.
      const auto equals = word.find('=');
      if (written.loads.empty() && equals != std::string::npos) written.keys.push_back(dotted(word.substr(0, equals)));
    }
    if (!written.loads.empty()) written.keys.clear();
    return written;
  }

  /// "the node's kernel parameter a", "the node's kernel parameters a and b and the kernel
  /// parameters that `sysctl -p` loads", "a kernel parameter of the node, named only at run time".
  static std::string describe(const Sets& sets) {
    if (sets.keys.empty() && sets.loads.empty()) return "a kernel parameter of the node, named only at run time";
    std::vector<std::string> parts;
    if (!sets.keys.empty()) {
      // A script may set thousands: the message names the first few.
      const std::size_t named = std::min(sets.keys.size(), kMaxNamed);
      std::vector<std::string> names(sets.keys.begin(), sets.keys.begin() + static_cast<std::ptrdiff_t>(named));
      if (named < sets.keys.size()) names.push_back(fmt::format("{} more", sets.keys.size() - named));
      if (sets.unnamed) names.emplace_back("one named only at run time");
      parts.push_back(fmt::format("the node's kernel parameter{} {}", names.size() == 1 ? "" : "s", join_and(names)));
    } else if (sets.unnamed) {
      parts.emplace_back("a kernel parameter of the node named only at run time");
    }
    for (std::size_t i = 0; i < sets.loads.size() && i < kMaxNamed; ++i)
      parts.push_back(fmt::format("the kernel parameters that `{}` loads", sets.loads[i]));
    if (sets.loads.size() > kMaxNamed)
      parts.push_back(fmt::format("{} more files of them", sets.loads.size() - kMaxNamed));
    return join_and(parts);
  }

  /// "a", "a and b", "a, b and c".
  static std::string join_and(const std::vector<std::string>& parts) {
    std::string text;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (i > 0) text += i + 1 == parts.size() ? " and " : ", ";
      text += parts[i];
    }
    return text;
  }

  /// How long the values last, and whether the workload writes them again.
  static std::string lasting(const CheckContext& context, const Sets& sets) {
    const bool one = sets.loads.empty() && sets.keys.size() + (sets.unnamed ? 1 : 0) == 1;
    if (context.object.ref.kind == "DaemonSet") {
      return one ? "the value lasts until the node reboots, and the DaemonSet writes it again each time its pod starts"
                 : "the values last until the node reboots, and the DaemonSet writes them again each time its pod "
                   "starts";
    }
    return one ? "the value lasts until the node reboots, and a new or rebooted node does not have it"
               : "the values last until the node reboots, and a new or rebooted node does not have them";
  }

  const std::vector<std::string> proc_sys_;
  const std::vector<std::string> tools_;
  const std::vector<std::string> load_options_;
  const std::vector<std::pair<Namespace, std::vector<std::string>>> namespaced_;
  const std::vector<std::string> node_level_;
};

}  // namespace

std::unique_ptr<Check> make_host_sysctl_write(const CheckInfo& info) {
  return std::make_unique<HostSysctlWrite>(info);
}

}  // namespace immutalint::checks
