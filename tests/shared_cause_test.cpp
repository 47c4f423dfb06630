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

TEST_CASE("a namespace without its Pod Security label gives one finding at the Namespace listing each workload") {
  const auto run = run_cli({"--no-config", "--target", "talos", "--format", "json", kNamespaceFixture});
  REQUIRE(run.exit_code == 1);
  const Json report = Json::parse(run.out);
  const auto findings = findings_of(report, "pod-security-baseline");
  // One for gpu-operator's three workloads that baseline forbids, one for monitoring's.
  REQUIRE(findings.size() == 2);
  // The input has the Namespace without the label: the fix is there, and so is the finding.
  const Json& gpu = findings[0];
  CHECK(gpu["object"]["kind"] == "Namespace");
  CHECK(gpu["object"]["name"] == "gpu-operator");
  CHECK(gpu["line"] == 8);
  CHECK(gpu["severity"] == "error");
  CHECK(gpu["message"].get<std::string>().find("(3 workloads of this input)") != std::string::npos);
  std::set<std::string> workloads;
  for (const auto& related : gpu["related"]) {
    if (!related.contains("object")) continue;
    CHECK(related["check"] == "pod-security-baseline");
    CHECK(related["verdict"] == "breaks");
    CHECK(related["line"].get<int>() > gpu["line"].get<int>());
    workloads.insert(related["object"]["name"].get<std::string>());
  }
  // The Deployment that baseline accepts is not among them.
  CHECK(workloads ==
        std::set<std::string>{"nvidia-device-plugin-daemonset", "nvidia-dcgm-exporter", "gpu-feature-discovery"});
  // monitoring has no Namespace in the input: the finding stays at its workload, a likely break.
  CHECK(findings[1]["object"]["namespace"] == "monitoring");
  CHECK(findings[1]["object"]["kind"] == "DaemonSet");
  CHECK(findings[1]["severity"] == "warning");
  for (const auto& related : findings[1].value("related", Json::array())) CHECK_FALSE(related.contains("object"));
}

TEST_CASE("the Namespace finding is reported in the Namespace's file, whichever file holds the workloads") {
  const std::string dir = immutalint::test::make_temp_dir();
  immutalint::test::write_file(dir + "/a-cleanup.yaml", R"(apiVersion: batch/v1
kind: Job
metadata:
  name: cleanup
  namespace: storage
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: c
        image: busybox
        securityContext:
          privileged: true
)");
  immutalint::test::write_file(dir + "/b-common.yaml", R"(apiVersion: v1
kind: Namespace
metadata:
  name: storage
)");
  for (const char* jobs : {"1", "2"}) {
    const auto run = run_cli({"--no-config", "--target", "talos", "--format", "json", "-j", jobs, dir});
    const auto findings = findings_of(Json::parse(run.out), "pod-security-baseline");
    REQUIRE(findings.size() == 1);
    CHECK(findings[0]["file"].get<std::string>().ends_with("b-common.yaml"));
    CHECK(findings[0]["line"] == 2);
    CHECK(findings[0]["object"]["kind"] == "Namespace");
    REQUIRE(findings[0]["related"].size() == 1);
    CHECK(findings[0]["related"][0]["file"].get<std::string>().ends_with("a-cleanup.yaml"));
    CHECK(findings[0]["related"][0]["line"] == 2);
  }
  // Linted alone, the Job's namespace is not known to lack the label: a likely break at the Job.
  const auto alone = run_cli({"--no-config", "--target", "talos", "--format", "json", dir + "/a-cleanup.yaml"});
  std::filesystem::remove_all(dir);
  const auto findings = findings_of(Json::parse(alone.out), "pod-security-baseline");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0]["object"]["kind"] == "Job");
  CHECK(findings[0]["targets"][0]["verdict"] == "likely-breaks");
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

TEST_CASE("the GPU libraries a GPU pod mounts from the host are one finding with its GPU request") {
  const std::string dir = immutalint::test::make_temp_dir();
  immutalint::test::write_file(dir + "/nccl.yaml", R"(apiVersion: v1
kind: Pod
metadata:
  name: nccl-test
spec:
  containers:
  - name: test
    image: registry.example/nccl-test:1.0
    resources:
      limits:
        nvidia.com/gpu: 8
    volumeMounts:
    - name: libraries
      mountPath: /usr/local/nvidia
    - name: gib
      mountPath: /usr/local/gib
  - name: sidecar
    image: registry.example/sidecar:1.0
    volumeMounts:
    - name: data
      mountPath: /data
  volumes:
  - name: libraries
    hostPath:
      path: /home/kubernetes/bin/nvidia
  - name: gib
    hostPath:
      path: /home/kubernetes/bin/gib
  - name: data
    hostPath:
      path: /home/data
)");
  const auto run = run_cli({"--no-config", "--target", "talos", "--format", "json", dir + "/nccl.yaml"});
  std::filesystem::remove_all(dir);
  const Json report = Json::parse(run.out);
  const auto gpu = findings_of(report, "gpu-unsupported");
  REQUIRE(gpu.size() == 1);
  // It leads: the request explains the mounts, which are its context.
  CHECK(gpu[0]["line"] == 11);
  std::set<int> mounts;
  for (const auto& related : gpu[0]["related"]) {
    if (related["check"] == "host-path-not-creatable") mounts.insert(related["line"].get<int>());
  }
  CHECK(mounts == std::set<int>{25, 28});
  // The other hostPath under /home is no GPU library: a finding of its own.
  const auto others = findings_of(report, "host-path-not-creatable");
  REQUIRE(others.size() == 1);
  CHECK(others[0]["line"] == 31);
}

TEST_CASE("a workload is judged by the Namespace its own manifest carries, not another manifest's of that name") {
  // Two alternative install manifests, each with its own Namespace: only the one whose workload
  // Pod Security forbids gets the finding, at its own Namespace.
  const std::string dir = immutalint::test::make_temp_dir();
  const std::string namespace_text = R"(apiVersion: v1
kind: Namespace
metadata:
  name: ingress
---
)";
  const std::string controller = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: controller
  namespace: ingress
spec:
  selector:
    matchLabels: {app: c}
  template:
    metadata:
      labels: {app: c}
    spec:
      containers:
      - name: c
        image: registry.example/controller:1.0
)";
  immutalint::test::write_file(dir + "/kind.yaml", namespace_text + controller + R"(        ports:
        - containerPort: 80
          hostPort: 80
)");
  immutalint::test::write_file(dir + "/scw.yaml", namespace_text + controller);
  const auto run = run_cli({"--no-config", "--target", "talos", "--format", "json", dir});
  std::filesystem::remove_all(dir);
  const auto findings = findings_of(Json::parse(run.out), "pod-security-baseline");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0]["file"].get<std::string>().ends_with("kind.yaml"));
  CHECK(findings[0]["line"] == 2);
  CHECK(findings[0]["object"]["kind"] == "Namespace");
  REQUIRE(findings[0]["related"].size() == 1);
  // In the finding's own file: the related location names no other file.
  CHECK_FALSE(findings[0]["related"][0].contains("file"));
  CHECK(findings[0]["related"][0]["line"] == 7);
}
