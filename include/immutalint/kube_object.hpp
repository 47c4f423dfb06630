// Stage 3a: recognise Kubernetes objects in a parsed document (List items become objects).
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <vector>

#include "immutalint/location.hpp"
#include "immutalint/yaml_tree.hpp"

namespace immutalint {

/// Identity of an object as reports name it.
struct ObjectRef {
  std::string api_version;
  std::string kind;
  std::string namespace_;  ///< empty when not set
  std::string name;
  auto operator<=>(const ObjectRef&) const = default;

  /// "namespace/name", or "name" without a namespace.
  std::string qualified_name() const { return namespace_.empty() ? name : namespace_ + "/" + name; }
  /// "Kind namespace/name", for messages.
  std::string describe() const { return kind + " " + qualified_name(); }
};

/// One Kubernetes object inside a document.
struct KubeObject {
  ObjectRef ref;
  NodeId root = kNoNode;  ///< the object's mapping
  std::string pointer;    ///< where the object sits in its document: "" or "/items/3"
  Span kind_span;         ///< the `kind` key and its value
};

/// A place where the document's shape is not what Kubernetes accepts.
struct ShapeProblem {
  std::string message;
  Span span;
  std::string pointer;  ///< JSON Pointer from the document root
};

/// The objects of one document, and why any part of it was not taken as an object.
struct DocumentObjects {
  std::vector<KubeObject> objects;
  std::vector<ShapeProblem> problems;
  bool kubernetes = false;               ///< false for YAML that is not a Kubernetes object (skipped silently)
  std::optional<std::string> list_kind;  ///< set when the document is a List (its kind)
};

/// A document that is one item of a List read item by item: its place in that List.
struct ListItemPlace {
  std::string_view list_kind;
  std::size_t index = 0;
};

/// The API group of an apiVersion ("apps/v1" -> "apps", "v1" -> "").
std::string api_group(std::string_view api_version);

/// Finds the objects of a document: the root mapping when it has `apiVersion` and `kind`, or
/// the items of a `List` or any `*List` kind, each an object of its own.
DocumentObjects find_objects(const YamlTree& tree);

/// Same for a document that is item `place.index` of a List: the objects and problems are those
/// that item gives when the whole List is read, with the same pointers.
DocumentObjects find_objects(const YamlTree& tree, const ListItemPlace& place);

}  // namespace immutalint
