// Reads and validates the evidence catalogue (checks/evidence/*.yaml).
#include "immutalint/evidence_catalogue.hpp"
#include "immutalint/ascii.hpp"
#include "immutalint/text_list.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>

#include <fmt/format.h>
#include <re2/re2.h>

#include "catalogue_data.hpp"
#include "immutalint/target.hpp"
#include "immutalint/yaml_parse.hpp"

namespace immutalint {

bool ContainerMatcher::matches(std::string_view image_name, std::string_view command_line,
                               const std::map<std::string, std::string>& literal_env) const {
  if (!image && !command && env.empty()) return false;
  if (image && !re2::RE2::PartialMatch(re2::StringPiece(image_name.data(), image_name.size()), *image)) return false;
  if (command && !re2::RE2::PartialMatch(re2::StringPiece(command_line.data(), command_line.size()), *command)) {
    return false;
  }
  for (const auto& [name, values] : env) {
    auto it = literal_env.find(name);
    if (it == literal_env.end() || std::find(values.begin(), values.end(), it->second) == values.end()) return false;
  }
  return true;
}

bool VmSizeFamily::has(std::string_view trait) const {
  return std::find(traits.begin(), traits.end(), trait) != traits.end();
}

namespace {

constexpr std::string_view kVmSizeTraits[] = {"confidential", "gen1-only",  "no-trusted-launch",
                                              "arm64",        "nvidia-gpu", "amd-gpu"};

/// Reads one catalogue file, reporting the first thing wrong with it.
class CatalogueFileReader {
 public:
  CatalogueFileReader(const std::string& file, const YamlTree& tree) : file_(file), tree_(tree) {}

  Error fail(NodeId at, const std::string& why) const {
    const auto line = at == kNoNode ? 0u : tree_.node(at).span.begin.line;
    return Error{fmt::format("checks/evidence/{}:{}: {}", file_, line, why)};
  }

  std::string text(NodeId mapping, std::string_view key) const {
    return std::string(tree_.scalar(tree_.get(mapping, key)).value_or(""));
  }

  std::vector<std::string> strings(NodeId node) const {
    std::vector<std::string> out;
    if (tree_.is_scalar(node)) out.emplace_back(*tree_.scalar(node));
    for (NodeId item : tree_.items(node)) out.emplace_back(tree_.scalar(item).value_or(""));
    return out;
  }

  Result<bool> check_keys(NodeId mapping, std::initializer_list<std::string_view> known) const {
    if (!tree_.is_mapping(mapping)) return fail(mapping, "expected a mapping");
    for (const auto& entry : tree_.entries(mapping)) {
      if (std::find(known.begin(), known.end(), entry.key) == known.end()) {
        return fail(entry.value, fmt::format("unknown field `{}`", entry.key));
      }
    }
    return true;
  }

  Result<std::shared_ptr<const re2::RE2>> pattern(NodeId mapping, std::string_view key, std::string& text_out) const {
    text_out = text(mapping, key);
    if (text_out.empty()) return std::shared_ptr<const re2::RE2>();
    auto compiled = std::make_shared<const re2::RE2>(text_out, re2::RE2::Quiet);
    if (!compiled->ok()) return fail(tree_.get(mapping, key), fmt::format("`{}`: {}", key, compiled->error()));
    return compiled;
  }

  Result<ContainerMatcher> matcher(NodeId entry) const {
    ContainerMatcher match;
    auto image = pattern(entry, "image", match.image_pattern);
    if (!image) return image.error();
    match.image = *image;
    auto command = pattern(entry, "command", match.command_pattern);
    if (!command) return command.error();
    match.command = *command;
    for (const auto& variable : tree_.entries(tree_.get(entry, "env")))
      match.env[variable.key] = strings(variable.value);
    if (!match.image && !match.command && match.env.empty()) {
      return fail(entry, "an entry needs `image`, `command` or `env` to recognise a container");
    }
    return match;
  }

  Result<bool> common(NodeId entry, std::string& name, std::string& does, std::string& source,
                      const std::map<std::string, std::string>& sources) const {
    name = text(entry, "name");
    does = text(entry, "does");
    source = text(entry, "source");
    if (name.empty() || does.empty()) return fail(entry, "every entry needs `name` and `does`");
    return known_sources(entry, name, source, sources);
  }

