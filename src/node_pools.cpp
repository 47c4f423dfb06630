// Reads AKS node pools from Azure CLI output, recognised by shape: a cluster export has no
// apiVersion or kind, only the properties of the AgentPool and ManagedCluster resources.
#include "immutalint/node_pools.hpp"
#include "immutalint/ascii.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace immutalint {

namespace {

/// The entry for `key`, ignoring case: the REST API spells `enableFIPS` and `osSKU` where the
/// Azure CLI prints `enableFips` and `osSku`.
const MapEntry* entry_of(const YamlTree& tree, NodeId mapping, std::string_view key) {
  for (const auto& entry : tree.entries(mapping)) {
    if (equal_ignoring_case(entry.key, key)) return &entry;
  }
  return nullptr;
}

NodeId value_of(const YamlTree& tree, NodeId mapping, std::string_view key) {
  const MapEntry* entry = entry_of(tree, mapping, key);
  return entry ? entry->value : kNoNode;
}

std::string scalar_of(const YamlTree& tree, NodeId mapping, std::string_view key) {
  const NodeId value = value_of(tree, mapping, key);
  return tree.is_null(value) ? std::string() : std::string(tree.scalar(value).value_or(""));
}

/// A scalar property; absent when missing or null.
PoolValue property(const YamlTree& tree, NodeId mapping, const std::string& pointer, std::string_view key) {
  const MapEntry* entry = entry_of(tree, mapping, key);
  if (!entry || tree.is_null(entry->value) || !tree.is_scalar(entry->value)) return {};
  return PoolValue{std::string(*tree.scalar(entry->value)), tree.span_of(*entry), pointer + "/" + entry->key};
}

/// The properties only agent pools have; a pool has at least one of them.
constexpr std::string_view kAgentPoolProperties[] = {"osType", "osSku", "nodeImageVersion", "orchestratorVersion",
                                                     "mode"};

/// What keeps a node from being read as an agent pool, which has a name and a VM size, and at
/// least one property only agent pools have; empty when it is one.
std::vector<std::string> agent_pool_lacks(const YamlTree& tree, NodeId node) {
  std::vector<std::string> lacks;
  if (scalar_of(tree, node, "name").empty()) lacks.emplace_back("no name");
  if (scalar_of(tree, node, "vmSize").empty()) lacks.emplace_back("no vmSize");
  const bool typed = std::any_of(std::begin(kAgentPoolProperties), std::end(kAgentPoolProperties),
                                 [&](std::string_view key) { return !scalar_of(tree, node, key).empty(); });
  if (!typed) lacks.emplace_back("none of osType, osSku, nodeImageVersion, orchestratorVersion and mode");
  return lacks;
}

bool looks_like_agent_pool(const YamlTree& tree, NodeId node) {
  if (!tree.is_mapping(node) || tree.find(node, "apiVersion") || tree.find(node, "kind")) return false;
  return agent_pool_lacks(tree, node).empty();
}

/// An entry of a pool list that is not a pool: the list is still read, and the entry reported,
/// so that one malformed entry neither hides the other pools nor goes unnoticed.
ShapeProblem not_a_pool(const YamlTree& tree, NodeId item, std::size_t index, PoolSource source,
                        const std::string& pointer) {
  const Span span = tree.node(item).span;
  if (!tree.is_mapping(item)) {
    return {fmt::format("entry {} of the {} output is {}, not a node pool; it is left out of the cluster's pools",
                        index, to_string(source), tree.describe(item)),
            span, pointer};
  }
  if (tree.find(item, "apiVersion") || tree.find(item, "kind")) {
    return {fmt::format("entry {} of the {} output is a Kubernetes object, not a node pool; it is left out of the "
                        "cluster's pools",
                        index, to_string(source)),
            span, pointer};
  }
  const std::string name = scalar_of(tree, item, "name");
  const std::string which =
      name.empty() ? fmt::format("entry {}", index) : fmt::format("node pool \"{}\" (entry {})", name, index);
  return {fmt::format("{} of the {} output has {}; it is left out of the cluster's pools", which, to_string(source),
                      fmt::join(agent_pool_lacks(tree, item), " and ")),
          span, pointer};
}

/// "/subscriptions/…/managedClusters/NAME/agentPools/POOL" -> NAME.
std::string cluster_from_id(std::string_view id) {
  constexpr std::string_view kClusters = "/managedclusters/";
  const std::string lower = ascii_lowered(id);
  const auto at = lower.find(kClusters);
  if (at == std::string::npos) return {};
  const auto start = at + kClusters.size();
  return std::string(id.substr(start, id.find('/', start) - start));
}

NodePool read_pool(const YamlTree& tree, NodeId node, std::string pointer, PoolSource source, const std::string& file) {
  NodePool pool;
  pool.source = source;
  pool.file = file;
  pool.span = tree.node(node).span;
  pool.name = scalar_of(tree, node, "name");
  if (const MapEntry* name = entry_of(tree, node, "name")) pool.name_span = tree.span_of(*name);
  pool.cluster = cluster_from_id(scalar_of(tree, node, "id"));
  pool.os_type = property(tree, node, pointer, "osType");
  pool.os_sku = property(tree, node, pointer, "osSku");
  pool.vm_size = property(tree, node, pointer, "vmSize");
  pool.mode = property(tree, node, pointer, "mode");
  pool.node_image_version = property(tree, node, pointer, "nodeImageVersion");
  pool.fips = property(tree, node, pointer, "enableFips");
  pool.workload_runtime = property(tree, node, pointer, "workloadRuntime");
  pool.node_os_upgrade_channel = property(tree, node, pointer, "nodeOsUpgradeChannel");
  pool.gpu_instance_profile = property(tree, node, pointer, "gpuInstanceProfile");
  if (const MapEntry* security = entry_of(tree, node, "securityProfile");
      security && tree.is_mapping(security->value)) {
    const std::string at = pointer + "/" + security->key;
    pool.security_profile = PoolValue{"", tree.span_of(*security), at};
    pool.secure_boot = property(tree, security->value, at, "enableSecureBoot");
    pool.vtpm = property(tree, security->value, at, "enableVtpm");
    pool.security_type = property(tree, security->value, at, "securityType");
  }
  if (const MapEntry* streaming = entry_of(tree, node, "artifactStreamingProfile")) {
    pool.artifact_streaming = property(tree, streaming->value, pointer + "/" + streaming->key, "enabled");
  }
  if (const MapEntry* gpu = entry_of(tree, node, "gpuProfile")) {
    pool.gpu_driver = property(tree, gpu->value, pointer + "/" + gpu->key, "driver");
  }
  for (const auto& label : tree.entries(value_of(tree, node, "nodeLabels"))) {
    if (auto text = tree.scalar(label.value)) pool.labels[label.key] = std::string(*text);
  }
  for (NodeId taint : tree.items(value_of(tree, node, "nodeTaints"))) {
    if (auto text = tree.scalar(taint)) pool.taints.emplace_back(*text);
  }
  pool.pointer = std::move(pointer);
  return pool;
}

}  // namespace

