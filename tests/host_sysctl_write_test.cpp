// host-sysctl-write: which writes reach the node's kernel parameters (privileges, hostPath
// mounts, nsenter, namespaced parameters), and what the finding says and judges.
#include <catch2/catch.hpp>

#include <string>

#include "test_support.hpp"

using namespace immutalint;

namespace {

/// A workload of `kind` (DaemonSet or Job) whose one container runs `command` (a flow list),
/// with extra pod fields and container fields in flow style ("hostNetwork: true").
std::string workload(const std::string& kind, const std::string& command, const std::string& pod_fields = {},
                     const std::string& container_fields = {}) {
  std::string container = "{name: tune, image: registry.example/tools:1.0, command: " + command;
  if (!container_fields.empty()) container += ", " + container_fields;
  container += "}";
  std::string spec = "{";
  if (!pod_fields.empty()) spec += pod_fields + ", ";
  if (kind == "Job") spec += "restartPolicy: OnFailure, ";
  spec += "containers: [" + container + "]}";
  const bool daemonset = kind == "DaemonSet";
  return std::string("apiVersion: ") + (daemonset ? "apps/v1" : "batch/v1") + "\nkind: " + kind +
         "\nmetadata: {name: tune, namespace: kube-system}\nspec:\n" +
         (daemonset ? "  selector: {matchLabels: {app: tune}}\n" : "") +
         "  template:\n    metadata: {labels: {app: tune}}\n    spec: " + spec + "\n";
}

const std::string kPrivileged = "securityContext: {privileged: true}";

/// The messages of the check's findings.
std::vector<std::string> messages(const std::string& text, const std::string& targets = "generic") {
  std::vector<std::string> out;
  for (const auto& finding : test::lint_text(text, "test.yaml", targets, {"host-sysctl-write"}).findings.all()) {
    out.push_back(finding.message);
  }
  return out;
}

}  // namespace

TEST_CASE("host-sysctl-write reports a privileged container that sets a node-level parameter with sysctl -w") {
  const auto found = messages(workload("DaemonSet", "[sysctl, -w, vm.max_map_count=262144]", {}, kPrivileged));
  REQUIRE(found.size() == 1);
  CHECK(found[0] ==
        "container \"tune\" sets the node's kernel parameter vm.max_map_count; the value lasts until the node "
        "reboots, and the DaemonSet writes it again each time its pod starts");
}

TEST_CASE("host-sysctl-write ignores sysctl -w in a container that is not privileged") {
  // The runtime mounts /proc/sys read-only there: the write fails on every node.
  CHECK(messages(workload("DaemonSet", "[sysctl, -w, vm.max_map_count=262144]")).empty());
  CHECK(messages(workload("DaemonSet", "[sh, -c, 'echo 1 > /proc/sys/vm/overcommit_memory']")).empty());
}

TEST_CASE("host-sysctl-write counts a network parameter only when the pod is on the host network") {
  const std::string command = "[sysctl, -w, net.core.somaxconn=4096]";
  CHECK(messages(workload("DaemonSet", command, {}, kPrivileged)).empty());
  const auto found = messages(workload("DaemonSet", command, "hostNetwork: true", kPrivileged));
  REQUIRE(found.size() == 1);
  CHECK_THAT(found[0], Catch::Contains("the node's kernel parameter net.core.somaxconn;"));
}

TEST_CASE("host-sysctl-write counts an IPC parameter only when the pod shares the host's IPC namespace") {
  const std::string command = "[sh, -c, 'echo 68719476736 > /proc/sys/kernel/shmmax']";
  CHECK(messages(workload("DaemonSet", command, "hostNetwork: true", kPrivileged)).empty());
  CHECK(messages(workload("DaemonSet", command, "hostIPC: true", kPrivileged)).size() == 1);
}

TEST_CASE("host-sysctl-write keeps the node-level net parameters that Kubernetes lists as unnamespaced") {
  const auto found =
      messages(workload("DaemonSet", "[sysctl, -w, net.netfilter.nf_conntrack_max=1048576]", {}, kPrivileged));
  REQUIRE(found.size() == 1);
  CHECK_THAT(found[0], Catch::Contains("net.netfilter.nf_conntrack_max"));
}

