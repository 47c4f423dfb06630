// Stage 5: reads ignore-check annotations.
#include "immutalint/suppression.hpp"

namespace immutalint {

bool is_suppressed(const YamlTree& tree, const KubeObject& object, std::string_view check_id) {
  const NodeId annotations = tree.get(tree.get(object.root, "metadata"), "annotations");
  for (const auto& entry : tree.entries(annotations)) {
    if (entry.key.size() == kIgnoreAnnotationPrefix.size() + check_id.size() &&
        std::string_view(entry.key).starts_with(kIgnoreAnnotationPrefix) &&
        std::string_view(entry.key).substr(kIgnoreAnnotationPrefix.size()) == check_id) {
      return true;
    }
  }
  return false;
}

}  // namespace immutalint
