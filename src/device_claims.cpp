// Devices a pod claims through Dynamic Resource Allocation.
#include "immutalint/device_claims.hpp"

#include <algorithm>

namespace immutalint {

std::vector<PodDeviceClaim> pod_device_claims(const YamlTree& tree, const PodSpecView& pod) {
  std::vector<PodDeviceClaim> claims;
  const auto [holder, pointer] = pod.holder_of(tree, "resourceClaims");
  for (NodeId item : tree.items(tree.get(holder, "resourceClaims"))) {
    // Before resource.k8s.io/v1beta1, the reference was nested under `source:`.
    for (NodeId from : {item, tree.get(item, "source")}) {
      for (std::string_view kind : {kResourceClaimKind, kResourceClaimTemplateKind}) {
        const std::string field = std::string("resourceClaim") + (kind == kResourceClaimKind ? "Name" : "TemplateName");
        if (auto name = tree.scalar(tree.get(from, field)); name && !name->empty()) {
          claims.push_back({std::string(kind), std::string(*name)});
        }
      }
    }
  }
  return claims;
}

bool is_device_claim(const KubeObject& object) {
  return api_group(object.ref.api_version) == "resource.k8s.io" &&
         (object.ref.kind == kResourceClaimKind || object.ref.kind == kResourceClaimTemplateKind);
}

std::vector<std::vector<std::string>> device_requests(const YamlTree& tree, const KubeObject& object) {
  NodeId spec = tree.get(object.root, "spec");
  if (object.ref.kind == kResourceClaimTemplateKind) spec = tree.get(spec, "spec");  // the claim it makes
  std::vector<std::vector<std::string>> requests;
  for (NodeId request : tree.items(tree.get(tree.get(spec, "devices"), "requests"))) {
    std::vector<std::string> classes;
    // resource.k8s.io/v1 puts one class under `exactly:`; v1beta1 and v1beta2 beside the name.
    for (NodeId holder : {request, tree.get(request, "exactly")}) {
      if (auto name = tree.scalar(tree.get(holder, "deviceClassName")); name && !name->empty()) {
        classes.emplace_back(*name);
      }
    }
    for (NodeId alternative : tree.items(tree.get(request, "firstAvailable"))) {
      if (auto name = tree.scalar(tree.get(alternative, "deviceClassName")); name && !name->empty()) {
        classes.emplace_back(*name);
      }
    }
    if (!classes.empty()) requests.push_back(std::move(classes));
  }
  return requests;
}

std::optional<DeviceClaimBlock> device_claim_block(const std::vector<PodDeviceClaim>& claims, std::string_view ns,
                                                   const InputIndex& index, const Target& target) {
  for (const PodDeviceClaim& claim : claims) {
    const auto* requests = index.device_claim_requests(claim.kind, ns, claim.name);
    if (!requests) continue;
    for (const auto& alternatives : *requests) {
      const bool none_offered = std::all_of(alternatives.begin(), alternatives.end(), [&](const std::string& name) {
        return target.absent_device_class(name) != nullptr;
      });
      if (none_offered) return DeviceClaimBlock{claim, target.absent_device_class(alternatives.front())};
    }
  }
  return std::nullopt;
}

}  // namespace immutalint
