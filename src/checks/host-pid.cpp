// host-pid: the pod runs in the host's process (PID) namespace (hostPID: true).
#include "immutalint/check.hpp"

namespace immutalint::checks {

namespace {

class HostPid final : public Check {
 public:
  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    const auto [holder, holder_pointer] = context.pod.holder_of(context.tree, "hostPID");
    if (!is_true(context.tree, holder, "hostPID")) return;
    out.push_back(
        observe_entry(context, holder, "hostPID", holder_pointer,
                      "the pod shares the host's process (PID) namespace: it can see and signal every host process"));
  }
};

}  // namespace

std::unique_ptr<Check> make_host_pid(const CheckInfo& /*info*/) {
  return std::make_unique<HostPid>();
}

}  // namespace immutalint::checks
