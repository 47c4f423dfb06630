// gpu-unsupported: a container requests GPUs of a vendor the target does not support, or
// without the runtime class that the target's GPU runtime needs.
#include <fmt/format.h>

#include "immutalint/check.hpp"

namespace immutalint::checks {

namespace {

class AksGpuUnsupported final : public Check {
 public:
  explicit AksGpuUnsupported(const CheckInfo& info) : resources_(info.params.table("gpu-resources")) {}

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    const YamlTree& tree = context.tree;
    const std::string runtime_class(
        tree.scalar(tree.get(context.pod.holder_of(tree, "runtimeClassName").first, "runtimeClassName")).value_or(""));
    for (const auto& container : context.pod.containers) {
      const NodeId resources = tree.get(container.node, "resources");
      for (const auto& [resource, about] : resources_) {
        // about: [support fact, vendor name, needs the GPU runtime class ("runtime-class") or not]
        const std::string fact_key = about.size() > 0 ? about[0] : std::string();
        const std::string vendor = about.size() > 1 ? about[1] : resource;
        const bool needs_runtime = about.size() > 2 && about[2] == "runtime-class";
        for (const char* kind : {"limits", "requests"}) {
          const NodeId amounts = tree.get(resources, kind);
          if (!tree.find(amounts, resource)) continue;
          Observation observation = observe_entry(
              context, amounts, resource, container.pointer + "/resources/" + kind,
              fmt::format("{} requests {} GPUs ({})", describe_container(container), vendor, resource), container.name);
          observation.action = Action::Requires;
          for (const Target* target : context.targets) {
            const Fact& support = target->fact(fact_key);
            const Fact& runtime = target->fact("gpu_runtime_class");
            if (target->fact_is(fact_key, "unsupported")) {
              judge(observation, *target, Verdict::Breaks,
                    fmt::format("{} GPUs are not supported on {}", vendor, target->name()), support.evidence);
            } else if (needs_runtime && !runtime.value.empty() && runtime_class != runtime.value) {
              judge(observation, *target, Verdict::LikelyBreaks,
                    fmt::format(
                        "GPU pods on {} set runtimeClassName: {}; without it the container gets no GPU devices or "
                        "driver libraries",
                        target->name(), runtime.value),
                    runtime.evidence);
            }
          }
          out.push_back(std::move(observation));
          break;  // limits and requests name the same GPUs: report once
        }
      }
    }
  }

 private:
  const std::map<std::string, std::vector<std::string>> resources_;
};

}  // namespace

std::unique_ptr<Check> make_gpu_unsupported(const CheckInfo& info) {
  return std::make_unique<AksGpuUnsupported>(info);
}

}  // namespace immutalint::checks
