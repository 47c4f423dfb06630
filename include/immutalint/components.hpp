// Well-known components (CNIs, CSI drivers, device plugins, agents), recognised in a pod by their
// containers' images, names or commands (checks/components/*.yaml compiled into the binary). What
// each target documents about a component is in that target's profile (`workloads:`).
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "immutalint/pod_spec.hpp"
#include "immutalint/result.hpp"
#include "immutalint/target.hpp"
#include "immutalint/yaml_tree.hpp"

namespace re2 {
class RE2;
}

namespace immutalint {

/// How a component is recognised in one container: every part that is given must match.
struct ComponentMatcher {
  std::string image_pattern;      ///< RE2, searched in the image
  std::string container_pattern;  ///< RE2, searched in the container's name
  std::string command_pattern;    ///< RE2, searched in the command and args joined by spaces
  std::shared_ptr<const re2::RE2> image;
  std::shared_ptr<const re2::RE2> container;
  std::shared_ptr<const re2::RE2> command;
};

/// A component of the knowledge base.
struct KnownComponent {
  std::string name;                     ///< what targets' `workloads:` rows name, e.g. "longhorn"
  std::string title;                    ///< for messages, e.g. "Longhorn"
  std::vector<ComponentMatcher> match;  ///< alternatives; empty: documented, never recognised
};

/// Every component, from the embedded data (or the given files).
class ComponentCatalogue {
 public:
  /// Parses (file name, YAML) pairs; patterns are compiled and every field validated.
  static Result<ComponentCatalogue> parse(std::span<const std::pair<std::string, std::string>> files);
  /// The catalogue compiled into the binary (parsed once).
  static const Result<ComponentCatalogue>& builtin();

  const std::vector<KnownComponent>& all() const { return components_; }
  const KnownComponent* find(std::string_view name) const;

 private:
  std::vector<KnownComponent> components_;
};

/// A component found in a pod: the first container, in pod order, that one of its matchers
/// recognises.
struct RecognisedComponent {
  const KnownComponent* component = nullptr;
  const ContainerView* container = nullptr;
  std::string image;
  std::string version;  ///< the image tag read as a version (v1.6.0 -> 1.6.0); empty when it is not one
};

/// The first component of `catalogue` that the pod's containers show; nullopt when none.
std::optional<RecognisedComponent> recognise_component(const ComponentCatalogue& catalogue, const YamlTree& tree,
                                                       const PodSpecView& pod);

/// What `target` documents about the recognised component, for its version: the row naming it
/// whose `since` the version reaches (a row with `since` needs a known version); nullptr when
/// the target documents nothing that applies.
const WorkloadOutcome* documented_outcome(const RecognisedComponent& found, const Target& target);

/// True when dotted version `version` (e.g. "1.6.2") is at least `since` ("1.6.0"); false when
/// either is not a version.
bool version_at_least(std::string_view version, std::string_view since);

}  // namespace immutalint
