// The other ways findings leave the tool: GitHub annotations, several reports in one run, and
// Helm findings mapped onto chart templates.
#include <catch2/catch.hpp>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "immutalint/helm_mapping.hpp"
#include "test_support.hpp"

using namespace immutalint;
using nlohmann::json;
namespace fs = std::filesystem;

TEST_CASE("github format writes one workflow command per finding with its position") {
  auto r = test::run_cli({"--format", "github", "testdata/host-path-volume/flagged.yaml"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::StartsWith("::notice file=testdata/host-path-volume/flagged.yaml,line=3,col=1,"));
  CHECK_THAT(r.out, Catch::Contains("::notice file=testdata/host-path-volume/flagged.yaml,line=32,col=13,endLine=32,"
                                    "endColumn=27,title=immutalint host-path-volume::hostPath volume"));
  CHECK_THAT(r.out, Catch::Contains("::warning file=testdata/host-path-volume/flagged.yaml,line=35,col=13,"));
}

TEST_CASE("github format escapes hostile manifest text so it cannot start a new command") {
  const std::string hostile =
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"evil\\n::error file=x::injected, 100%\"\n"
      "spec:\n  hostPID: true\n  containers: [{name: c, image: i}]\n";
  auto r = test::run_cli({"--format", "github", "--stdin-filename", "dir,with:odd%name.yaml", "-"}, hostile);
  std::size_t lines = 0;
  for (std::size_t start = 0; start < r.out.size();) {
    const auto end = r.out.find('\n', start);
    CHECK_THAT(r.out.substr(start, 2), Catch::Equals("::"));
    ++lines;
    start = end + 1;
  }
  CHECK(lines == 1);
  CHECK_THAT(r.out, Catch::Contains("evil%0A::error file=x::injected, 100%25"));
  CHECK_THAT(r.out, Catch::Contains("file=dir%2Cwith%3Aodd%25name.yaml,"));
}

TEST_CASE("several reports are written in one run next to the main format") {
  const std::string dir = test::make_temp_dir();
  auto r = test::run_cli({"--report", "sarif=" + dir + "/out.sarif", "--report", "json=" + dir + "/out.json",
                          "--fail-on", "note", "testdata/host-ipc/flagged.yaml"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("[host-ipc]"));
  auto sarif = json::parse(test::read_file(dir + "/out.sarif"));
  auto report = json::parse(test::read_file(dir + "/out.json"));
  CHECK(sarif["runs"][0]["results"].size() == 1);
  CHECK(report["findings"].size() == 1);
  auto bad = test::run_cli({"--report", "xml=" + dir + "/x", "testdata/host-ipc/flagged.yaml"});
  CHECK(bad.exit_code == 2);
  fs::remove_all(dir);
}

TEST_CASE("findings in Helm output are reported on the chart's template lines") {
  auto r =
      test::run_cli({"--format", "json", "--helm-chart", "testdata/helm/node-agent", "testdata/helm/rendered.yaml"});
  auto report = json::parse(r.out);
  std::map<std::string, std::string> where;  // message -> template:line
  for (const auto& f : report["findings"]) {
    REQUIRE(f.contains("rendered"));
    CHECK(f["rendered"]["file"] == "testdata/helm/rendered.yaml");
    where[f["check"].get<std::string>() + " " + f.value("container", "")] =
        f["file"].get<std::string>() + ":" + std::to_string(f["line"].get<int>());
  }
  CHECK(where["host-network "] == "testdata/helm/node-agent/templates/daemonset.yaml:18");
  CHECK(where["privileged-init-container prepare-host"] == "testdata/helm/node-agent/templates/daemonset.yaml:26");
  CHECK(where["host-path-volume agent"] == "testdata/helm/node-agent/templates/daemonset.yaml:46");
  CHECK(where["daemonset "] == "testdata/helm/node-agent/templates/daemonset.yaml:2");
  CHECK(where["host-ipc "] == "testdata/helm/node-agent/charts/cache/templates/statefulset.yaml:15");
}

TEST_CASE("Helm mapping keeps the rendered location in text and SARIF") {
  auto text = test::run_cli({"--helm-chart", "testdata/helm/node-agent", "testdata/helm/rendered.yaml"});
  CHECK_THAT(text.out, Catch::Contains("testdata/helm/node-agent/templates/daemonset.yaml:18:7: note:") &&
                           Catch::Contains("    rendered at testdata/helm/rendered.yaml:51:7"));
  auto sarif = json::parse(
      test::run_cli({"--format", "sarif", "--helm-chart", "testdata/helm/node-agent", "testdata/helm/rendered.yaml"})
          .out);
  for (const auto& result : sarif["runs"][0]["results"]) {
    CHECK(result["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
          "testdata/helm/rendered.yaml");
  }
}

TEST_CASE("findings whose chart is not given stay on the rendered file") {
  auto r = test::run_cli({"--format", "json", "testdata/helm/rendered.yaml"});
  const auto report = json::parse(r.out);
  for (const auto& f : report["findings"]) {
    CHECK(f["file"] == "testdata/helm/rendered.yaml");
    CHECK_FALSE(f.contains("rendered"));
  }
  auto missing = test::run_cli({"--helm-chart", "testdata/host-ipc", "testdata/helm/rendered.yaml"});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("Chart.yaml"));
}

TEST_CASE("template key lines follow indentation, list items and template actions") {
  const std::string text =
      "spec:\n  {{- if .Values.x }}\n  hostNetwork: true\n  {{- end }}\n  volumes:\n    - name: a\n"
      "      hostPath:\n        path: /a\n    - name: b\n      hostPath:\n        path: {{ .Values.b }}\n";
  auto lines = template_key_lines(text);
  const TemplateKeyLine* host = best_template_line(lines, "/spec/hostNetwork");
  REQUIRE(host);
  CHECK(host->line == 3);
  CHECK(host->column == 3);
  const TemplateKeyLine* second = best_template_line(lines, "/spec/volumes/1/hostPath/path");
  REQUIRE(second);
  CHECK(second->line == 11);
  const TemplateKeyLine* ranged = best_template_line(lines, "/spec/volumes/7/hostPath/path");
  REQUIRE(ranged);
  CHECK(ranged->line == 8);
  CHECK(best_template_line(lines, "/spec/hostPID") == nullptr);
}
