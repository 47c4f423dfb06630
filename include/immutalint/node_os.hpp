// Which target profile a Kubernetes Node stands for, from what the node reports about itself
// (status.nodeInfo) and its labels. The rules are data: targets/node-os.yaml.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "immutalint/result.hpp"
#include "immutalint/target.hpp"

namespace re2 {
class RE2;
}

namespace immutalint {

/// What a Node says about its OS.
struct NodeReport {
  std::string os_image;        ///< status.nodeInfo.osImage, e.g. "Flatcar Container Linux by Kinvolk 4372.0.1 (Oklo)"
  std::string kernel_version;  ///< status.nodeInfo.kernelVersion, e.g. "6.12.35-flatcar"
  std::map<std::string, std::string, std::less<>> labels;
};

/// One rule of targets/node-os.yaml.
struct NodeOsRule {
  std::string target;  ///< empty when `linux` is false
  bool linux = true;   ///< false: the node runs no Linux workload (Windows)
  std::map<std::string, std::vector<std::string>, std::less<>> labels;  ///< label -> accepted values
  std::map<std::string, std::string, std::less<>> label_prefixes;       ///< label -> prefix of its value
  std::string os_image;                                                 ///< pattern, or empty
  std::string kernel;                                                   ///< pattern, or empty
  std::string source;
  std::string note;
  std::string judged_as;  ///< why an OS without a profile of its own is judged with this one

  /// "label kubernetes.azure.com/os-sku=AzureContainerLinux", "osImage matches ^Talos \(": what matched.
  std::string describe() const;
};

/// What the rules say about one node.
struct NodeOsMatch {
  const NodeOsRule* rule = nullptr;  ///< nullptr: no rule matched, the OS is unknown
  const Target* target = nullptr;    ///< nullptr when unknown or not Linux
};

/// The rules, in order, with their patterns compiled.
class NodeOsRules {
 public:
  /// Parses targets/node-os.yaml; every target must be one of `targets`, every pattern valid.
  static Result<NodeOsRules> parse(std::string_view text, const TargetSet& targets);
  /// The rules compiled into the binary, for the built-in targets.
  static const Result<NodeOsRules>& builtin();

  NodeOsMatch identify(const NodeReport& node) const;
  const std::vector<NodeOsRule>& rules() const { return rules_; }
  /// The labels that name a node's pool, by provider; the first a node carries names it.
  const std::vector<std::string>& pool_labels() const { return pool_labels_; }
  /// The AKS labels that say which OS SKU a node runs, the SKU's own first.
  const std::vector<std::string>& os_sku_labels() const { return os_sku_labels_; }
  const std::string& os_sku_label() const { return os_sku_labels_.front(); }

 private:
  std::vector<NodeOsRule> rules_;
  std::vector<std::string> pool_labels_;
  std::vector<std::string> os_sku_labels_;
  std::vector<std::shared_ptr<const re2::RE2>> os_image_patterns_;  // one per rule; null when none
  std::vector<std::shared_ptr<const re2::RE2>> kernel_patterns_;
  const TargetSet* targets_ = nullptr;
};

}  // namespace immutalint
