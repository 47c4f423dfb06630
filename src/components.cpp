// The component knowledge base: recognising well-known components in pods.
#include "immutalint/components.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <set>

#include <fmt/format.h>

#include "catalogue_data.hpp"
#include "immutalint/yaml_parse.hpp"

namespace immutalint {

namespace {

/// Reads one component file, reporting the first thing wrong with it.
class ComponentFileReader {
 public:
  ComponentFileReader(const std::string& file, const YamlTree& tree) : file_(file), tree_(tree) {}

  Result<bool> read(std::vector<KnownComponent>& into) {
    const NodeId root = tree_.root();
    if (!tree_.is_mapping(root)) return fail(root, "expected a mapping");
    for (const auto& entry : tree_.entries(root)) {
      if (entry.key != "components") return fail(entry.value, fmt::format("unknown field `{}`", entry.key));
    }
    for (NodeId item : tree_.items(tree_.get(root, "components"))) {
      for (const auto& entry : tree_.entries(item)) {
        if (entry.key != "name" && entry.key != "title" && entry.key != "match")
          return fail(entry.value, fmt::format("unknown field `{}`", entry.key));
      }
      KnownComponent component{text(item, "name"), text(item, "title"), {}};
      if (component.name.empty() || component.title.empty()) return fail(item, "a component needs `name` and `title`");
      for (NodeId alternative : tree_.items(tree_.get(item, "match"))) {
        auto matcher = read_matcher(alternative);
        if (!matcher) return matcher.error();
        component.match.push_back(std::move(matcher).value());
      }
      into.push_back(std::move(component));
    }
    return true;
  }

 private:
  Error fail(NodeId at, const std::string& why) const {
    return Error{fmt::format("checks/components/{}:{}: {}", file_, tree_.node(at).span.begin.line, why)};
  }

  std::string text(NodeId mapping, std::string_view key) const {
    return std::string(tree_.scalar(tree_.get(mapping, key)).value_or(""));
  }

  Result<ComponentMatcher> read_matcher(NodeId item) const {
    ComponentMatcher matcher;
    for (const auto& entry : tree_.entries(item)) {
      std::string* pattern = entry.key == "image"       ? &matcher.image_pattern
                             : entry.key == "container" ? &matcher.container_pattern
                             : entry.key == "command"   ? &matcher.command_pattern
                                                        : nullptr;
      if (!pattern)
        return fail(entry.value, fmt::format("unknown field `{}` (image, container or command)", entry.key));
      *pattern = std::string(tree_.scalar(entry.value).value_or(""));
    }
    const auto compile = [&](const std::string& pattern,
                             std::shared_ptr<const re2::RE2>& into) -> std::optional<std::string> {
      if (pattern.empty()) return std::nullopt;
      auto regex = std::make_shared<re2::RE2>(pattern, re2::RE2::Quiet);
      if (!regex->ok()) return fmt::format("pattern {}: {}", pattern, regex->error());
      into = std::move(regex);
      return std::nullopt;
    };
    for (auto [pattern, into] :
         {std::pair{&matcher.image_pattern, &matcher.image}, std::pair{&matcher.container_pattern, &matcher.container},
          std::pair{&matcher.command_pattern, &matcher.command}}) {
      if (auto problem = compile(*pattern, *into)) return fail(item, *problem);
    }
    if (!matcher.image && !matcher.container && !matcher.command) return fail(item, "a matcher needs a pattern");
    return matcher;
  }

