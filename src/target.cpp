// Reads and validates the target OS profiles, and answers what a host path is on a target.
#include "immutalint/target.hpp"

#include "immutalint/enum_names.hpp"

#include <algorithm>
#include <array>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "catalogue_data.hpp"
#include "immutalint/fact_keys.hpp"
#include "immutalint/text_list.hpp"
#include "immutalint/yaml_parse.hpp"

namespace immutalint {

std::string normalize_host_path(std::string_view path) {
  if (!path.starts_with("/")) return std::string(path);
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    const auto slash = path.find('/');
    std::string_view part = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  if (parts.empty()) return "/";
  std::string out;
  for (auto part : parts) {
    out += '/';
    out += part;
  }
  return out;
}

std::string canonical_host_path(std::string_view path) {
  std::string normal = normalize_host_path(path);
  if (path_has_prefix(normal, "/var/run")) normal = "/run" + normal.substr(8);
  return normal;
}

bool path_has_prefix(std::string_view path, std::string_view prefix) {
  if (prefix == "/") return path.starts_with("/");
  return path == prefix || (path.starts_with(prefix) && path.size() > prefix.size() && path[prefix.size()] == '/');
}

namespace {

constexpr EnumNames<PathState, 6> kPathStateNames{{{PathState::ReadOnly, "ro"},
                                                   {PathState::Persistent, "rw-persistent"},
                                                   {PathState::ResetAtBoot, "rw-reset"},
                                                   {PathState::Generated, "generated"},
                                                   {PathState::Absent, "absent"},
                                                   {PathState::Kernel, "kernel"}}};
constexpr EnumNames<ExecPolicy, 3> kExecPolicyNames{
    {{ExecPolicy::Allowed, "allowed"}, {ExecPolicy::Noexec, "noexec"}, {ExecPolicy::Ipe, "ipe"}}};

}  // namespace

std::string_view to_string(PathState state) {
  return name_of(kPathStateNames, state);
}
std::optional<PathState> parse_path_state(std::string_view text) {
  return value_of(kPathStateNames, text);
}
std::string_view to_string(ExecPolicy policy) {
  return name_of(kExecPolicyNames, policy);
}
std::optional<ExecPolicy> parse_exec_policy(std::string_view text) {
  return value_of(kExecPolicyNames, text);
}

std::optional<FactKey> find_fact_key(std::string_view name) {
  auto found = std::find_if(facts::kAll.begin(), facts::kAll.end(), [&](FactKey key) { return key.name() == name; });
  if (found == facts::kAll.end()) return std::nullopt;
  return *found;
}

const Fact& Target::fact(FactKey key) const {
  static const Fact kMissing{};
  auto it = facts_.find(std::string(key.name()));
  return it == facts_.end() ? kMissing : it->second;
}

bool Target::fact_is(FactKey key, std::string_view value) const {
  return fact(key).value == value;
}

bool Target::fact_lists(FactKey key, std::string_view word) const {
  const auto words = split_words(fact(key).value);
  return std::find(words.begin(), words.end(), word) != words.end();
}

PathResolution Target::resolve(std::string_view path) const {
  PathResolution resolution;
  resolution.resolved = normalize_host_path(path);
  for (int hop = 0; hop < 8; ++hop) {
    const SymlinkFact* best = nullptr;
    for (const auto& link : symlinks_) {
      if (path_has_prefix(resolution.resolved, link.path) && (!best || link.path.size() > best->path.size())) {
        best = &link;
      }
    }
    if (!best) break;
    resolution.resolved = normalize_host_path(best->target + "/" + resolution.resolved.substr(best->path.size()));
    resolution.links.push_back(best);
  }
  for (const auto& fact : paths_) {
    if (path_has_prefix(resolution.resolved, fact.path) &&
        (!resolution.fact || fact.path.size() > resolution.fact->path.size())) {
      resolution.fact = &fact;
    }
  }
  resolution.exact = resolution.fact && resolution.fact->path == resolution.resolved;
  return resolution;
}

const SocketFact* Target::socket(std::string_view path) const {
  const std::string resolved = resolve(path).resolved;
  for (const auto& socket : sockets_) {
    if (resolve(socket.path).resolved == resolved) return &socket;
  }
  return nullptr;
}

const DeviceClassFact* Target::absent_device_class(std::string_view name) const {
  for (const auto& device_class : absent_device_classes_) {
    if (device_class.name == name) return &device_class;
  }
  return nullptr;
}

/// Reads one profile file, reporting the first thing that is wrong with it.
class TargetProfileReader {
 public:
  TargetProfileReader(const std::string& file, const YamlTree& tree) : file_(file), tree_(tree) {}

