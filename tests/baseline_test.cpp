// Baselines: adopting immutalint on a repository that already has findings.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

using namespace immutalint;

namespace {

/// A DaemonSet that installs a program into the host's /usr/local/bin.
constexpr const char* kInstaller = R"(apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: installer
  namespace: kube-system
spec:
  template:
    spec:
      containers:
      - name: install
        image: registry.example/installer:1
        command: ["sh", "-c", "cp /opt/tool /host/usr/local/bin/tool"]
        volumeMounts: [{name: bin, mountPath: /host/usr/local/bin}]
      volumes:
      - {name: bin, hostPath: {path: /usr/local/bin}}
)";

/// The same DaemonSet edited: lines inserted above it, reindented, keys reordered. Then a second
/// container that loads a kernel module: the one new problem.
constexpr const char* kEdited = R"(# Reviewed by the platform team.
# The installer is kept until the node image ships the tool.

apiVersion: apps/v1
metadata:
    namespace: kube-system
    name: installer
kind: DaemonSet
spec:
    template:
        spec:
            volumes:
            -   hostPath: {path: /usr/local/bin}
                name: bin
            containers:
            -   image: registry.example/installer:1
                name: install
                volumeMounts: [{mountPath: /host/usr/local/bin, name: bin}]
                command: ["sh", "-c", "cp /opt/tool /host/usr/local/bin/tool"]
            -   name: modules
                image: registry.example/modules:1
                command: ["modprobe", "br_netfilter"]
                securityContext: {privileged: true}
)";

nlohmann::json json_of(const test::CommandResult& run) {
  INFO(run.err);
  return nlohmann::json::parse(run.out);
}

}  // namespace

TEST_CASE("a baseline leaves out the findings it records, through edits, and only a new problem fails the run") {
  const std::string dir = test::make_temp_dir();
  test::write_file(dir + "/deploy/installer.yaml", kInstaller);

  // Adoption: record today's findings.
  // Adoption succeeds under `set -e`: exit 0, and only the summary, every finding in the baseline.
  auto adopt = test::run_cli({"--target", "flatcar", "--write-baseline", "baseline.json", "deploy"}, {}, dir);
  CHECK(adopt.exit_code == 0);
  const auto baseline = nlohmann::json::parse(test::read_file(dir + "/baseline.json"));
  CHECK(std::count(adopt.out.begin(), adopt.out.end(), '\n') == 1);
  CHECK_THAT(adopt.out, Catch::StartsWith("1 file, 1 document, 1 object") && Catch::Contains("no findings") &&
                            Catch::Contains(fmt::format("{} in the baseline", baseline["findings"].size())));
  REQUIRE(baseline["immutalintBaseline"] == 1);
  REQUIRE(baseline["findings"].size() >= 2);
  for (const auto& record : baseline["findings"]) {
    CHECK(record["fingerprint"].get<std::string>().size() == 16);
    CHECK(record["file"] == "deploy/installer.yaml");
  }

  // Unchanged: nothing new, the run passes, and the summary says what the baseline held.
  auto same = test::run_cli(
      {"--target", "flatcar", "--fail-on", "note", "--baseline", "baseline.json", "--format", "json", "deploy"}, {},
      dir);
  CHECK(same.exit_code == 0);
  auto report = json_of(same);
  CHECK(report["findings"].empty());
  CHECK(report["summary"]["baselined"] == baseline["findings"].size());

  // Edited, with a new container that loads a kernel module: only what it brings is reported,
  // and it fails a run that fails on notes.
  test::write_file(dir + "/deploy/installer.yaml", kEdited);
  auto edited = test::run_cli(
      {"--target", "flatcar", "--fail-on", "note", "--baseline", "baseline.json", "--format", "json", "deploy"}, {},
      dir);
  CHECK(edited.exit_code == 1);
  report = json_of(edited);
  CHECK(report["summary"]["baselined"] == baseline["findings"].size());
  REQUIRE_FALSE(report["findings"].empty());
  for (const auto& finding : report["findings"]) {
    INFO(finding.dump());
    CHECK(finding["object"]["name"] == "installer");
    CHECK(finding["line"].get<int>() >= 20);  // the new container, nothing of the old one
  }

  // The text summary says it too.
  auto text = test::run_cli({"--target", "flatcar", "--baseline", "baseline.json", "deploy"}, {}, dir);
  CHECK_THAT(text.out, Catch::Contains(fmt::format("{} in the baseline", baseline["findings"].size())));
}

