// host-pid: the pod runs in the host's process (PID) namespace (hostPID: true).
#include "immutalint/check.hpp"

namespace immutalint::checks {

namespace {

class HostPid final : public Check {
 public:
  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    if (!is_true(context.tree, context.pod.node, "hostPID")) return;
    out.push_back(
        observe_entry(context, context.pod.node, "hostPID", context.pod.pointer,
                      "the pod shares the host's process (PID) namespace: it can see and signal every host process"));
  }
};

}  // namespace

std::unique_ptr<Check> make_host_pid(const CheckInfo& /*info*/) {
  return std::make_unique<HostPid>();
}

}  // namespace immutalint::checks
