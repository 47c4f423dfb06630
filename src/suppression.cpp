// Stage 5: reads ignore-check annotations.
#include "immutalint/suppression.hpp"

#include <algorithm>

namespace immutalint {

bool accepts(std::string_view annotated_id, const CheckInfo& check, std::string* former_id) {
  if (annotated_id == check.id) return true;
  if (std::find(check.aliases.begin(), check.aliases.end(), annotated_id) == check.aliases.end()) return false;
  if (former_id) *former_id = std::string(annotated_id);
  return true;
}

bool is_suppressed(const YamlTree& tree, const KubeObject& object, const CheckInfo& check, std::string* former_id) {
  const NodeId annotations = tree.get(tree.get(object.root, "metadata"), "annotations");
  for (const auto& entry : tree.entries(annotations)) {
    const std::string_view key = entry.key;
    if (key.starts_with(kIgnoreAnnotationPrefix) &&
        accepts(key.substr(kIgnoreAnnotationPrefix.size()), check, former_id)) {
      return true;
    }
  }
  return false;
}

}  // namespace immutalint
