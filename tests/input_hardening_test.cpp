// Hostile input is normal input: FIFOs and devices among the inputs, Helm `# Source:` paths
// that lead out of the chart.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "immutalint/document_split.hpp"
#include "immutalint/helm_mapping.hpp"
#include "immutalint/inputs.hpp"
#include "test_support.hpp"

using namespace immutalint;
namespace fs = std::filesystem;

namespace {

/// A temporary directory, removed with everything in it at the end of the test.
struct TempDir {
  std::string path = test::make_temp_dir();
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  TempDir() = default;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

std::string make_fifo(const std::string& path) {
  REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
  return path;
}

/// A chart named `x` in DIR/x with one template, templates/pod.yaml, that sets hostNetwork.
std::string make_chart(const std::string& dir) {
  std::string chart = dir + "/x";
  test::write_file(chart + "/Chart.yaml", "apiVersion: v2\nname: x\nversion: 0.1.0\n");
  test::write_file(chart + "/templates/pod.yaml",
                   "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: true\n");
  return chart;
}

/// A finding on the rendered file `rendered.yaml` that came from `source`.
Finding finding_from(const std::string& source) {
  Finding finding;
  finding.check = "host-network";
  finding.file = "rendered.yaml";
  finding.span = Span{{6, 3}, {6, 20}};
  finding.field = "/spec/hostNetwork";
  finding.source = source;
  return finding;
}

}  // namespace

TEST_CASE("a FIFO named on the command line is a problem of that input, not read") {
  TempDir dir;
  const std::string fifo = make_fifo(dir.path + "/pipe.yaml");
  auto inputs = collect_inputs({fifo}, "<stdin>");
  REQUIRE(inputs);
  CHECK(inputs->files.empty());
  REQUIRE(inputs->problems.size() == 1);
  CHECK(inputs->problems[0].display_path == fifo);
  CHECK_THAT(inputs->problems[0].message, Catch::Contains("not a regular file") && Catch::Contains("FIFO"));
}

TEST_CASE("a FIFO met while walking a directory is a problem of that input") {
  TempDir dir;
  make_fifo(dir.path + "/pipe.yaml");
  test::write_file(dir.path + "/pod.yaml", "kind: Pod\n");
  auto inputs = collect_inputs({dir.path}, "<stdin>");
  REQUIRE(inputs);
  REQUIRE(inputs->files.size() == 1);
  CHECK(inputs->files[0].display_path == dir.path + "/pod.yaml");
  REQUIRE(inputs->problems.size() == 1);
  CHECK(inputs->problems[0].display_path == dir.path + "/pipe.yaml");
}

TEST_CASE("a character device named on the command line is a problem of that input") {
  auto inputs = collect_inputs({"/dev/zero"}, "<stdin>");
  REQUIRE(inputs);
  CHECK(inputs->files.empty());
  REQUIRE(inputs->problems.size() == 1);
  CHECK_THAT(inputs->problems[0].message, Catch::Contains("character device"));
}

TEST_CASE("opening an input that became a FIFO does not block and is refused") {
  TempDir dir;
  const std::string fifo = make_fifo(dir.path + "/pipe.yaml");
  auto fd = open_input_file(InputFile{"pipe.yaml", fifo});  // no writer: a blocking open would wait forever
  REQUIRE_FALSE(fd);
  CHECK_THAT(fd.error().message, Catch::Contains("FIFO"));
  test::write_file(dir.path + "/pod.yaml", "kind: Pod\n");
  auto regular = open_input_file(InputFile{"pod.yaml", dir.path + "/pod.yaml"});
  REQUIRE(regular);
  CHECK(*regular > STDIN_FILENO);
  ::close(*regular);
  auto standard_input = open_input_file(InputFile{"<stdin>", ""});
  REQUIRE(standard_input);
  CHECK(*standard_input == STDIN_FILENO);
}

TEST_CASE("the command line reports a FIFO among its inputs and goes on") {
  TempDir dir;
  const std::string fifo = make_fifo(dir.path + "/pipe.yaml");
  // `timeout` turns a hang into a failure instead of a stuck test run.
  auto r = test::run_cli({"--show-notes", fifo, "testdata/host-network/flagged.yaml"}, {}, {}, "timeout 120");
  CHECK(r.exit_code != 124);
  CHECK_THAT(r.out, Catch::Contains("pipe.yaml:1:1: error: not a regular file but a FIFO"));
  CHECK_THAT(r.out, Catch::Contains("host-network/flagged.yaml"));
}

TEST_CASE("standard input may still be a pipe, even a non-blocking one") {
  std::array<int, 2> ends{};
  REQUIRE(::pipe(ends.data()) == 0);
  REQUIRE(::fcntl(ends[0], F_SETFL, ::fcntl(ends[0], F_GETFL) | O_NONBLOCK) == 0);
  bool written = true;
  std::thread writer([write_end = ends[1], &written] {
    const std::string text = "a: 1\n---\nb: 2\n";
    for (char c : text) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));  // a slow writer: the reader meets an empty pipe
      written = written && ::write(write_end, &c, 1) == 1;
    }
    ::close(write_end);
  });
  std::vector<RawDocument> documents;
  auto problem =
      split_documents(ends[0], SplitLimits{}, [&](RawDocument&& doc) { documents.push_back(std::move(doc)); });
  writer.join();
  ::close(ends[0]);
  CHECK(written);
  CHECK_FALSE(problem);
  REQUIRE(documents.size() == 2);
  CHECK(documents[1].text == "---\nb: 2\n");
}

