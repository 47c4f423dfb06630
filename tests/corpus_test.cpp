// End-to-end runs over the third-party corpus in ../shared: real manifests must lint without
// input errors, and the seed checks must agree with other tools' labelled fixtures.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "immutalint/inputs.hpp"
#include "test_support.hpp"

using namespace immutalint;
namespace fs = std::filesystem;

namespace {

Linter make_linter() {
  auto linter = Linter::create(*Catalogue::builtin(), LintOptions{});
  REQUIRE(linter);
  return std::move(linter).value();
}

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream stream(line);
  std::string field;
  while (std::getline(stream, field, '\t')) fields.push_back(field);
  return fields;
}

/// Oracle property -> the checks of ours that cover it. A row is "flag" for us when any of
/// them reports the object (all of them for a comma-separated list of properties).
struct Coverage {
  std::vector<std::string> checks;
  bool all_required = false;
  bool writable_only = false;  // hostPath(writable): only writable mounts count
};

const std::map<std::string, Coverage>& coverage() {
  static const std::map<std::string, Coverage> table = {
      {"hostNetwork", {{"host-network"}}},
      {"hostPID", {{"host-pid"}}},
      {"hostIPC", {{"host-ipc"}}},
      {"hostNetwork|hostPID|hostIPC", {{"host-network", "host-pid", "host-ipc"}}},
      {"hostNetwork,hostPID,hostIPC", {{"host-network", "host-pid", "host-ipc"}, true}},
      {"hostNetwork,hostIPC", {{"host-network", "host-ipc"}, true}},
      {"hostPath", {{"host-path-volume"}}},
      {"hostPath(sensitive)", {{"host-path-volume"}}},
      {"hostPath(writable)", {{"host-path-volume"}, false, true}},
      {"privileged", {{"privileged-container", "privileged-init-container"}}},
  };
  return table;
}

// Labels we have reviewed and believe do not describe what these checks should say. Each
// entry: "<source>/<relative_file>|<kind>|<name>" and why. Empty today: every covered label
// agrees.
const std::set<std::string> kReviewedExceptions = {};

}  // namespace

TEST_CASE("the real-world corpus lints without input errors", "[shared]") {
  const std::string root = test::shared_dir() + "/corpus/real";
  REQUIRE(fs::is_directory(root));
  auto inputs = collect_inputs({root}, "<stdin>");
  REQUIRE(inputs);
  const LintResult result = make_linter().lint(*inputs);
  for (const auto& finding : result.findings.all()) {
    if (finding.check == "invalid-input")
      FAIL_CHECK(finding.file << ":" << finding.span.begin.line << ": " << finding.message);
  }
  CHECK(result.summary.files == 744);
  CHECK(result.summary.documents == 1972);
  CHECK(result.summary.workloads > 350);
  // A floor that shows the corpus was read and judged, not a count to keep: workloads pinned to
  // labels no profile's nodes carry (GKE's) are judged for no target and give fewer notes.
  CHECK(result.findings.size() > 900);
}

TEST_CASE("the seed checks agree with the labelled oracle fixtures", "[shared]") {
  const std::string root = test::shared_dir() + "/corpus/oracles";
  REQUIRE(fs::is_directory(root));
  const Linter linter = make_linter();
  std::map<std::string, LintResult> by_file;
  std::size_t agreed = 0;
  std::size_t excepted = 0;
  std::vector<std::string> disagreements;
  std::vector<std::string> sources;
  for (const auto& entry : fs::directory_iterator(root)) {
    if (fs::exists(entry.path() / "LABELS.tsv")) sources.push_back(entry.path().filename().string());
  }
  std::sort(sources.begin(), sources.end());
  for (const auto& source : sources) {
    std::ifstream labels(root + "/" + source + "/LABELS.tsv");
    std::string line;
    std::getline(labels, line);  // header
    while (std::getline(labels, line)) {
      auto row = split_tabs(line);
      REQUIRE(row.size() >= 5);
      const auto& [file, kind, name, expected, property] = std::tie(row[0], row[1], row[2], row[3], row[4]);
      auto covered = coverage().find(property);
      if (covered == coverage().end() || (expected != "flag" && expected != "clean")) continue;
      const std::string path = root + "/" + source + "/" + file;
      auto [it, fresh] = by_file.try_emplace(path);
      if (fresh) it->second = linter.lint_text(test::read_file(path), path);

      // A seed check's observation may lead a finding or be folded into one as context.
      std::set<std::string> reported;
      for (const auto& finding : it->second.findings.all()) {
        if (!finding.object || finding.object->kind != kind || finding.object->name != name) continue;
        auto note = [&](const std::string& check, const std::string& message) {
          if (covered->second.writable_only && message.find("writable in") == std::string::npos) return;
          reported.insert(check);
        };
        note(finding.check, finding.message);
        for (const auto& related : finding.related) note(related.check, related.message);
      }
      std::size_t hits = 0;
      for (const auto& check : covered->second.checks) hits += reported.count(check);
      const bool flagged = covered->second.all_required ? hits == covered->second.checks.size() : hits > 0;
      const std::string key = source + "/" + file + "|" + kind + "|" + name;
      if (flagged == (expected == "flag")) {
        ++agreed;
      } else if (kReviewedExceptions.count(key)) {
        ++excepted;
      } else {
        disagreements.push_back(key + " (" + property + "): expected " + expected);
      }
    }
  }
  for (const auto& d : disagreements) FAIL_CHECK(d);
  INFO("agreed " << agreed << ", reviewed exceptions " << excepted);
  CHECK(agreed >= 262);  // every labelled fixture; a drop is a regression
}

TEST_CASE("pod-security-baseline agrees with Pod Security Admission's own baseline fixtures", "[shared]") {
  // PSA's baseline fixtures: each fail file violates one baseline rule. Properties this check
  // does not cover (AppArmor, SELinux, probes, Windows) are left out.
  const std::string root = test::shared_dir() + "/corpus/oracles/pod-security-admission";
  const std::set<std::string> covered = {"hostNetwork", "hostPID",    "hostIPC",  "hostNetwork|hostPID|hostIPC",
                                         "hostPath",    "privileged", "hostPort", "capabilities",
                                         "procMount",   "seccomp",    "sysctls",  "all"};
  LintOptions options;
  options.targets = *TargetSet::builtin()->select("talos");
  options.only = {"pod-security-baseline"};
  auto linter = Linter::create(*Catalogue::builtin(), options);
  REQUIRE(linter);
  std::ifstream labels(root + "/LABELS.tsv");
  std::string line;
  std::getline(labels, line);
  std::size_t agreed = 0;
  while (std::getline(labels, line)) {
    auto row = split_tabs(line);
    if (row[0].find("/baseline/") == std::string::npos || !covered.count(row[4])) continue;
    const auto result = linter->lint_text(test::read_file(root + "/" + row[0]), row[0]);
    const auto findings = result.findings.all();
    const bool flagged = std::any_of(findings.begin(), findings.end(),
                                     [](const Finding& f) { return f.check == "pod-security-baseline"; });
    INFO(row[0] << " (" << row[4] << ")");
    CHECK(flagged == (row[3] == "flag"));
    agreed += flagged == (row[3] == "flag");
  }
  CHECK(agreed >= 29);
}
