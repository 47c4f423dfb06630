// Waivers as the input writes them: ignore-check annotations on an object and `# immutalint:
// ignore` comments in the text. What they accept is decided in stage 5 (suppression.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "immutalint/finding.hpp"
#include "immutalint/kube_object.hpp"
#include "immutalint/yaml_tree.hpp"

namespace immutalint {

/// Prefix of the annotation that accepts a check for one object:
/// `ignore-check.immutalint.io/<check-id>: "<reason>"` in the object's metadata.annotations. A
/// reason that starts with container names in brackets, `"[install-cni,copy] <reason>"`, accepts
/// the check only for findings on those containers.
inline constexpr std::string_view kIgnoreAnnotationPrefix = "ignore-check.immutalint.io/";

/// The marker of an inline waiver: `# immutalint: ignore <id>[,<id>] -- <reason>`, on the
/// finding's line or the line above it.
inline constexpr std::string_view kInlineMarker = "immutalint:";

/// A waiver as written, wherever it was written.
struct Waiver {
  SuppressionChannel channel = SuppressionChannel::Annotation;
  std::vector<std::string> checks;      ///< check ids as written
  std::string reason;                   ///< empty when none is given
  Place where;                          ///< the annotation entry, the comment, the configuration entry
  std::vector<std::string> containers;  ///< only findings on these containers (empty: any)
  std::string object_label;             ///< annotations: "Kind namespace/name", for messages

  // Configuration entries only: what a finding must match (empty: anything), and until when.
  std::vector<std::string> files;  ///< globs, relative to the configuration file's folder
  std::string kind;
  std::string namespace_;
  std::string name;   ///< `*` and `?` allowed
  std::string until;  ///< YYYY-MM-DD, the last day the waiver applies; empty: no end
};

/// The ignore-check annotations of an object.
std::vector<Waiver> annotation_waivers(const YamlTree& tree, const KubeObject& object, const std::string& file);

/// The inline waivers in a document's text; `first_line` is the file line of its first line.
/// Only `#` comments count: the marker must follow `#` and blanks, and a `#` inside a scalar
/// (a quoted string, or a line of a `|` or `>` block such as a ConfigMap's script) is text.
std::vector<Waiver> inline_waivers(std::string_view text, std::uint32_t first_line, const std::string& file);

}  // namespace immutalint
