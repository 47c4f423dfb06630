// container-runtime-socket on real agents: Falco mounts several runtime sockets without a type and
// uses whichever the node has, so it is a review everywhere. A Docker socket is absent from every
// containerd node, general-purpose ones included, so its absence is a review too; where a Docker
// daemon runs beside the kubelet's containerd (Flatcar, Fedora CoreOS) a lone Docker socket still
// warns, and a containerd or CRI-O socket of type Socket that the node lacks still breaks.
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

TEST_CASE("a lone Docker socket is a review where no Docker runs and warns beside containerd") {
  const auto verdicts = socket_verdicts("lone-docker-socket.yaml", "/var/run/docker.sock");
  // No containerd node has one since dockershim was removed: not a property of the target.
  for (const char* target : {"aks-osguard", "bottlerocket", "talos", "ubuntu", "generic"}) {
    INFO(target);
    CHECK(on(verdicts, target) == Verdict::Review);
  }
  CHECK(on(verdicts, "flatcar") == Verdict::LikelyBreaks);  // Docker is not the kubelet's runtime
  CHECK(on(verdicts, "fcos") == Verdict::LikelyBreaks);
}

TEST_CASE("with type Socket a missing Docker socket is a review and a missing CRI socket breaks") {
  const auto docker = socket_verdicts("typed-alternatives.yaml", "/var/run/docker.sock");
  CHECK(on(docker, "aks-osguard") == Verdict::Review);
  CHECK(on(docker, "aks-osguard-enforce") == Verdict::Review);
  CHECK(on(docker, "talos") == Verdict::Review);
  CHECK(on(docker, "flatcar") == Verdict::LikelyBreaks);
  CHECK(on(docker, "fcos") == Verdict::LikelyBreaks);
  const auto containerd = socket_verdicts("typed-alternatives.yaml", "/run/containerd/containerd.sock");
  CHECK(on(containerd, "aks-osguard") == Verdict::Review);
  CHECK(on(containerd, "talos") == Verdict::Review);
  const std::string crio_pod =
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: crio-agent\nspec:\n  containers:\n    - name: agent\n"
      "      image: registry.example/agent:1.0\n      volumeMounts:\n        - {name: crio, mountPath: "
      "/run/crio.sock}\n"
      "  volumes:\n    - name: crio\n      hostPath: {path: /run/crio/crio.sock, type: Socket}\n";
  const LintResult result = test::lint_text(crio_pod, "crio.yaml", "talos", {"container-runtime-socket"});
  REQUIRE(result.findings.size() == 1);
  REQUIRE(result.findings.all().front().targets.size() == 1);
  CHECK(result.findings.all().front().targets.front().verdict >= Verdict::LikelyBreaks);  // a guess caps it
}
