// The command line as a well-made tool's: its own messages with suggestions, lists read one way,
// empty input refused, Helm charts recognised, shell completions made from the option table.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "immutalint/suggest.hpp"
#include "immutalint/text_list.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
namespace t = immutalint::test;
using immutalint::test::run_cli;

namespace {

const std::string kFlagged = "testdata/cli/warning.yaml";  // a warning, no error

constexpr const char* kHostPidPod = R"(apiVersion: v1
kind: Pod
metadata:
  name: probe
spec:
  hostPID: true
  containers:
    - name: probe
      image: registry.example/probe:1.0
)";

/// A chart template: not YAML until rendered.
constexpr const char* kTemplate = R"(apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: {{ include "agent.fullname" . }}
  labels:
    {{- include "agent.labels" . | nindent 4 }}
spec:
  template:
    spec:
      hostNetwork: {{ .Values.hostNetwork }}
      containers:
        - name: agent
          image: "{{ .Values.image }}"
)";

/// Removes a directory tree when it goes out of scope, also when an assertion ends the test.
struct TempDir {
  std::string path = t::make_temp_dir();
  TempDir() = default;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

/// The first line of standard error.
std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

}  // namespace

TEST_CASE("the edit distance counts a swap of neighbours as one edit") {
  using immutalint::edit_distance;
  CHECK(edit_distance("format", "format") == 0);
  CHECK(edit_distance("frmat", "format") == 1);
  CHECK(edit_distance("fromat", "format") == 1);
  CHECK(edit_distance("flatcr", "flatcar") == 1);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
  const std::vector<std::string> names = {"format", "fail-on", "target"};
  CHECK(immutalint::closest_match("frmat", names) == "format");
  CHECK(immutalint::closest_match("xyzzy", names) == std::nullopt);
  // A short word is not turned into an unrelated one two edits away.
  CHECK(immutalint::closest_match("ab", std::vector<std::string>{"cd"}) == std::nullopt);
  // Long words allow a third of their length.
  CHECK(immutalint::closest_match("host-path-volumexx", std::vector<std::string>{"host-path-volume"}) ==
        "host-path-volume");
}

TEST_CASE("the list splitter trims blanks and drops empty items") {
  using immutalint::split_list;
  CHECK(split_list("talos, flatcar") == std::vector<std::string>{"talos", "flatcar"});
  CHECK(split_list(" a ,\tb,, ,c \r\n") == std::vector<std::string>{"a", "b", "c"});
  CHECK(split_list("").empty());
  CHECK(split_list(" , ").empty());
  CHECK(split_list("one") == std::vector<std::string>{"one"});
}

TEST_CASE("lists with blanks after commas work on the command line as in waiver comments") {
  auto targets = run_cli({"--format", "json", "--target", "talos, flatcar", kFlagged});
  INFO(targets.err);
  REQUIRE(targets.exit_code == 1);
  CHECK(nlohmann::json::parse(targets.out)["targets"] == nlohmann::json::array({"flatcar", "talos"}));
  auto only = run_cli({"--format", "json", "--only", "host-network, host-pid", kFlagged});
  INFO(only.err);
  CHECK(only.exit_code != 2);
  const auto only_report = nlohmann::json::parse(only.out);
  for (const auto& finding : only_report["findings"]) {
    CHECK(
        (finding["check"] == "host-network" || finding["check"] == "host-pid" || finding["check"] == "invalid-input"));
  }
}

TEST_CASE("command-line mistakes are said in immutalint's words and name the option") {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--frmat", "json", kFlagged}, "unknown option --frmat (did you mean --format?)"},
      {{"--no-such-option"}, "unknown option --no-such-option"},
      {{"-x"}, "unknown option -x"},
      {{"--jobs", "-1", kFlagged}, "--jobs: '-1' is not a number of threads"},
      {{"--jobs", "many", kFlagged}, "--jobs: 'many' is not a number of threads"},
      {{"--max-document-mib", "x", kFlagged}, "--max-document-mib: 'x' is not a number of MiB"},
      {{kFlagged, "--format"}, "--format: missing value"},
      {{kFlagged, "-o"}, "--output: missing value"},
      {{"--no-color=yes", kFlagged}, "--no-color takes no value, not 'yes'"},
      {{"--format", "jsn", kFlagged}, "--format: 'jsn' is not a format (did you mean json?)"},
      {{"--fail-on", "eror", kFlagged}, "--fail-on: 'eror' is not a level (did you mean error?)"},
      {{"--locations", "objects", kFlagged}, "--locations: 'objects' is not a kind of location (did you mean object?)"},
      {{"--target", "flatcr", kFlagged}, "--target: unknown target 'flatcr' (did you mean flatcar?)"},
      {{"--target", "talos,auto", kFlagged}, "--target: 'auto' stands alone: it cannot be listed with other targets"},
      {{"--plan-pool", "x=flatcr", kFlagged}, "--plan-pool x=flatcr: unknown target 'flatcr' (did you mean flatcar?)"},
      {{"--only", "host-path-volum", kFlagged},
       "--only: unknown check id 'host-path-volum' (did you mean host-path-volume?)"},
      {{"--disable", "host-network,bogus", kFlagged},
       "--disable: unknown check id 'bogus' (see immutalint --list-checks)"},
      {{"--explain", "host-pdi"}, "--explain: unknown check id 'host-pdi' (did you mean host-pid?)"},
      {{"--report", "sarf=x.sarif", kFlagged}, "--report sarf=x.sarif: 'sarf' is not a format (did you mean sarif?)"},
      {{"--completion", "powershell"},
       "--completion: 'powershell' is not a shell immutalint completes for; use bash, zsh or fish"},
  };
  for (const auto& [args, message] : cases) {
    INFO(args[0]);
    auto r = run_cli(args);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "immutalint: error: " + message + "\nTry 'immutalint --help'.\n");
  }
}

