// gpu-unsupported: a container requests GPUs of a vendor the target does not support, on a node
// architecture the target has no GPU driver for, or without the runtime class that the target's
// GPU runtime needs.
#include <algorithm>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checks/host_path_support.hpp"
#include "immutalint/check.hpp"
#include "immutalint/fact_keys.hpp"
#include "immutalint/placement.hpp"
#include "immutalint/text_list.hpp"
#include "immutalint/yaml_parse.hpp"

namespace immutalint::checks {

namespace {

/// A GPU resource a container can request, as the catalogue describes it.
struct GpuResource {
  std::string name;                      ///< e.g. nvidia.com/gpu
  FactKey support;                       ///< the fact that says whether the target supports it
  std::string vendor;                    ///< e.g. NVIDIA
  bool needs_runtime_class = false;      ///< GPU pods need the target's GPU runtime class
  std::optional<FactKey> driver_arches;  ///< the fact naming the architectures with drivers
};

class GpuUnsupported final : public Check {
 public:
  explicit GpuUnsupported(const CheckInfo& info)
      : architecture_label_(
            architecture_label(info.params.list("architecture-labels"), info.params.list("node-architectures"))),
        library_dirs_(info.params.list("gpu-library-dirs")) {
    // gpu-resources: resource -> [support fact, vendor name, "runtime-class" when GPU pods need
    // the target's GPU runtime class]; gpu-architectures: resource -> [driver architectures fact].
    const auto& architectures = info.params.table("gpu-architectures");
    for (const auto& [name, about] : info.params.table("gpu-resources")) {
      GpuResource resource{name, info.params.fact(about.empty() ? "" : about[0]), about.size() > 1 ? about[1] : name,
                           about.size() > 2 && about[2] == "runtime-class", std::nullopt};
      if (auto arches = architectures.find(name); arches != architectures.end() && !arches->second.empty())
        resource.driver_arches = info.params.fact(arches->second[0]);
      resources_.push_back(std::move(resource));
    }
  }

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    const YamlTree& tree = context.tree;
    const std::string runtime_class(
        tree.scalar(tree.get(context.pod.holder_of(tree, "runtimeClassName").first, "runtimeClassName")).value_or(""));
    // The architectures the pod can land on, read once and only for a pod that requests GPUs.
    std::optional<std::vector<std::string>> pod_architectures;
    auto architectures = [&]() -> const std::vector<std::string>& {
      if (!pod_architectures) pod_architectures = admitted_label_values(tree, context.pod, architecture_label_);
      return *pod_architectures;
    };
    // The pod's hostPath volumes of GPU library folders, read once and only for a pod that
    // requests GPUs.
    std::optional<std::vector<std::string>> pod_library_volumes;
    auto library_volumes = [&]() -> const std::vector<std::string>& {
      if (pod_library_volumes) return *pod_library_volumes;
      pod_library_volumes.emplace();
      for (const auto& volume : host_path_volumes(context)) {
        const std::string path = normalize_host_path(volume.path);
        if (std::any_of(library_dirs_.begin(), library_dirs_.end(),
                        [&](const std::string& dir) { return path_has_prefix(path, dir); }))
          pod_library_volumes->push_back(volume.volume->pointer);
      }
      return *pod_library_volumes;
    };
    for (const auto& container : context.pod.containers) {
      const NodeId resources = tree.get(container.node, "resources");
      for (const GpuResource& gpu : resources_) {
        const std::string& resource = gpu.name;
        const std::string& vendor = gpu.vendor;
        for (const char* kind : {"limits", "requests"}) {
          const NodeId amounts = tree.get(resources, kind);
          if (!tree.find(amounts, resource)) continue;
          Observation observation = observe_entry(
              context, amounts, resource, container.pointer + "/resources/" + kind,
              fmt::format("{} requests {} GPUs ({})", describe_container(container), vendor, resource), container.name);
          observation.action = Action::Requires;
          bool pinned_elsewhere = false;
          for (const Target* target : context.targets) {
            const Fact& support = target->fact(gpu.support);
            const Fact& runtime = target->fact(facts::gpu_runtime_class);
            const std::vector<std::string> driver_arches =
                gpu.driver_arches ? split_words(target->fact(*gpu.driver_arches).value) : std::vector<std::string>{};
            if (target->fact_is(gpu.support, "unsupported")) {
              judge(observation, *target, Verdict::Breaks,
                    fmt::format("{} GPUs are not supported on {}", vendor, target->name()), support.evidence);
            } else if (!driver_arches.empty() && lands_without_driver(architectures(), driver_arches)) {
              pinned_elsewhere = true;
              judge(observation, *target, Verdict::Breaks,
                    fmt::format("{} has {} GPU drivers only on {} nodes, and the pod only schedules on {} nodes",
                                target->name(), vendor, fmt::join(driver_arches, " and "),
                                fmt::join(architectures(), " and ")),
                    target->fact(*gpu.driver_arches).evidence);
            } else if (gpu.needs_runtime_class && !runtime.value.empty() && runtime_class != runtime.value) {
              judge(observation, *target, Verdict::LikelyBreaks,
                    fmt::format(
                        "GPU pods on {} set runtimeClassName: {}; without it the container gets no GPU devices or "
                        "driver libraries",
                        target->name(), runtime.value),
                    runtime.evidence);
            }
          }
          if (pinned_elsewhere) add_pin_evidence(context, architectures(), observation);
          // A hostPath of the node's GPU libraries is how this pod reaches its GPUs: what the
          // target says about that path is this cause too, one finding with the request.
          observation.joined_causes = library_volumes();
          out.push_back(std::move(observation));
          break;  // limits and requests name the same GPUs: report once
        }
      }
    }
  }

