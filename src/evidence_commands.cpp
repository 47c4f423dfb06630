// One workload's commands as evidence: its containers' argv, the scripts they run from mounted
// ConfigMaps (nested, within budgets), chroots, and the host paths the commands write.
#include "evidence_reader.hpp"

namespace immutalint::evidence_reading {

std::size_t WorkloadEvidenceReader::commands_left() const {
  return kMaxCommandsPerWorkload - std::min(kMaxCommandsPerWorkload, out_.commands.size());
}

void WorkloadEvidenceReader::add_commands(const ContainerView& container, std::vector<ShellCommand> commands,
                                          const std::vector<TextSource>& sources,
                                          const std::shared_ptr<const std::string>& origin, const ShellEnv& env,
                                          int depth) {
  for (auto& command : commands) {
    RunCommand run;
    run.container = &container;
    const ShellWord* anchor =
        command.argv.empty() ? (command.redirects.empty() ? nullptr : &command.redirects[0].target) : &command.argv[0];
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

void WorkloadEvidenceReader::note_cut(const ContainerView& container, const Site& site) {
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

std::string WorkloadEvidenceReader::script_name(const IndexedConfigMap& config_map, const IndexedEntry& entry) {
  return fmt::format("script \"{}\" of ConfigMap {}", entry.key, config_map.ref.qualified_name());
}

std::string WorkloadEvidenceReader::too_large(const IndexedEntry& entry) {
  return fmt::format("{} bytes, more than the {} MiB that commands are read from", entry.too_large.value_or(0),
                     kMaxScriptBytes >> 20);
}

void WorkloadEvidenceReader::note_unread(const ContainerView* once_for, const ContainerView& container,
                                         const IndexedConfigMap& config_map, const IndexedEntry& entry,
                                         std::string why) {
  if (!unread_noted_.insert({once_for, &entry}).second) return;
  UnreadCommands unread;
  unread.container = &container;
  unread.site.place = Place{config_map.file, Span{entry.entry_span.begin, entry.entry_span.begin},
                            "/data/" + json_pointer_token(entry.key)};
  unread.site.config_map = &config_map;
  unread.message = why + "; its commands were not checked";
  out_.unread.push_back(std::move(unread));
}

void WorkloadEvidenceReader::note_may_run(const ContainerView& container, std::string_view runs,
                                          const RunCommand& run) {
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
  std::string within = dir == mount_path ? std::string() : dir.substr(mount_path.size() + (mount_path == "/" ? 0 : 1));
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

void WorkloadEvidenceReader::note_too_deep() {
  for (const auto& script : too_deep_) {
    if (scripts_read_.count({script.container, script.entry})) continue;
    note_unread(script.container, *script.container, *script.config_map, *script.entry,
                fmt::format("{} is run by a script nested {} deep ({}), deeper than scripts are followed",
                            script_name(*script.config_map, *script.entry), kMaxScriptDepth, script.run_by));
  }
}

void WorkloadEvidenceReader::read_argv_items(NodeId list, const std::string& pointer,
                                             std::vector<std::string_view>& argv,
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

void WorkloadEvidenceReader::read_commands(const ContainerView& container) {
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

const WorkloadEvidenceReader::Chroot& WorkloadEvidenceReader::chroot_of(const ContainerView& container,
                                                                        const std::string& chroot) const {
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

const VolumeMountView* WorkloadEvidenceReader::deepest_mount(const ContainerView& container,
                                                             std::string_view path) const {
  auto found = mounts_by_path_.deepest(&container, path);
  return found ? &container.mounts[*found] : nullptr;
}

std::optional<std::pair<std::string, const HostMount*>> WorkloadEvidenceReader::to_host(
    const RunCommand& run, std::string_view written) const {
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
  if (!mount || mount->mount_path != normalize_host_path(deepest->mount_path) || mount->read_only) return std::nullopt;
  return std::make_pair(normalize_host_path(mount->host_path + "/" + path.substr(mount->mount_path.size())), mount);
}

void WorkloadEvidenceReader::read_writes(const RunCommand& run) {
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

}  // namespace immutalint::evidence_reading
