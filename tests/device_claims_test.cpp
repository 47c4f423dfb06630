// Pods that claim devices through Dynamic Resource Allocation: a device class that no node of a
// target offers keeps the pod off that target, whether its claim is defined in the same file or
// another one; classes any node may offer rule nothing out.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "immutalint/device_claims.hpp"
#include "immutalint/kube_object.hpp"
#include "immutalint/yaml_parse.hpp"
#include "test_support.hpp"

using namespace immutalint;
using namespace immutalint::test;

namespace {

/// A ResourceClaimTemplate named `name` whose one request is `request` (indented lines).
std::string claim_template(const std::string& name, const std::string& request,
                           const std::string& api_version = "resource.k8s.io/v1") {
  return "apiVersion: " + api_version + "\nkind: ResourceClaimTemplate\nmetadata: {name: " + name +
         "}\nspec:\n  spec:\n    devices:\n      requests:\n      - name: r\n" + request;
}

/// GKE's RDMA sample claim: eight NICs of GKE managed DRANET's class.
const std::string kRdmaRequest =
    "        exactly:\n          deviceClassName: mrdma.google.com\n          allocationMode: ExactCount\n"
    "          count: 8\n";

/// A pod that writes into a host folder /home/kubernetes/bin/nvidia (an alarm on Talos) and
/// claims the devices of template `claim`.
std::string pod_claiming(const std::string& claim) {
  return "apiVersion: v1\nkind: Pod\nmetadata: {name: nccl-test}\nspec:\n"
         "  volumes:\n  - name: lib\n    hostPath: {path: /home/kubernetes/bin/nvidia}\n"
         "  resourceClaims:\n  - name: rdma\n    resourceClaimTemplateName: " +
         claim +
         "\n  containers:\n  - name: test\n    image: nccl-test\n"
         "    volumeMounts: [{name: lib, mountPath: /usr/local/nvidia}]\n";
}

/// The findings at warning or error, by check id.
std::vector<std::string> alarms(const LintResult& result) {
  std::vector<std::string> ids;
  for (const auto& finding : result.findings.all()) {
    if (finding.severity != Severity::Note && !finding.suppressed()) ids.push_back(finding.check);
  }
  return ids;
}

/// The matrix row of the pod, as `immutalint --format matrix` prints it for the files of `dir`.
std::string matrix_row(const std::string& dir, const std::string& targets, const std::string& jobs) {
  const auto run = run_cli({"--no-config", "--target", targets, "--format", "matrix", "-j", jobs, dir});
  for (std::size_t at = 0; at < run.out.size();) {
    const auto end = run.out.find('\n', at);
    const std::string line = run.out.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (line.starts_with("Pod nccl-test")) return line;
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return "(no row)\n" + run.out + run.err;
}

}  // namespace

TEST_CASE("a pod's resource claims are read from every API version's field") {
  auto documents = parse_yaml_documents(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  resourceClaims:\n"
      "  - {name: a, resourceClaimTemplateName: t}\n  - {name: b, resourceClaimName: c}\n"
      "  - {name: d, source: {resourceClaimTemplateName: old}}\n  containers: [{name: c, image: i}]\n",
      1);
  REQUIRE(documents.size() == 1);
  const YamlTree& tree = documents.front().tree;
  Workload workload = read_workload(tree, find_objects(tree).objects.front());
  REQUIRE(workload.pods.size() == 1);
  const auto claims = pod_device_claims(tree, workload.pods.front());
  REQUIRE(claims.size() == 3);
  CHECK((claims[0].kind == "ResourceClaimTemplate" && claims[0].name == "t"));
  CHECK((claims[1].kind == "ResourceClaim" && claims[1].name == "c"));
  CHECK((claims[2].kind == "ResourceClaimTemplate" && claims[2].name == "old"));
}

TEST_CASE("a device claim's requests list each request's classes and firstAvailable alternatives") {
  auto documents = parse_yaml_documents(
      claim_template("t",
                     "        deviceClassName: gpu.nvidia.com\n      - name: s\n        firstAvailable:\n"
                     "        - {name: x, deviceClassName: mrdma.google.com}\n"
                     "        - {name: y, deviceClassName: rdma.example.com}\n",
                     "resource.k8s.io/v1beta1"),
      1);
  REQUIRE(documents.size() == 1);
  const YamlTree& tree = documents.front().tree;
  const KubeObject object = find_objects(tree).objects.front();
  REQUIRE(is_device_claim(object));
  CHECK(device_requests(tree, object) ==
        std::vector<std::vector<std::string>>{{"gpu.nvidia.com"}, {"mrdma.google.com", "rdma.example.com"}});
}

TEST_CASE("a pod that claims GKE managed DRANET devices is judged on no target") {
  const LintResult result =
      lint_text(claim_template("all-mrdma", kRdmaRequest) + "---\n" + pod_claiming("all-mrdma"), "nccl.yaml", "all");
  CHECK(alarms(result).empty());
}

TEST_CASE("the same pod keeps its alarm where its claim names a class any node may offer") {
  // Without the claim's class ruling Talos out, the host folder it writes is still judged.
  const std::string gpu = "        exactly: {deviceClassName: gpu.nvidia.com}\n";
  const LintResult other_class =
      lint_text(claim_template("all-mrdma", gpu) + "---\n" + pod_claiming("all-mrdma"), "nccl.yaml", "talos");
  CHECK_FALSE(alarms(other_class).empty());
  // An alternative that may be offered is enough to be scheduled.
  const std::string either =
      "        firstAvailable:\n        - {name: a, deviceClassName: mrdma.google.com}\n"
      "        - {name: b, deviceClassName: gpu.nvidia.com}\n";
  const LintResult alternative =
      lint_text(claim_template("all-mrdma", either) + "---\n" + pod_claiming("all-mrdma"), "nccl.yaml", "talos");
  CHECK(alarms(alternative) == alarms(other_class));
  // A claim the input does not define rules nothing out.
  CHECK(alarms(lint_text(pod_claiming("elsewhere"), "nccl.yaml", "talos")) == alarms(other_class));
}

TEST_CASE("a device claim defined in another file keeps the pod off the matrix of every target") {
  const std::string dir = make_temp_dir();
  write_file(dir + "/a-pod.yaml", pod_claiming("all-mrdma"));
  write_file(dir + "/b-claims.yaml", claim_template("all-mrdma", kRdmaRequest));
  for (const std::string jobs : {"1", "2"}) {
    INFO("-j " << jobs);
    const std::string row = matrix_row(dir, "talos,bottlerocket", jobs);
    // The cells follow the workload's name and place, whose temporary folder may hold any letter.
    const std::string cells = row.substr(std::min(row.find(')'), row.size()));
    CHECK(cells.find("not scheduled") != std::string::npos);
    CHECK(cells.find('B') == std::string::npos);
    CHECK(cells.find('L') == std::string::npos);
  }
  // The same files with a class any node may offer: the pod is judged on Talos again.
  write_file(dir + "/b-claims.yaml",
             claim_template("all-mrdma", "        exactly: {deviceClassName: gpu.nvidia.com}\n"));
  CHECK(matrix_row(dir, "talos,bottlerocket", "2").find("not scheduled") == std::string::npos);
  std::filesystem::remove_all(dir);
}
