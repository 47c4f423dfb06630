// The immutalint command as users and CI run it: options, exit codes, stdin, files, JSON.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

using immutalint::test::run_cli;
namespace fs = std::filesystem;

namespace {

const std::string kFlagged = "testdata/cli/warning.yaml";  // a warning, no error
const std::string kClean = "testdata/host-network/silent.yaml";

}  // namespace

TEST_CASE("the version option prints the name and version") {
  auto r = run_cli({"--version"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "immutalint 0.1.0\n");
}

TEST_CASE("the help option describes options and exit codes") {
  auto r = run_cli({"--help"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("--fail-on") && Catch::Contains("Exit status"));
}

TEST_CASE("usage errors exit 2 with a message on stderr") {
  for (const std::vector<std::string>& args : {std::vector<std::string>{"--no-such-option"},
                                               {"--fail-on", "sometimes"},
                                               {"--format", "xml", kFlagged},
                                               {"--only", "no-such-check", kFlagged},
                                               {"--disable", "host-network,bogus", kFlagged},
                                               {"--explain", "no-such-check"},
                                               {"does/not/exist.yaml"},
                                               {"--jobs", "many", kFlagged}}) {
    INFO(args[0]);
    auto r = run_cli(args);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith("immutalint: error: "));
    CHECK(r.out.empty());
  }
}

TEST_CASE("exit code follows --fail-on") {
  CHECK(run_cli({kFlagged}).exit_code == 1);
  CHECK(run_cli({"--fail-on", "warning", kFlagged}).exit_code == 1);
  CHECK(run_cli({"--fail-on", "error", kFlagged}).exit_code == 0);
  CHECK(run_cli({"--fail-on", "never", kFlagged}).exit_code == 0);
  CHECK(run_cli({kClean}).exit_code == 0);
  // A DaemonSet alone gives only a note.
  const std::string note_only = "testdata/daemonset/flagged.yaml";
  CHECK(run_cli({note_only}).exit_code == 0);
  CHECK(run_cli({"--fail-on", "note", note_only}).exit_code == 1);
}

TEST_CASE("invalid input fails the run but the rest of the input is still linted") {
  auto r = run_cli({"--format", "json", "testdata/invalid-input/syntax-error-between-documents.yaml"});
  CHECK(r.exit_code == 1);
  auto report = nlohmann::json::parse(r.out);
  std::set<std::string> checks;
  for (const auto& f : report["findings"]) checks.insert(f["check"].get<std::string>());
  CHECK(checks.count("invalid-input") == 1);
  CHECK(checks.count("host-network") == 1);
}

TEST_CASE("standard input is linted under the --stdin-filename name") {
  const std::string manifest = immutalint::test::read_file(immutalint::test::source_dir() + "/" + kFlagged);
  auto r = run_cli({"--stdin-filename", "deploy/agent.yaml", "-"}, manifest);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::StartsWith("deploy/agent.yaml:"));
  auto unnamed = run_cli({"-"}, manifest);
  CHECK_THAT(unnamed.out, Catch::StartsWith("<stdin>:"));
}

TEST_CASE("the JSON report has the documented shape") {
  auto r = run_cli({"--format", "json", "--fail-on", "note", "testdata/host-network/helm-source.yaml"});
  REQUIRE(r.exit_code == 1);
  auto report = nlohmann::json::parse(r.out);
  CHECK(report["tool"]["name"] == "immutalint");
  CHECK(report["tool"]["version"] == "0.1.0");
  REQUIRE(report["findings"].is_array());
  const auto& finding = report["findings"][0];
  for (const char* key : {"check", "severity", "message", "file", "line", "column", "object", "field"}) {
    INFO(key);
    CHECK(finding.contains(key));
  }
  bool saw_host_network = false;
  for (const auto& f : report["findings"]) {
    if (f["check"] != "host-network") continue;
    saw_host_network = true;
    CHECK(f["field"] == "/spec/template/spec/hostNetwork");
    CHECK(f["object"]["kind"] == "DaemonSet");
    CHECK(f["object"]["namespace"] == "kube-system");
    CHECK(f["object"]["apiVersion"] == "apps/v1");
    CHECK(f["source"] == "agent/templates/daemonset.yaml");
    CHECK_FALSE(f.contains("container"));
    CHECK(f["action"] == "posture");
    REQUIRE(f["targets"].size() == 1);
    CHECK(f["targets"][0]["verdict"] == "review");
  }
  CHECK(saw_host_network);
  for (const char* key : {"files", "documents", "objects", "skipped", "error", "warning", "note"}) {
    INFO(key);
    CHECK(report["summary"][key].is_number_unsigned());
  }
}