  /// Every key of `source` (space-separated) is in the file's `sources`.
  Result<bool> known_sources(NodeId entry, const std::string& name, const std::string& source,
                             const std::map<std::string, std::string>& sources) const {
    if (source.empty()) return fail(entry, fmt::format("{}: `source` is required", name));
    for (const std::string& key : split_words(source)) {
      if (!sources.count(key)) return fail(entry, fmt::format("{}: source `{}` is not in `sources`", name, key));
    }
    return true;
  }

  Result<InstallIntent> intent(NodeId entry, const std::map<std::string, std::string>& sources) const {
    if (auto ok = check_keys(entry, {"name", "does", "runs", "env", "source"}); !ok) return ok.error();
    InstallIntent intent;
    if (auto ok = common(entry, intent.name, intent.does, intent.source, sources); !ok) return ok.error();
    intent.runs = strings(tree_.get(entry, "runs"));
    for (const auto& program : intent.runs) {
      // Matched against the program a command runs, without its directory.
      if (program.empty() || program.find('/') != std::string::npos)
        return fail(entry, fmt::format("{}: `runs` names programs without a directory", intent.name));
    }
    for (const auto& variable : tree_.entries(tree_.get(entry, "env"))) {
      auto values = strings(variable.value);
      if (values.empty() || std::find(values.begin(), values.end(), "") != values.end())
        return fail(variable.value,
                    fmt::format("{}: switch `{}` needs the values that turn it on", intent.name, variable.key));
      intent.env[variable.key] = std::move(values);
    }
    if (intent.runs.empty() && intent.env.empty())
      return fail(entry, fmt::format("{}: an entry needs `runs` or `env` to recognise an installer", intent.name));
    return intent;
  }

  Result<ConfigJournal> config_journal(NodeId entry, const std::map<std::string, std::string>& sources) const {
    if (auto ok = check_keys(
            entry, {"name", "does", "flags", "other-flags", "key-pattern", "json", "values", "detail", "source"});
        !ok) {
      return ok.error();
    }
    ConfigJournal journal;
    if (auto ok = common(entry, journal.name, journal.does, journal.source, sources); !ok) return ok.error();
    journal.flags = strings(tree_.get(entry, "flags"));
    journal.other_flags = strings(tree_.get(entry, "other-flags"));
    if (journal.flags.empty() || std::any_of(journal.flags.begin(), journal.flags.end(), [](const std::string& flag) {
          return !flag.starts_with("-") || flag.find('=') != std::string::npos;
        })) {
      return fail(entry,
                  fmt::format("{}: `flags` names the options that list the files, such as --config", journal.name));
    }
    auto key = pattern(entry, "key-pattern", journal.key_pattern);
    if (!key) return key.error();
    journal.key = *key;
    journal.json = text(entry, "json");
    journal.values = strings(tree_.get(entry, "values"));
    journal.detail = text(entry, "detail");
    if (!journal.key || journal.json.empty() || journal.values.empty())
      return fail(entry, fmt::format("{}: `key-pattern`, `json` and `values` are required", journal.name));
    return journal;
  }

