// Evidence from the evidence catalogue: installers known by name or switch, settings read from
// mounted ConfigMaps, host paths in configuration files, and journal configuration.
#include "evidence_reader.hpp"

namespace immutalint::evidence_reading {

std::map<std::string, std::string> WorkloadEvidenceReader::literal_env(const ContainerView& container) const {
  std::map<std::string, std::string> literal;
  for (auto& [name, value] : container_env(in_.tree, container)) {
    if (value) literal[name] = *value;
  }
  return literal;
}

void WorkloadEvidenceReader::read_catalogue(const ContainerView& container) {
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

void WorkloadEvidenceReader::read_install_intents() {
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

bool WorkloadEvidenceReader::switches_on(const std::map<std::string, std::vector<std::string>>& switches,
                                         const std::map<std::string, std::string>& env) {
  for (const auto& [name, values] : switches) {
    auto it = env.find(name);
    if (it == env.end() || std::find(values.begin(), values.end(), it->second) == values.end()) return false;
  }
  return true;
}

void WorkloadEvidenceReader::add_intended(const ContainerView& container, const InstallIntent& intent,
                                          const RunCommand* run, const std::map<std::string, std::string>& env) {
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

const std::vector<const IndexedConfigMap*>& WorkloadEvidenceReader::mounted_config_maps() const {
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

const std::optional<std::pair<std::string, std::string>>& WorkloadEvidenceReader::config_setting(
    const ConfigSwitch& setting) const {
  auto [it, fresh] = config_settings_.try_emplace(&setting);
  if (fresh) it->second = read_config_setting(setting);
  return it->second;
}

std::optional<std::pair<std::string, std::string>> WorkloadEvidenceReader::read_config_setting(
    const ConfigSwitch& setting) const {
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

void WorkloadEvidenceReader::walk_json(const nlohmann::json& node, std::string_view path,
                                       std::vector<std::string>& out) {
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

void WorkloadEvidenceReader::read_config_host_paths() {
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

std::vector<std::string> WorkloadEvidenceReader::named_files(const ShellCommand& command,
                                                             const std::vector<std::string>& flags) {
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

void WorkloadEvidenceReader::read_journal_configs() {
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

void WorkloadEvidenceReader::add_journal_config(const RunCommand& run, const ConfigJournal& known,
                                                const IndexedConfigMap& config_map, const IndexedEntry& entry,
                                                std::map<const IndexedEntry*, std::optional<nlohmann::json>>& parsed,
                                                std::size_t monitors) {
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

}  // namespace immutalint::evidence_reading
