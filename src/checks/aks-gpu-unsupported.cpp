// aks-gpu-unsupported: a container requests GPUs of a vendor the target does not support.
#include <fmt/format.h>

#include "checks/checks.hpp"

namespace immutalint::checks {

namespace {

struct GpuResource {
  std::string_view resource;
  std::string_view fact;
  std::string_view vendor;
};
constexpr GpuResource kGpus[] = {{"nvidia.com/gpu", "nvidia_gpu", "NVIDIA"}, {"amd.com/gpu", "amd_gpu", "AMD"}};

class AksGpuUnsupported final : public Check {
 public:
  bool judges_targets() const override { return true; }

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    const YamlTree& tree = context.tree;
    for (const auto& container : context.pod.containers) {
      const NodeId resources = tree.get(container.node, "resources");
      for (const auto& gpu : kGpus) {
        for (const char* kind : {"limits", "requests"}) {
          const NodeId amounts = tree.get(resources, kind);
          if (!tree.find(amounts, gpu.resource)) continue;
          Observation observation = observe_entry(
              context, amounts, gpu.resource, container.pointer + "/resources/" + kind,
              fmt::format("{} requests {} GPUs ({})", describe_container(container), gpu.vendor, gpu.resource), container.name);
          for (const Target* target : context.targets) {
            const Fact& support = target->fact(gpu.fact);
            if (support.value != "unsupported") continue;
            judge(observation, *target, capped(Verdict::Breaks, support.evidence.confidence),
                  fmt::format("{} GPUs are not supported on {} {}", gpu.vendor, target->name(), cite(support.evidence)));
          }
          if (!observation.verdicts.empty()) out.push_back(std::move(observation));
          break;  // limits and requests name the same GPUs: report once
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_aks_gpu_unsupported(const CheckInfo& /*info*/) { return std::make_unique<AksGpuUnsupported>(); }

}  // namespace immutalint::checks
