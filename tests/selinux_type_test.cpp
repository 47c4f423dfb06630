// A container's SELinux type as evidence: Bottlerocket runs privileged pods as control_t, which may
// neither reach systemd nor edit /etc, but a pod that asks for super_t (without privileged: true,
// which discards the request) may. The verdicts on Bottlerocket follow the type the container
// really runs as; other targets are unchanged.
#include <catch2/catch.hpp>

#include <string>

#include "test_support.hpp"

using namespace immutalint;
using namespace immutalint::test;

namespace {

/// A pod whose one container mounts `host` at /host and runs `script`, with `security` (a
/// flow mapping) as its securityContext.
std::string pod(const std::string& host, const std::string& script, const std::string& security) {
  return "apiVersion: v1\nkind: Pod\nmetadata: {name: agent, namespace: kube-system}\nspec:\n"
         "  volumes: [{name: host, hostPath: {path: " +
         host +
         "}}]\n"
         "  containers:\n  - name: agent\n    image: agent:1\n    command: [sh, -c, '" +
         script + "']\n    securityContext: " + security + "\n    volumeMounts: [{name: host, mountPath: /host}]\n";
}

/// The worst verdict of `check` on `target`, "ready" when it gives none.
std::string verdict_of(const LintResult& result, const std::string& check, const std::string& target) {
  Verdict worst = Verdict::Ready;
  for (const auto& finding : result.findings.all()) {
    for (const auto& verdict : finding.targets) {
      const std::string& by = verdict.check.empty() ? finding.check : verdict.check;
      if (by == check && verdict.target == target) worst = std::max(worst, verdict.verdict);
    }
  }
  return std::string(to_key(worst));
}

const std::string kSuper = "{seLinuxOptions: {type: super_t}}";
const std::string kPrivilegedSuper = "{privileged: true, seLinuxOptions: {type: super_t}}";
const std::string kPrivileged = "{privileged: true}";

}  // namespace

TEST_CASE("a container that runs as super_t reaches systemd on Bottlerocket and the others do not") {
  const std::string restart = "systemctl restart containerd";
  const auto as_super = lint_text(pod("/run/systemd", restart, kSuper), "p.yaml", "bottlerocket,talos");
  CHECK(verdict_of(as_super, "host-systemd", "bottlerocket") == "review");
  CHECK(verdict_of(as_super, "host-systemd", "talos") == "breaks");  // no systemd at all
  // privileged: true discards the type: the container runs as control_t.
  const auto discarded = lint_text(pod("/run/systemd", restart, kPrivilegedSuper), "p.yaml", "bottlerocket");
  CHECK(verdict_of(discarded, "host-systemd", "bottlerocket") == "breaks");
  const auto control = lint_text(pod("/run/systemd", restart, kPrivileged), "p.yaml", "bottlerocket");
  CHECK(verdict_of(control, "host-systemd", "bottlerocket") == "breaks");
  // Another type is not trusted with systemd.
  const auto spc = lint_text(pod("/run/systemd", restart, "{seLinuxOptions: {type: spc_t}}"), "p.yaml", "bottlerocket");
  CHECK(verdict_of(spc, "host-systemd", "bottlerocket") == "breaks");
}

TEST_CASE("a container that runs as super_t edits Bottlerocket's generated /etc until the next boot") {
  const std::string write = "echo x > /host/chrony.conf";
  const auto as_super = lint_text(pod("/etc", write, kSuper), "p.yaml", "bottlerocket,talos");
  CHECK(verdict_of(as_super, "host-etc-write", "bottlerocket") == "review");
  CHECK(verdict_of(as_super, "host-etc-write", "talos") == "breaks");  // a read-only /etc
  const auto control = lint_text(pod("/etc", write, kPrivilegedSuper), "p.yaml", "bottlerocket");
  CHECK(verdict_of(control, "host-etc-write", "bottlerocket") == "breaks");
}

TEST_CASE("a pod-level SELinux type applies to its containers unless they run privileged") {
  const std::string manifest =
      "apiVersion: v1\nkind: Pod\nmetadata: {name: agent}\nspec:\n"
      "  securityContext: {seLinuxOptions: {type: super_t}}\n"
      "  volumes: [{name: host, hostPath: {path: /run/systemd}}]\n"
      "  containers:\n  - name: agent\n    image: agent:1\n    command: [sh, -c, 'systemctl restart kubelet']\n"
      "    volumeMounts: [{name: host, mountPath: /host}]\n";
  CHECK(verdict_of(lint_text(manifest, "p.yaml", "bottlerocket"), "host-systemd", "bottlerocket") == "review");
}
