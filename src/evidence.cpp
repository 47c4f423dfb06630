// Reads what a workload does to its node: the commands its containers run (their own, and
// ConfigMap scripts they run), which host paths those commands write through hostPath mounts
// or directly on the host, what known installers and driver loaders do, where installers known
// only by name or install switch may install, which host paths a ConfigMap of the input makes a
// workload create, and which ConfigMap files its commands name make it read the systemd journal.
#include "immutalint/evidence.hpp"

#include "evidence_reader.hpp"

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

}  // namespace immutalint

namespace immutalint::evidence_reading {

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

std::string path_of(const ShellWord& word) {
  std::string_view text = word.text;
  if (text.starts_with("of=")) text.remove_prefix(3);
  if (text.starts_with("--")) {
    const auto eq = text.find('=');
    if (eq != std::string_view::npos) text.remove_prefix(eq + 1);
  }
  return std::string(text);
}

bool runs_shell(const YamlTree& tree, const ContainerView& container) {
  const auto command = tree.items(tree.get(container.node, "command"));
  auto program = command.empty() ? std::nullopt : tree.scalar(command.front());
  if (!program) return false;
  const std::string_view name = program->substr(program->rfind('/') + 1);
  return name == "sh" || name == "bash" || name == "ash" || name == "dash" || name == "ksh" || name == "zsh";
}

WorkloadEvidence WorkloadEvidenceReader::read() {
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
  for (std::size_t i = 0; i < out_.mounts.size(); ++i) host_mounts_by_container_[out_.mounts[i].container].push_back(i);
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

const std::vector<std::size_t>& WorkloadEvidenceReader::host_mounts_of(const ContainerView& container) const {
  static const std::vector<std::size_t> kNone;
  auto it = host_mounts_by_container_.find(&container);
  return it == host_mounts_by_container_.end() ? kNone : it->second;
}

const VolumeView* WorkloadEvidenceReader::volume_named(std::string_view name) const {
  auto it = volumes_by_name_.find(name);
  return it == volumes_by_name_.end() ? nullptr : it->second;
}

bool WorkloadEvidenceReader::is_read_file(std::string_view host_path) const {
  for (const auto& file : in_.catalogue.read_files()) {
    if (path_within(host_path, file)) return true;
  }
  return false;
}

void WorkloadEvidenceReader::read_mounts() {
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
      host.host_path =
          normalize_host_path(mount.sub_path.empty() ? std::string(*path) : std::string(*path) + "/" + mount.sub_path);
      host.read_only = mount.read_only;
      host.read_file = is_read_file(host.host_path);
      out_.mounts.push_back(std::move(host));
    }
  }
}

std::optional<WorkloadEvidenceReader::MountedFile> WorkloadEvidenceReader::mounted_file(const ContainerView& container,
                                                                                        std::string_view file) const {
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

const std::unordered_map<std::string, std::string>& WorkloadEvidenceReader::projected_keys(const VolumeView& volume,
                                                                                           NodeId config) const {
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

std::pair<const IndexedConfigMap*, const IndexedEntry*> WorkloadEvidenceReader::mounted_script(
    const MountedFile& mounted) const {
  if (!in_.index) return {nullptr, nullptr};
  const IndexedConfigMap* config_map = in_.index->config_map(in_.object.ref.namespace_, mounted.config_map);
  if (!config_map) return {nullptr, nullptr};
  const IndexedEntry* entry = entry_of(*config_map, mounted.key);
  if (!entry || entry->config) return {nullptr, nullptr};
  return {config_map, entry};
}

const IndexedEntry* WorkloadEvidenceReader::entry_of(const IndexedConfigMap& config_map, std::string_view key) const {
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

void WorkloadEvidenceReader::read_volume_types() {
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

Site WorkloadEvidenceReader::container_site(const ContainerView& container, const char* preferred) const {
  const YamlTree& tree = in_.tree;
  for (const char* key : {preferred, "image", "command", "args", "env"}) {
    if (const MapEntry* entry = tree.find(container.node, key)) {
      return Site{Place{in_.file, tree.span_of(*entry), container.pointer + "/" + key}, nullptr};
    }
  }
  return Site{Place{in_.file, tree.node(container.node).span, container.pointer}, nullptr};
}

Site WorkloadEvidenceReader::env_site(const ContainerView& container,
                                      const std::map<std::string, std::vector<std::string>>& names) const {
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

}  // namespace immutalint::evidence_reading

namespace immutalint {

using evidence_reading::WorkloadEvidenceReader;

std::vector<WrittenPath> written_paths(const ShellCommand& command) {
  std::vector<WrittenPath> out;
  for (const auto& [word, kind] : evidence_reading::destinations(command)) {
    // `$DEST/etc/x` names no known directory; `${ROOT:-/host}/etc/x` with ROOT unset does.
    if (word.text.empty() || word.unknown_before_slash || (word.unknown && !word.text.starts_with("/"))) continue;
    std::string written = evidence_reading::path_of(word);
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