  Result<bool> read(std::map<std::string, std::string>& sources, std::vector<KnownInstaller>& installers,
                    std::vector<InstallIntent>& intents, std::vector<KnownKernelWork>& kernel,
                    std::vector<ConfigHostPaths>& host_paths, std::vector<ConfigJournal>& journal,
                    std::vector<std::string>& read_files, std::vector<VmSizeFamily>& vm_sizes,
                    std::vector<RetiredOsSku>& retired) const {
    const NodeId root = tree_.root();
    if (auto ok = check_keys(root, {"sources", "installers", "install-intent", "kernel", "config-host-paths",
                                    "config-journal", "read-files", "vm-sizes", "retired-os-skus"});
        !ok) {
      return ok.error();
    }
    std::map<std::string, std::string> local;
    for (const auto& entry : tree_.entries(tree_.get(root, "sources"))) {
      local[entry.key] = text(tree_.get(root, "sources"), entry.key);
      sources[entry.key] = local[entry.key];
    }
    for (NodeId entry : tree_.items(tree_.get(root, "installers"))) {
      if (auto ok = check_keys(entry, {"name", "does", "image", "command", "env", "writes", "source"}); !ok)
        return ok.error();
      KnownInstaller installer;
      if (auto ok = common(entry, installer.name, installer.does, installer.source, local); !ok) return ok.error();
      auto match = matcher(entry);
      if (!match) return match.error();
      installer.match = std::move(match).value();
      for (NodeId write : tree_.items(tree_.get(entry, "writes"))) {
        if (auto ok = check_keys(write, {"path", "programs"}); !ok) return ok.error();
        InstallerWrite w{normalize_host_path(text(write, "path")),
                         tree_.boolean(tree_.get(write, "programs")).value_or(false)};
        if (!w.path.starts_with("/")) return fail(write, "`path` must be an absolute host path");
        installer.writes.push_back(std::move(w));
      }
      if (installer.writes.empty()) return fail(entry, fmt::format("{}: `writes` lists no path", installer.name));
      installers.push_back(std::move(installer));
    }
    for (NodeId entry : tree_.items(tree_.get(root, "install-intent"))) {
      auto read_intent = intent(entry, local);
      if (!read_intent) return read_intent.error();
      intents.push_back(std::move(read_intent).value());
    }
    for (NodeId entry : tree_.items(tree_.get(root, "kernel"))) {
      if (auto ok = check_keys(entry, {"name", "does", "image", "command", "env", "builds", "loads", "modules",
                                       "at-most", "off-when", "unsupported-on-immutable", "source"});
          !ok) {
        return ok.error();
      }
      KnownKernelWork work;
      if (auto ok = common(entry, work.name, work.does, work.source, local); !ok) return ok.error();
      auto match = matcher(entry);
      if (!match) return match.error();
      work.match = std::move(match).value();
      work.builds = tree_.boolean(tree_.get(entry, "builds")).value_or(false);
      work.loads = tree_.boolean(tree_.get(entry, "loads")).value_or(false);
      work.modules = strings(tree_.get(entry, "modules"));
      if (!work.modules.empty() && !work.loads)
        return fail(entry, fmt::format("{}: `modules` names what it loads; set `loads`", work.name));
      if (const std::string at_most = text(entry, "at-most"); !at_most.empty()) {
        auto verdict = parse_verdict(at_most);
        if (!verdict || *verdict < Verdict::Review)
          return fail(entry, fmt::format("{}: `at-most` is review, likely-breaks or breaks", work.name));
        work.at_most = *verdict;
      }
      if (!work.builds && !work.loads) return fail(entry, fmt::format("{}: set `builds` or `loads`", work.name));
      const NodeId off = tree_.get(entry, "off-when");
      if (off != kNoNode) {
        if (auto ok = check_keys(off, {"key", "setting", "values"}); !ok) return ok.error();
        ConfigSwitch sw{text(off, "key"), text(off, "setting"), strings(tree_.get(off, "values"))};
        if (sw.key.empty() || sw.setting.empty() || sw.values.empty())
          return fail(off, "`off-when` needs `key`, `setting` and `values`");
        work.off_when = std::move(sw);
      }
      const NodeId support = tree_.get(entry, "unsupported-on-immutable");
      if (support != kNoNode) {
        if (auto ok = check_keys(support, {"why", "source", "confidence"}); !ok) return ok.error();
        auto confidence = parse_confidence(text(support, "confidence"));
        WorkloadFact fact{text(support, "why"), text(support, "source"), confidence.value_or(Confidence::Guess)};
        if (fact.why.empty() || fact.source.empty() || !confidence) {
          return fail(support, "`unsupported-on-immutable` needs `why`, `source` and `confidence`");
        }
        if (!local.count(fact.source))
          return fail(support, fmt::format("source `{}` is not in `sources`", fact.source));
        work.immutable_support = std::move(fact);
      }
      kernel.push_back(std::move(work));
    }
    for (NodeId entry : tree_.items(tree_.get(root, "config-host-paths"))) {
      if (auto ok = check_keys(entry, {"name", "does", "key", "json", "source"}); !ok) return ok.error();
      ConfigHostPaths paths;
      if (auto ok = common(entry, paths.name, paths.does, paths.source, local); !ok) return ok.error();
      paths.key = text(entry, "key");
      paths.json = text(entry, "json");
      if (paths.key.empty() || paths.json.empty())
        return fail(entry, fmt::format("{}: `key` and `json` are required", paths.name));
      host_paths.push_back(std::move(paths));
    }
    for (NodeId entry : tree_.items(tree_.get(root, "config-journal"))) {
      auto read_journal = config_journal(entry, local);
      if (!read_journal) return read_journal.error();
      journal.push_back(std::move(read_journal).value());
    }
    for (auto& path : strings(tree_.get(root, "read-files"))) read_files.push_back(normalize_host_path(path));
    for (NodeId entry : tree_.items(tree_.get(root, "vm-sizes"))) {
      if (auto ok = check_keys(entry, {"name", "regex", "traits", "source"}); !ok) return ok.error();
      VmSizeFamily family;
      family.name = text(entry, "name");
      family.source = text(entry, "source");
      family.traits = strings(tree_.get(entry, "traits"));
      auto compiled = pattern(entry, "regex", family.regex);
      if (!compiled) return compiled.error();
      family.pattern = *compiled;
      if (family.name.empty() || !family.pattern || family.traits.empty())
        return fail(entry, "a VM size family needs `name`, `regex` and `traits`");
      for (const auto& trait : family.traits) {
        if (std::find(std::begin(kVmSizeTraits), std::end(kVmSizeTraits), trait) == std::end(kVmSizeTraits))
          return fail(entry, fmt::format("{}: unknown trait `{}`", family.name, trait));
      }
      if (auto ok = known_sources(entry, family.name, family.source, local); !ok) return ok.error();
      vm_sizes.push_back(std::move(family));
    }
    for (NodeId entry : tree_.items(tree_.get(root, "retired-os-skus"))) {
      if (auto ok = check_keys(entry, {"sku", "successor", "why", "source", "confidence"}); !ok) return ok.error();
      auto confidence = parse_confidence(text(entry, "confidence"));
      RetiredOsSku sku{text(entry, "sku"), text(entry, "successor"),
                       WorkloadFact{text(entry, "why"), text(entry, "source"), confidence.value_or(Confidence::Guess)}};
      if (sku.sku.empty() || sku.successor.empty() || sku.retirement.why.empty() || !confidence)
        return fail(entry, "a retired OS SKU needs `sku`, `successor`, `why`, `source` and `confidence`");
      if (auto ok = known_sources(entry, sku.sku, sku.retirement.source, local); !ok) return ok.error();
      retired.push_back(std::move(sku));
    }
    return true;
  }