  Result<Target> read(Target target) {
    const NodeId root = tree_.root();
    if (!tree_.is_mapping(root)) return fail("expected a mapping");
    static const std::set<std::string> kKnown = {"name",        "title",
                                                 "aliases",     "extends",
                                                 "description", "general_purpose",
                                                 "sources",     "facts",
                                                 "node_labels", "absent_device_classes",
                                                 "paths",       "symlinks",
                                                 "sockets",     "workloads"};
    for (const auto& entry : tree_.entries(root)) {
      if (!kKnown.count(entry.key)) return fail(fmt::format("unknown field `{}`", entry.key));
    }
    target.name_ = text(root, "name");
    target.title_ = text(root, "title");
    target.description_ = text(root, "description");
    target.extends_ = text(root, "extends");
    if (auto value = tree_.boolean(tree_.get(root, "general_purpose"))) target.general_purpose_ = *value;
    target.aliases_.clear();
    for (NodeId alias : tree_.items(tree_.get(root, "aliases")))
      target.aliases_.emplace_back(tree_.scalar(alias).value_or(""));
    for (const auto& entry : tree_.entries(tree_.get(root, "sources"))) {
      target.sources_[entry.key] = std::string(tree_.scalar(entry.value).value_or(""));
    }
    for (const auto& entry : tree_.entries(tree_.get(root, "facts"))) {
      auto fact = read_fact(entry.value);
      if (!fact) return fact.error();
      target.facts_[entry.key] = std::move(fact).value();
    }
    for (NodeId item : tree_.items(tree_.get(root, "paths"))) {
      PathFact fact;
      fact.path = normalize_host_path(text(item, "path"));
      auto state = parse_path_state(text(item, "state"));
      auto exec = parse_exec_policy(text(item, "exec", "allowed"));
      if (!state)
        return fail(fmt::format("path {}: `state` must be ro, rw-persistent, rw-reset, generated, absent or kernel",
                                fact.path));
      if (!exec) return fail(fmt::format("path {}: `exec` must be allowed, noexec or ipe", fact.path));
      fact.state = *state;
      fact.exec = *exec;
      auto evidence = read_evidence(item);
      if (!evidence) return evidence.error();
      fact.evidence = std::move(evidence).value();
      replace_or_add(target.paths_, std::move(fact));
    }
    for (NodeId item : tree_.items(tree_.get(root, "symlinks"))) {
      SymlinkFact link{normalize_host_path(text(item, "path")), normalize_host_path(text(item, "target")), {}};
      auto evidence = read_evidence(item);
      if (!evidence) return evidence.error();
      link.evidence = std::move(evidence).value();
      replace_or_add(target.symlinks_, std::move(link));
    }
    for (NodeId item : tree_.items(tree_.get(root, "sockets"))) {
      SocketFact socket{
          normalize_host_path(text(item, "path")), tree_.boolean(tree_.get(item, "present")).value_or(false), {}};
      auto evidence = read_evidence(item);
      if (!evidence) return evidence.error();
      socket.evidence = std::move(evidence).value();
      replace_or_add(target.sockets_, std::move(socket));
    }
    for (NodeId item : tree_.items(tree_.get(root, "node_labels"))) {
      NodeLabelFact label;
      label.key = text(item, "key");
      for (NodeId value : tree_.items(tree_.get(item, "values")))
        label.values.emplace_back(tree_.scalar(value).value_or(""));
      for (NodeId key : tree_.items(tree_.get(item, "also"))) label.also.emplace_back(tree_.scalar(key).value_or(""));
      auto evidence = read_evidence(item);
      if (!evidence) return evidence.error();
      label.evidence = std::move(evidence).value();
      replace_or_add(target.node_labels_, std::move(label), &NodeLabelFact::key);
    }
    for (NodeId item : tree_.items(tree_.get(root, "absent_device_classes"))) {
      DeviceClassFact device_class{text(item, "name"), {}};
      if (device_class.name.empty()) return fail("every absent device class needs `name`");
      auto evidence = read_evidence(item);
      if (!evidence) return evidence.error();
      device_class.evidence = std::move(evidence).value();
      replace_or_add(target.absent_device_classes_, std::move(device_class), &DeviceClassFact::name);
    }
    for (NodeId item : tree_.items(tree_.get(root, "workloads"))) {
      WorkloadOutcome outcome{text(item, "workload"), text(item, "outcome"), {}, text(item, "since"), {}, {}};
      for (const auto& field : tree_.entries(tree_.get(item, "requires_pod"))) {
        if (!outcome.pod_field.empty())
          return fail(fmt::format("workload {}: one `requires_pod` field", outcome.workload));
        outcome.pod_field = field.key;
        outcome.pod_value = std::string(tree_.scalar(field.value).value_or(""));
      }
      if (outcome.workload.empty()) return fail("every workload outcome needs `workload`");
      if (outcome.outcome != "works" && outcome.outcome != "works-with-config" && outcome.outcome != "breaks") {
        return fail(fmt::format("workload {}: `outcome` must be works, works-with-config or breaks", outcome.workload));
      }
      auto evidence = read_evidence(item);
      if (!evidence) return evidence.error();
      outcome.evidence = std::move(evidence).value();
      target.workloads_.push_back(std::move(outcome));
    }
    return target;
  }