TEST_CASE("the same check named by --only and --disable is a usage error naming it") {
  auto r = run_cli({"--only", "host-pid,host-network", "--disable", "host-network", kFlagged});
  CHECK(r.exit_code == 2);
  CHECK(first_line(r.err) == "immutalint: error: --only and --disable both name host-network: say which you want");
  CHECK_THAT(r.err, Catch::EndsWith("Try 'immutalint --help'.\n"));
}

TEST_CASE("a path that does not exist is a usage error and an unwritable report is not") {
  auto missing = run_cli({"does/not/exist.yaml"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err == "immutalint: error: does/not/exist.yaml: No such file or directory\nTry 'immutalint --help'.\n");
  auto unwritable = run_cli({"--output", "/nonexistent-folder/report.txt", kFlagged});
  CHECK(unwritable.exit_code == 2);
  CHECK(unwritable.err ==
        "immutalint: error: cannot write /nonexistent-folder/report.txt: No such file or directory\n");
}

TEST_CASE("an input without Kubernetes objects is an error unless allowed") {
  const TempDir dir;
  t::write_file(dir.path + "/comments.yaml", "# nothing here yet\n");
  t::write_file(dir.path + "/values.yaml", "replicas: 2\nimage: registry.example/app\n");
  fs::create_directories(dir.path + "/empty");
  const std::string message = "immutalint: error: no Kubernetes objects in the input\n";
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"comments.yaml"}, {"values.yaml"}, {"empty"}, {"-"}}) {
    INFO(args[0]);
    auto r = run_cli(args, "", dir.path);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Catch::StartsWith(message));
    CHECK(r.err.find("--help") == std::string::npos);
    auto allowed = run_cli({"--allow-empty", args[0]}, "", dir.path);
    CHECK(allowed.exit_code == 0);
    CHECK(allowed.err.empty());
  }
  // The configuration file may allow it too.
  t::write_file(dir.path + "/.immutalint.yaml", "allow-empty: true\n");
  CHECK(run_cli({"empty"}, "", dir.path).exit_code == 0);
}

TEST_CASE("a folder whose files are all excluded holds no objects") {
  const TempDir dir;
  fs::create_directories(dir.path + "/.git");
  t::write_file(dir.path + "/.immutalint.yaml", "exclude: [\"vendor/**\"]\n");
  t::write_file(dir.path + "/vendor/pod.yaml", kHostPidPod);
  auto r = run_cli({"vendor"}, "", dir.path);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("immutalint: error: no Kubernetes objects in the input"));
}

TEST_CASE("invalid input without objects is reported as a finding and not as empty input") {
  auto r = run_cli({"--stdin-filename", "broken.yaml", "-"}, "key: [unclosed\n");
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("broken.yaml:") && Catch::Contains("[invalid-input]"));
  CHECK(r.err.empty());
}

TEST_CASE("Node objects alone are objects for --target auto") {
  const std::string nodes = R"(apiVersion: v1
kind: Node
metadata:
  name: aks-apps-1
  labels:
    kubernetes.azure.com/agentpool: apps
    kubernetes.azure.com/os-sku: AzureLinux
status:
  nodeInfo:
    osImage: Azure Linux 3.0
    operatingSystem: linux
)";
  auto r = run_cli({"--target", "auto", "--stdin-filename", "nodes.yaml", "-"}, nodes);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("1 object"));
}

