// Stage 5: findings that the manifest's authors have accepted, by annotation.
#pragma once

#include <string>
#include <string_view>

#include "immutalint/kube_object.hpp"
#include "immutalint/yaml_tree.hpp"

namespace immutalint {

/// Prefix of the annotation that accepts a check for one object:
/// `ignore-check.immutalint.io/<check-id>: "<reason>"` in the object's metadata.annotations.
inline constexpr std::string_view kIgnoreAnnotationPrefix = "ignore-check.immutalint.io/";

/// True when the object's annotations accept findings of `check_id`.
bool is_suppressed(const YamlTree& tree, const KubeObject& object, std::string_view check_id);

}  // namespace immutalint
