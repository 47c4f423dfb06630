// talos-pod-security: a pod that Pod Security "baseline" forbids (privileged, host namespaces,
// hostPath, host ports, extra capabilities, unsafe sysctls, ...), outside kube-system, on a target that enforces baseline by default. The pipeline
// drops the finding when a Namespace in the same input is labelled to allow it.
#include <algorithm>
#include <array>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checks/checks.hpp"

namespace immutalint::checks {

namespace {

// What Pod Security "baseline" allows (kubernetes.io/docs/concepts/security/pod-security-standards).
constexpr std::array<std::string_view, 13> kBaselineCapabilities = {
    "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
    "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"};
constexpr std::array<std::string_view, 14> kSafeSysctls = {
    "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem",
    "net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"};

template <std::size_t N>
bool listed(const std::array<std::string_view, N>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

/// The first thing about a container that baseline forbids, or "". Capability names are
/// compared as written: baseline does not accept "chown" or "CAP_CHOWN".
std::string container_violation(const YamlTree& tree, const ContainerView& container, bool host_users) {
  const std::string who = describe_container(container);
  if (is_true(tree, container.security_context, "privileged")) return "privileged " + who;
  for (NodeId port : tree.items(tree.get(container.node, "ports"))) {
    auto host_port = tree.scalar(tree.get(port, "hostPort"));
    if (host_port && *host_port != "0") return fmt::format("hostPort {} in {}", *host_port, who);
  }
  for (NodeId cap : tree.items(tree.get(tree.get(container.security_context, "capabilities"), "add"))) {
    const std::string_view name = tree.scalar(cap).value_or("");
    if (!listed(kBaselineCapabilities, name)) return fmt::format("capability {} in {}", name, who);
  }
  auto proc_mount = tree.scalar(tree.get(container.security_context, "procMount"));
  if (proc_mount && *proc_mount == "Unmasked" && host_users) return "procMount Unmasked in " + who;
  auto seccomp = tree.scalar(tree.get(tree.get(container.security_context, "seccompProfile"), "type"));
  if (seccomp && *seccomp == "Unconfined") return "seccomp Unconfined in " + who;
  return {};
}

class TalosPodSecurity final : public Check {
 public:
  bool judges_targets() const override { return true; }

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    const std::string& ns = context.object.ref.namespace_;
    if (ns == "kube-system") return;
    const YamlTree& tree = context.tree;
    std::vector<std::string> reasons;
    for (const char* key : {"hostNetwork", "hostPID", "hostIPC"}) {
      if (is_true(tree, context.pod.node, key)) reasons.push_back(key);
    }
    // A pod in its own user namespace (hostUsers: false) may unmask /proc.
    const bool host_users = tree.boolean(tree.get(context.pod.node, "hostUsers")).value_or(true);
    for (const auto& container : context.pod.containers) {
      if (auto violation = container_violation(tree, container, host_users); !violation.empty()) {
        reasons.push_back(std::move(violation));
        break;
      }
    }
    const NodeId pod_security = tree.get(context.pod.node, "securityContext");
    for (NodeId sysctl : tree.items(tree.get(pod_security, "sysctls"))) {
      auto name = tree.scalar(tree.get(sysctl, "name"));
      if (name && !listed(kSafeSysctls, *name)) {
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
    observation.message = fmt::format(
        "Pod Security \"baseline\" forbids this pod ({}) in namespace \"{}\" unless the namespace is labelled "
        "pod-security.kubernetes.io/enforce: privileged",
        fmt::join(reasons, ", "), ns.empty() ? "default" : ns);
    for (const Target* target : context.targets) {
      const Fact& psa = target->fact("psa_baseline_enforced");
      if (psa.value != "true") continue;
      judge(observation, *target, Verdict::LikelyBreaks,
            fmt::format("{} enforces Pod Security baseline outside kube-system {}", target->name(), cite(psa.evidence)));
    }
    if (!observation.verdicts.empty()) out.push_back(std::move(observation));
  }
};

}  // namespace

std::unique_ptr<Check> make_talos_pod_security(const CheckInfo& /*info*/) { return std::make_unique<TalosPodSecurity>(); }

}  // namespace immutalint::checks