 private:
  Error fail(const std::string& why) const { return Error{fmt::format("targets/{}: {}", file_, why)}; }

  std::string text(NodeId mapping, std::string_view key, std::string_view fallback = "") const {
    const NodeId value = tree_.get(mapping, key);
    if (tree_.is_null(value)) return std::string(fallback);
    return std::string(tree_.scalar(value).value_or(fallback));
  }

  Result<Evidence> read_evidence(NodeId mapping) const {
    Evidence evidence;
    evidence.source = text(mapping, "source");
    evidence.note = text(mapping, "note");
    auto confidence = parse_confidence(text(mapping, "confidence"));
    if (evidence.source.empty())
      return fail(fmt::format("line {}: every fact needs a `source`", tree_.node(mapping).span.begin.line));
    if (!confidence) {
      return fail(fmt::format("line {}: `confidence` must be documented, code, issue or guess",
                              tree_.node(mapping).span.begin.line));
    }
    evidence.confidence = *confidence;
    return evidence;
  }

  Result<Fact> read_fact(NodeId node) const {
    Fact fact;
    fact.value = text(node, "value");
    if (auto flag = tree_.boolean(tree_.get(node, "value"))) fact.value = *flag ? "true" : "false";
    auto evidence = read_evidence(node);
    if (!evidence) return evidence.error();
    fact.evidence = std::move(evidence).value();
    return fact;
  }

  /// A profile that extends another replaces the entry of the same `key` (a path by default).
  template <typename T>
  static void replace_or_add(std::vector<T>& list, T item, std::string T::*key = &T::path) {
    auto it = std::find_if(list.begin(), list.end(), [&](const T& existing) { return existing.*key == item.*key; });
    if (it != list.end()) {
      *it = std::move(item);
    } else {
      list.push_back(std::move(item));
    }
  }