TEST_CASE("the output option writes the report to a file and nothing to standard output") {
  const std::string dir = immutalint::test::make_temp_dir();
  auto r = run_cli({"--format", "json", "--output", dir + "/report.json", kFlagged});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  auto report = nlohmann::json::parse(immutalint::test::read_file(dir + "/report.json"));
  CHECK_FALSE(report["findings"].empty());
  fs::remove_all(dir);
}

TEST_CASE("piped text output has no colour codes") {
  auto r = run_cli({kFlagged});
  CHECK(r.out.find('\x1b') == std::string::npos);
}

TEST_CASE("listing checks shows every check, as text and as JSON") {
  auto text = run_cli({"--list-checks"});
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("host-root-mount") && Catch::Contains("duplicate-key"));
  auto json = run_cli({"--list-checks", "--format", "json"});
  auto list = nlohmann::json::parse(json.out);
  REQUIRE(list.is_array());
  CHECK(list.size() == immutalint::Catalogue::builtin()->checks().size());
  CHECK(list[0].contains("rationale"));
}

TEST_CASE("explaining a check prints summary, rationale, remediation and example") {
  auto r = run_cli({"--explain", "host-path-readonly-write"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("host-path-readonly-write (error)") && Catch::Contains("How to fix it") &&
                        Catch::Contains("Reported:") && Catch::Contains("path: /usr/lib"));
  // The evidence ladder: what makes it say each verdict.
  CHECK_THAT(r.out, Catch::Contains("What it says, and on what evidence:") && Catch::Contains("  breaks\n") &&
                        Catch::Contains("  review\n") && Catch::Contains("is not evidence of a write"));
  auto posture = run_cli({"--explain", "host-root-mount"});
  CHECK_THAT(posture.out, Catch::StartsWith("host-root-mount (note)") && Catch::Contains("posture only"));
}

TEST_CASE("the only and disable options choose checks and invalid-input stays on") {
  auto only =
      run_cli({"--only", "host-pid", "--format", "json", "testdata/invalid-input/syntax-error-between-documents.yaml"});
  auto report = nlohmann::json::parse(only.out);
  for (const auto& f : report["findings"]) CHECK((f["check"] == "host-pid" || f["check"] == "invalid-input"));
  auto disabled = run_cli({"--disable", "host-network", kFlagged});
  CHECK(disabled.out.find("[host-network]") == std::string::npos);
}

TEST_CASE("directories are walked in a fixed order, skipping hidden folders and surviving link loops") {
  namespace t = immutalint::test;
  const std::string dir = t::make_temp_dir();
  const std::string manifest = t::read_file(t::source_dir() + "/" + kFlagged);
  t::write_file(dir + "/b/z.yaml", manifest);
  t::write_file(dir + "/a.yml", manifest);
  t::write_file(dir + "/c.json",
                "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"j\"}, "
                "\"spec\": {\"hostPID\": true, \"containers\": []}}\n");
  t::write_file(dir + "/.git/hidden.yaml", manifest);
  t::write_file(dir + "/notes.txt", manifest);
  fs::create_directory_symlink(dir, dir + "/b/loop");
  fs::create_symlink(dir + "/missing.yaml", dir + "/dangling.yaml");
  auto r = run_cli({"--format", "json", "."}, "", dir);
  auto report = nlohmann::json::parse(r.out);
  std::vector<std::string> files;
  for (const auto& f : report["findings"]) {
    if (files.empty() || files.back() != f["file"]) files.push_back(f["file"]);
  }
  CHECK(files == std::vector<std::string>{"a.yml", "b/z.yaml", "c.json", "dangling.yaml"});
  CHECK(report["summary"]["files"] == 3);
  CHECK(r.out.find("hidden.yaml") == std::string::npos);
  CHECK(r.out.find("broken symbolic link") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("output is byte-identical across runs and thread counts", "[shared]") {
  const std::string corpus = immutalint::test::shared_dir() + "/corpus/real";
  auto one = run_cli({"--jobs", "1", "--format", "json", "--fail-on", "never", corpus});
  auto four = run_cli({"--jobs", "4", "--format", "json", "--fail-on", "never", corpus});
  auto again = run_cli({"--jobs", "4", "--format", "json", "--fail-on", "never", corpus});
  REQUIRE(one.exit_code == 0);
  CHECK(one.out.size() > 10000);
  CHECK(one.out == four.out);
  CHECK(four.out == again.out);
}

TEST_CASE("repeated --target options add up as a comma-separated list does") {
  const char* fixture = "testdata/reboot-from-pod/host-reach.yaml";
  auto repeated = run_cli({"--format", "json", "--target", "generic", "--target", "talos", fixture});
  auto listed = run_cli({"--format", "json", "--target", "generic,talos", fixture});
  REQUIRE(repeated.exit_code == listed.exit_code);
  CHECK(repeated.out == listed.out);
  auto json = nlohmann::json::parse(repeated.out);
  CHECK(json["targets"] == nlohmann::json::array({"generic", "talos"}));
}

TEST_CASE("a renamed check answers to its former id, with a warning") {
  const std::string manifest =
      "apiVersion: apps/v1\n"
      "kind: DaemonSet\n"
      "metadata:\n"
      "  name: agent\n"
      "  namespace: monitoring\n"
      "  annotations:\n"
      "    ignore-check.immutalint.io/talos-pod-security: \"namespace labelled privileged by the platform team\"\n"
      "spec:\n"
      "  selector: {matchLabels: {app: agent}}\n"
      "  template:\n"
      "    metadata: {labels: {app: agent}}\n"
      "    spec:\n"
      "      hostNetwork: true\n"
      "      containers: [{name: agent, image: registry.example/agent:1}]\n";
  // The annotation still accepts the finding, and says how to write it now.
  auto accepted = run_cli({"--target", "talos", "--format", "json", "--stdin-filename", "agent.yaml", "-"}, manifest);
  auto report = nlohmann::json::parse(accepted.out);
  for (const auto& finding : report["findings"]) CHECK(finding["check"] != "pod-security-baseline");
  CHECK(report["summary"]["suppressed"] == 1);
  CHECK_THAT(accepted.err,
             Catch::Contains("agent.yaml:7: annotation ignore-check.immutalint.io/talos-pod-security names "
                             "check pod-security-baseline by its former id"));
  // Without the annotation the finding is there, under its new id.
  std::string plain = manifest;
  plain.erase(plain.find("  annotations:"), plain.find("spec:") - plain.find("  annotations:"));
  auto reported = run_cli({"--target", "talos", "--format", "json", "--stdin-filename", "agent.yaml", "-"}, plain);
  CHECK(reported.out.find("\"check\": \"pod-security-baseline\"") != std::string::npos);
  CHECK(reported.err.empty());
  // Options take the former id too.
  auto only =
      run_cli({"--target", "talos", "--only", "talos-pod-security", "--stdin-filename", "agent.yaml", "-"}, plain);
  CHECK_THAT(only.out, Catch::Contains("[pod-security-baseline]"));
  CHECK_THAT(only.err, Catch::Contains("check 'talos-pod-security' is now called 'pod-security-baseline'"));
  auto explain = run_cli({"--explain", "aks-gpu-unsupported"});
  CHECK(explain.exit_code == 0);
  CHECK_THAT(explain.out, Catch::StartsWith("gpu-unsupported "));
}
