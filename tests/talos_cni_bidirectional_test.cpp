// bidirectional-mount-propagation on Talos: the kubelet runs in a container that sees only some
// host paths, so mounts published elsewhere (Longhorn's data path) likely break, while the CNI
// plugin directory, which the container runtime on the host reads, is a review that cites Talos's
// own Multus guide.
#include <catch2/catch.hpp>

#include <vector>

#include "immutalint/fact_keys.hpp"
#include "test_support.hpp"

using namespace immutalint;

namespace {

/// The bidirectional-mount-propagation findings of a fixture of its testdata folder, judged for
/// every target.
std::vector<Finding> propagation_findings(const std::string& fixture) {
  const std::string path = "testdata/bidirectional-mount-propagation/" + fixture;
  const LintResult result = test::lint_text(test::read_file(test::source_dir() + "/" + path), path, "all",
                                            {"bidirectional-mount-propagation"});
  std::vector<Finding> found;
  for (const auto& finding : result.findings.all()) found.push_back(finding);
  return found;
}

}  // namespace

TEST_CASE("Multus's Bidirectional mount of the CNI plugin directory is a review on Talos") {
  const auto findings = propagation_findings("multus-thick.yaml");
  REQUIRE(findings.size() == 1);
  CHECK_THAT(findings[0].message, Catch::Contains("(/opt/cni/bin)"));
  REQUIRE(findings[0].targets.size() == 1);  // every other target's kubelet sees the whole host
  const TargetVerdict& talos = findings[0].targets[0];
  CHECK(talos.target == "talos");
  CHECK(talos.verdict == Verdict::Review);
  CHECK_THAT(talos.source, Catch::Contains("TAL-MULTUS-DOCS"));
  CHECK(findings[0].severity == Severity::Note);
}

TEST_CASE("a Bidirectional mount outside the Talos kubelet's binds still likely breaks on Talos") {
  const auto findings = propagation_findings("flagged.yaml");
  REQUIRE(findings.size() == 1);
  CHECK_THAT(findings[0].message, Catch::Contains("/var/lib/longhorn"));
  REQUIRE(findings[0].targets.size() == 1);
  const TargetVerdict& talos = findings[0].targets[0];
  CHECK(talos.target == "talos");
  CHECK(talos.verdict == Verdict::LikelyBreaks);
  CHECK(talos.source == "TAL-KUBELET");
  CHECK_THAT(talos.why, Catch::Contains("extraMounts"));
}

TEST_CASE("only Talos names the host paths its kubelet sees") {
  for (const auto& target : TargetSet::builtin()->all()) {
    INFO(target.name());
    CHECK(target.fact(facts::kubelet_host_paths).value.empty() == (target.name() != "talos"));
  }
}