  const std::string& file_;
  const YamlTree& tree_;
};

bool searches(const std::shared_ptr<const re2::RE2>& pattern, std::string_view text) {
  return !pattern || re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *pattern);
}

/// The command and args of a container, joined by spaces.
std::string command_line(const YamlTree& tree, const ContainerView& container) {
  std::string line;
  for (std::string_view field : {"command", "args"}) {
    for (NodeId word : tree.items(tree.get(container.node, field))) {
      if (auto text = tree.scalar(word)) {
        if (!line.empty()) line += ' ';
        line += *text;
      }
    }
  }
  return line;
}

/// The tag of an image read as a dotted version: "quay.io/x/y:v1.6.0-rc1@sha256:..." -> "1.6.0".
std::string image_version(std::string_view image) {
  image = image.substr(0, image.find('@'));
  const auto colon = image.rfind(':');
  if (colon == std::string_view::npos || image.find('/', colon) != std::string_view::npos) return {};
  std::string_view tag = image.substr(colon + 1);
  if (tag.starts_with('v')) tag.remove_prefix(1);
  std::size_t end = 0;
  while (end < tag.size() && (std::isdigit(static_cast<unsigned char>(tag[end])) || tag[end] == '.')) ++end;
  std::string version(tag.substr(0, end));
  while (!version.empty() && version.back() == '.') version.pop_back();
  if (version.empty() || !std::isdigit(static_cast<unsigned char>(version.front()))) return {};
  return version;
}

std::optional<std::vector<unsigned>> version_parts(std::string_view version) {
  std::vector<unsigned> parts;
  while (!version.empty()) {
    const auto dot = version.find('.');
    const std::string_view part = version.substr(0, dot);
    unsigned value = 0;
    auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (error != std::errc() || end != part.data() + part.size()) return std::nullopt;
    parts.push_back(value);
    if (dot == std::string_view::npos) break;
    version.remove_prefix(dot + 1);
  }
  if (parts.empty()) return std::nullopt;
  return parts;
}

}  // namespace

Result<ComponentCatalogue> ComponentCatalogue::parse(std::span<const std::pair<std::string, std::string>> files) {
  ComponentCatalogue catalogue;
  for (const auto& [name, text] : files) {
    auto documents = parse_yaml_documents(text, 1);
    if (documents.size() != 1 || documents.front().error) {
      return Error{fmt::format("checks/components/{}: not one YAML document", name)};
    }
    auto read = ComponentFileReader(name, documents.front().tree).read(catalogue.components_);
    if (!read) return read.error();
  }
  std::set<std::string> names;
  for (const auto& component : catalogue.components_) {
    if (!names.insert(component.name).second) {
      return Error{fmt::format("checks/components: component {} is defined twice", component.name)};
    }
  }
  std::sort(catalogue.components_.begin(), catalogue.components_.end(),
            [](const KnownComponent& a, const KnownComponent& b) { return a.name < b.name; });
  return catalogue;
}

const Result<ComponentCatalogue>& ComponentCatalogue::builtin() {
  static const Result<ComponentCatalogue> catalogue = [] {
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& file : detail::embedded_component_files()) files.emplace_back(file.name, file.text);
    return parse(files);
  }();
  return catalogue;
}

const KnownComponent* ComponentCatalogue::find(std::string_view name) const {
  for (const auto& component : components_) {
    if (component.name == name) return &component;
  }
  return nullptr;
}

std::optional<RecognisedComponent> recognise_component(const ComponentCatalogue& catalogue, const YamlTree& tree,
                                                       const PodSpecView& pod) {
  for (const ContainerView& container : pod.containers) {
    const std::string image(tree.scalar(tree.get(container.node, "image")).value_or(""));
    std::optional<std::string> command;  // read once, when a matcher asks for it
    for (const KnownComponent& component : catalogue.all()) {
      for (const ComponentMatcher& matcher : component.match) {
        if (!searches(matcher.image, image) || !searches(matcher.container, container.name)) continue;
        if (matcher.command && !command) command = command_line(tree, container);
        if (!searches(matcher.command, command.value_or(""))) continue;
        return RecognisedComponent{&component, &container, image, image_version(image)};
      }
    }
  }
  return std::nullopt;
}

const WorkloadOutcome* documented_outcome(const RecognisedComponent& found, const Target& target) {
  const WorkloadOutcome* best = nullptr;
  for (const WorkloadOutcome& row : target.workloads()) {
    if (row.workload != found.component->name) continue;
    if (!row.since.empty() && !version_at_least(found.version, row.since)) continue;
    // Of the rows that apply, the one for the latest versions speaks of this version.
    if (!best || version_at_least(row.since, best->since)) best = &row;
  }
  return best;
}

bool version_at_least(std::string_view version, std::string_view since) {
  if (since.empty()) return true;
  const auto have = version_parts(version);
  const auto need = version_parts(since);
  if (!have || !need) return false;
  return !std::lexicographical_compare(have->begin(), have->end(), need->begin(), need->end());
}

}  // namespace immutalint
