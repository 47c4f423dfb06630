// Stage 3a: reads apiVersion, kind and metadata, and expands List objects into their items.
#include "immutalint/kube_object.hpp"

#include <fmt/format.h>

namespace immutalint {

namespace {

class ObjectFinder {
 public:
  explicit ObjectFinder(const YamlTree& tree) : tree_(tree) {}

  DocumentObjects run() {
    const NodeId root = tree_.root();
    if (tree_.is_null(root)) return std::move(result_);
    if (tree_.is_sequence(root) && !holds_an_object(root)) {
      return std::move(result_);  // some other YAML list: an Ansible playbook, `az ... -o json` output
    }
    if (!tree_.is_mapping(root)) {
      problem(fmt::format("the document is {}, not a Kubernetes object", tree_.describe(root)), tree_.node(root).span,
              "");
      result_.kubernetes = true;
      return std::move(result_);
    }
    if (!tree_.find(root, "apiVersion") || !tree_.find(root, "kind")) return std::move(result_);
    result_.kubernetes = true;
    take_object(root, "", 0);
    return std::move(result_);
  }

  DocumentObjects run_item(const ListItemPlace& place) {
    result_.kubernetes = true;  // the List it belongs to is
    take_item(tree_.root(), place.index, place.list_kind, "", 1);
    return std::move(result_);
  }

 private:
  /// A list with at least one item that has apiVersion and kind: Kubernetes objects written
  /// without a List around them, which kubectl does not accept.
  bool holds_an_object(NodeId list) const {
    for (NodeId item : tree_.items(list)) {
      if (tree_.is_mapping(item) && tree_.find(item, "apiVersion") && tree_.find(item, "kind")) return true;
    }
    return false;
  }

  void problem(std::string message, Span span, std::string pointer) {
    result_.problems.push_back({std::move(message), span, std::move(pointer)});
  }

  /// Reads a string field; a wrong type is a shape problem and yields nullopt.
  std::optional<std::string> string_field(NodeId mapping, std::string_view key, const std::string& pointer) {
    const MapEntry* entry = tree_.find(mapping, key);
    if (!entry || tree_.is_null(entry->value)) return std::string();
    if (!tree_.is_scalar(entry->value)) {
      problem(fmt::format("`{}` must be a string, found {}", key, tree_.describe(entry->value)), tree_.span_of(*entry),
              pointer + "/" + std::string(key));
      return std::nullopt;
    }
    return std::string(*tree_.scalar(entry->value));
  }

  void take_object(NodeId node, const std::string& pointer, int list_depth) {
    KubeObject object;
    object.root = node;
    object.pointer = pointer;
    auto api_version = string_field(node, "apiVersion", pointer);
    auto kind = string_field(node, "kind", pointer);
    if (!api_version || !kind) return;
    object.ref.api_version = *api_version;
    object.ref.kind = *kind;
    if (const MapEntry* entry = tree_.find(node, "kind")) object.kind_span = tree_.span_of(*entry);

    const MapEntry* metadata = tree_.find(node, "metadata");
    if (metadata && !tree_.is_null(metadata->value)) {
      if (!tree_.is_mapping(metadata->value)) {
        problem(fmt::format("`metadata` must be a mapping, found {}", tree_.describe(metadata->value)),
                tree_.span_of(*metadata), pointer + "/metadata");
        return;
      }
      auto name = string_field(metadata->value, "name", pointer + "/metadata");
      auto ns = string_field(metadata->value, "namespace", pointer + "/metadata");
      if (!name || !ns) return;
      object.ref.name = *name;
      object.ref.namespace_ = *ns;
    }

    const MapEntry* items = tree_.find(node, "items");
    const bool is_list = object.ref.kind.ends_with("List") && items != nullptr;
    if (!is_list) {
      result_.objects.push_back(std::move(object));
      return;
    }
    if (list_depth == 0) result_.list_kind = object.ref.kind;
    if (tree_.is_null(items->value)) return;
    if (!tree_.is_sequence(items->value)) {
      problem(fmt::format("`items` of a {} must be a list, found {}", object.ref.kind, tree_.describe(items->value)),
              tree_.span_of(*items), pointer + "/items");
      return;
    }
    std::size_t index = 0;
    for (NodeId item : tree_.items(items->value)) take_item(item, index++, object.ref.kind, pointer, list_depth + 1);
  }

  /// Item `index` of a List at `list_pointer`, which is nested `depth` Lists deep.
  void take_item(NodeId item, std::size_t index, std::string_view list_kind, const std::string& list_pointer,
                 int depth) {
    const std::string item_pointer = fmt::format("{}/items/{}", list_pointer, index);
    if (tree_.is_null(item)) return;  // `- null` and `-` hold no object
    if (!tree_.is_mapping(item) || !tree_.find(item, "kind") || !tree_.find(item, "apiVersion")) {
      problem(
          fmt::format("item {} of the {} is not a Kubernetes object (it needs apiVersion and kind)", index, list_kind),
          tree_.node(item).span, item_pointer);
      return;
    }
    if (depth > 4) {
      problem("Lists nested more than 4 deep are not expanded", tree_.node(item).span, item_pointer);
      return;
    }
    take_object(item, item_pointer, depth);
  }

  const YamlTree& tree_;
  DocumentObjects result_;
};

}  // namespace

std::string api_group(std::string_view api_version) {
  const auto slash = api_version.find('/');
  if (slash == std::string_view::npos) return {};
  return std::string(api_version.substr(0, slash));
}

DocumentObjects find_objects(const YamlTree& tree) {
  return ObjectFinder(tree).run();
}

DocumentObjects find_objects(const YamlTree& tree, const ListItemPlace& place) {
  return ObjectFinder(tree).run_item(place);
}

}  // namespace immutalint
