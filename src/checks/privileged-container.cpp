// privileged-container: a container or ephemeral container with privileged: true.
#include <fmt/format.h>

#include "immutalint/check.hpp"

namespace immutalint::checks {

namespace {

class PrivilegedContainer final : public Check {
 public:
  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& container : context.pod.containers) {
      if (container.kind == ContainerKind::InitContainer) continue;  // privileged-init-container
      if (!is_true(context.tree, container.security_context, "privileged")) continue;
      out.push_back(observe_entry(
          context, container.security_context, "privileged", container.pointer + "/securityContext",
          fmt::format("{} runs privileged, with every capability and all host devices", describe_container(container)),
          container.name));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_privileged_container(const CheckInfo& /*info*/) {
  return std::make_unique<PrivilegedContainer>();
}

}  // namespace immutalint::checks
