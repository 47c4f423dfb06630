// host-ipc: the pod runs in the host's IPC namespace (hostIPC: true).
#include "immutalint/check.hpp"

namespace immutalint::checks {

namespace {

class HostIpc final : public Check {
 public:
  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    const auto [holder, holder_pointer] = context.pod.holder_of(context.tree, "hostIPC");
    if (!is_true(context.tree, holder, "hostIPC")) return;
    out.push_back(observe_entry(
        context, holder, "hostIPC", holder_pointer,
        "the pod shares the host's IPC namespace: System V IPC and POSIX message queues are shared with the host"));
  }
};

}  // namespace

std::unique_ptr<Check> make_host_ipc(const CheckInfo& /*info*/) {
  return std::make_unique<HostIpc>();
}

}  // namespace immutalint::checks