TEST_CASE("host-sysctl-write reads the namespaces that nsenter enters on the host") {
  const std::string sets = "sysctl, -w, net.core.somaxconn=4096, vm.swappiness=10]";
  // The host's mount namespace only: the network parameter stays in the pod's namespace.
  auto found = messages(workload("DaemonSet", "[nsenter, -t, '1', -m, --, " + sets, "hostPID: true", kPrivileged));
  REQUIRE(found.size() == 1);
  CHECK_THAT(found[0], Catch::Contains("the node's kernel parameter vm.swappiness;"));
  // -n, --net=FILE, or no namespace option at all (every namespace of PID 1) enter the network too.
  const std::vector<std::string> entries = {"[nsenter, -t, '1', -m, -n, --, ",
                                            "[nsenter, --mount=/proc/1/ns/mnt, --net=/proc/1/ns/net, --, ",
                                            "[nsenter, -t, '1', --, "};
  for (const auto& entry : entries) {
    INFO(entry);
    found = messages(workload("DaemonSet", entry + sets, "hostPID: true", kPrivileged));
    REQUIRE(found.size() == 1);
    CHECK_THAT(found[0], Catch::Contains("the node's kernel parameters net.core.somaxconn and vm.swappiness;"));
  }
}

TEST_CASE("host-sysctl-write maps writes through a writable hostPath of /proc/sys to the node's parameter") {
  const std::string volumes = "hostNetwork: true, volumes: [{name: net, hostPath: {path: /proc/sys/net}}]";
  const std::string command = "[sh, -c, 'echo 1 > /host-net/ipv4/ip_forward']";
  const auto found = messages(workload("Job", command, volumes, "volumeMounts: [{name: net, mountPath: /host-net}]"));
  REQUIRE(found.size() == 1);
  CHECK(found[0] ==
        "container \"tune\" sets the node's kernel parameter net.ipv4.ip_forward; the value lasts until the node "
        "reboots, and a new or rebooted node does not have it");
  // Mounted read-only, the write fails.
  CHECK(messages(workload("Job", command, volumes, "volumeMounts: [{name: net, mountPath: /host-net, readOnly: true}]"))
            .empty());
}

TEST_CASE("host-sysctl-write reports sysctl loading its files on the host") {
  const auto found = messages(workload("DaemonSet", "[chroot, /host, sysctl, -p, /etc/sysctl.d/90-tune.conf]",
                                       "volumes: [{name: root, hostPath: {path: /}}]",
                                       "volumeMounts: [{name: root, mountPath: /host}]"));
  REQUIRE(found.size() == 1);
  CHECK_THAT(found[0],
             Catch::Contains("sets the kernel parameters that `chroot /host sysctl -p /etc/sysctl.d/90-tune.conf` "
                             "loads;"));
}

TEST_CASE("host-sysctl-write names each parameter once per command line and reads slash-separated names") {
  const auto found =
      messages(workload("DaemonSet", "[sh, -c, 'sysctl -w net/ipv4/ip_forward=1 && sysctl net.ipv4.ip_forward=1']",
                        "hostNetwork: true", kPrivileged));
  REQUIRE(found.size() == 1);
  CHECK_THAT(found[0], Catch::Contains("sets the node's kernel parameter net.ipv4.ip_forward;"));
}

TEST_CASE("host-sysctl-write says so when a parameter's name is only known at run time") {
  const auto found =
      messages(workload("DaemonSet", "[sh, -c, 'echo \"$VALUE\" > /proc/sys/$PARAMETER']", {}, kPrivileged));
  REQUIRE(found.size() == 1);
  CHECK_THAT(found[0], Catch::StartsWith("container \"tune\" sets a kernel parameter of the node, named only at "
                                         "run time;"));
}

TEST_CASE("host-sysctl-write is a review note on immutable targets and quiet on Ubuntu") {
  const auto result = test::lint_text(workload("DaemonSet", "[sysctl, -w, vm.max_map_count=262144]", {}, kPrivileged),
                                      "test.yaml", "all", {"host-sysctl-write"});
  const auto findings = result.findings.all();
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].severity == Severity::Note);
  std::vector<std::string> judged;
  for (const auto& target : findings[0].targets) {
    CHECK(target.verdict == Verdict::Review);
    judged.push_back(target.target);
  }
  CHECK(judged == std::vector<std::string>{"generic", "aks-acl", "aks-osguard", "aks-osguard-enforce", "bottlerocket",
                                           "fcos", "flatcar", "talos"});
}

TEST_CASE("host-sysctl-write names the first ten parameters of a command line and counts the rest") {
  std::string command = "[sysctl, -w";
  for (int i = 0; i < 12; ++i) command += ", vm.p" + std::to_string(i) + "=1";
  const auto found = messages(workload("DaemonSet", command + "]", {}, kPrivileged));
  REQUIRE(found.size() == 1);
  CHECK_THAT(found[0], Catch::Contains("parameters vm.p0, vm.p1, vm.p2, vm.p3, vm.p4, vm.p5, vm.p6, vm.p7, vm.p8, "
                                       "vm.p9 and 2 more; the values last"));
}
