// Workload kinds through the library: several pods per object, kinds from LintOptions, and pod
// templates found by shape.
#include <catch2/catch.hpp>

#include "immutalint/catalogue.hpp"
#include "immutalint/lint.hpp"
#include "test_support.hpp"

using namespace immutalint;

namespace {

LintResult lint_with(const std::string& text, LintOptions options) {
  auto selected = TargetSet::builtin()->select("generic");
  REQUIRE(selected);
  options.targets = *selected;
  auto linter = Linter::create(*Catalogue::builtin(), std::move(options));
  REQUIRE(linter);
  return linter->lint_text(text, "kinds.yaml");
}

/// (check, line) of each finding, in report order.
std::vector<std::pair<std::string, std::uint32_t>> placed(const LintResult& result) {
  std::vector<std::pair<std::string, std::uint32_t>> found;
  for (const auto& finding : result.findings.all()) found.emplace_back(finding.check, finding.span.begin.line);
  return found;
}

constexpr const char* kTrainingJob = R"(apiVersion: example.com/v1
kind: TrainingJob
metadata:
  name: train
  namespace: ml
spec:
  workers:
  - template:
      spec:
        containers:
        - name: worker
          image: trainer
  - template:
      spec:
        hostNetwork: true
        containers:
        - name: ps
          image: trainer
)";

}  // namespace

TEST_CASE("each pod of a JobSet is checked, with findings at its own lines") {
  const std::string text = test::read_file(test::source_dir() + "/testdata/workload-kinds/jobset-paralleljobs.yaml");
  auto result = lint_with(text, {});
  CHECK(placed(result) == std::vector<std::pair<std::string, std::uint32_t>>{{"host-pid", 31}});
  CHECK(result.summary.workloads == 1);
  REQUIRE(result.findings.all().size() == 1);
  CHECK(result.findings.all()[0].field == "/spec/replicatedJobs/1/template/spec/template/spec/hostPID");
}

TEST_CASE("a workflow-level field shared by several Argo pods is one finding") {
  auto result = lint_with(R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: w
spec:
  hostNetwork: true
  templates:
  - name: a
    container: {image: busybox}
  - name: b
    script:
      image: busybox
      command: [sh]
      source: |
        echo start
        modprobe br_netfilter
)",
                          {});
  auto found = placed(result);
  CHECK(std::count(found.begin(), found.end(), std::pair<std::string, std::uint32_t>{"host-network", 6}) == 1);
  // The script's own line, inside the block scalar.
  CHECK(std::count(found.begin(), found.end(), std::pair<std::string, std::uint32_t>{"kernel-module-load", 16}) == 1);
}

TEST_CASE("a ConfigMap script run by the second pod of a workflow is found in the second pass") {
  auto result = lint_with(R"(apiVersion: v1
kind: ConfigMap
metadata: {name: setup, namespace: ci}
data:
  setup.sh: |
    nsenter --target 1 --mount -- apt-get install -y open-iscsi
---
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: w, namespace: ci}
spec:
  templates:
  - name: plain
    container: {image: busybox}
  - name: setup
    container:
      image: ubuntu
      command: [sh, /scripts/setup.sh]
      volumeMounts: [{name: scripts, mountPath: /scripts}]
    volumes: [{name: scripts, configMap: {name: setup}}]
)",
                          {});
  bool in_config_map = false;
  for (const auto& finding : result.findings.all()) {
    if (finding.object && finding.object->kind == "ConfigMap" && finding.span.begin.line == 6) in_config_map = true;
  }
  CHECK(in_config_map);
}

TEST_CASE("kinds from LintOptions are checked and without them an unknown kind is not") {
  auto unknown = lint_with(kTrainingJob, {});
  CHECK(unknown.findings.size() == 0);
  CHECK(unknown.summary.workloads == 0);
  CHECK(unknown.notices.empty());

  LintOptions options;
  options.workload_kinds.push_back({"example.com/*", "TrainingJob", {"spec.workers[*].template"}});
  auto declared = lint_with(kTrainingJob, options);
  CHECK(placed(declared) == std::vector<std::pair<std::string, std::uint32_t>>{{"host-network", 15}});
  CHECK(declared.summary.workloads == 1);
  CHECK(declared.notices.empty());
}

TEST_CASE("a kind from LintOptions overrides the built-in path") {
  const char* rollout = R"(apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: r}
spec:
  template:
    spec:
      containers: [{name: app, image: app}]
  preview:
    spec:
      hostPID: true
      containers: [{name: app, image: app}]
)";
  CHECK(placed(lint_with(rollout, {})).empty());
  LintOptions options;
  options.workload_kinds.push_back({"argoproj.io/v1alpha1", "Rollout", {"spec.preview"}});
  CHECK(placed(lint_with(rollout, options)) == std::vector<std::pair<std::string, std::uint32_t>>{{"host-pid", 10}});
}

TEST_CASE("malformed kinds in LintOptions are rejected with the reason") {
  LintOptions options;
  options.workload_kinds.push_back({"example.com/v1", "TrainingJob", {"spec.workers[0].template"}});
  auto linter = Linter::create(*Catalogue::builtin(), options);
  REQUIRE_FALSE(linter);
  CHECK_THAT(linter.error().message, Catch::Contains("workload kind TrainingJob"));
  CHECK_THAT(linter.error().message, Catch::Contains("only `[*]`"));
}

TEST_CASE("discovery checks pod templates found by shape and says where they were") {
  LintOptions options;
  options.discover_pod_templates = true;
  auto result = lint_with(kTrainingJob, options);
  CHECK(placed(result) == std::vector<std::pair<std::string, std::uint32_t>>{{"host-network", 15}});
  CHECK(result.summary.workloads == 1);
  REQUIRE(result.notices.size() == 1);
  CHECK(result.notices[0] ==
        "kinds.yaml:2: TrainingJob ml/train (example.com/v1) is not a known workload kind, but has a pod template at "
        "`spec.workers[*].template`, found by its shape and checked; declare it under workload-kinds to check it "
        "without discovery");

  // A declared kind needs no discovery, and gets no notice.
  options.workload_kinds.push_back({"example.com/v1", "TrainingJob", {"spec.workers[*].template"}});
  CHECK(lint_with(kTrainingJob, options).notices.empty());
}

TEST_CASE("discovery leaves known kinds and objects without pod templates alone") {
  LintOptions options;
  options.discover_pod_templates = true;
  auto result = lint_with(R"(apiVersion: v1
kind: ConfigMap
metadata: {name: c}
data:
  pod.yaml: "spec: {containers: [{image: x}]}"
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec:
  size: 3
)",
                          options);
  CHECK(result.notices.empty());
  CHECK(result.summary.workloads == 0);
}
