// pod-security-baseline: a pod that Pod Security "baseline" forbids (privileged, host namespaces,
// hostPath, host ports, extra capabilities, unsafe sysctls, ...), outside kube-system, on a
// target that enforces baseline by default. Namespace manifests of the input settle it.
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "immutalint/check.hpp"
#include "immutalint/fact_keys.hpp"

namespace immutalint::checks {

namespace {

template <typename List>
bool listed(const List& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

/// The first thing about a container that baseline forbids, or "". Capability names are
/// compared as written: baseline does not accept "chown" or "CAP_CHOWN".
std::string container_violation(const YamlTree& tree, const ContainerView& container, bool host_users,
                                const std::vector<std::string>& capabilities) {
  const std::string who = describe_container(container);
  if (is_true(tree, container.security_context, "privileged")) return "privileged " + who;
  for (NodeId port : tree.items(tree.get(container.node, "ports"))) {
    auto host_port = tree.scalar(tree.get(port, "hostPort"));
    if (host_port && *host_port != "0") return fmt::format("hostPort {} in {}", *host_port, who);
  }
  for (NodeId cap : tree.items(tree.get(tree.get(container.security_context, "capabilities"), "add"))) {
    const std::string_view name = tree.scalar(cap).value_or("");
    if (!listed(capabilities, name)) return fmt::format("capability {} in {}", name, who);
  }
  auto proc_mount = tree.scalar(tree.get(container.security_context, "procMount"));
  if (proc_mount && *proc_mount == "Unmasked" && host_users) return "procMount Unmasked in " + who;
  auto seccomp = tree.scalar(tree.get(tree.get(container.security_context, "seccompProfile"), "type"));
  if (seccomp && *seccomp == "Unconfined") return "seccomp Unconfined in " + who;
  return {};
}

std::string_view folder_of(std::string_view file) {
  const auto slash = file.rfind('/');
  return slash == std::string_view::npos ? std::string_view(".") : file.substr(0, slash);
}

class PodSecurityBaseline final : public Check {
 public:
  explicit PodSecurityBaseline(const CheckInfo& info)
      : capabilities_(info.params.list("baseline-capabilities")),
        sysctls_(info.params.list("safe-sysctls")),
        exempt_(info.params.list("exempt-namespaces")),
        label_(info.params.list("enforce-label")),
        allowing_(info.params.list("allowing-levels")) {}

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    const std::string& ns = context.object.ref.namespace_;
    if (listed(exempt_, ns)) return;
    const YamlTree& tree = context.tree;
    std::vector<std::string> reasons;
    for (const char* key : {"hostNetwork", "hostPID", "hostIPC"}) {
      if (is_true(tree, context.pod.holder_of(tree, key).first, key)) reasons.push_back(key);
    }
    // A pod in its own user namespace (hostUsers: false) may unmask /proc.
    const bool host_users =
        tree.boolean(tree.get(context.pod.holder_of(tree, "hostUsers").first, "hostUsers")).value_or(true);
    for (const auto& container : context.pod.containers) {
      if (auto violation = container_violation(tree, container, host_users, capabilities_); !violation.empty()) {
        reasons.push_back(std::move(violation));
        break;
      }
    }
    const NodeId pod_security = tree.get(context.pod.holder_of(tree, "securityContext").first, "securityContext");
    for (NodeId sysctl : tree.items(tree.get(pod_security, "sysctls"))) {
      auto name = tree.scalar(tree.get(sysctl, "name"));
      if (name && !listed(sysctls_, *name)) {
        reasons.push_back(fmt::format("sysctl {}", *name));
        break;
      }
    }
    auto seccomp = tree.scalar(tree.get(tree.get(pod_security, "seccompProfile"), "type"));
    if (seccomp && *seccomp == "Unconfined") reasons.push_back("seccomp Unconfined");
    for (const auto& volume : context.pod.volumes) {
      if (tree.find(volume.node, "hostPath")) {
        reasons.push_back("hostPath volumes");
        break;
      }
    }
    if (reasons.empty()) return;
    Observation observation;
    observation.span = context.object.kind_span;
    observation.field = "/kind";
    const bool chart_namespace = ns.empty() && !context.helm_source.empty();
    observation.message = fmt::format(
        "Pod Security \"baseline\" forbids this pod ({}) in {} unless the namespace is labelled {}: privileged",
        fmt::join(reasons, ", "),
        chart_namespace ? std::string("the namespace the chart is installed into")
                        : fmt::format("namespace \"{}\"", ns.empty() ? "default" : ns),
        label());
    observation.action = Action::Requires;
    // The namespace's label is the cause: one finding for every workload of the namespace. A
    // workload that names none goes where it is applied: its folder's workloads go together.
    observation.shared_cause = ns.empty() ? fmt::format("the namespace applied to {}/", folder_of(context.file))
                                          : fmt::format("namespace \"{}\"", ns);
    // A chart's template that names no namespace goes to the one the chart is installed into
    // (helm install -n), which the manifest does not tell: the verdict waits for it.
    for (const Target* target : context.targets) {
      const Fact& psa = target->fact(facts::psa_baseline_enforced);
      if (!target->fact_is(facts::psa_baseline_enforced, "true")) continue;
      if (chart_namespace) {
        judge_review(observation, *target,
                     fmt::format("{} enforces Pod Security baseline outside {} [{}]; this chart's namespace is chosen "
                                 "at install (helm install -n), so it is admitted only in an exempt namespace or one "
                                 "labelled {}: privileged",
                                 target->name(), fmt::join(exempt_, ", "), psa.evidence.source, label()));
        continue;
      }
      judge(observation, *target, Verdict::LikelyBreaks,
            fmt::format("{} enforces Pod Security baseline outside {}", target->name(), fmt::join(exempt_, ", ")),
            psa.evidence);
    }
    out.push_back(std::move(observation));
  }

  /// The Namespace manifests of the input settle it: one labelled to allow privileged pods
  /// accepts the pod; one present without such a label certainly refuses it.
  bool revise(const InputIndex& index, Finding& finding) const override {
    if (!finding.object) return true;
    // A chart's template without a namespace is not in "default" but where the chart is installed.
    if (finding.object->namespace_.empty() && !finding.source.empty()) return true;
    const std::string ns = finding.object->namespace_.empty() ? "default" : finding.object->namespace_;
    auto namespace_manifest = index.namespace_for(ns, finding.file);
    if (!namespace_manifest) return true;
    const auto& labels = *namespace_manifest->labels;
    auto level = labels.find(label());
    if (level != labels.end() && listed(allowing_, level->second)) return false;
    for (auto& target : finding.targets) {
      target.verdict = Verdict::Breaks;
      target.why += fmt::format("; the Namespace \"{}\" in this input has no {} label that allows it", ns, label());
    }
    // The fix is on the Namespace: the finding is reported there, with each workload it stops.
    // Another manifest's definition of the same name is another cause.
    Place& place = namespace_manifest->place;
    finding.shared_cause += fmt::format(" defined in {} line {}", place.file, place.span.begin.line);
    finding.cause_site = CauseSite{
        std::move(place), ObjectRef{"v1", "Namespace", "", ns},
        fmt::format("Pod Security \"baseline\" forbids the privileged or host-reaching pods of namespace \"{}\", "
                    "which is not labelled {}: privileged",
                    ns, label())};
    return true;
  }

 private:
  std::string label() const { return label_.empty() ? std::string() : label_.front(); }

  const std::vector<std::string> capabilities_;
  const std::vector<std::string> sysctls_;
  const std::vector<std::string> exempt_;
  const std::vector<std::string> label_;
  const std::vector<std::string> allowing_;
};

}  // namespace

std::unique_ptr<Check> make_pod_security_baseline(const CheckInfo& info) {
  return std::make_unique<PodSecurityBaseline>(info);
}

}  // namespace immutalint::checks