TEST_CASE("a mistake in the configuration file is not followed by the pointer to --help") {
  const TempDir dir;
  fs::create_directories(dir.path + "/.git");
  t::write_file(dir.path + "/.immutalint.yaml", "fail-on: sometimes\nformat: jsonn\n");
  t::write_file(dir.path + "/pod.yaml", kHostPidPod);
  auto r = run_cli({"pod.yaml"}, "", dir.path);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("immutalint: error: .immutalint.yaml:1:10: `fail-on` must be one of error, "
                                      "warning, note, never, not \"sometimes\"\n"
                                      "immutalint: error: .immutalint.yaml:2:9: `format` must be one of text, json,") &&
                        Catch::EndsWith(", not \"jsonn\" (did you mean json?)\n"));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 2);
  auto missing = run_cli({"--config", "none.yaml", "pod.yaml"}, "", dir.path);
  CHECK(missing.exit_code == 2);
  CHECK(missing.err ==
        "immutalint: error: --config none.yaml: the configuration file does not exist\nTry 'immutalint --help'.\n");
}

TEST_CASE("report options from the command line and the configuration show in --print-config") {
  const TempDir dir;
  fs::create_directories(dir.path + "/.git");
  t::write_file(dir.path + "/.immutalint.yaml", "show-notes: true\nallow-empty: true\n");
  auto printed = run_cli({"--all-rows", "--print-config"}, "", dir.path);
  REQUIRE(printed.exit_code == 0);
  CHECK_THAT(printed.out, Catch::Matches("(.|\n)*show-notes: true +# .immutalint.yaml:1\n(.|\n)*"));
  CHECK_THAT(printed.out, Catch::Matches("(.|\n)*all-rows: true +# command line\n(.|\n)*"));
  CHECK_THAT(printed.out, Catch::Matches("(.|\n)*allow-empty: true +# .immutalint.yaml:2\n(.|\n)*"));
  auto defaults = run_cli({"--no-config", "--print-config"}, "", dir.path);
  CHECK_THAT(defaults.out, Catch::Matches("(.|\n)*show-notes: false +# default\n(.|\n)*"));
  CHECK(run_cli({"--locations", "object", "--show-notes", "--all-rows", kFlagged}).exit_code == 1);
}

TEST_CASE("a Helm chart in a walked folder is reported once and its templates are not parsed") {
  const TempDir dir;
  t::write_file(dir.path + "/charts/agent/Chart.yaml", "apiVersion: v2\nname: agent\nversion: 0.1.0\n");
  t::write_file(dir.path + "/charts/agent/values.yaml", "hostNetwork: true\nimage: registry.example/agent:1\n");
  t::write_file(dir.path + "/charts/agent/templates/daemonset.yaml", kTemplate);
  t::write_file(dir.path + "/charts/agent/templates/service.yaml", kTemplate);
  t::write_file(dir.path + "/charts/agent/charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n");
  t::write_file(dir.path + "/charts/agent/charts/sub/templates/pod.yaml", kTemplate);
  t::write_file(dir.path + "/deploy/pod.yaml", kHostPidPod);
  auto r = run_cli({"--format", "json", "."}, "", dir.path);
  INFO(r.err);
  CHECK(r.exit_code == 1);
  const auto report = nlohmann::json::parse(r.out);
  std::vector<nlohmann::json> invalid;
  for (const auto& finding : report["findings"]) {
    if (finding["check"] == "invalid-input") invalid.push_back(finding);
  }
  REQUIRE(invalid.size() == 1);
  CHECK(invalid[0]["file"] == "charts/agent/Chart.yaml");
  CHECK(invalid[0]["message"] ==
        "charts/agent is a Helm chart: its templates are not YAML until rendered, and were not linted; render it and "
        "lint the output, e.g. helm template agent charts/agent | immutalint --helm-chart charts/agent -");
  CHECK(r.out.find("templates/") == std::string::npos);

  // Excluding the templates leaves the chart unmentioned.
  fs::create_directories(dir.path + "/.git");
  t::write_file(dir.path + "/.immutalint.yaml", "exclude: [\"**/templates/**\"]\n");
  auto excluded = run_cli({"--format", "json", "."}, "", dir.path);
  const auto excluded_report = nlohmann::json::parse(excluded.out);
  for (const auto& finding : excluded_report["findings"]) CHECK(finding["check"] != "invalid-input");
}

TEST_CASE("a chart template named on the command line gets the chart's message") {
  const TempDir dir;
  t::write_file(dir.path + "/charts/agent/Chart.yaml", "apiVersion: v2\nname: agent\nversion: 0.1.0\n");
  t::write_file(dir.path + "/charts/agent/templates/daemonset.yaml", kTemplate);
  auto r = run_cli({"charts/agent/templates/daemonset.yaml"}, "", dir.path);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::StartsWith("charts/agent/Chart.yaml:1:1: error: charts/agent is a Helm chart:") &&
                        Catch::Contains("helm template agent charts/agent | immutalint --helm-chart charts/agent -"));
  CHECK(r.out.find("a mapping key") == std::string::npos);
}