TEST_CASE("a baseline file is deterministic, sorted by file and check, and never linted as a manifest") {
  const std::string dir = test::make_temp_dir();
  test::write_file(dir + "/b.yaml", kInstaller);
  test::write_file(dir + "/a.yaml", kEdited);
  REQUIRE(test::run_cli({"--target", "all", "--write-baseline", "first.json", "."}, {}, dir).exit_code == 0);
  REQUIRE(
      test::run_cli({"--target", "all", "--jobs", "3", "--write-baseline", "second.json", "."}, {}, dir).exit_code ==
      0);
  const std::string first = test::read_file(dir + "/first.json");
  CHECK(first == test::read_file(dir + "/second.json"));  // and first.json, among the inputs, was not read
  CHECK(first.starts_with("{\n  \"immutalintBaseline\": 1,\n  \"findings\": [\n"));
  const auto records = nlohmann::json::parse(first)["findings"];
  for (std::size_t i = 1; i < records.size(); ++i) {
    const auto key = [&](std::size_t at) {
      return std::make_pair(records[at]["file"].get<std::string>(), records[at]["check"].get<std::string>());
    };
    CHECK(key(i - 1) <= key(i));
  }
  std::filesystem::remove(dir + "/second.json");
  auto run = test::run_cli({"--baseline", "first.json", "--format", "json", "."}, {}, dir);
  CHECK(json_of(run)["summary"]["files"] == 2);
}

TEST_CASE("a baseline that cannot be used is a usage error") {
  const std::string dir = test::make_temp_dir();
  test::write_file(dir + "/pod.yaml", kInstaller);
  test::write_file(dir + "/future.json", R"({"immutalintBaseline": 2, "findings": []})");
  test::write_file(dir + "/other.json", R"({"runs": []})");
  // Valid JSON with a number no double holds.
  test::write_file(dir + "/huge.json", R"({"immutalintBaseline": 1e400, "findings": []})");
  const std::pair<std::string, std::string> cases[] = {
      {"huge.json", "huge.json is not an immutalint baseline: a number is out of range"},
      {"missing.json", "cannot read the baseline missing.json: No such file or directory"},
      {"future.json", "future.json is not an immutalint baseline: format 2 is not the supported 1"},
      {"other.json", "other.json is not an immutalint baseline: no \"immutalintBaseline\" version"},
  };
  for (const auto& [file, message] : cases) {
    auto run = test::run_cli({"--baseline", file, "pod.yaml"}, {}, dir);
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains(message));
  }
  auto both = test::run_cli({"--baseline", "future.json", "--write-baseline", "new.json", "pod.yaml"}, {}, dir);
  CHECK(both.exit_code == 2);
  CHECK_THAT(both.err, Catch::Contains("do not go together"));
}

TEST_CASE("a baseline that cannot be written stops the run with the reason") {
  const std::string dir = test::make_temp_dir();
  test::write_file(dir + "/pod.yaml", kInstaller);
  auto full = test::run_cli({"--write-baseline", "/dev/full", "pod.yaml"}, {}, dir);
  CHECK(full.exit_code == 2);
  CHECK(full.out.empty());
  CHECK(full.err == "immutalint: error: cannot write the baseline /dev/full: No space left on device\n");
  auto folder = test::run_cli({"--write-baseline", "no/such/folder/baseline.json", "pod.yaml"}, {}, dir);
  CHECK(folder.exit_code == 2);
  CHECK(folder.err ==
        "immutalint: error: cannot write the baseline no/such/folder/baseline.json: No such file or directory\n");
  std::filesystem::remove_all(dir);
}

TEST_CASE("updating a baseline drops the records that no longer match and adds none") {
  const std::string dir = test::make_temp_dir();
  test::write_file(dir + "/deploy/installer.yaml", kInstaller);
  REQUIRE(test::run_cli({"--target", "flatcar", "--write-baseline", "baseline.json", "deploy"}, {}, dir).exit_code ==
          0);
  const auto before = nlohmann::json::parse(test::read_file(dir + "/baseline.json"))["findings"];
  REQUIRE(before.size() >= 2);

  // The installer is fixed: it copies into /opt, and a new container loads a kernel module.
  std::string fixed = kEdited;
  for (std::string::size_type at; (at = fixed.find("/usr/local/bin")) != std::string::npos;) {
    fixed.replace(at, 14, "/opt/tools");
  }
  test::write_file(dir + "/deploy/installer.yaml", fixed);
  auto updated = test::run_cli(
      {"--target", "flatcar", "--fail-on", "note", "--update-baseline", "baseline.json", "--format", "json", "deploy"},
      {}, dir);
  INFO(updated.err);
  const auto report = json_of(updated);
  const auto after = nlohmann::json::parse(test::read_file(dir + "/baseline.json"))["findings"];
  CHECK(after.size() < before.size());
  CHECK(report["summary"]["baselined"] == after.size());
  CHECK_THAT(updated.err, Catch::Contains(fmt::format("immutalint: updated baseline.json: {} kept, {} dropped that no "
                                                      "longer match",
                                                      after.size(), before.size() - after.size())));
  // The new problems are reported, not added: the run fails on them as a normal run does.
  CHECK(updated.exit_code == 1);
  REQUIRE_FALSE(report["findings"].empty());
  for (const auto& record : after) {
    CHECK(std::any_of(before.begin(), before.end(), [&](const auto& old) { return old == record; }));
  }
  // Updating again changes nothing.
  const std::string once = test::read_file(dir + "/baseline.json");
  test::run_cli({"--target", "flatcar", "--update-baseline", "baseline.json", "deploy"}, {}, dir);
  CHECK(test::read_file(dir + "/baseline.json") == once);
  std::filesystem::remove_all(dir);
}
