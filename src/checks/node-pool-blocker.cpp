// node-pool-blocker: what AKS documents as keeping a node pool from being re-created on another
// OS SKU (FIPS, Trusted Launch, confidential and Generation 1 sizes, Artifact Streaming, the node
// OS upgrade channel, Pod Sandboxing, GPUs), judged from the pool's settings and the target's
// facts; and pools on a retired SKU, with their successor.
#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "immutalint/ascii.hpp"
#include "immutalint/check.hpp"
#include "immutalint/fact_keys.hpp"
#include "immutalint/node_pool_blocker.hpp"
#include "immutalint/text_list.hpp"

namespace immutalint {

namespace {

/// The pool already runs the target's SKU: the target's nodes carry the pool's osSku in their
/// os-sku label (targets/*.yaml, node_labels; the label is named in targets/node-os.yaml).
bool already_on(const NodePool& pool, const Target& target, std::string_view os_sku_label) {
  if (!pool.os_sku.present()) return false;
  for (const auto& label : target.node_labels()) {
    if (label.key != os_sku_label) continue;
    return std::any_of(label.values.begin(), label.values.end(),
                       [&](const std::string& sku) { return equal_ignoring_case(sku, pool.os_sku.text); });
  }
  return false;
}

/// The channels a target accepts ("NodeImage, None"); empty outside AKS.
std::vector<std::string> channels_of(const Target& target) {
  return split_list(target.fact(facts::node_os_upgrade_channels).value);
}

std::string with_note(std::string why, const Evidence& fact) {
  return fact.note.empty() ? why : why + "; " + fact.note;
}

/// The findings on one pool, one per blocker, each with its verdict on every target it blocks.
class PoolFindings {
 public:
  explicit PoolFindings(const NodePool& pool) : pool_(pool) {}

  /// Adds `target`'s verdict to the finding on `blocker`, made at `at` on first use.
  void block(std::string_view blocker, const PoolValue& at, const std::string& message, const Target& target,
             std::string why, const Evidence& fact) {
    const std::string cause = fmt::format("node pool {}: {}", pool_.name, blocker);
    auto it = std::find_if(findings_.begin(), findings_.end(), [&](const Finding& f) { return f.cause == cause; });
    if (it == findings_.end()) {
      Finding finding;
      finding.check = std::string(check_id(CheckRole::NodePools));
      finding.message = message;
      finding.file = pool_.file;
      finding.span = at.present() ? at.span : pool_.name_span;
      finding.field = at.present() ? at.pointer : pool_.pointer + "/name";
      finding.object = pool_.ref();
      finding.cause = cause;
      finding.action = Action::Requires;
      if (at.present() && !at.text.empty()) {
        // The property as a path from the pool ("securityProfile.enableSecureBoot"), or from the
        // cluster for its own settings ("autoUpgradeProfile.nodeOsUpgradeChannel").
        const std::string& field = finding.field;
        const bool in_pool = field.starts_with(pool_.pointer + "/");
        std::string key = field.substr(in_pool ? pool_.pointer.size() + 1 : 1);
        std::replace(key.begin(), key.end(), '/', '.');
        finding.evidence.push_back({fmt::format("{} shows {}: {}", to_string(pool_.source), key, at.text),
                                    Place{pool_.file, finding.span, finding.field}});
      }
      findings_.push_back(std::move(finding));
      it = findings_.end() - 1;
    }
    it->targets.push_back({target.name(), Verdict::Breaks, std::move(why), fact.source, fact.confidence, {}});
  }

  std::vector<Finding> take() { return std::move(findings_); }

