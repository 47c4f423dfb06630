// Cluster dumps: objects owned by a controller in the same input are reported once, on the
// controller; status and managedFields change nothing.
#include <catch2/catch.hpp>

#include <set>
#include <sstream>
#include <string>
#include <tuple>

#include "test_support.hpp"

using namespace immutalint;

namespace {

const std::string kDump = "testdata/workloads/cluster-dump-owned.yaml";

/// The text without the `status` and `managedFields` blocks, as if the dump had been cleaned.
std::string without_server_fields(const std::string& text) {
  std::istringstream in(text);
  std::string out, line;
  std::size_t dropping_below = std::string::npos;  // indent of the key being dropped
  while (std::getline(in, line)) {
    const std::size_t indent = line.find_first_not_of(' ');
    if (dropping_below != std::string::npos && indent != std::string::npos) {
      const bool inside = indent > dropping_below || (indent == dropping_below && line.compare(indent, 2, "- ") == 0);
      if (inside) continue;
      dropping_below = std::string::npos;
    }
    if (indent != std::string::npos &&
        (line.compare(indent, 7, "status:") == 0 || line.compare(indent, 14, "managedFields:") == 0)) {
      dropping_below = indent;
      continue;
    }
    out += line + "\n";
  }
  return out;
}

using Observed = std::set<std::tuple<std::string, std::string, std::string>>;

/// (check, object, field) of every finding: what a finding is about, whatever its line.
Observed observed(const LintResult& result) {
  Observed found;
  for (const auto& finding : result.findings.all()) {
    found.emplace(finding.check, finding.object ? finding.object->describe() : "", finding.field);
  }
  return found;
}

}  // namespace

TEST_CASE("a cluster dump reports what controllers own once, on the controller") {
  const std::string text = test::read_file(test::source_dir() + "/" + kDump);
  auto result = test::lint_text(text, "dump.yaml");
  std::set<std::string> objects;
  for (const auto& finding : result.findings.all()) objects.insert(finding.object->describe());
  CHECK(objects == std::set<std::string>{"Deployment ops/inventory", "DaemonSet ops/tool-installer",
                                         "CronJob ops/nightly-report", "Pod ops/legacy-6f8b9-qq2lm",
                                         "Pod ops/debug-shell"});
  // The ReplicaSet, its two Pods, the DaemonSet's Pod, the Job and the Job's Pod.
  CHECK(result.summary.folded == 6);
  CHECK(result.summary.objects == 11);
  CHECK(result.summary.workloads == 5);
  CHECK(result.workloads.size() == 5);
}

TEST_CASE("without their controllers in the input, owned objects are reported on their own") {
  // One of the dump's Pods, read without the rest of it.
  const std::string pods = R"(apiVersion: v1
kind: Pod
metadata:
  name: inventory-7c9d4b5f6-x2kqp
  namespace: ops
  ownerReferences:
  - {apiVersion: apps/v1, kind: ReplicaSet, name: inventory-7c9d4b5f6, controller: true, uid: rs-1}
spec:
  hostNetwork: true
  containers: [{name: exporter, image: quay.io/prometheus/node-exporter:v1.8.2}]
)";
  auto alone = test::lint_text(pods, "pods.yaml");
  CHECK(alone.summary.folded == 0);
  CHECK(alone.summary.workloads == 1);
  CHECK(test::check_ids(alone) == std::vector<std::string>{"host-network"});
}

TEST_CASE("status and managedFields never change what a dump's objects are reported for") {
  const std::string text = test::read_file(test::source_dir() + "/" + kDump);
  const std::string cleaned = without_server_fields(text);
  REQUIRE(cleaned.size() < text.size() * 3 / 4);
  REQUIRE(cleaned.find("managedFields:") == std::string::npos);
  REQUIRE(cleaned.find("status:") == std::string::npos);
  auto with = test::lint_text(text, "dump.yaml", "all");
  auto without = test::lint_text(cleaned, "dump.yaml", "all");
  CHECK(observed(with) == observed(without));
  CHECK(with.summary.folded == without.summary.folded);
  // Each finding stays on its own line in the dump: the key it names is written there.
  const auto lines = [&] {
    std::vector<std::string> all;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) all.push_back(line);
    return all;
  }();
  for (const auto& finding : with.findings.all()) {
    const std::string key = finding.field.substr(finding.field.rfind('/') + 1);
    INFO(finding.check << " " << finding.field);
    REQUIRE(finding.span.begin.line <= lines.size());
    if (!key.empty() && !std::isdigit(static_cast<unsigned char>(key[0]))) {
      CHECK(lines[finding.span.begin.line - 1].find(key) != std::string::npos);
    }
  }
}