std::string_view to_string(PoolSource source) {
  switch (source) {
    case PoolSource::NodePoolList: return "az aks nodepool list";
    case PoolSource::NodePoolShow: return "az aks nodepool show";
    case PoolSource::ClusterShow: return "az aks show";
  }
  return "";
}

bool PoolValue::is_true() const {
  return present() && parse_yaml11_bool(text).value_or(false);
}

bool NodePool::linux() const {
  return !os_type.present() || equal_ignoring_case(os_type.text, "Linux");
}

bool NodePool::trusted_launch() const {
  return equal_ignoring_case(security_type.text, "TrustedLaunch") || (secure_boot.is_true() && vtpm.is_true());
}

bool NodePool::confidential_security_type() const {
  return equal_ignoring_case(security_type.text, "ConfidentialVM");
}

bool NodePool::pod_sandboxing() const {
  // KataMshvVmIsolation, and KataVmIsolation, its name in newer API versions.
  return workload_runtime.text.starts_with("Kata");
}

ObjectRef NodePool::ref() const {
  return ObjectRef{"", "AgentPool", cluster, name};
}

std::optional<NodePoolDocument> read_node_pools(const YamlTree& tree, const std::string& file) {
  const NodeId root = tree.root();
  NodePoolDocument document;
  // A list of pools, and an entry of it that is not one: each entry stands on its own.
  const auto read_items = [&](std::span<const NodeId> items, const std::string& list_pointer) {
    std::size_t index = 0;
    for (NodeId item : items) {
      const std::string pointer = fmt::format("{}/{}", list_pointer, index);
      if (looks_like_agent_pool(tree, item)) {
        document.pools.push_back(read_pool(tree, item, pointer, document.source, file));
      } else if (!tree.is_null(item)) {
        document.problems.push_back(not_a_pool(tree, item, index, document.source, pointer));
      }
      ++index;
    }
  };
  const auto any_pool = [&](std::span<const NodeId> items) {
    return std::any_of(items.begin(), items.end(), [&](NodeId item) { return looks_like_agent_pool(tree, item); });
  };
  if (tree.is_sequence(root)) {
    // Recognised by the entries that are pools; a list with none is some other YAML.
    const auto items = tree.items(root);
    if (!any_pool(items)) return std::nullopt;
    document.source = PoolSource::NodePoolList;
    read_items(items, "");
    return document;
  }
  if (!tree.is_mapping(root) || tree.find(root, "apiVersion") || tree.find(root, "kind")) return std::nullopt;
  if (looks_like_agent_pool(tree, root)) {
    document.source = PoolSource::NodePoolShow;
    document.pools.push_back(read_pool(tree, root, "", document.source, file));
    return document;
  }
  const MapEntry* profiles = entry_of(tree, root, "agentPoolProfiles");
  if (!profiles || !tree.is_sequence(profiles->value)) return std::nullopt;
  const auto items = tree.items(profiles->value);
  const bool cluster_type =
      equal_ignoring_case(scalar_of(tree, root, "type"), "Microsoft.ContainerService/ManagedClusters");
  if (!cluster_type && !any_pool(items)) return std::nullopt;
  document.source = PoolSource::ClusterShow;
  read_items(items, "/" + profiles->key);
  // The cluster's channel applies to every pool that does not set its own.
  PoolValue cluster_channel;
  if (const MapEntry* upgrade = entry_of(tree, root, "autoUpgradeProfile")) {
    cluster_channel = property(tree, upgrade->value, "/" + upgrade->key, "nodeOsUpgradeChannel");
  }
  const std::string cluster = scalar_of(tree, root, "name");
  for (NodePool& pool : document.pools) {
    if (pool.cluster.empty()) pool.cluster = cluster;
    if (!pool.node_os_upgrade_channel.present() && cluster_channel.present()) {
      pool.node_os_upgrade_channel = cluster_channel;
      pool.channel_from_cluster = true;
    }
  }
  return document;
}

}  // namespace immutalint