 private:
  /// The node label that names a node's architecture (then the older keys carrying the same
  /// value), with the architectures that nodes have.
  static NodeLabelFact architecture_label(const std::vector<std::string>& keys,
                                          const std::vector<std::string>& architectures) {
    NodeLabelFact label;
    if (!keys.empty()) label.key = keys.front();
    if (keys.size() > 1) label.also.assign(keys.begin() + 1, keys.end());
    label.values = architectures;
    return label;
  }

  /// True when the pod can land on some architecture, but on none that the target has GPU
  /// drivers for. A pod that can land on no known architecture at all has another problem than
  /// its GPUs.
  static bool lands_without_driver(const std::vector<std::string>& pod_architectures,
                                   const std::vector<std::string>& driver_architectures) {
    if (pod_architectures.empty()) return false;
    return std::none_of(pod_architectures.begin(), pod_architectures.end(), [&](const std::string& arch) {
      return std::find(driver_architectures.begin(), driver_architectures.end(), arch) != driver_architectures.end();
    });
  }

  /// What keeps the pod on those architectures, where it is said: the architecture entry of its
  /// node selector, else its affinity.
  void add_pin_evidence(const CheckContext& context, const std::vector<std::string>& architectures,
                        Observation& observation) const {
    const YamlTree& tree = context.tree;
    const std::string text = fmt::format("the pod only schedules on {} nodes ({})", fmt::join(architectures, " and "),
                                         architecture_label_.key);
    const auto [selector_holder, selector_pointer] = context.pod.holder_of(tree, "nodeSelector");
    const NodeId selector = tree.get(selector_holder, "nodeSelector");
    std::vector<std::string> keys{architecture_label_.key};
    keys.insert(keys.end(), architecture_label_.also.begin(), architecture_label_.also.end());
    for (const std::string& key : keys) {
      if (const MapEntry* entry = tree.find(selector, key)) {
        observation.evidence.push_back(EvidenceItem{
            text,
            Place{context.file, tree.span_of(*entry), selector_pointer + "/nodeSelector/" + json_pointer_token(key)}});
        return;
      }
    }
    const auto [affinity_holder, affinity_pointer] = context.pod.holder_of(tree, "affinity");
    if (const MapEntry* entry = tree.find(affinity_holder, "affinity")) {
      observation.evidence.push_back(
          EvidenceItem{text, Place{context.file, tree.span_of(*entry), affinity_pointer + "/affinity"}});
    }
  }

  std::vector<GpuResource> resources_;
  const NodeLabelFact architecture_label_;
  const std::vector<std::string> library_dirs_;
};

}  // namespace

std::unique_ptr<Check> make_gpu_unsupported(const CheckInfo& info) {
  return std::make_unique<GpuUnsupported>(info);
}

}  // namespace immutalint::checks