TEST_CASE("a template outside a chart is named as one and YAML with braces in strings is linted") {
  const TempDir dir;
  t::write_file(dir.path + "/loose.yaml", kTemplate);
  auto loose = run_cli({"loose.yaml"}, "", dir.path);
  CHECK(loose.exit_code == 1);
  CHECK_THAT(loose.out, Catch::StartsWith("loose.yaml:1:1: error: holds a Helm template action (`{{` on line 4)"));
  // A Prometheus rule's annotations hold Go templates, and it is YAML all the same.
  t::write_file(dir.path + "/rule.yaml",
                std::string(kHostPidPod) +
                    "---\napiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\n"
                    "metadata: {name: r}\nspec:\n  groups:\n    - name: g\n      rules:\n"
                    "        - alert: Down\n          expr: up == 0\n"
                    "          annotations:\n            summary: Instance {{ $labels.x }} down\n"
                    "            # {{ a comment }}\n");
  auto rule = run_cli({"--format", "json", "rule.yaml"}, "", dir.path);
  const auto report = nlohmann::json::parse(rule.out);
  CHECK(report["summary"]["objects"] == 2);
  for (const auto& finding : report["findings"]) CHECK(finding["check"] != "invalid-input");
}

TEST_CASE("completion scripts are printed for bash zsh and fish") {
  for (const char* shell : {"bash", "zsh", "fish"}) {
    INFO(shell);
    auto r = run_cli({"--completion", shell});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("format") && Catch::Contains("update-baseline") &&
                          Catch::Contains("host-path-volume") && Catch::Contains("flatcar") &&
                          Catch::Contains("matrix-markdown"));
  }
  const TempDir dir;
  auto written = run_cli({"--completion", "bash", "--output", dir.path + "/immutalint"});
  CHECK(written.exit_code == 0);
  CHECK_THAT(t::read_file(dir.path + "/immutalint"), Catch::Contains("complete -F _immutalint immutalint"));
}

TEST_CASE("the completion scripts pass their shell's syntax check where the shell is installed") {
  const TempDir dir;
  for (const auto& [shell, check] :
       {std::pair<std::string, std::string>{"bash", "bash -n"}, {"zsh", "zsh -n"}, {"fish", "fish --no-execute"}}) {
    INFO(shell);
    if (std::system(fmt::format("command -v {} >/dev/null 2>&1", shell).c_str()) != 0) {
      WARN(shell << " is not installed: its completion script's syntax is not checked");
      continue;
    }
    const std::string file = dir.path + "/completion." + shell;
    REQUIRE(run_cli({"--completion", shell, "--output", file}).exit_code == 0);
    CHECK(std::system(fmt::format("{} {} 2>&1", check, t::shell_quote(file)).c_str()) == 0);
  }
}

TEST_CASE("the bash completion completes options and their values") {
  const TempDir dir;
  const std::string script = dir.path + "/immutalint.bash";
  REQUIRE(run_cli({"--completion", "bash", "--output", script}).exit_code == 0);
  t::write_file(dir.path + "/files/report.sarif", "");
  const auto complete = [&](const std::string& words) {
    // COMP_WORDS and COMP_CWORD as bash sets them, the last word being completed.
    const std::string program = fmt::format(
        "source {}; cd {}; COMP_WORDS=({}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); _immutalint; "
        "printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        t::shell_quote(script), t::shell_quote(dir.path), words);
    const std::string out = dir.path + "/out";
    const int status =
        std::system(fmt::format("bash -c {} >{} 2>&1", t::shell_quote(program), t::shell_quote(out)).c_str());
    INFO(words << " -> " << t::read_file(out));
    CHECK(status == 0);
    return t::read_file(out);
  };
  CHECK(complete("immutalint --form") == "--format\n");
  CHECK(complete("immutalint --target fl") == "flatcar\n");
  CHECK(complete("immutalint --target talos,fl") == "talos,flatcar\n");
  CHECK(complete("immutalint --only host-pi") == "host-pid\n");
  CHECK(complete("immutalint --fail-on n") == "note\nnever\n");
  CHECK(complete("immutalint --format = js") == "json\n");
  CHECK(complete("immutalint --format=js") == "--format=json\n");
  CHECK(complete("immutalint --report sar") == "sarif=\n");
  CHECK(complete("immutalint --report sarif = files/rep") == "files/report.sarif\n");
  CHECK(complete("immutalint --plan-pool apps = aks-a") == "aks-acl\n");
  CHECK(complete("immutalint files/rep") == "files/report.sarif\n");
}
