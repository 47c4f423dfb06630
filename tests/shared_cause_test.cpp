// Causes larger than one object (a namespace without the label a target needs) and causes joined
// within one (the mounts of one install): one finding in the report lines, every affected
// workload's verdict in the matrix.
#include <algorithm>
#include <filesystem>
#include <set>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

using immutalint::test::run_cli;
using Json = nlohmann::json;

namespace {

constexpr const char* kNamespaceFixture = "testdata/pod-security-baseline/one-namespace-many-workloads.yaml";

std::vector<Json> findings_of(const Json& report, const std::string& check) {
  std::vector<Json> found;
  for (const auto& finding : report["findings"]) {
    if (finding["check"] == check) found.push_back(finding);
  }
  return found;
}

}  // namespace

TEST_CASE("a namespace without its Pod Security label gives one finding listing each of its workloads") {
  const auto run = run_cli({"--no-config", "--target", "talos", "--format", "json", kNamespaceFixture});
  REQUIRE(run.exit_code == 1);
  const Json report = Json::parse(run.out);
  const auto findings = findings_of(report, "pod-security-baseline");
  // One for gpu-operator's three workloads that baseline forbids, one for monitoring's.
  REQUIRE(findings.size() == 2);
  const Json& gpu = findings[0];
  CHECK(gpu["object"]["namespace"] == "gpu-operator");
  CHECK(gpu["object"]["name"] == "nvidia-device-plugin-daemonset");
  CHECK(gpu["message"].get<std::string>().find("(2 more workloads share this cause)") != std::string::npos);
  std::set<std::string> others;
  for (const auto& related : gpu["related"]) {
    if (!related.contains("object")) continue;
    CHECK(related["check"] == "pod-security-baseline");
    CHECK(related["verdict"] == "breaks");
    CHECK(related["line"].get<int>() > gpu["line"].get<int>());
    others.insert(related["object"]["name"].get<std::string>());
  }
  // The Deployment that baseline accepts is not among them.
  CHECK(others == std::set<std::string>{"nvidia-dcgm-exporter", "gpu-feature-discovery"});
  CHECK(findings[1]["object"]["namespace"] == "monitoring");
  for (const auto& related : findings[1].value("related", Json::array())) CHECK_FALSE(related.contains("object"));
}

TEST_CASE("the matrix still gives each workload of a folded namespace finding its own verdict") {
  const auto run =
      run_cli({"--no-config", "--target", "talos,flatcar", "--format", "matrix", "--all-rows", kNamespaceFixture});
  REQUIRE(run.exit_code == 1);
  for (const std::string name : {"nvidia-device-plugin-daemonset", "nvidia-dcgm-exporter", "gpu-feature-discovery"}) {
    INFO(run.out);
    const auto at = run.out.find("gpu-operator/" + name);
    REQUIRE(at != std::string::npos);
    const std::string row = run.out.substr(at, run.out.find('\n', at) - at);
    CHECK(row.find("breaks: pod-security-baseline") != std::string::npos);
  }
  const auto at = run.out.find("gpu-operator/gpu-operator ");
  REQUIRE(at != std::string::npos);
  CHECK(run.out.substr(at, run.out.find('\n', at) - at).find("pod-security-baseline") == std::string::npos);
}

TEST_CASE("a namespace finding names each other workload in text and SARIF") {
  const auto text = run_cli({"--no-config", "--target", "talos", kNamespaceFixture});
  CHECK(text.out.find("also [pod-security-baseline] DaemonSet gpu-operator/nvidia-dcgm-exporter:") !=
        std::string::npos);
  const auto sarif = run_cli({"--no-config", "--target", "talos", "--format", "sarif", kNamespaceFixture});
  const Json log = Json::parse(sarif.out);
  std::size_t named = 0;
  for (const auto& result : log["runs"][0]["results"]) {
    if (result["ruleId"] != "pod-security-baseline") continue;
    for (const auto& location : result.value("relatedLocations", Json::array())) {
      const std::string message = location["message"]["text"];
      named += message.find("DaemonSet gpu-operator/gpu-feature-discovery:") != std::string::npos;
    }
  }
  CHECK(named == 1);
}

TEST_CASE("workloads without a namespace fold only with those of the same folder") {
  const std::string dir = immutalint::test::make_temp_dir();
  const std::string pod = R"(apiVersion: v1
kind: Pod
metadata:
  name: NAME
spec:
  hostNetwork: true
  containers:
  - name: c
    image: busybox
)";
  auto named = [&](const std::string& name) {
    std::string text = pod;
    text.replace(text.find("NAME"), 4, name);
    return text;
  };
  std::filesystem::create_directories(dir + "/a");
  std::filesystem::create_directories(dir + "/b");
  immutalint::test::write_file(dir + "/a/one.yaml", named("one"));
  immutalint::test::write_file(dir + "/a/two.yaml", named("two"));
  immutalint::test::write_file(dir + "/b/three.yaml", named("three"));
  const auto run = run_cli({"--no-config", "--target", "talos", "--format", "json", dir});
  std::filesystem::remove_all(dir);
  const auto findings = findings_of(Json::parse(run.out), "pod-security-baseline");
  REQUIRE(findings.size() == 2);
  CHECK(findings[0]["object"]["name"] == "one");
  std::size_t folded = 0;
  for (const auto& related : findings[0]["related"]) folded += related.contains("object");
  CHECK(folded == 1);
  CHECK(findings[1]["object"]["name"] == "three");
}

TEST_CASE("the mounts and commands of one install give one host-binary-install finding at its folder") {
  const auto run = run_cli(
      {"--no-config", "--target", "talos", "--format", "json", "testdata/host-binary-install/one-install-root.yaml"});
  const Json report = Json::parse(run.out);
  const auto installs = findings_of(report, "host-binary-install");
  REQUIRE(installs.size() == 1);
  CHECK(installs[0]["message"].get<std::string>().find("installs programs into /home/kubernetes/bin/nvidia,") !=
        std::string::npos);
  // Nothing else about the three mounts (lines 21 to 30) is a finding of its own.
  for (const auto& finding : report["findings"]) {
    const int line = finding["line"];
    if (line >= 21 && line <= 30) CHECK(finding["check"] == "host-binary-install");
  }
  std::size_t chmod = 0;
  for (const auto& item : installs[0]["evidence"])
    chmod += item["text"].get<std::string>().find("chmod 755") != std::string::npos;
  CHECK(chmod == 1);
}