  const std::string& file_;
  const YamlTree& tree_;
};

namespace {

constexpr std::string_view kVocabularyFile = "vocabulary.yaml";
constexpr std::string_view kNodeOsFile = "node-os.yaml";

/// Reads targets/vocabulary.yaml.
Result<std::vector<FactTerm>> read_vocabulary(const std::string& text) {
  auto documents = parse_yaml_documents(text, 1);
  if (documents.size() != 1 || documents[0].error) return Error{"targets/vocabulary.yaml: expected one YAML document"};
  const YamlTree& tree = documents[0].tree;
  std::vector<FactTerm> terms;
  for (const auto& entry : tree.entries(tree.get(tree.root(), "facts"))) {
    FactTerm term;
    term.key = entry.key;
    term.means = std::string(tree.scalar(tree.get(entry.value, "means")).value_or(""));
    term.type = std::string(tree.scalar(tree.get(entry.value, "type")).value_or(""));
    for (NodeId value : tree.items(tree.get(entry.value, "values")))
      term.values.emplace_back(tree.scalar(value).value_or(""));
    if (term.means.empty() || (term.values.empty() == term.type.empty())) {
      return Error{
          fmt::format("targets/vocabulary.yaml: fact `{}` needs `means`, and either `values` or `type`", term.key)};
    }
    if (!term.type.empty() && term.type != "path" && term.type != "text") {
      return Error{fmt::format("targets/vocabulary.yaml: fact `{}`: `type` is path or text", term.key)};
    }
    terms.push_back(std::move(term));
  }
  if (terms.empty()) return Error{"targets/vocabulary.yaml: no facts"};
  return terms;
}

/// Every fact of a profile is in the vocabulary, with an allowed value; every term is stated.
std::optional<std::string> vocabulary_problem(const Target& target, const std::vector<FactTerm>& vocabulary) {
  for (const auto& term : vocabulary) {
    auto it = target.facts().find(term.key);
    if (it == target.facts().end()) return fmt::format("fact `{}` is missing", term.key);
    const std::string& value = it->second.value;
    if (!term.values.empty() && std::find(term.values.begin(), term.values.end(), value) == term.values.end()) {
      return fmt::format("fact `{}`: \"{}\" is not one of its values ({})", term.key, value,
                         fmt::join(term.values, ", "));
    }
    if (term.type == "path" && !value.empty() && !value.starts_with("/")) {
      return fmt::format("fact `{}`: \"{}\" is not an absolute path", term.key, value);
    }
  }
  for (const auto& entry : target.facts()) {
    const std::string& key = entry.first;
    if (std::none_of(vocabulary.begin(), vocabulary.end(), [&](const FactTerm& term) { return term.key == key; })) {
      return fmt::format("fact `{}` is not in targets/vocabulary.yaml", key);
    }
  }
  return std::nullopt;
}

/// Every source key a profile cites must be in its `sources` table.
std::optional<std::string> undeclared_source(const Target& target) {
  auto check = [&](const Evidence& evidence) -> std::optional<std::string> {
    for (std::string& key : split_words(evidence.source)) {
      if (!target.sources().count(key)) return std::move(key);
    }
    return std::nullopt;
  };
  for (const auto& [key, fact] : target.facts()) {
    if (auto missing = check(fact.evidence)) return missing;
  }
  for (const auto& fact : target.paths()) {
    if (auto missing = check(fact.evidence)) return missing;
  }
  for (const auto& link : target.symlinks()) {
    if (auto missing = check(link.evidence)) return missing;
  }
  for (const auto& socket : target.sockets()) {
    if (auto missing = check(socket.evidence)) return missing;
  }
  for (const auto& label : target.node_labels()) {
    if (auto missing = check(label.evidence)) return missing;
  }
  for (const auto& device_class : target.absent_device_classes()) {
    if (auto missing = check(device_class.evidence)) return missing;
  }
  for (const auto& workload : target.workloads()) {
    if (auto missing = check(workload.evidence)) return missing;
  }
  return std::nullopt;
}

}  // namespace

Result<TargetSet> TargetSet::parse(std::span<const std::pair<std::string, std::string>> files) {
  // Profiles that extend another are read after it, on top of a copy of it.
  std::vector<std::pair<std::string, std::string>> pending;
  TargetSet set;
  for (const auto& [name, text] : files) {
    if (name == kNodeOsFile) continue;  // not a profile: which profile a Node stands for (node_os.hpp)
    if (name != kVocabularyFile) {
      pending.emplace_back(name, text);
      continue;
    }
    auto vocabulary = read_vocabulary(text);
    if (!vocabulary) return vocabulary.error();
    set.vocabulary_ = std::move(vocabulary).value();
  }
  if (set.vocabulary_.empty()) return Error{"targets/vocabulary.yaml is missing"};
  for (std::size_t round = 0; !pending.empty(); ++round) {
    if (round > files.size()) return Error{"targets: `extends` names a profile that does not exist, or a cycle"};
    std::vector<std::pair<std::string, std::string>> later;
    for (const auto& [name, text] : pending) {
      auto documents = parse_yaml_documents(text, 1);
      if (documents.size() != 1 || documents[0].error) {
        return Error{fmt::format(
            "targets/{}: {}", name,
            documents.empty() || !documents[0].error ? "expected one YAML document" : documents[0].error->message)};
      }
      const YamlTree& tree = documents[0].tree;
      const std::string base(tree.scalar(tree.get(tree.root(), "extends")).value_or(""));
      Target start;
      if (!base.empty()) {
        const Target* parent = set.find(base);
        if (!parent) {
          later.emplace_back(name, text);
          continue;
        }
        start = *parent;
        start.aliases_.clear();
      }
      auto target = TargetProfileReader(name, tree).read(std::move(start));
      if (!target) return target.error();
      if (target->name() + ".yaml" != name)
        return Error{fmt::format("targets/{}: `name` must match the file name", name)};
      if (target->title().empty() || target->description().empty()) {
        return Error{fmt::format("targets/{}: `title` and `description` are required", name)};
      }
      if (auto problem = vocabulary_problem(*target, set.vocabulary_)) {
        return Error{fmt::format("targets/{}: {}", name, *problem)};
      }
      if (auto key = undeclared_source(*target)) {
        return Error{fmt::format("targets/{}: source `{}` is cited but not listed under `sources`", name, *key)};
      }
      set.targets_.push_back(std::move(target).value());
    }
    pending = std::move(later);
  }
  std::sort(set.targets_.begin(), set.targets_.end(), [](const Target& a, const Target& b) {
    return std::make_pair(a.name() != kDefaultTarget, a.name()) < std::make_pair(b.name() != kDefaultTarget, b.name());
  });
  return set;
}

const Result<TargetSet>& TargetSet::builtin() {
  static const Result<TargetSet> targets = [] {
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& file : detail::embedded_target_files()) files.emplace_back(file.name, file.text);
    return parse(files);
  }();
  return targets;
}

const Target* TargetSet::find(std::string_view name) const {
  for (const auto& target : targets_) {
    if (target.name() == name) return &target;
    if (std::find(target.aliases().begin(), target.aliases().end(), name) != target.aliases().end()) return &target;
  }
  return nullptr;
}

Result<std::vector<const Target*>> TargetSet::select(std::string_view spec) const {
  std::vector<const Target*> selected;
  if (spec == "all") {
    for (const auto& target : targets_) selected.push_back(&target);
    return selected;
  }
  for (const std::string& name : split_list(spec)) {
    const Target* target = find(name);
    if (!target) return Error{fmt::format("unknown target '{}' (see --list-targets)", name)};
    if (std::find(selected.begin(), selected.end(), target) == selected.end()) selected.push_back(target);
  }
  if (selected.empty()) return Error{"--target needs at least one target name"};
  // Report order follows the profile order, not the order typed.
  std::sort(selected.begin(), selected.end(),
            [this](const Target* a, const Target* b) { return a - targets_.data() < b - targets_.data(); });
  return selected;
}

}  // namespace immutalint