TEST_CASE("Helm # Source paths outside the chart are refused, and their findings stay put") {
  TempDir dir;
  const std::string chart = make_chart(dir.path);
  test::write_file(dir.path + "/outside/secret.yaml", "spec:\n  hostNetwork: true\n");
  fs::create_directory_symlink(dir.path + "/outside", chart + "/templates/linked");
  fs::create_symlink(dir.path + "/outside/secret.yaml", chart + "/templates/secret.yaml");
  make_fifo(chart + "/templates/fifo.yaml");
  test::write_file(chart + "/templates/big.yaml", "spec:\n  hostNetwork: true\n");
  fs::resize_file(chart + "/templates/big.yaml", (8u << 20) + 1);
  auto charts = load_helm_charts({chart});
  REQUIRE(charts);

  const std::vector<std::pair<std::string, std::string>> refused = {
      {"x//dev/zero", "absolute path"},
      {"x/../outside/secret.yaml", "climbs out of the chart"},
      {"x/templates/../../outside/secret.yaml", "climbs out of the chart"},
      {"x/templates/secret.yaml", "symbolic link"},
      {"x/templates/linked/secret.yaml", "symbolic link"},
      {"x/templates/fifo.yaml", "not a regular file"},
      {"x/templates/big.yaml", "larger than 8 MiB"},
      {"x/templates", "not a regular file"},
  };
  std::vector<Finding> findings;
  findings.reserve(refused.size() + 2);
  for (const auto& [source, why] : refused) findings.push_back(finding_from(source));
  findings.push_back(finding_from("x/templates/pod.yaml"));
  findings.push_back(finding_from("x/templates/missing.yaml"));
  const auto refusals = map_findings_to_templates(findings, *charts);

  REQUIRE(refusals.size() == refused.size());
  for (const auto& expected : refused) {
    INFO(expected.first);
    auto it = std::find_if(refusals.begin(), refusals.end(),
                           [&](const TemplateRefusal& r) { return r.source == expected.first; });
    REQUIRE(it != refusals.end());
    CHECK_THAT(it->message, Catch::Contains(expected.second));
    CHECK(it->file == "rendered.yaml");
    CHECK(it->span.begin == Mark{6, 3});
  }
  for (const auto& finding : findings) {
    INFO(finding.source);
    if (finding.source == "x/templates/pod.yaml") {
      CHECK(finding.file == chart + "/templates/pod.yaml");
      CHECK(finding.span.begin == Mark{6, 3});
      CHECK(finding.rendered);
    } else {
      CHECK(finding.file == "rendered.yaml");
      CHECK_FALSE(finding.rendered);
    }
  }
}

TEST_CASE("a refused # Source path is quoted printably in its message") {
  TempDir dir;
  const std::string chart = make_chart(dir.path);
  auto charts = load_helm_charts({chart});
  REQUIRE(charts);
  std::vector<Finding> findings = {finding_from("x/\xff/../etc\n")};
  const auto refusals = map_findings_to_templates(findings, *charts);
  REQUIRE(refusals.size() == 1);
  CHECK_THAT(refusals[0].message, Catch::Contains("x/\\xFF/../etc\\x0A"));
}

TEST_CASE("subcharts that loop back or lead out of the chart are left out") {
  TempDir dir;
  const std::string chart = make_chart(dir.path);
  test::write_file(dir.path + "/elsewhere/Chart.yaml", "name: elsewhere\n");
  test::write_file(chart + "/charts/inner/Chart.yaml", "name: inner\n");
  fs::create_directory_symlink(chart, chart + "/charts/loop");
  fs::create_directory_symlink(dir.path + "/elsewhere", chart + "/charts/away");
  auto charts = load_helm_charts({chart});
  REQUIRE(charts);
  std::vector<std::string> prefixes;
  for (const auto& c : *charts) prefixes.push_back(c.prefix);
  CHECK(prefixes == std::vector<std::string>{"x/charts/inner/", "x/"});
}

TEST_CASE("a Chart.yaml that is a FIFO is refused instead of read") {
  TempDir dir;
  fs::create_directories(dir.path + "/x");
  make_fifo(dir.path + "/x/Chart.yaml");
  auto charts = load_helm_charts({dir.path + "/x"});
  REQUIRE_FALSE(charts);
  CHECK_THAT(charts.error().message, Catch::Contains("not a regular file"));
}

TEST_CASE("the Helm reproducer reads nothing outside the chart and ends") {
  TempDir dir;
  const std::string chart = make_chart(dir.path);
  auto r = test::run_cli({"--format", "json", "--helm-chart", chart, "testdata/repro/helm-source-outside-chart.input"},
                         {}, {}, "timeout 120");
  REQUIRE(r.exit_code != 124);
  CHECK_THAT(r.err, Catch::Contains("helm-source-outside-chart.input:6: the template named by `# Source: x//dev/zero` "
                                    "is not read"));
  const auto report = nlohmann::json::parse(r.out);
  REQUIRE_FALSE(report["findings"].empty());
  for (const auto& finding : report["findings"]) {
    CHECK(finding["file"] == "testdata/repro/helm-source-outside-chart.input");
    CHECK_FALSE(finding.contains("rendered"));
  }
}