 private:
  const std::string& file_;
  const YamlTree& tree_;
};

}  // namespace

Result<EvidenceCatalogue> EvidenceCatalogue::parse(std::span<const std::pair<std::string, std::string>> files) {
  EvidenceCatalogue catalogue;
  for (const auto& [name, text] : files) {
    auto documents = parse_yaml_documents(text, 1);
    if (documents.size() != 1 || documents[0].error) {
      return Error{fmt::format("checks/evidence/{}: {}", name,
                               documents.size() == 1 ? documents[0].error->message : "expected one YAML document")};
    }
    CatalogueFileReader reader(name, documents[0].tree);
    auto ok = reader.read(catalogue.sources_, catalogue.installers_, catalogue.install_intents_, catalogue.kernel_work_,
                          catalogue.config_host_paths_, catalogue.config_journal_, catalogue.read_files_,
                          catalogue.vm_size_families_, catalogue.retired_os_skus_);
    if (!ok) return ok.error();
  }
  return catalogue;
}

const Result<EvidenceCatalogue>& EvidenceCatalogue::builtin() {
  static const Result<EvidenceCatalogue> catalogue = [] {
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& file : detail::embedded_evidence_files()) files.emplace_back(file.name, file.text);
    return parse(files);
  }();
  return catalogue;
}

const VmSizeFamily* EvidenceCatalogue::vm_size_family(std::string_view size) const {
  for (const auto& family : vm_size_families_) {
    // The patterns anchor themselves (^…$, or ^… for a whole family such as the M sizes).
    if (re2::RE2::PartialMatch(re2::StringPiece(size.data(), size.size()), *family.pattern)) return &family;
  }
  return nullptr;
}

const RetiredOsSku* EvidenceCatalogue::retired_os_sku(std::string_view sku) const {
  for (const auto& retired : retired_os_skus_) {
    if (equal_ignoring_case(retired.sku, sku)) return &retired;
  }
  return nullptr;
}

bool EvidenceCatalogue::names_config_key(std::string_view key) const {
  for (const auto& work : kernel_work_) {
    if (work.off_when && work.off_when->key == key) return true;
  }
  for (const auto& paths : config_host_paths_) {
    if (paths.key == key) return true;
  }
  for (const auto& journal : config_journal_) {
    if (re2::RE2::PartialMatch(re2::StringPiece(key.data(), key.size()), *journal.key)) return true;
  }
  return false;
}

}  // namespace immutalint
