// kernel-build-on-node: the workload builds kernel code for the node's running kernel: a known
// driver builder, or kernel headers and module build trees mounted from the host.
#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/host_path_support.hpp"
#include "immutalint/check.hpp"
#include "immutalint/fact_keys.hpp"

namespace immutalint::checks {

namespace {

std::string first_of(const std::vector<std::string>& list) {
  return list.empty() ? std::string() : list.front();
}

class KernelBuildOnNode final : public Check {
 public:
  explicit KernelBuildOnNode(const CheckInfo& info)
      : header_trees_(info.params.list("header-trees")),
        module_trees_(info.params.list("module-trees")),
        loader_companions_(info.params.list("loader-companions")),
        build_tree_(first_of(info.params.list("build-tree"))) {}

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    bool known_loader = false;
    for (const auto& work : context.evidence.kernel) {
      if (!work.known->builds) continue;
      known_loader = true;
      if (work.off) continue;  // a ConfigMap of the input selects a mode that builds nothing
      Observation observation = observe_site(work.site, work.how, work.container->name);
      observation.cause = work.container->pointer + "/command";
      observation.action = Action::Runs;
      observation.evidence.push_back(evidence_of(work.how, work.site));
      judge_all(context, observation, work.known->at_most);
      if (const auto& support = work.known->immutable_support) {
        // The builder itself supports only general-purpose distributions.
        for (const Target* target : context.targets) {
          if (target->general_purpose()) continue;
          std::erase_if(observation.targets, [&](const TargetVerdict& v) { return v.target == target->name(); });
          judge(observation, *target, Verdict::Breaks, support->why,
                Evidence{support->source, support->confidence, {}});
        }
      }
      out.push_back(std::move(observation));
    }
    const auto volumes = host_path_volumes(context);
    // Driver loaders mount the module tree together with all of /usr (where headers would be)
    // or /boot (the kernel configuration).
    bool companions = false;
    for (const auto& volume : volumes) {
      const std::string path = normalize_host_path(volume.path);
      companions = companions ||
                   (!volume.uses.empty() &&
                    std::find(loader_companions_.begin(), loader_companions_.end(), path) != loader_companions_.end());
    }
    for (const auto& volume : volumes) {
      const std::string path = normalize_host_path(volume.path);
      const bool module_tree = std::find(module_trees_.begin(), module_trees_.end(), path) != module_trees_.end();
      const bool headers = std::any_of(header_trees_.begin(), header_trees_.end(),
                                       [&](const std::string& t) { return path_has_prefix(path, t); }) ||
                           re2::RE2::FullMatch(path, build_tree_);
      const bool loader_shape = module_tree && companions && !volume.uses.empty() && !known_loader;
      if (!headers && !loader_shape) continue;
      Observation observation = observe_path(
          context, volume,
          fmt::format("hostPath volume \"{}\" mounts {}{} to build or load kernel code for this node's kernel",
                      volume.volume->name, volume.path,
                      headers ? " (kernel headers or a module build tree)"
                              : " with the host's /usr or /boot (kernel headers and configuration)"));
      observation.action = Action::Requires;
      // The module tree with /usr or /boot is how driver loaders look; one that picks a CO-RE
      // eBPF probe needs no headers, so that inference is never certain.
      judge_all(context, observation, headers ? Verdict::Breaks : Verdict::LikelyBreaks);
      out.push_back(std::move(observation));
    }
  }

 private:
  static void judge_all(const CheckContext& context, Observation& observation, Verdict worst_case) {
    for (const Target* target : context.targets) {
      const Fact& headers = target->fact(facts::kernel_headers);
      const Fact& modules = target->fact(facts::kernel_modules);
      if (target->fact_is(facts::kernel_headers, "false")) {
        judge(observation, *target, worst_case,
              fmt::format("{} ships no kernel headers for its kernel", target->name()), headers.evidence);
      } else if (!target->fact_is(facts::kernel_modules, "any")) {
        judge(observation, *target, std::min(worst_case, Verdict::LikelyBreaks),
              fmt::format("headers exist, but only {} modules load on {}", modules.value, target->name()),
              modules.evidence);
      } else if (!target->general_purpose()) {
        judge_review(observation, *target, "headers and module loading are available; check the toolchain");
      }
    }
  }

  const std::vector<std::string> header_trees_;
  const std::vector<std::string> module_trees_;
  const std::vector<std::string> loader_companions_;
  const re2::RE2 build_tree_;
};

}  // namespace

std::unique_ptr<Check> make_kernel_build_on_node(const CheckInfo& info) {
  return std::make_unique<KernelBuildOnNode>(info);
}

}  // namespace immutalint::checks
