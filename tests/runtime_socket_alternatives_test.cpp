// container-runtime-socket on real agents: Falco mounts several runtime sockets without a type and
// uses whichever the node has, so it is a review everywhere; a lone Docker socket, or sockets of
// type Socket (which the kubelet requires to exist), keep their warnings and errors.
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

TEST_CASE("a lone typeless Docker socket still breaks where it is absent and warns beside containerd") {
  const auto verdicts = socket_verdicts("lone-docker-socket.yaml", "/var/run/docker.sock");
  CHECK(on(verdicts, "aks-osguard") == Verdict::Breaks);         // no moby in the image (AB-RN-OSG)
  CHECK(on(verdicts, "bottlerocket") == Verdict::LikelyBreaks);  // absent, but only inferred
  CHECK(on(verdicts, "flatcar") == Verdict::LikelyBreaks);       // Docker is not the kubelet's runtime
  CHECK(on(verdicts, "fcos") == Verdict::LikelyBreaks);
}

TEST_CASE("with type Socket a missing socket breaks even when another mounted socket exists") {
  const auto docker = socket_verdicts("typed-alternatives.yaml", "/var/run/docker.sock");
  CHECK(on(docker, "aks-osguard") == Verdict::Breaks);
  CHECK(on(docker, "aks-osguard-enforce") == Verdict::Breaks);
  CHECK(on(docker, "talos") == Verdict::LikelyBreaks);  // absent, but only inferred
  CHECK(on(docker, "flatcar") == Verdict::LikelyBreaks);
  CHECK(on(docker, "fcos") == Verdict::LikelyBreaks);
  const auto containerd = socket_verdicts("typed-alternatives.yaml", "/run/containerd/containerd.sock");
  CHECK(on(containerd, "aks-osguard") == Verdict::Review);
  CHECK(on(containerd, "talos") == Verdict::Review);
}
