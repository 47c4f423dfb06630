// Devices a pod claims through Dynamic Resource Allocation: the ResourceClaims and
// ResourceClaimTemplates it names, the device classes they request, and the targets whose nodes
// never offer one of them (the pod is then never scheduled there).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "immutalint/input_index.hpp"
#include "immutalint/kube_object.hpp"
#include "immutalint/pod_spec.hpp"
#include "immutalint/target.hpp"
#include "immutalint/yaml_tree.hpp"

namespace immutalint {

inline constexpr std::string_view kResourceClaimKind = "ResourceClaim";
inline constexpr std::string_view kResourceClaimTemplateKind = "ResourceClaimTemplate";

/// A claim the pod names in `spec.resourceClaims`.
struct PodDeviceClaim {
  std::string kind;  ///< ResourceClaim or ResourceClaimTemplate
  std::string name;
};

/// The claims of the pod, in order, read as the API server reads them (`resourceClaimName`,
/// `resourceClaimTemplateName`, or the same under `source:` in older API versions).
std::vector<PodDeviceClaim> pod_device_claims(const YamlTree& tree, const PodSpecView& pod);

/// True when `object` is a ResourceClaim or ResourceClaimTemplate (API group resource.k8s.io).
bool is_device_claim(const KubeObject& object);

/// The device requests of a ResourceClaim or ResourceClaimTemplate: per request, the device
/// classes that can meet it (one, or the alternatives of `firstAvailable`).
std::vector<std::vector<std::string>> device_requests(const YamlTree& tree, const KubeObject& object);

/// A claim whose request no device of the target's nodes can meet.
struct DeviceClaimBlock {
  PodDeviceClaim claim;
  const DeviceClassFact* device_class = nullptr;  ///< what the target says of (the first of) its classes
};

/// The first of `claims` (of a pod of namespace `ns`), defined in `index`, with a request whose
/// every device class the target's profile lists as never offered; nullopt when there is none.
/// A claim the input does not define rules nothing out.
std::optional<DeviceClaimBlock> device_claim_block(const std::vector<PodDeviceClaim>& claims, std::string_view ns,
                                                   const InputIndex& index, const Target& target);

}  // namespace immutalint
