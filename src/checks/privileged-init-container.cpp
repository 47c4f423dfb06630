// privileged-init-container: an init container with privileged: true, the usual node patcher.
#include <fmt/format.h>

#include "immutalint/check.hpp"

namespace immutalint::checks {

namespace {

class PrivilegedInitContainer final : public Check {
 public:
  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& container : context.pod.containers) {
      if (container.kind != ContainerKind::InitContainer) continue;
      if (!is_true(context.tree, container.security_context, "privileged")) continue;
      out.push_back(observe_entry(context, container.security_context, "privileged",
                                  container.pointer + "/securityContext",
                                  fmt::format("{} runs privileged before the pod starts, the usual way to change "
                                              "the node itself",
                                              describe_container(container)),
                                  container.name));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_privileged_init_container(const CheckInfo& /*info*/) {
  return std::make_unique<PrivilegedInitContainer>();
}

}  // namespace immutalint::checks
