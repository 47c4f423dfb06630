// aks-pod-sandboxing: a pod that asks for an AKS Pod Sandboxing (Kata) runtime class, which only
// some node OS SKUs provide.
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "checks/checks.hpp"

namespace immutalint::checks {

namespace {

constexpr std::array<std::string_view, 3> kSandboxClasses = {"kata-vm-isolation", "kata-mshv-vm-isolation",
                                                             "kata-cc-isolation"};
constexpr std::string_view kLegacyClass = "kata-mshv-vm-isolation";

class AksPodSandboxing final : public Check {
 public:
  bool judges_targets() const override { return true; }

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    auto runtime_class = context.tree.scalar(context.tree.get(context.pod.node, "runtimeClassName"));
    if (!runtime_class) return;
    if (std::find(kSandboxClasses.begin(), kSandboxClasses.end(), *runtime_class) == kSandboxClasses.end()) return;
    Observation observation = observe_entry(context, context.pod.node, "runtimeClassName", context.pod.pointer,
                                            fmt::format("the pod runs in the AKS Pod Sandboxing runtime class {}", *runtime_class));
    for (const Target* target : context.targets) {
      const Fact& sandboxing = target->fact("pod_sandboxing");
      if (sandboxing.value == "unsupported") {
        judge(observation, *target, capped(Verdict::Breaks, sandboxing.evidence.confidence),
              fmt::format("Pod Sandboxing is not available on {} {}", target->name(), cite(sandboxing.evidence)));
      } else if (sandboxing.value == "supported" && *runtime_class == kLegacyClass) {
        judge(observation, *target, Verdict::Review,
              "kata-mshv-vm-isolation is the runtime class's old name; current clusters call it kata-vm-isolation");
      }
    }
    if (!observation.verdicts.empty()) out.push_back(std::move(observation));
  }
};

}  // namespace

std::unique_ptr<Check> make_aks_pod_sandboxing(const CheckInfo& /*info*/) { return std::make_unique<AksPodSandboxing>(); }

}  // namespace immutalint::checks
