// talos-pod-security: a pod that Pod Security "baseline" forbids (privileged, host namespaces,
// hostPath), outside kube-system, on a target that enforces baseline by default. The pipeline
// drops the finding when a Namespace in the same input is labelled to allow it.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checks/checks.hpp"

namespace immutalint::checks {

namespace {

class TalosPodSecurity final : public Check {
 public:
  bool judges_targets() const override { return true; }

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    const std::string& ns = context.object.ref.namespace_;
    if (ns == "kube-system") return;
    const YamlTree& tree = context.tree;
    std::vector<std::string> reasons;
    for (const char* key : {"hostNetwork", "hostPID", "hostIPC"}) {
      if (is_true(tree, context.pod.node, key)) reasons.push_back(key);
    }
    for (const auto& container : context.pod.containers) {
      if (is_true(tree, container.security_context, "privileged")) {
        reasons.push_back("privileged " + describe_container(container));
        break;
      }
    }
    for (const auto& volume : context.pod.volumes) {
      if (tree.find(volume.node, "hostPath")) {
        reasons.push_back("hostPath volumes");
        break;
      }
    }
    if (reasons.empty()) return;
    Observation observation;
    observation.span = context.object.kind_span;
    observation.field = "/kind";
    observation.message = fmt::format(
        "Pod Security \"baseline\" forbids this pod ({}) in namespace \"{}\" unless the namespace is labelled "
        "pod-security.kubernetes.io/enforce: privileged",
        fmt::join(reasons, ", "), ns.empty() ? "default" : ns);
    for (const Target* target : context.targets) {
      const Fact& psa = target->fact("psa_baseline_enforced");
      if (psa.value != "true") continue;
      judge(observation, *target, Verdict::LikelyBreaks,
            fmt::format("{} enforces Pod Security baseline outside kube-system {}", target->name(), cite(psa.evidence)));
    }
    if (!observation.verdicts.empty()) out.push_back(std::move(observation));
  }
};

}  // namespace

std::unique_ptr<Check> make_talos_pod_security(const CheckInfo& /*info*/) { return std::make_unique<TalosPodSecurity>(); }

}  // namespace immutalint::checks
