// selinux-options-discarded: a privileged container that also asks for an SELinux type, which
// some targets ignore for privileged containers.
#include <fmt/format.h>

#include "immutalint/check.hpp"

namespace immutalint::checks {

namespace {

class SelinuxOptionsDiscarded final : public Check {
 public:
  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    const YamlTree& tree = context.tree;
    const auto [holder, holder_pointer] = context.pod.holder_of(tree, "securityContext");
    const NodeId pod_options = tree.get(tree.get(holder, "securityContext"), "seLinuxOptions");
    for (const auto& container : context.pod.containers) {
      if (!is_true(tree, container.security_context, "privileged")) continue;
      const NodeId own = tree.get(container.security_context, "seLinuxOptions");
      const bool own_type = tree.find(own, "type") != nullptr;
      const NodeId options = own_type ? own : pod_options;
      if (!tree.find(options, "type")) continue;
      const std::string pointer = own_type ? container.pointer + "/securityContext/seLinuxOptions"
                                           : holder_pointer + "/securityContext/seLinuxOptions";
      Observation observation =
          observe_entry(context, options, "type", pointer,
                        fmt::format("{} is privileged and asks for the SELinux type {}", describe_container(container),
                                    tree.scalar(tree.get(options, "type")).value_or("")),
                        container.name);
      observation.action = Action::Requires;
      out.push_back(std::move(observation));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_selinux_options_discarded(const CheckInfo& /*info*/) {
  return std::make_unique<SelinuxOptionsDiscarded>();
}

}  // namespace immutalint::checks
