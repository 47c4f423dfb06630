// Stage 5: findings that the manifest's authors have accepted, by annotation.
#pragma once

#include <string>
#include <string_view>

#include "immutalint/catalogue.hpp"
#include "immutalint/kube_object.hpp"
#include "immutalint/yaml_tree.hpp"

namespace immutalint {

/// Prefix of the annotation that accepts a check for one object:
/// `ignore-check.immutalint.io/<check-id>: "<reason>"` in the object's metadata.annotations.
inline constexpr std::string_view kIgnoreAnnotationPrefix = "ignore-check.immutalint.io/";

/// True when `annotated_id`, the id in an ignore-check annotation, names `check`: its id, or a
/// former id, which is then written to `former_id`.
bool accepts(std::string_view annotated_id, const CheckInfo& check, std::string* former_id = nullptr);

/// True when the object's annotations accept findings of `check`; `former_id` as above.
bool is_suppressed(const YamlTree& tree, const KubeObject& object, const CheckInfo& check,
                   std::string* former_id = nullptr);

}  // namespace immutalint