 private:
  const NodePool& pool_;
  std::vector<Finding> findings_;
};

/// Where "Trusted Launch is off" shows: the first of Secure Boot and vTPM that is off, else the
/// security profile, else nothing (the pool's name).
const PoolValue& trusted_launch_site(const NodePool& pool) {
  if (pool.secure_boot.present() && !pool.secure_boot.is_true()) return pool.secure_boot;
  if (pool.vtpm.present() && !pool.vtpm.is_true()) return pool.vtpm;
  return pool.security_profile;
}

void judge_pool(const NodePool& pool, const Target& target, const EvidenceCatalogue& data, PoolFindings& out) {
  const std::string& name = pool.name;
  const std::string& on = target.name();
  const VmSizeFamily* family = pool.vm_size.present() ? data.vm_size_family(pool.vm_size.text) : nullptr;
  const bool confidential = (family && family->has("confidential")) || pool.confidential_security_type();

  if (pool.fips.is_true() && target.fact_is(facts::fips, "unsupported")) {
    const Fact& fact = target.fact(facts::fips);
    out.block("fips", pool.fips, fmt::format("node pool {} runs a FIPS-enabled node image", name), target,
              with_note(fmt::format("{} node pools cannot run a FIPS image", on), fact.evidence), fact.evidence);
  }
  if (!pool.trusted_launch() && !confidential && target.fact_is(facts::trusted_launch, "required")) {
    const Fact& fact = target.fact(facts::trusted_launch);
    const PoolValue& at = trusted_launch_site(pool);
    const std::string shown = pool.security_profile.present()
                                  ? fmt::format("enableSecureBoot: {}, enableVtpm: {}",
                                                pool.secure_boot.present() ? pool.secure_boot.text : "unset",
                                                pool.vtpm.present() ? pool.vtpm.text : "unset")
                                  : "no securityProfile";
    out.block("trusted-launch", at, fmt::format("node pool {} does not run as Trusted Launch VMs ({})", name, shown),
              target, with_note(fmt::format("{} node pools run only as Trusted Launch VMs", on), fact.evidence),
              fact.evidence);
  }
  if (confidential && target.fact_is(facts::confidential_vm, "unsupported")) {
    const Fact& fact = target.fact(facts::confidential_vm);
    const bool by_size = family && family->has("confidential");
    const std::string message =
        by_size ? fmt::format("node pool {} uses VM size {}, of the {}, a confidential VM size", name,
                              pool.vm_size.text, family->name)
                : fmt::format("node pool {} runs confidential VMs (securityType {})", name, pool.security_type.text);
    out.block("confidential-vm", by_size ? pool.vm_size : pool.security_type, message, target,
              with_note(fmt::format("{} node pools cannot use confidential VM sizes", on), fact.evidence),
              fact.evidence);
  }
  if (family && family->has("gen1-only") && target.fact_is(facts::gen1_vm, "unsupported")) {
    const Fact& fact = target.fact(facts::gen1_vm);
    out.block(
        "gen1-size", pool.vm_size,
        fmt::format("node pool {} uses VM size {}, of the {}, which supports only Generation 1", name,
                    pool.vm_size.text, family->name),
        target,
        with_note(fmt::format("{} node pools cannot use VM sizes that support only Generation 1", on), fact.evidence),
        fact.evidence);
  }
  if (family && family->has("no-trusted-launch") && target.fact_is(facts::trusted_launch, "required")) {
    const Fact& fact = target.fact(facts::trusted_launch);
    out.block("no-trusted-launch-size", pool.vm_size,
              fmt::format("node pool {} uses VM size {}, of the {}, which cannot run Trusted Launch", name,
                          pool.vm_size.text, family->name),
              target,
              with_note(fmt::format("{} node pools run only on VM sizes with Trusted Launch", on), fact.evidence),
              fact.evidence);
  }
  if (pool.artifact_streaming.is_true() && target.fact_is(facts::artifact_streaming, "unsupported")) {
    const Fact& fact = target.fact(facts::artifact_streaming);
    out.block("artifact-streaming", pool.artifact_streaming,
              fmt::format("node pool {} has Artifact Streaming enabled", name), target,
              with_note(fmt::format("{} node pools cannot enable Artifact Streaming", on), fact.evidence),
              fact.evidence);
  }
  if (pool.node_os_upgrade_channel.present()) {
    const auto accepted = channels_of(target);
    const bool allowed = std::any_of(accepted.begin(), accepted.end(), [&](const std::string& channel) {
      return equal_ignoring_case(channel, pool.node_os_upgrade_channel.text);
    });
    if (!accepted.empty() && !allowed) {
      const Fact& fact = target.fact(facts::node_os_upgrade_channels);
      const std::string message = pool.channel_from_cluster
                                      ? fmt::format("node pool {} takes node OS updates from the cluster's {} channel",
                                                    name, pool.node_os_upgrade_channel.text)
                                      : fmt::format("node pool {} takes node OS updates from the {} channel", name,
                                                    pool.node_os_upgrade_channel.text);
      out.block("node-os-upgrade-channel", pool.node_os_upgrade_channel, message, target,
                with_note(fmt::format("{} node pools accept only the {} channels", on, fact.value), fact.evidence),
                fact.evidence);
    }
  }
  if (pool.pod_sandboxing() && target.fact_is(facts::pod_sandboxing, "unsupported")) {
    const Fact& fact = target.fact(facts::pod_sandboxing);
    out.block("pod-sandboxing", pool.workload_runtime,
              fmt::format("node pool {} runs Pod Sandboxing (workload runtime {})", name, pool.workload_runtime.text),
              target, with_note(fmt::format("{} node pools have no Pod Sandboxing runtime", on), fact.evidence),
              fact.evidence);
  }
  for (auto [trait, key, vendor] :
       {std::tuple{"nvidia-gpu", facts::nvidia_gpu, "NVIDIA"}, std::tuple{"amd-gpu", facts::amd_gpu, "AMD"}}) {
    if (!family || !family->has(trait) || !target.fact_is(key, "unsupported")) continue;
    const Fact& fact = target.fact(key);
    out.block(
        trait, pool.vm_size,
        fmt::format("node pool {} has {} GPUs (VM size {}, of the {})", name, vendor, pool.vm_size.text, family->name),
        target, with_note(fmt::format("{} node pools do not support {} GPUs", on, vendor), fact.evidence),
        fact.evidence);
  }
}

}  // namespace

std::vector<Finding> NodePoolBlocker::judge(const NodePoolDocument& document, std::span<const Target* const> targets,
                                            std::span<const PoolPlan> plans) const {
  std::vector<Finding> findings;
  for (const NodePool& pool : document.pools) {
    if (!pool.linux()) continue;  // the Linux SKUs are the targets; Windows pools stay as they are
    std::vector<const Target*> judged;
    for (const auto& plan : plans) {
      if (plan.pool == pool.name) judged.push_back(plan.target);
    }
    if (judged.empty()) judged.assign(targets.begin(), targets.end());
    PoolFindings out(pool);
    // A pool on a retired SKU is told its successor, when that is a target it is judged for.
    if (const RetiredOsSku* retired = data_->retired_os_sku(pool.os_sku.text)) {
      for (const Target* target : judged) {
        if (target->name() != retired->successor) continue;
        out.block("retired-os-sku", pool.os_sku,
                  fmt::format("node pool {} runs the retired OS SKU {}; its successor is {}, {}", pool.name,
                              pool.os_sku.text, target->name(), target->title()),
                  *target, retired->retirement.why,
                  Evidence{retired->retirement.source, retired->retirement.confidence, {}});
      }
    }
    for (const Target* target : judged) {
      if (!already_on(pool, *target, os_sku_label_)) judge_pool(pool, *target, *data_, out);
    }
    for (auto& finding : out.take()) {
      apply_ladder(finding, CheckKind::Evidence);
      if (!finding.targets.empty()) findings.push_back(std::move(finding));
    }
  }
  return findings;
}

}  // namespace immutalint
