// host-network: the pod runs in the host's network namespace (hostNetwork: true).
#include "immutalint/check.hpp"

namespace immutalint::checks {

namespace {

class HostNetwork final : public Check {
 public:
  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    const auto [holder, holder_pointer] = context.pod.holder_of(context.tree, "hostNetwork");
    if (!is_true(context.tree, holder, "hostNetwork")) return;
    out.push_back(
        observe_entry(context, holder, "hostNetwork", holder_pointer,
                      "the pod shares the host's network namespace: it binds host ports and sees host interfaces"));
  }
};

}  // namespace

std::unique_ptr<Check> make_host_network(const CheckInfo& /*info*/) {
  return std::make_unique<HostNetwork>();
}

}  // namespace immutalint::checks
