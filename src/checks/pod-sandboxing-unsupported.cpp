// pod-sandboxing-unsupported: a pod that asks for an AKS Pod Sandboxing (Kata) runtime class, which only
// some node OS SKUs provide.
#include <algorithm>

#include <fmt/format.h>

#include "immutalint/check.hpp"
#include "immutalint/fact_keys.hpp"

namespace immutalint::checks {

namespace {

class PodSandboxingUnsupported final : public Check {
 public:
  explicit PodSandboxingUnsupported(const CheckInfo& info)
      : classes_(info.params.list("sandbox-classes")), legacy_(info.params.list("legacy-classes")) {}

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    const auto [holder, holder_pointer] = context.pod.holder_of(context.tree, "runtimeClassName");
    auto runtime_class = context.tree.scalar(context.tree.get(holder, "runtimeClassName"));
    if (!runtime_class) return;
    if (std::find(classes_.begin(), classes_.end(), *runtime_class) == classes_.end()) return;
    Observation observation =
        observe_entry(context, holder, "runtimeClassName", holder_pointer,
                      fmt::format("the pod runs in the AKS Pod Sandboxing runtime class {}", *runtime_class));
    observation.action = Action::Requires;
    const bool legacy = std::find(legacy_.begin(), legacy_.end(), *runtime_class) != legacy_.end();
    for (const Target* target : context.targets) {
      const Fact& sandboxing = target->fact(facts::pod_sandboxing);
      if (target->fact_is(facts::pod_sandboxing, "unsupported")) {
        judge(observation, *target, Verdict::Breaks,
              fmt::format("Pod Sandboxing is not available on {}", target->name()), sandboxing.evidence);
      } else if (target->fact_is(facts::pod_sandboxing, "supported") && legacy) {
        judge_review(observation, *target,
                     fmt::format("{} is the runtime class's old name; current clusters call it {}", *runtime_class,
                                 classes_.front()));
      }
    }
    out.push_back(std::move(observation));
  }

 private:
  const std::vector<std::string> classes_;
  const std::vector<std::string> legacy_;
};

}  // namespace

std::unique_ptr<Check> make_pod_sandboxing_unsupported(const CheckInfo& info) {
  return std::make_unique<PodSandboxingUnsupported>(info);
}

}  // namespace immutalint::checks
