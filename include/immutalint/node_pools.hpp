// AKS node pools as the cluster describes them: read from `az aks nodepool list`, `az aks
// nodepool show` and `az aks show` output (JSON, recognised by shape); node-pool-blocker
// (node_pool_blocker.hpp) judges them for re-creation on another OS SKU. The model does not depend on where a pool
// was read, so that pools gathered from Kubernetes Node objects can join it.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "immutalint/finding.hpp"
#include "immutalint/location.hpp"
#include "immutalint/yaml_tree.hpp"

namespace immutalint {

/// What a pool description was read from.
enum class PoolSource { NodePoolList, NodePoolShow, ClusterShow };

/// "az aks nodepool list", "az aks nodepool show", "az aks show".
std::string_view to_string(PoolSource source);

/// One property of a pool as written: its text and where. Empty (`!present()`) when absent or null.
struct PoolValue {
  std::string text;     ///< scalar text: "true", "Standard_D4s_v5", "KataMshvVmIsolation"
  Span span;            ///< the property, key and value
  std::string pointer;  ///< JSON Pointer from the document's root

  bool present() const { return !pointer.empty(); }
  /// True when present and a JSON/YAML boolean true.
  bool is_true() const;
};

/// One node pool: the settings that decide which OS SKUs it can be re-created on.
struct NodePool {
  std::string name;
  std::string cluster;  ///< the cluster's name, when the input says it
  PoolSource source = PoolSource::NodePoolList;
  std::string file;     ///< display path of the input
  Span span;            ///< the pool's JSON object
  std::string pointer;  ///< of the pool's object: "", "/2" or "/agentPoolProfiles/1"
  Span name_span;       ///< the `name` property, where findings without a property of their own go

  PoolValue os_type;             ///< osType: Linux, Windows
  PoolValue os_sku;              ///< osSku: Ubuntu, AzureLinux, AzureContainerLinux, Flatcar, ...
  PoolValue vm_size;             ///< vmSize
  PoolValue mode;                ///< mode: System, User, Gateway
  PoolValue node_image_version;  ///< nodeImageVersion
  PoolValue fips;                ///< enableFips
  PoolValue secure_boot;         ///< securityProfile.enableSecureBoot
  PoolValue vtpm;                ///< securityProfile.enableVtpm
  PoolValue security_type;       ///< securityProfile.securityType: TrustedLaunch, ConfidentialVM
  PoolValue security_profile;    ///< securityProfile itself
  PoolValue artifact_streaming;  ///< artifactStreamingProfile.enabled
  PoolValue workload_runtime;    ///< workloadRuntime: OCIContainer, KataMshvVmIsolation, KataVmIsolation
  /// The pool's nodeOsUpgradeChannel, or else the cluster's autoUpgradeProfile.nodeOsUpgradeChannel.
  PoolValue node_os_upgrade_channel;
  bool channel_from_cluster = false;          ///< node_os_upgrade_channel is the cluster's
  PoolValue gpu_driver;                       ///< gpuProfile.driver: Install, None
  PoolValue gpu_instance_profile;             ///< gpuInstanceProfile (MIG)
  std::map<std::string, std::string> labels;  ///< nodeLabels
  std::vector<std::string> taints;            ///< nodeTaints, as written ("key=value:Effect")

  bool linux() const;
  /// Secure Boot and vTPM both on, or securityType TrustedLaunch.
  bool trusted_launch() const;
  /// securityType ConfidentialVM.
  bool confidential_security_type() const;
  /// A Pod Sandboxing (Kata) workload runtime.
  bool pod_sandboxing() const;
  /// The object findings name: kind AgentPool, the cluster as namespace.
  ObjectRef ref() const;
};

/// The pools of one document.
struct NodePoolDocument {
  PoolSource source = PoolSource::NodePoolList;
  std::vector<NodePool> pools;
  /// Entries of the pool list that are not pools (no vmSize, no name...): left out, reported.
  std::vector<ShapeProblem> problems;
};

/// Recognises the output of `az aks nodepool list` (an array of agent pools), `az aks nodepool
/// show` (one agent pool) or `az aks show` (a managed cluster with `agentPoolProfiles`) by shape;
/// nullopt for anything else. Kubernetes objects (apiVersion and kind) are never pools. A list
/// is recognised by the entries that are pools; each other entry is left out and named in
/// `problems`, so that the good pools are still read.
std::optional<NodePoolDocument> read_node_pools(const YamlTree& tree, const std::string& file);

}  // namespace immutalint
