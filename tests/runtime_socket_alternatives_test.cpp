// container-runtime-socket on real agents: Falco mounts several runtime sockets without a type and
// uses whichever the node has, so it is a review everywhere. The socket of a runtime the kubelet
// does not use (Docker, CRI-O) is missing from general-purpose containerd nodes too, and where
// Flatcar or Fedora CoreOS run Docker beside containerd it holds none of the node's pods: a review
// on every target, since the move to an immutable OS changes nothing for it.
#include <catch2/catch.hpp>

#include <map>

#include "test_support.hpp"

using namespace immutalint;

namespace {

/// The verdict per target of the container-runtime-socket finding on `socket` in a fixture of
/// testdata/container-runtime-socket, judged for every target.
std::map<std::string, Verdict> socket_verdicts(const std::string& fixture, const std::string& socket) {
  const std::string path = "testdata/container-runtime-socket/" + fixture;
  const LintResult result =
      test::lint_text(test::read_file(test::source_dir() + "/" + path), path, "all", {"container-runtime-socket"});
  std::map<std::string, Verdict> verdicts;
  bool found = false;
  for (const auto& finding : result.findings.all()) {
    if (finding.message.find(" " + socket + ":") == std::string::npos) continue;
    found = true;
    for (const auto& target : finding.targets) verdicts[target.target] = target.verdict;
  }
  INFO(fixture << " " << socket);
  REQUIRE(found);
  return verdicts;
}

Verdict on(const std::map<std::string, Verdict>& verdicts, const std::string& target) {
  auto it = verdicts.find(target);
  return it == verdicts.end() ? Verdict::Ready : it->second;
}

}  // namespace

TEST_CASE("Falco's typeless runtime sockets are at most a review on every target") {
  const std::string fixture = "falco-runtime-sockets.yaml";
  for (const char* socket : {"/var/run/docker.sock", "/run/containerd/containerd.sock", "/run/crio/crio.sock"}) {
    const auto verdicts = socket_verdicts(fixture, socket);
    CHECK(verdicts.size() == TargetSet::builtin()->all().size());
    for (const auto& [target, verdict] : verdicts) {
      INFO(socket << " on " << target);
      CHECK(verdict == Verdict::Review);
    }
  }
}

TEST_CASE("Falco's Docker socket beside containerd is a review on Flatcar and Fedora CoreOS") {
  // Docker runs there beside the kubelet's containerd; Falco queries both (FALCO-DEPLOY).
  const auto verdicts = socket_verdicts("falco-runtime-sockets.yaml", "/var/run/docker.sock");
  CHECK(on(verdicts, "flatcar") == Verdict::Review);
  CHECK(on(verdicts, "fcos") == Verdict::Review);
}

TEST_CASE("a lone Docker socket is a review on every target, where Docker is absent or not the kubelet's") {
  const auto verdicts = socket_verdicts("lone-docker-socket.yaml", "/var/run/docker.sock");
  CHECK(verdicts.size() == TargetSet::builtin()->all().size());
  for (const auto& [target, verdict] : verdicts) {
    INFO(target);
    CHECK(verdict == Verdict::Review);
  }
}

TEST_CASE("with type Socket a Docker or CRI-O socket is a review on every target") {
  const auto docker = socket_verdicts("typed-alternatives.yaml", "/var/run/docker.sock");
  for (const char* target : {"aks-osguard", "aks-osguard-enforce", "talos", "flatcar", "fcos"}) {
    INFO(target);
    CHECK(on(docker, target) == Verdict::Review);
  }
  const auto containerd = socket_verdicts("typed-alternatives.yaml", "/run/containerd/containerd.sock");
  CHECK(on(containerd, "aks-osguard") == Verdict::Review);
  CHECK(on(containerd, "talos") == Verdict::Review);
  const std::string crio_pod =
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: crio-agent\nspec:\n  containers:\n    - name: agent\n"
      "      image: registry.example/agent:1.0\n      volumeMounts:\n        - {name: crio, mountPath: "
      "/run/crio.sock}\n"
      "  volumes:\n    - name: crio\n      hostPath: {path: /run/crio/crio.sock, type: Socket}\n";
  const LintResult crio = test::lint_text(crio_pod, "crio.yaml", "talos", {"container-runtime-socket"});
  REQUIRE(crio.findings.size() == 1);
  REQUIRE(crio.findings.all().front().targets.size() == 1);
  CHECK(crio.findings.all().front().targets.front().verdict == Verdict::Review);
  // Docker's embedded containerd is Docker's too.
  const std::string containerd_pod =
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: cri-agent\nspec:\n  containers:\n    - name: agent\n"
      "      image: registry.example/agent:1.0\n  volumes:\n    - name: cri\n"
      "      hostPath: {path: /run/docker/containerd/containerd.sock, type: Socket}\n";
  const LintResult embedded = test::lint_text(containerd_pod, "cri.yaml", "talos", {"container-runtime-socket"});
  REQUIRE(embedded.findings.size() == 1);
  CHECK(embedded.findings.all().front().targets.front().verdict == Verdict::Review);
}
