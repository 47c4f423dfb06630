// Reads targets/node-os.yaml and matches a Node's report against it.
#include "immutalint/node_os.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <re2/re2.h>

#include "catalogue_data.hpp"
#include "immutalint/ascii.hpp"
#include "immutalint/text_list.hpp"
#include "immutalint/yaml_parse.hpp"

namespace immutalint {

namespace {

constexpr std::string_view kNodeOsFile = "node-os.yaml";

}  // namespace

std::string NodeOsRule::describe() const {
  std::vector<std::string> parts;
  for (const auto& [label, values] : labels) parts.push_back(fmt::format("label {}={}", label, fmt::join(values, "|")));
  for (const auto& [label, prefix] : label_prefixes) parts.push_back(fmt::format("label {}={}*", label, prefix));
  if (!os_image.empty()) parts.push_back(fmt::format("osImage matches {}", os_image));
  if (!kernel.empty()) parts.push_back(fmt::format("kernelVersion matches {}", kernel));
  return fmt::format("{}", fmt::join(parts, ", "));
}

Result<NodeOsRules> NodeOsRules::parse(std::string_view text, const TargetSet& targets) {
  auto documents = parse_yaml_documents(text, 1);
  if (documents.size() != 1 || documents[0].error) return Error{"targets/node-os.yaml: expected one YAML document"};
  const YamlTree& tree = documents[0].tree;
  const NodeId sources = tree.get(tree.root(), "sources");
  NodeOsRules set;
  set.targets_ = &targets;
  std::size_t index = 0;
  for (NodeId item : tree.items(tree.get(tree.root(), "rules"))) {
    ++index;
    const auto fail = [&](const std::string& message) {
      return Error{fmt::format("targets/node-os.yaml: rule {}: {}", index, message)};
    };
    NodeOsRule rule;
    auto text_of = [&](std::string_view key) { return std::string(tree.scalar(tree.get(item, key)).value_or("")); };
    rule.target = text_of("target");
    rule.os_image = text_of("os-image");
    rule.kernel = text_of("kernel");
    rule.source = text_of("source");
    rule.note = text_of("note");
    rule.judged_as = text_of("judged-as");
    rule.linux = tree.boolean(tree.get(item, "linux")).value_or(true);
    for (const auto& entry : tree.entries(tree.get(item, "label"))) {
      for (NodeId value : tree.items(entry.value)) rule.labels[entry.key].emplace_back(tree.scalar(value).value_or(""));
      if (rule.labels[entry.key].empty()) return fail(fmt::format("label `{}` needs a list of values", entry.key));
    }
    for (const auto& entry : tree.entries(tree.get(item, "label-prefix"))) {
      rule.label_prefixes[entry.key] = std::string(tree.scalar(entry.value).value_or(""));
    }
    for (const auto& entry : tree.entries(item)) {
      static constexpr std::string_view kKeys[] = {"target",    "os-image", "kernel", "source",      "note",
                                                   "judged-as", "linux",    "label",  "label-prefix"};
      if (std::find(std::begin(kKeys), std::end(kKeys), entry.key) == std::end(kKeys)) {
        return fail(fmt::format("unknown key `{}`", entry.key));
      }
    }
    if (rule.linux == rule.target.empty()) return fail("a rule names a `target`, or says `linux: false`");
    if (!rule.target.empty() && !targets.find(rule.target)) return fail(fmt::format("no target `{}`", rule.target));
    if (rule.labels.empty() && rule.label_prefixes.empty() && rule.os_image.empty() && rule.kernel.empty()) {
      return fail("a rule needs a condition: label, label-prefix, os-image or kernel");
    }
    if (rule.source.empty()) return fail("a rule cites its `source`");
    for (const std::string& key : split_words(rule.source)) {
      if (!tree.find(sources, key)) return fail(fmt::format("source `{}` is not listed under `sources`", key));
    }
    for (auto [pattern, compiled] :
         {std::pair{&rule.os_image, &set.os_image_patterns_}, std::pair{&rule.kernel, &set.kernel_patterns_}}) {
      std::shared_ptr<const re2::RE2> regex;
      if (!pattern->empty()) {
        regex = std::make_shared<const re2::RE2>(*pattern, re2::RE2::Quiet);
        if (!regex->ok()) return fail(fmt::format("pattern `{}`: {}", *pattern, regex->error()));
      }
      compiled->push_back(std::move(regex));
    }
    set.rules_.push_back(std::move(rule));
  }
  if (set.rules_.empty()) return Error{"targets/node-os.yaml: no rules"};
  for (auto [key, labels] : {std::pair{"pool-labels", &set.pool_labels_}, {"os-sku-labels", &set.os_sku_labels_}}) {
    const NodeId list = tree.get(tree.root(), key);
    for (NodeId label : tree.items(tree.get(list, "labels"))) labels->emplace_back(tree.scalar(label).value_or(""));
    if (labels->empty() || std::find(labels->begin(), labels->end(), "") != labels->end())
      return Error{fmt::format("targets/node-os.yaml: `{}` needs a list of `labels`", key)};
    const std::string source(tree.scalar(tree.get(list, "source")).value_or(""));
    if (source.empty()) return Error{fmt::format("targets/node-os.yaml: `{}` cites its `source`", key)};
    for (const std::string& cited : split_words(source)) {
      if (!tree.find(sources, cited)) {
        return Error{fmt::format("targets/node-os.yaml: `{}`: source `{}` is not listed under `sources`", key, cited)};
      }
    }
  }
  return set;
}

const Result<NodeOsRules>& NodeOsRules::builtin() {
  static const Result<NodeOsRules> rules = []() -> Result<NodeOsRules> {
    const auto& targets = TargetSet::builtin();
    if (!targets) return targets.error();
    for (const auto& file : detail::embedded_target_files()) {
      if (file.name == kNodeOsFile) return parse(file.text, *targets);
    }
    return Error{"targets/node-os.yaml is missing"};
  }();
  return rules;
}

NodeOsMatch NodeOsRules::identify(const NodeReport& node) const {
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    const NodeOsRule& rule = rules_[i];
    const bool labels = std::all_of(rule.labels.begin(), rule.labels.end(), [&](const auto& wanted) {
      auto it = node.labels.find(wanted.first);
      return it != node.labels.end() &&
             std::any_of(wanted.second.begin(), wanted.second.end(),
                         [&](const std::string& v) { return equal_ignoring_case(v, it->second); });
    });
    const bool prefixes = std::all_of(rule.label_prefixes.begin(), rule.label_prefixes.end(), [&](const auto& wanted) {
      auto it = node.labels.find(wanted.first);
      return it != node.labels.end() && it->second.starts_with(wanted.second);
    });
    const bool image = !os_image_patterns_[i] || re2::RE2::PartialMatch(node.os_image, *os_image_patterns_[i]);
    const bool kernel = !kernel_patterns_[i] || re2::RE2::PartialMatch(node.kernel_version, *kernel_patterns_[i]);
    if (labels && prefixes && image && kernel) {
      return NodeOsMatch{&rule, rule.target.empty() ? nullptr : targets_->find(rule.target)};
    }
  }
  return {};
}

}  // namespace immutalint
