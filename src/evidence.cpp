// Reads what a workload does to its node: the commands its containers run (their own, and
// ConfigMap scripts they run), which host paths those commands write through hostPath mounts
// or directly on the host, what known installers and driver loaders do, where installers known
// only by name or install switch may install, which host paths a ConfigMap of the input makes a
// workload create, and which ConfigMap files its commands name make it read the systemd journal.
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

namespace immutalint {

std::string_view to_string(WriteKind kind) {
  switch (kind) {
    case WriteKind::Creates: return "creates";
    case WriteKind::Writes: return "writes";
    case WriteKind::Copies: return "copies";
    case WriteKind::Removes: return "removes";
  }
  return "writes";
}

std::string RunCommand::describe() const {
  std::string text = fmt::format("{} runs `{}`", describe_container(*container), command.text());
  if (origin && !origin->empty()) text += " in " + *origin;
  return text;
}

void DirectoryIndex::Best::offer(std::size_t other_item, std::size_t other_rank) {
  if (!set || other_rank > rank || (other_rank == rank && other_item < item)) {
    item = other_item;
    rank = other_rank;
    set = true;
  }
}

std::string DirectoryIndex::edge(std::uint32_t node, std::string_view component) {
  std::string key(reinterpret_cast<const char*>(&node), sizeof node);
  key += component;
  return key;
}

void DirectoryIndex::add(const void* group, std::string_view dir, std::size_t item, std::size_t rank) {
  // As path_within reads a directory: trailing slashes do not count, and "/" holds every
  // absolute path.
  while (dir.size() > 1 && dir.back() == '/') dir.remove_suffix(1);
  if (dir.empty()) return;
  auto [group_at, fresh] = groups_.try_emplace(group, static_cast<std::uint32_t>(nodes_.size()));
  if (fresh) nodes_.emplace_back();
  std::uint32_t node = group_at->second;
  if (dir == "/") {
    nodes_[node].root.offer(item, rank);
    return;
  }
  // One node per component between slashes: "/a/b" is "", "a", "b".
  while (true) {
    const auto slash = dir.find('/');
    auto [child, added] =
        children_.try_emplace(edge(node, dir.substr(0, slash)), static_cast<std::uint32_t>(nodes_.size()));
    if (added) nodes_.emplace_back();
    node = child->second;
    if (slash == std::string_view::npos) break;
    dir.remove_prefix(slash + 1);
  }
  nodes_[node].here.offer(item, rank);
}

std::optional<std::size_t> DirectoryIndex::deepest(const void* group, std::string_view path) const {
  auto group_at = groups_.find(group);
  if (group_at == groups_.end()) return std::nullopt;
  std::uint32_t node = group_at->second;
  Best best;
  if (path.starts_with("/") && nodes_[node].root.set) best = nodes_[node].root;
  // A directory holds the path when its components are the path's first ones.
  while (true) {
    const auto slash = path.find('/');
    auto child = children_.find(edge(node, path.substr(0, slash)));
    if (child == children_.end()) break;
    node = child->second;
    if (nodes_[node].here.set) best.offer(nodes_[node].here.item, nodes_[node].here.rank);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  if (!best.set) return std::nullopt;
  return best.item;
}

std::vector<const HostWrite*> WorkloadEvidence::writes_through(const VolumeView& volume) const {
  auto it = writes_by_volume_.find(&volume);
  return it == writes_by_volume_.end() ? std::vector<const HostWrite*>() : it->second;
}

const HostMount* WorkloadEvidence::host_mount_of(const ContainerView& container,
                                                 std::string_view container_path) const {
  auto found = mount_index_.deepest(&container, container_path);
  return found ? &mounts[*found] : nullptr;
}

void WorkloadEvidence::index_mounts() {
  mount_index_ = DirectoryIndex();
  for (std::size_t i = 0; i < mounts.size(); ++i)
    mount_index_.add(mounts[i].container, mounts[i].mount_path, i, mounts[i].mount_path.size());
}

void WorkloadEvidence::index_writes() {
  writes_by_volume_.clear();
  for (const auto& write : writes) {
    if (write.volume) writes_by_volume_[write.volume].push_back(&write);
  }
}

ShellEnv container_env(const YamlTree& tree, const ContainerView& container) {
  ShellEnv env;
  for (NodeId item : tree.items(tree.get(container.node, "env"))) {
    auto name = tree.scalar(tree.get(item, "name"));
    if (!name) continue;
    auto value = tree.scalar(tree.get(item, "value"));
    if (value) {
      env[std::string(*name)] = std::string(*value);
    } else if (tree.find(item, "valueFrom")) {
      env[std::string(*name)] = std::nullopt;
    } else {
      env[std::string(*name)] = std::string();
    }
  }
  return env;
}

std::string command_line(const YamlTree& tree, const ContainerView& container) {
  std::string line;
  const NodeId lifecycle = tree.get(container.node, "lifecycle");
  const NodeId lists[] = {tree.get(container.node, "command"), tree.get(container.node, "args"),
                          tree.get(tree.get(tree.get(lifecycle, "postStart"), "exec"), "command")};
  for (NodeId list : lists) {
    for (NodeId item : tree.items(list)) {
      auto text = tree.scalar(item);
      if (!text) continue;
      if (!line.empty()) line += ' ';
      line += *text;
    }
  }
  return line;
}

namespace {

/// Nested script files (a script that runs another mounted script) are followed this deep.
constexpr int kMaxScriptDepth = 4;

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
TextSource entry_source(std::string_view text, const IndexedEntry& entry, const IndexedConfigMap& config_map) {
  return TextSource{text,
                    entry.value_span,
                    entry.style == ScalarStyle::Block,
                    "/data/" + json_pointer_token(entry.key),
                    config_map.file,
                    &config_map};
}

Site site_of(const TextSource& source, std::uint32_t offset) {
  Site site;
  site.place.file = source.file;
  site.place.field = source.field;
  site.place.span = source.span;
  site.config_map = source.config_map;
  if (source.block) {
    // The line ends before the offset.
    const std::size_t end = std::min<std::size_t>(offset, source.text.size());
    const auto newlines =
        std::lower_bound(source.newlines.begin(), source.newlines.end(), end) - source.newlines.begin();
    const std::uint32_t line = source.span.begin.line + 1 + static_cast<std::uint32_t>(newlines);
    site.place.span = Span{{line, 1}, {line, 1}};
  }
  return site;
}

bool is_kernel_filesystem(std::string_view path) {
  return path_within(path, "/proc") || path_within(path, "/sys") || path_within(path, "/dev");
}

/// The value of a short option letter, also inside a cluster of flags: `-o FILE`, `-oFILE`,
/// `-fsSLo FILE` (curl) or `-qO FILE` (wget).
std::optional<ShellWord> short_option_value(std::span<const ShellWord> args, char letter) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& w = args[i].text;
    if (w.size() < 2 || w[0] != '-' || w[1] == '-') continue;
    const std::size_t at = w.find(letter, 1);
    if (at == std::string::npos) continue;
    const bool flags_before = std::all_of(w.begin() + 1, w.begin() + static_cast<std::ptrdiff_t>(at),
                                          [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
    if (!flags_before) continue;
    if (at + 1 == w.size()) {
      if (i + 1 < args.size()) return args[i + 1];
      continue;
    }
    ShellWord value = args[i];  // the value is attached: `-oFILE`
    value.text = w.substr(at + 1);
    value.offset += static_cast<std::uint32_t>(at + 1);
    return value;
  }
  return std::nullopt;
}

/// What a command writes: each destination word and how it is written, from the standard
/// semantics of the tools (cp's last argument, mkdir's arguments, tee's files, ...).
std::vector<std::pair<ShellWord, WriteKind>> destinations(const ShellCommand& command) {
  std::vector<std::pair<ShellWord, WriteKind>> out;
  for (const auto& redirect : command.redirects) out.emplace_back(redirect.target, WriteKind::Writes);
  const std::string_view program = command.program();
  const auto args = command.args();
  // Operands: the words that are not options (and not option values).
  auto operands = [&](std::initializer_list<std::string_view> with_value) {
    std::vector<const ShellWord*> found;
    bool options_done = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
      const std::string& w = args[i].text;
      if (!options_done && w == "--") {
        options_done = true;
        continue;
      }
      if (!options_done && w.size() > 1 && w[0] == '-') {
        if (std::find(with_value.begin(), with_value.end(), w) != with_value.end()) ++i;
        continue;
      }
      found.push_back(&args[i]);
    }
    return found;
  };
  auto long_option_value = [&](std::string_view name) -> std::optional<ShellWord> {
    for (std::size_t i = 0; i < args.size(); ++i) {
      const std::string& w = args[i].text;
      if (w == name && i + 1 < args.size()) return args[i + 1];
      if (w.starts_with(std::string(name) + "=")) return args[i];  // path_of takes the value after '='
    }
    return std::nullopt;
  };
  auto option_value = [&](char letter, std::string_view long_name) -> std::optional<ShellWord> {
    if (auto value = short_option_value(args, letter)) return value;
    return long_name.empty() ? std::nullopt : long_option_value(long_name);
  };
  auto add = [&](std::optional<ShellWord> word, WriteKind kind) {
    if (word) out.emplace_back(std::move(*word), kind);
  };
  if (program == "cp" || program == "mv" || program == "install" || program == "rsync" || program == "ln" ||
      program == "scp") {
    if (program == "install" && std::any_of(args.begin(), args.end(), [](const ShellWord& w) {
          return w.text == "-d" || w.text == "--directory";
        })) {
      for (const ShellWord* word : operands({"-m", "-o", "-g", "--mode", "--owner", "--group"}))
        out.emplace_back(*word, WriteKind::Creates);
      return out;
    }
    if (auto target = option_value('t', "--target-directory")) {
      out.emplace_back(std::move(*target), WriteKind::Copies);
      return out;
    }
    auto found = operands({"-m", "-o", "-g", "-S", "--mode", "--owner", "--group", "--suffix", "-e", "--rsh"});
    if (found.size() >= 2) out.emplace_back(*found.back(), WriteKind::Copies);
  } else if (program == "mkdir" || program == "touch") {
    for (const ShellWord* word : operands({"-m", "--mode", "-d", "-r", "-t"}))
      out.emplace_back(*word, WriteKind::Creates);
  } else if (program == "tee") {
    for (const ShellWord* word : operands({})) out.emplace_back(*word, WriteKind::Writes);
  } else if (program == "rm" || program == "rmdir" || program == "unlink") {
    for (const ShellWord* word : operands({})) out.emplace_back(*word, WriteKind::Removes);
  } else if (program == "chmod" || program == "chown" || program == "chgrp" || program == "chcon" ||
             program == "chattr" || program == "setfacl") {
    auto found = operands({"--reference"});
    for (std::size_t i = 1; i < found.size(); ++i) out.emplace_back(*found[i], WriteKind::Writes);
  } else if (program == "sed") {
    const bool in_place = std::any_of(args.begin(), args.end(), [](const ShellWord& w) {
      return w.text.starts_with("-i") || w.text.starts_with("--in-place");
    });
    if (in_place) {
      const bool script_option = std::any_of(args.begin(), args.end(), [](const ShellWord& w) {
        return w.text == "-e" || w.text == "-f" || w.text.starts_with("--expression") || w.text.starts_with("--file");
      });
      auto found = operands({"-e", "-f", "--expression", "--file", "-l"});
      for (std::size_t i = script_option ? 0 : 1; i < found.size(); ++i) out.emplace_back(*found[i], WriteKind::Writes);
    }
  } else if (program == "tar") {
    // `tar -xzf a.tgz`, `tar --extract`, or old-style bundled options: `tar xzf a.tgz`.
    bool extract = !args.empty() && !args[0].text.empty() && args[0].text[0] != '-' &&
                   args[0].text.find('x') != std::string::npos &&
                   std::all_of(args[0].text.begin(), args[0].text.end(),
                               [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
    for (const auto& w : args) {
      const std::string& t = w.text;
      if (t == "--extract" || t == "--get" ||
          (t.size() > 1 && t[0] == '-' && t[1] != '-' && t.find('x') != std::string::npos)) {
        extract = true;
      }
    }
    if (extract) add(option_value('C', "--directory"), WriteKind::Copies);
  } else if (program == "unzip") {
    add(option_value('d', ""), WriteKind::Copies);
  } else if (program == "dd") {
    for (const auto& arg : args) {
      if (arg.text.starts_with("of=")) out.emplace_back(arg, WriteKind::Writes);
    }
  } else if (program == "curl") {
    add(option_value('o', "--output"), WriteKind::Copies);
  } else if (program == "wget") {
    add(option_value('O', "--output-document"), WriteKind::Copies);
    add(option_value('P', "--directory-prefix"), WriteKind::Copies);
  }
  return out;
}

/// The path a destination word names: `--opt=/path` and `of=/path` give their value.
std::string path_of(const ShellWord& word) {
  std::string_view text = word.text;
  if (text.starts_with("of=")) text.remove_prefix(3);
  if (text.starts_with("--")) {
    const auto eq = text.find('=');
    if (eq != std::string_view::npos) text.remove_prefix(eq + 1);
  }
  return std::string(text);
}

/// True when the container's command is a POSIX shell (`sh`, `/bin/bash`...).
bool runs_shell(const YamlTree& tree, const ContainerView& container) {
  const auto command = tree.items(tree.get(container.node, "command"));
  auto program = command.empty() ? std::nullopt : tree.scalar(command.front());
  if (!program) return false;
  const std::string_view name = program->substr(program->rfind('/') + 1);
  return name == "sh" || name == "bash" || name == "ash" || name == "dash" || name == "ksh" || name == "zsh";
}

class WorkloadEvidenceReader {
 public:
  explicit WorkloadEvidenceReader(const EvidenceInput& input) : in_(input) {}

  WorkloadEvidence read() {
    // What is looked up per mount or per command is indexed once, so that a pod with many
    // containers, volumes or commands costs time linear in its size.
    for (const auto& volume : in_.pod.volumes) volumes_by_name_.try_emplace(volume.name, &volume);
    for (const auto& container : in_.pod.containers) {
      for (std::size_t i = 0; i < container.mounts.size(); ++i) {
        const std::string& path = container.mounts[i].mount_path;
        if (path.empty()) continue;
        const std::string normal = normalize_host_path(path);
        mounts_by_path_.add(&container, normal, i, normal.size());
      }
    }
    read_mounts();
    out_.index_mounts();
    for (std::size_t i = 0; i < out_.mounts.size(); ++i)
      host_mounts_by_container_[out_.mounts[i].container].push_back(i);
    for (const auto& container : in_.pod.containers) read_commands(container);
    note_too_deep();
    read_volume_types();
    for (const auto& run : out_.commands) read_writes(run);
    for (const auto& container : in_.pod.containers) read_catalogue(container);
    read_install_intents();
    read_config_host_paths();
    read_journal_configs();
    out_.index_writes();
    std::sort(out_.scripts_from.begin(), out_.scripts_from.end());
    return std::move(out_);
  }

 private:
  /// The container's hostPath mounts: indices into out_.mounts, in order.
  const std::vector<std::size_t>& host_mounts_of(const ContainerView& container) const {
    static const std::vector<std::size_t> kNone;
    auto it = host_mounts_by_container_.find(&container);
    return it == host_mounts_by_container_.end() ? kNone : it->second;
  }

  /// The pod's volume of that name, the first one when the name is repeated.
  const VolumeView* volume_named(std::string_view name) const {
    auto it = volumes_by_name_.find(name);
    return it == volumes_by_name_.end() ? nullptr : it->second;
  }

  bool is_read_file(std::string_view host_path) const {
    for (const auto& file : in_.catalogue.read_files()) {
      if (path_within(host_path, file)) return true;
    }
    return false;
  }

  void read_mounts() {
    const YamlTree& tree = in_.tree;
    for (const auto& container : in_.pod.containers) {
      for (const auto& mount : container.mounts) {
        const VolumeView* volume = volume_named(mount.volume);
        if (!volume || mount.mount_path.empty()) continue;
        auto path = tree.scalar(tree.get(tree.get(volume->node, "hostPath"), "path"));
        if (!path || path->empty()) continue;
        HostMount host;
        host.container = &container;
        host.volume = volume;
        host.mount_path = normalize_host_path(mount.mount_path);
        host.host_path = normalize_host_path(mount.sub_path.empty() ? std::string(*path)
                                                                    : std::string(*path) + "/" + mount.sub_path);
        host.read_only = mount.read_only;
        host.read_file = is_read_file(host.host_path);
        out_.mounts.push_back(std::move(host));
      }
    }
  }

  /// A file a container sees through a ConfigMap volume: the ConfigMap's name and the data key.
  struct MountedFile {
    std::string config_map;
    std::string key;
  };

  std::optional<MountedFile> mounted_file(const ContainerView& container, std::string_view file) const {
    if (!file.starts_with("/")) return std::nullopt;
    const YamlTree& tree = in_.tree;
    const std::string path = normalize_host_path(file);
    // The file is what the deepest mount holding it shows.
    if (const VolumeMountView* mount = deepest_mount(container, path)) {
      const std::string mount_path = normalize_host_path(mount->mount_path);
      const VolumeView* volume = volume_named(mount->volume);
      if (!volume) return std::nullopt;
      const NodeId config = tree.get(volume->node, "configMap");
      auto name = tree.scalar(tree.get(config, "name"));
      if (!name) return std::nullopt;
      std::string relative =
          path == mount_path ? std::string() : path.substr(mount_path.size() + (mount_path == "/" ? 0 : 1));
      if (!mount->sub_path.empty()) relative = relative.empty() ? mount->sub_path : mount->sub_path + "/" + relative;
      const auto& keys = projected_keys(*volume, config);
      auto item = keys.find(relative);
      return MountedFile{std::string(*name), item == keys.end() ? relative : item->second};
    }
    return std::nullopt;
  }

  /// A ConfigMap volume's `items`: file path -> data key, read once per volume. Of two items
  /// with one path, the last counts.
  const std::unordered_map<std::string, std::string>& projected_keys(const VolumeView& volume, NodeId config) const {
    auto [it, fresh] = projected_keys_.try_emplace(&volume);
    if (fresh) {
      const YamlTree& tree = in_.tree;
      for (NodeId item : tree.items(tree.get(config, "items"))) {
        it->second.insert_or_assign(std::string(tree.scalar(tree.get(item, "path")).value_or("")),
                                    std::string(tree.scalar(tree.get(item, "key")).value_or("")));
      }
    }
    return it->second;
  }

  /// The script a container runs from a mounted ConfigMap, once the index is known.
  std::pair<const IndexedConfigMap*, const IndexedEntry*> mounted_script(const MountedFile& mounted) const {
    if (!in_.index) return {nullptr, nullptr};
    const IndexedConfigMap* config_map = in_.index->config_map(in_.object.ref.namespace_, mounted.config_map);
    if (!config_map) return {nullptr, nullptr};
    const IndexedEntry* entry = entry_of(*config_map, mounted.key);
    if (!entry || entry->config) return {nullptr, nullptr};
    return {config_map, entry};
  }

  /// The ConfigMap's entry `key` (IndexedConfigMap::entry), from its entries indexed once.
  const IndexedEntry* entry_of(const IndexedConfigMap& config_map, std::string_view key) const {
    auto [it, fresh] = entries_by_key_.try_emplace(&config_map);
    if (fresh) {
      for (const auto& entry : config_map.entries) {
        it->second.try_emplace(entry.key, &entry);
        if (entry.too_large) too_large_entries_[&config_map].push_back(&entry);
      }
    }
    auto entry = it->second.find(key);
    return entry == it->second.end() ? nullptr : entry->second;
  }

  /// How many more commands the workload may keep (kMaxCommandsPerWorkload).
  std::size_t commands_left() const {
    return kMaxCommandsPerWorkload - std::min(kMaxCommandsPerWorkload, out_.commands.size());
  }

  void add_commands(const ContainerView& container, std::vector<ShellCommand> commands,
                    const std::vector<TextSource>& sources, const std::shared_ptr<const std::string>& origin,
                    const ShellEnv& env, int depth) {
    for (auto& command : commands) {
      RunCommand run;
      run.container = &container;
      const ShellWord* anchor = command.argv.empty()
                                    ? (command.redirects.empty() ? nullptr : &command.redirects[0].target)
                                    : &command.argv[0];
      if (anchor && anchor->source < sources.size()) run.site = site_of(sources[anchor->source], anchor->offset);
      if (commands_left() == 0) {
        note_cut(container, run.site.place.file.empty() ? container_site(container, "command") : run.site);
        return;
      }
      run.origin = origin;
      run.cause = run.site.config_map ? fmt::format("{}#L{}", run.site.place.field, run.site.place.span.begin.line)
                                      : container.pointer + "/command";
      // chroot into a mount of the host's root runs the host's own programs; chroot into any
      // other host directory runs whatever that directory holds.
      run.on_host = command.host_namespace || (command.chroot && chroot_of(container, *command.chroot).root == "/");
      const std::string runs = command.runs_file;
      const bool inexact = command.runs_file_inexact;
      run.command = std::move(command);
      out_.commands.push_back(std::move(run));
      // A script mounted from a ConfigMap that this command runs: its commands run too, in
      // the same container.
      if (runs.empty()) continue;
      auto mounted = mounted_file(container, runs);
      if (!mounted) continue;
      if (depth >= kMaxScriptDepth) {
        // Not followed; reported at the end unless the container reads it less deep.
        auto [config_map, entry] = mounted_script(*mounted);
        if (entry) too_deep_.push_back({&container, config_map, entry, origin ? *origin : std::string()});
        continue;
      }
      if (scripts_from_seen_.insert(mounted->config_map).second) out_.scripts_from.push_back(mounted->config_map);
      if (inexact) note_may_run(container, runs, out_.commands.back());
      auto [config_map, entry] = mounted_script(*mounted);
      // Each script is read once per container, however many commands run it: scripts that
      // run each other would otherwise multiply.
      if (!entry || !scripts_read_.insert({&container, entry}).second) continue;
      if (entry->too_large) {
        note_unread(&container, container, *config_map, *entry,
                    fmt::format("{} is {}", script_name(*config_map, *entry), too_large(*entry)));
        continue;
      }
      if (script_bytes_read_ + entry->text_ref.size > kMaxScriptBytesPerWorkload) {
        // One finding per script, however many containers run it.
        note_unread(nullptr, container, *config_map, *entry,
                    fmt::format("{} was not read: the scripts that this workload's containers run add up to more "
                                "than {} MiB",
                                script_name(*config_map, *entry), kMaxScriptBytesPerWorkload >> 20));
        continue;
      }
      script_bytes_read_ += entry->text_ref.size;
      const std::string text = entry->text();
      const TextSource source = entry_source(text, *entry, *config_map);
      add_commands(container, read_script(text, 0, env, commands_left()), {source},
                   std::make_shared<const std::string>(script_name(*config_map, *entry)), env, depth + 1);
    }
  }

  /// Records, once per workload, that commands from `site` on were not kept.
  void note_cut(const ContainerView& container, const Site& site) {
    if (commands_cut_) return;
    commands_cut_ = true;
    UnreadCommands unread;
    unread.container = &container;
    unread.site = site;
    unread.message = fmt::format(
        "{} runs more than the {} commands that are read for one workload; those from "
        "here on were not checked",
        describe_container(container), kMaxCommandsPerWorkload);
    out_.unread.push_back(std::move(unread));
  }

  static std::string script_name(const IndexedConfigMap& config_map, const IndexedEntry& entry) {
    return fmt::format("script \"{}\" of ConfigMap {}", entry.key, config_map.ref.qualified_name());
  }

  static std::string too_large(const IndexedEntry& entry) {
    return fmt::format("{} bytes, more than the {} MiB that commands are read from", entry.too_large.value_or(0),
                       kMaxScriptBytes >> 20);
  }

  /// Records a script of the container whose commands were not read, once per `once_for` (a
  /// container, or the workload when null).
  void note_unread(const ContainerView* once_for, const ContainerView& container, const IndexedConfigMap& config_map,
                   const IndexedEntry& entry, std::string why) {
    if (!unread_noted_.insert({once_for, &entry}).second) return;
    UnreadCommands unread;
    unread.container = &container;
    unread.site.place = Place{config_map.file, Span{entry.entry_span.begin, entry.entry_span.begin},
                              "/data/" + json_pointer_token(entry.key)};
    unread.site.config_map = &config_map;
    unread.message = why + "; its commands were not checked";
    out_.unread.push_back(std::move(unread));
  }

  /// A command runs a file whose name is only partly known (`sh /scripts/$STEP.sh`): it may run
  /// any file of the directory, so each script there too large to be read is recorded.
  void note_may_run(const ContainerView& container, std::string_view runs, const RunCommand& run) {
    if (!in_.index || !runs.starts_with("/")) return;
    const std::string dir = normalize_host_path(runs.substr(0, runs.rfind('/') + 1));
    if (!may_run_seen_.insert({&container, dir}).second) return;  // this directory was looked at
    const VolumeMountView* mount = deepest_mount(container, dir);
    const VolumeView* volume = mount ? volume_named(mount->volume) : nullptr;
    if (!volume) return;
    const YamlTree& tree = in_.tree;
    const NodeId config = tree.get(volume->node, "configMap");
    auto name = tree.scalar(tree.get(config, "name"));
    const IndexedConfigMap* config_map = name ? in_.index->config_map(in_.object.ref.namespace_, *name) : nullptr;
    if (!config_map) return;
    entry_of(*config_map, {});  // indexes its entries, and those too large
    const auto& too_large_entries = too_large_entries_[config_map];
    if (too_large_entries.empty()) return;
    // The directory within the volume, and the file each entry is there as.
    const std::string mount_path = normalize_host_path(mount->mount_path);
    std::string within =
        dir == mount_path ? std::string() : dir.substr(mount_path.size() + (mount_path == "/" ? 0 : 1));
    if (!mount->sub_path.empty()) within = within.empty() ? mount->sub_path : mount->sub_path + "/" + within;
    std::unordered_map<std::string_view, std::string_view> file_of;  // data key -> file, with `items`
    for (const auto& [file, key] : projected_keys(*volume, config)) file_of.try_emplace(key, file);
    for (const IndexedEntry* too_large_entry : too_large_entries) {
      const IndexedEntry& entry = *too_large_entry;
      std::string_view file = entry.key;
      if (!file_of.empty()) {
        auto it = file_of.find(entry.key);
        if (it == file_of.end()) continue;  // `items` leaves it out
        file = it->second;
      }
      if (!within.empty() && !path_within(file, within)) continue;
      note_unread(&container, container, *config_map, entry,
                  fmt::format("{} is {}, and {} may run it (`{}`)", script_name(*config_map, entry), too_large(entry),
                              describe_container(container), run.command.text()));
    }
  }

  /// Scripts run only by scripts nested kMaxScriptDepth deep, and read by no other command of
  /// their container.
  void note_too_deep() {
    for (const auto& script : too_deep_) {
      if (scripts_read_.count({script.container, script.entry})) continue;
      note_unread(script.container, *script.container, *script.config_map, *script.entry,
                  fmt::format("{} is run by a script nested {} deep ({}), deeper than scripts are followed",
                              script_name(*script.config_map, *script.entry), kMaxScriptDepth, script.run_by));
    }
  }

  /// The items of an argv list (command, args, a lifecycle hook's exec command) as texts that
  /// command words point into.
  void read_argv_items(NodeId list, const std::string& pointer, std::vector<std::string_view>& argv,
                       std::vector<TextSource>& sources) const {
    const YamlTree& tree = in_.tree;
    std::size_t index = 0;
    for (NodeId item : tree.items(list)) {
      const std::string at = fmt::format("{}/{}", pointer, index++);
      auto text = tree.scalar(item);
      if (!text) continue;
      const YamlNode& node = tree.node(item);
      argv.push_back(*text);
      sources.push_back(TextSource{*text, node.span, node.style == ScalarStyle::Block, at, in_.file, nullptr});
    }
  }

  void read_commands(const ContainerView& container) {
    const YamlTree& tree = in_.tree;
    const ShellEnv env = container_env(tree, container);
    std::vector<std::string_view> argv;
    std::vector<TextSource> sources;
    for (const char* key : {"command", "args"}) {
      read_argv_items(tree.get(container.node, key), container.pointer + "/" + key, argv, sources);
    }
    if (!argv.empty()) add_commands(container, read_argv(argv, env, commands_left()), sources, nullptr, env, 0);
    // An Argo script template's source is a file its command runs; only a shell's is read.
    if (auto script = tree.scalar(container.script); script && runs_shell(tree, container)) {
      const YamlNode& node = tree.node(container.script);
      const std::vector<TextSource> script_sources{TextSource{*script, node.span, node.style == ScalarStyle::Block,
                                                              container.pointer + "/source", in_.file, nullptr}};
      add_commands(container, read_script(*script, 0, env, commands_left()), script_sources,
                   std::make_shared<const std::string>("the template's script"), env, 0);
    }
    // Lifecycle hooks run in the container too (CNI installers use postStart).
    for (const char* hook : {"postStart", "preStop"}) {
      const NodeId exec = tree.get(tree.get(tree.get(tree.get(container.node, "lifecycle"), hook), "exec"), "command");
      std::vector<std::string_view> hook_argv;
      std::vector<TextSource> hook_sources;
      read_argv_items(exec, fmt::format("{}/lifecycle/{}/exec/command", container.pointer, hook), hook_argv,
                      hook_sources);
      if (!hook_argv.empty())
        add_commands(container, read_argv(hook_argv, env, commands_left()), hook_sources, nullptr, env, 0);
    }
  }

  /// Where a chroot directory of a container is on the host.
  struct Chroot {
    const HostMount* mount = nullptr;  ///< the hostPath mount that holds the directory
    std::optional<std::string> root;   ///< the host path it is, through that mount
  };

  /// The chroot directory `chroot` (a string that commands share) of the container, worked out
  /// once however many commands run in it.
  const Chroot& chroot_of(const ContainerView& container, const std::string& chroot) const {
    auto [it, fresh] = chroots_.try_emplace({&container, &chroot});
    if (fresh) {
      const std::string dir = normalize_host_path(chroot);
      it->second.mount = out_.host_mount_of(container, dir);
      if (it->second.mount) {
        it->second.root =
            normalize_host_path(it->second.mount->host_path + "/" + dir.substr(it->second.mount->mount_path.size()));
      }
    }
    return it->second;
  }

  /// The container's deepest mount (of any volume) that holds `path`.
  const VolumeMountView* deepest_mount(const ContainerView& container, std::string_view path) const {
    auto found = mounts_by_path_.deepest(&container, path);
    return found ? &container.mounts[*found] : nullptr;
  }

  /// Where a path the command names lands on the host: (host path, the mount it goes through).
  std::optional<std::pair<std::string, const HostMount*>> to_host(const RunCommand& run,
                                                                  std::string_view written) const {
    if (!written.starts_with("/")) return std::nullopt;
    const std::string path = normalize_host_path(written);
    const ShellCommand& command = run.command;
    if (command.host_namespace) {
      const std::string host = !command.chroot ? path : normalize_host_path(*command.chroot + "/" + path);
      return std::make_pair(host, nullptr);
    }
    if (command.chroot) {
      const Chroot& chroot = chroot_of(*run.container, *command.chroot);
      if (!chroot.root) return std::nullopt;
      if (chroot.mount && chroot.mount->read_only) return std::nullopt;
      return std::make_pair(normalize_host_path(*chroot.root + "/" + path), chroot.mount);
    }
    const VolumeMountView* deepest = deepest_mount(*run.container, path);
    if (!deepest) return std::nullopt;
    const HostMount* mount = out_.host_mount_of(*run.container, path);
    if (!mount || mount->mount_path != normalize_host_path(deepest->mount_path) || mount->read_only)
      return std::nullopt;
    return std::make_pair(normalize_host_path(mount->host_path + "/" + path.substr(mount->mount_path.size())), mount);
  }

  void read_writes(const RunCommand& run) {
    for (const auto& [written, kind] : written_paths(run.command)) {
      auto host = to_host(run, written);
      if (!host || is_kernel_filesystem(host->first)) continue;
      if (host->second && host->second->read_file) continue;
      HostWrite write;
      write.host_path = host->first;
      write.kind = kind;
      write.mount = host->second;
      write.volume = host->second ? host->second->volume : nullptr;
      write.how = run.describe();
      write.site = run.site;
      write.container = run.container->name;
      write.cause = write.volume ? write.volume->pointer : run.cause;
      out_.writes.push_back(std::move(write));
    }
  }

  void read_volume_types() {
    const YamlTree& tree = in_.tree;
    for (const auto& volume : in_.pod.volumes) {
      const NodeId host_path = tree.get(volume.node, "hostPath");
      auto path = tree.scalar(tree.get(host_path, "path"));
      auto type = tree.scalar(tree.get(host_path, "type"));
      if (!path || path->empty() || !type || (*type != "DirectoryOrCreate" && *type != "FileOrCreate")) continue;
      const std::string host = normalize_host_path(*path);
      if (is_read_file(host)) continue;
      HostWrite write;
      write.host_path = host;
      write.kind = WriteKind::Creates;
      write.volume = &volume;
      write.how = fmt::format("hostPath type {} makes the kubelet create {} when it is missing", *type, *path);
      const MapEntry* entry = tree.find(host_path, "type");
      write.site.place = Place{in_.file, tree.span_of(*entry), volume.pointer + "/hostPath/type"};
      write.cause = volume.pointer;
      out_.writes.push_back(std::move(write));
    }
  }

  Site container_site(const ContainerView& container, const char* preferred) const {
    const YamlTree& tree = in_.tree;
    for (const char* key : {preferred, "image", "command", "args", "env"}) {
      if (const MapEntry* entry = tree.find(container.node, key)) {
        return Site{Place{in_.file, tree.span_of(*entry), container.pointer + "/" + key}, nullptr};
      }
    }
    return Site{Place{in_.file, tree.node(container.node).span, container.pointer}, nullptr};
  }

  /// The value of the first environment variable a matcher names, as a site.
  Site env_site(const ContainerView& container, const std::map<std::string, std::vector<std::string>>& names) const {
    const YamlTree& tree = in_.tree;
    std::size_t index = 0;
    for (NodeId item : tree.items(tree.get(container.node, "env"))) {
      const std::string pointer = fmt::format("{}/env/{}", container.pointer, index++);
      auto name = tree.scalar(tree.get(item, "name"));
      if (!name || !names.count(std::string(*name))) continue;
      return Site{Place{in_.file, tree.node(item).span, pointer}, nullptr};
    }
    return container_site(container, "env");
  }

  std::map<std::string, std::string> literal_env(const ContainerView& container) const {
    std::map<std::string, std::string> literal;
    for (auto& [name, value] : container_env(in_.tree, container)) {
      if (value) literal[name] = *value;
    }
    return literal;
  }

  void read_catalogue(const ContainerView& container) {
    const YamlTree& tree = in_.tree;
    const std::string image(tree.scalar(tree.get(container.node, "image")).value_or(""));
    const std::string line = command_line(tree, container);
    const auto env = literal_env(container);
    for (const auto& installer : in_.catalogue.installers()) {
      if (!installer.match.matches(image, line, env)) continue;
      const Site site = container_site(container, installer.match.command ? "command" : "image");
      for (const auto& target : installer.writes) {
        for (const std::size_t index : host_mounts_of(container)) {
          const HostMount& mount = out_.mounts[index];
          // The installer writes through the mount it has for that path; a mount of the whole
          // root would claim every path, so it is not taken as evidence of any.
          if (mount.read_only || mount.read_file || mount.host_path == "/") continue;
          std::string host;
          if (path_within(target.path, mount.host_path)) {
            host = target.path;
          } else if (path_within(mount.host_path, target.path)) {
            host = mount.host_path;
          } else {
            continue;
          }
          installer_mounts_.insert(&mount);
          HostWrite write;
          write.host_path = host;
          write.kind = WriteKind::Copies;
          write.programs = target.programs;
          write.mount = &mount;
          write.volume = mount.volume;
          write.how = fmt::format("{} {} ({}) [{}]", describe_container(container), installer.does,
                                  installer.match.command ? "its command" : "its image", installer.source);
          write.site = site;
          write.container = container.name;
          write.cause = mount.volume->pointer;
          out_.writes.push_back(std::move(write));
        }
      }
    }
    for (const auto& known : in_.catalogue.kernel_work()) {
      if (!known.match.matches(image, line, env)) continue;
      KernelWork work;
      work.known = &known;
      work.container = &container;
      work.site = known.match.command || known.match.image
                      ? container_site(container, known.match.command ? "command" : "image")
                      : env_site(container, known.match.env);
      work.how = fmt::format("{} {} [{}]", describe_container(container), known.does, known.source);
      if (known.off_when) {
        if (auto setting = config_setting(*known.off_when)) {
          const auto& values = known.off_when->values;
          if (std::find(values.begin(), values.end(), setting->first) != values.end()) {
            work.off = true;
            work.off_by = setting->second;
          }
        }
      }
      out_.kernel.push_back(std::move(work));
      break;  // the first entry that matches a container applies
    }
  }

  /// Installers known only by name or switch: for each container that runs one (the first entry
  /// that matches it), an intended install through each of its writable hostPath mounts.
  void read_install_intents() {
    const auto& intents = in_.catalogue.install_intents();
    if (intents.empty()) return;
    // The first command of each container that runs each entry's programs, in one pass over the
    // commands, so that the cost does not grow with containers times commands.
    std::unordered_map<std::string_view, std::vector<std::size_t>> entries_of_program;
    for (std::size_t i = 0; i < intents.size(); ++i) {
      for (const auto& program : intents[i].runs) entries_of_program[program].push_back(i);
    }
    std::map<std::pair<const ContainerView*, std::size_t>, const RunCommand*> first_run;
    if (!entries_of_program.empty()) {
      for (const auto& run : out_.commands) {
        // The program itself, or the script it runs (`sh /install-cni.sh`).
        const std::string_view file = run.command.runs_file;
        const std::string_view script = file.substr(file.find_last_of('/') + 1);
        for (const std::string_view program : {run.command.program(), script}) {
          auto entries = entries_of_program.find(program);
          if (program.empty() || entries == entries_of_program.end()) continue;
          for (const std::size_t i : entries->second) first_run.try_emplace({run.container, i}, &run);
        }
      }
    }
    for (const auto& container : in_.pod.containers) {
      if (host_mounts_of(container).empty()) continue;
      const auto env = literal_env(container);
      for (std::size_t i = 0; i < intents.size(); ++i) {
        const InstallIntent& intent = intents[i];
        const RunCommand* run = nullptr;
        if (!intent.runs.empty()) {
          auto found = first_run.find({&container, i});
          if (found == first_run.end()) continue;
          run = found->second;
        }
        if (!switches_on(intent.env, env)) continue;
        add_intended(container, intent, run, env);
        break;  // the first entry that matches a container applies
      }
    }
  }

  /// Every switch is set, literally, to one of the values that turn the install on.
  static bool switches_on(const std::map<std::string, std::vector<std::string>>& switches,
                          const std::map<std::string, std::string>& env) {
    for (const auto& [name, values] : switches) {
      auto it = env.find(name);
      if (it == env.end() || std::find(values.begin(), values.end(), it->second) == values.end()) return false;
    }
    return true;
  }

  void add_intended(const ContainerView& container, const InstallIntent& intent, const RunCommand* run,
                    const std::map<std::string, std::string>& env) {
    std::string trigger = run ? run->describe() : describe_container(container);
    std::string separator = run ? " with " : " sets ";
    for (const auto& name : intent.env | std::views::keys) {
      trigger += fmt::format("{}{}={}", separator, name, env.at(name));  // set, as switches_on found
      separator = ", ";
    }
    const std::string how = fmt::format("{}: an installer that {}; what it writes is up to its image [{}]", trigger,
                                        intent.does, intent.source);
    const Site site = run ? run->site : env_site(container, intent.env);
    for (const std::size_t index : host_mounts_of(container)) {
      const HostMount& mount = out_.mounts[index];
      // A mount of the whole root would claim every path; what a known installer writes through
      // a mount is known better than this.
      if (mount.read_only || mount.read_file || mount.host_path == "/" || is_kernel_filesystem(mount.host_path) ||
          installer_mounts_.count(&mount)) {
        continue;
      }
      HostWrite write;
      write.host_path = mount.host_path;
      write.kind = WriteKind::Copies;
      write.at_most = Verdict::LikelyBreaks;
      write.mount = &mount;
      write.volume = mount.volume;
      write.how = how;
      write.site = site;
      write.container = container.name;
      write.cause = mount.volume->pointer;
      out_.intended.push_back(std::move(write));
    }
  }

  /// The ConfigMaps the pod mounts, as the index has them, each once, in the order of the volumes.
  /// Found once per workload.
  const std::vector<const IndexedConfigMap*>& mounted_config_maps() const {
    if (mounted_config_maps_) return *mounted_config_maps_;
    auto& found = mounted_config_maps_.emplace();
    if (!in_.index) return found;
    const YamlTree& tree = in_.tree;
    std::unordered_set<const IndexedConfigMap*> seen;
    for (const auto& volume : in_.pod.volumes) {
      auto name = tree.scalar(tree.get(tree.get(volume.node, "configMap"), "name"));
      if (!name) continue;
      const IndexedConfigMap* config_map = in_.index->config_map(in_.object.ref.namespace_, *name);
      if (config_map && seen.insert(config_map).second) found.push_back(config_map);
    }
    return found;
  }

  /// The value of a setting in a mounted ConfigMap (a YAML document under `key`), and a
  /// description of where it is. Read once per workload, however many containers ask.
  const std::optional<std::pair<std::string, std::string>>& config_setting(const ConfigSwitch& setting) const {
    auto [it, fresh] = config_settings_.try_emplace(&setting);
    if (fresh) it->second = read_config_setting(setting);
    return it->second;
  }

  std::optional<std::pair<std::string, std::string>> read_config_setting(const ConfigSwitch& setting) const {
    for (const IndexedConfigMap* config_map : mounted_config_maps()) {
      const IndexedEntry* entry = entry_of(*config_map, setting.key);
      if (!entry) continue;
      auto documents = parse_yaml_documents(entry->text(), 1);
      if (documents.empty() || documents[0].error) continue;
      const YamlTree& tree = documents[0].tree;
      NodeId node = tree.root();
      std::string_view path = setting.setting;
      while (!path.empty() && node != kNoNode) {
        const auto dot = path.find('.');
        node = tree.get(node, path.substr(0, dot));
        path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
      }
      auto value = tree.scalar(node);
      if (!value) continue;
      return std::make_pair(std::string(*value), fmt::format("{}: {} in {} of ConfigMap {}", setting.setting, *value,
                                                             setting.key, config_map->ref.qualified_name()));
    }
    return std::nullopt;
  }

  /// Strings found at a `a.b[].c[]` path of a JSON document.
  static void walk_json(const nlohmann::json& node, std::string_view path, std::vector<std::string>& out) {
    if (path.empty()) {
      if (node.is_string()) out.push_back(node.get<std::string>());
      return;
    }
    const auto dot = path.find('.');
    std::string_view step = path.substr(0, dot);
    const std::string_view rest = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    const bool each = step.ends_with("[]");
    if (each) step.remove_suffix(2);
    const nlohmann::json* child = &node;
    if (!step.empty()) {
      if (!node.is_object()) return;
      auto it = node.find(std::string(step));
      if (it == node.end()) return;
      child = &*it;
    }
    if (!each) {
      walk_json(*child, rest, out);
      return;
    }
    if (!child->is_array()) return;
    for (const auto& item : *child) walk_json(item, rest, out);
  }

  void read_config_host_paths() {
    for (const IndexedConfigMap* config_map : mounted_config_maps()) {
      for (const auto& known : in_.catalogue.config_host_paths()) {
        const IndexedEntry* entry = entry_of(*config_map, known.key);
        if (!entry) continue;
        const std::string text = entry->text();
        const nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
        if (document.is_discarded()) continue;
        std::vector<std::string> paths;
        walk_json(document, known.json, paths);
        const TextSource source = entry_source(text, *entry, *config_map);
        std::size_t searched = 0;
        for (const auto& path : paths) {
          if (!path.starts_with("/")) continue;
          const auto at = text.find("\"" + path + "\"", searched);
          if (at != std::string::npos) searched = at + 1;
          HostWrite write;
          write.host_path = normalize_host_path(path);
          write.kind = WriteKind::Creates;
          write.how = fmt::format("{} of ConfigMap {} names {}: {} [{}]", known.key, config_map->ref.name, path,
                                  known.does, known.source);
          write.site = site_of(source, static_cast<std::uint32_t>(at == std::string::npos ? 0 : at));
          write.cause = fmt::format("{}#L{}", write.site.place.field, write.site.place.span.begin.line);
          out_.writes.push_back(std::move(write));
        }
      }
    }
  }

  /// The files a command names through one of the entry's options: `--option=a,b` or
  /// `--option a,b`, each time the option is given.
  static std::vector<std::string> named_files(const ShellCommand& command, const std::vector<std::string>& flags) {
    std::vector<std::string> files;
    const auto args = command.args();
    for (std::size_t i = 0; i < args.size(); ++i) {
      const ShellWord& word = args[i];
      const ShellWord* value = nullptr;
      std::string_view text;
      for (const auto& flag : flags) {
        if (word.text == flag && i + 1 < args.size()) {
          value = &args[i + 1];
          text = value->text;
        } else if (word.text.starts_with(flag) && word.text.size() > flag.size() && word.text[flag.size()] == '=') {
          value = &word;
          text = std::string_view(word.text).substr(flag.size() + 1);
        }
        if (value) break;
      }
      // A list only known at run time names no file.
      if (!value || value->unknown) continue;
      for (std::size_t start = 0; start <= text.size();) {
        auto end = text.find(',', start);
        if (end == std::string_view::npos) end = text.size();
        if (end > start) files.emplace_back(text.substr(start, end - start));
        start = end + 1;
      }
    }
    return files;
  }

  /// Configuration files of mounted ConfigMaps that the commands name and that make the container
  /// read the systemd journal. Each file is judged from its JSON, read once per workload.
  void read_journal_configs() {
    const auto& known_list = in_.catalogue.config_journal();
    if (!in_.index || known_list.empty()) return;
    std::map<const IndexedEntry*, std::optional<nlohmann::json>> parsed;
    std::set<std::pair<const ContainerView*, const IndexedEntry*>> seen;
    for (const auto& run : out_.commands) {
      for (const auto& known : known_list) {
        const auto files = named_files(run.command, known.flags);
        const std::size_t monitors = files.size() + named_files(run.command, known.other_flags).size();
        for (const auto& file : files) {
          auto mounted = mounted_file(*run.container, file);
          if (!mounted || !known.key ||
              !re2::RE2::PartialMatch(re2::StringPiece(mounted->key.data(), mounted->key.size()), *known.key)) {
            continue;
          }
          const IndexedConfigMap* config_map = in_.index->config_map(in_.object.ref.namespace_, mounted->config_map);
          const IndexedEntry* entry = config_map ? entry_of(*config_map, mounted->key) : nullptr;
          if (!entry || entry->too_large || !seen.insert({run.container, entry}).second) continue;
          add_journal_config(run, known, *config_map, *entry, parsed, monitors);
        }
      }
    }
  }

  void add_journal_config(const RunCommand& run, const ConfigJournal& known, const IndexedConfigMap& config_map,
                          const IndexedEntry& entry,
                          std::map<const IndexedEntry*, std::optional<nlohmann::json>>& parsed, std::size_t monitors) {
    const std::string text = entry.text();
    auto [it, fresh] = parsed.try_emplace(&entry);
    if (fresh) {
      nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
      if (!document.is_discarded()) it->second = std::move(document);
    }
    if (!it->second) return;
    std::vector<std::string> settings;
    walk_json(*it->second, known.json, settings);
    auto value = std::find_first_of(settings.begin(), settings.end(), known.values.begin(), known.values.end());
    if (value == settings.end()) return;
    std::vector<std::string> details;
    if (!known.detail.empty()) walk_json(*it->second, known.detail, details);
    // The setting's line: its key, then its value.
    const std::string_view setting_key = std::string_view(known.json).substr(known.json.find_last_of('.') + 1);
    const auto key_at = text.find(fmt::format("\"{}\"", setting_key));
    const auto at = key_at == std::string::npos ? key_at : text.find(fmt::format("\"{}\"", *value), key_at);
    JournalConfig config;
    config.known = &known;
    config.container = run.container;
    config.file = fmt::format("{} of ConfigMap {}", entry.key, config_map.ref.qualified_name());
    config.setting = fmt::format("{}: {}", known.json, *value);
    config.how = fmt::format("{} sets {}{}: {} [{}]", config.file, config.setting,
                             details.empty() ? std::string() : fmt::format(" ({}: {})", known.detail, details.front()),
                             known.does, known.source);
    config.site =
        site_of(entry_source(text, entry, config_map), static_cast<std::uint32_t>(at == std::string::npos ? 0 : at));
    config.named_by = run.describe();
    config.command_site = run.site;
    config.cause = run.cause;
    config.monitors = monitors;
    out_.journal.push_back(std::move(config));
  }

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

}  // namespace

std::vector<WrittenPath> written_paths(const ShellCommand& command) {
  std::vector<WrittenPath> out;
  for (const auto& [word, kind] : destinations(command)) {
    // `$DEST/etc/x` names no known directory; `${ROOT:-/host}/etc/x` with ROOT unset does.
    if (word.text.empty() || word.unknown_before_slash || (word.unknown && !word.text.starts_with("/"))) continue;
    std::string written = path_of(word);
    if (!written.starts_with("/") && command.cwd) written = *command.cwd + "/" + written;
    if (!written.starts_with("/")) continue;
    out.push_back({normalize_host_path(written), kind});
  }
  return out;
}

WorkloadEvidence gather_evidence(const EvidenceInput& input) {
  WorkloadEvidenceReader reader(input);
  return reader.read();
}

}  // namespace immutalint
