// apparmor-profile: the pod asks for an AppArmor profile, which SELinux-only targets cannot
// apply.
#include <fmt/format.h>

#include "immutalint/check.hpp"
#include "immutalint/fact_keys.hpp"

namespace immutalint::checks {

namespace {

constexpr std::string_view kAnnotationPrefix = "container.apparmor.security.beta.kubernetes.io/";

class AppArmorProfile final : public Check {
 public:
  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    const YamlTree& tree = context.tree;
    std::vector<Observation> found;
    // The field, on the pod and on each container.
    auto field = [&](NodeId security_context, const std::string& pointer, const std::string& who,
                     const std::string& container) {
      const NodeId profile = tree.get(security_context, "appArmorProfile");
      auto type = tree.scalar(tree.get(profile, "type"));
      if (!type || *type == "Unconfined") return;
      found.push_back(observe_entry(context, security_context, "appArmorProfile", pointer,
                                    fmt::format("{} asks for the AppArmor profile {}", who, *type), container));
    };
    const auto [holder, holder_pointer] = context.pod.holder_of(tree, "securityContext");
    field(tree.get(holder, "securityContext"), holder_pointer + "/securityContext", "the pod", "");
    for (const auto& container : context.pod.containers) {
      field(container.security_context, container.pointer + "/securityContext", describe_container(container),
            container.name);
    }
    // The older annotation, in the pod's metadata.
    const NodeId annotations = tree.get(context.pod.metadata, "annotations");
    for (const auto& entry : tree.entries(annotations)) {
      if (!std::string_view(entry.key).starts_with(kAnnotationPrefix)) continue;
      auto value = tree.scalar(entry.value);
      if (!value || *value == "unconfined") continue;
      const std::string container = entry.key.substr(kAnnotationPrefix.size());
      found.push_back(observe_entry(context, annotations, entry.key, context.pod.metadata_pointer + "/annotations",
                                    fmt::format("container \"{}\" asks for the AppArmor profile {}", container, *value),
                                    container));
    }
    for (auto& observation : found) {
      observation.action = Action::Requires;
      for (const Target* target : context.targets) {
        const Fact& apparmor = target->fact(facts::apparmor);
        if (!target->fact_is(facts::apparmor, "false")) continue;
        const Fact& selinux = target->fact(facts::selinux);
        judge(observation, *target, Verdict::LikelyBreaks,
              fmt::format("{} has no AppArmor (its MAC is SELinux, {}); the kubelet rejects pods that require a "
                          "profile it cannot apply",
                          target->name(), selinux.value),
              apparmor.evidence);
      }
      out.push_back(std::move(observation));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_apparmor_profile(const CheckInfo& /*info*/) {
  return std::make_unique<AppArmorProfile>();
}

}  // namespace immutalint::checks
