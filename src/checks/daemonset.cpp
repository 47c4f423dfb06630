// daemonset: every DaemonSet runs on every node, so it meets the target OS first.
#include <fmt/format.h>

#include "immutalint/check.hpp"

namespace immutalint::checks {

namespace {

class DaemonSetCheck final : public Check {
 public:
  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    if (context.object.ref.kind != "DaemonSet") return;
    Observation observation;
    observation.span = context.object.kind_span;
    observation.field = "/kind";
    observation.message =
        fmt::format("DaemonSet \"{}\" runs on every node; verify it on the target node OS", context.object.ref.name);
    out.push_back(std::move(observation));
  }
};

}  // namespace

std::unique_ptr<Check> make_daemonset(const CheckInfo& /*info*/) {
  return std::make_unique<DaemonSetCheck>();
}

}  // namespace immutalint::checks
