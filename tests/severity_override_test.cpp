// A severity set by the configuration is said on the finding's verdict line, so that "warning:"
// above "review on generic" is explained where it is read.
#include <filesystem>

#include <catch2/catch.hpp>

#include "test_support.hpp"

namespace test = immutalint::test;

namespace {

constexpr const char* kHostNetworkPod = R"(apiVersion: v1
kind: Pod
metadata:
  name: metrics
  namespace: monitoring
spec:
  hostNetwork: true
  containers:
  - name: exporter
    image: quay.io/prometheus/node-exporter:v1.8.2
)";

}  // namespace

TEST_CASE("a severity raised by the configuration is said on the verdict line") {
  const std::string repo = test::make_temp_dir();
  std::filesystem::create_directories(repo + "/.git");
  test::write_file(repo + "/pod.yaml", kHostNetworkPod);
  test::write_file(repo + "/.immutalint.yaml", "checks:\n  host-network: warning\n");
  const auto run = test::run_cli({"pod.yaml"}, {}, repo);
  std::filesystem::remove_all(repo);
  CHECK(run.exit_code == 1);
  INFO(run.out);
  CHECK_THAT(run.out, Catch::Contains("warning: the pod shares the host's network namespace"));
  CHECK_THAT(run.out, Catch::Contains("review on generic: ") &&
                          Catch::Contains("(reported as a warning by the configuration's severity for host-network; "
                                          "the verdict alone gives a note)"));
}

TEST_CASE("a severity lowered by the configuration is said on the verdict line") {
  const std::string repo = test::make_temp_dir();
  std::filesystem::create_directories(repo + "/.git");
  test::write_file(repo + "/pod.yaml", kHostNetworkPod);
  test::write_file(repo + "/.immutalint.yaml", "checks:\n  pod-security-baseline: note\n");
  const auto run = test::run_cli({"--target", "talos", "--show-notes", "pod.yaml"}, {}, repo);
  std::filesystem::remove_all(repo);
  CHECK(run.exit_code == 0);
  INFO(run.out);
  CHECK_THAT(run.out, Catch::Contains("likely breaks on talos (reported as a note by the configuration's severity for "
                                      "pod-security-baseline; the verdict alone gives a warning)"));
}
