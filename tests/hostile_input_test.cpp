// Inputs a pull request controls beyond its manifests: the configuration file, waivers, the
// folders walked and the baseline. None of them may crash the run, make it slow, hide findings
// or make it read files outside the checkout.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "immutalint/config.hpp"
#include "immutalint/inputs.hpp"
#include "immutalint/suppression.hpp"
#include "test_support.hpp"

using namespace immutalint;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::string kHostile = test::source_dir() + "/testdata/hostile/";

/// A Pod in the host's PID namespace (one host-pid note), named `name`.
std::string host_pid_pod(const std::string& name) {
  return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name +
         "\n  namespace: ns\nspec:\n  hostPID: true\n  containers: [{name: c, image: i}]\n";
}

std::vector<json> findings_of_check(const std::string& report, const std::string& check) {
  std::vector<json> found;
  const json parsed = json::parse(report);
  for (const auto& finding : parsed["findings"]) {
    if (finding["check"] == check) found.push_back(finding);
  }
  return found;
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t count = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++count;
  return count;
}

struct WildcardCase {
  const char* pattern;
  const char* text;
  bool stop_at_slash;
  bool matches;
};

}  // namespace

TEST_CASE("wildcards match a table of patterns with stars and classes and folders") {
  const std::vector<WildcardCase> cases = {
      {"", "", true, true},
      {"", "a", true, false},
      {"abc", "abc", true, true},
      {"abc", "abd", true, false},
      {"*", "", true, true},
      {"*", "abc", true, true},
      {"*", "a/b", true, false},
      {"*", "a/b", false, true},
      {"*-debug", "web-debug", false, true},
      {"*-debug", "web-debugger", false, false},
      {"a*c", "abbbc", true, true},
      {"a*c", "ab/bc", true, false},
      {"?", "a", true, true},
      {"?", "", true, false},
      {"?", "/", true, false},
      {"?", "/", false, true},
      {"a?c", "abc", true, true},
      {"a?c", "abbc", true, false},
      {"**", "a/b/c", true, true},
      {"**", "", true, true},
      {"**/x", "x", true, true},
      {"**/x", "a/x", true, true},
      {"**/x", "a/b/x", true, true},
      {"a/**/b", "a/b", true, true},
      {"a/**/b", "a/x/y/b", true, true},
      {"a/**/b", "b/x/y/b", true, false},
      {"a/**", "a/x/y", true, true},
      {"a/**", "b/x", true, false},
      // `**` matches whole folders only: never part of a name, and only as a path segment.
      {"**/x", "ax", true, false},
      {"**/x", "a/bx", true, false},
      {"a/**/b", "a/xb", true, false},
      {"a/**/b", "a/x/yb", true, false},
      {"a/**/b", "a/x/y/b/", true, false},
      {"a/**", "a/", true, true},
      {"a/**", "a", true, false},
      {"**/templates/**", "charts/agent/templates/ds.yaml", true, true},
      {"**/templates/**", "charts/agent/my-templates/ds.yaml", true, false},
      {"a**b", "axyb", true, true},  // not a whole segment: one `*`
      {"a**b", "a/x/b", true, false},
      {"**.yaml", "a/b.yaml", true, false},
      {"**.yaml", "b.yaml", true, true},
      {"***/x", "a/b/x", true, true},
      {"***/x", "ax", true, false},
      {"a**b", "a/x/b", false, true},  // a name pattern: every star matches `/` too
      {"[a-z]", "q", true, true},
      {"[a-z]", "Q", true, false},
      {"[abc]", "b", true, true},
      {"[!x]", "y", true, true},
      {"[!x]", "x", true, false},
      {"[^x]", "x", true, false},
      {"[!x]", "/", true, false},  // a class never matches `/`
      {"[!x]", "/", false, false},
      {"[]]", "]", true, true},
      {"[a-]", "-", true, true},
      {"[", "[", true, true},  // not closed: a plain character
      {"[ab", "[ab", true, true},
      {"x[", "x[", false, true},
      {"*[0-9]", "web-7", false, true},
      {"*[0-9]", "web-x", false, false},
      {"deploy/*.yaml", "deploy/a.yaml", true, true},
      {"deploy/*.yaml", "deploy/sub/a.yaml", true, false},
      {"*a*a*a*b", "aaaaaaaaaaaaaaaaaaaa", false, false},
      {"*a*a*a*b", "aaaaaaaaaaaaaaaaaaab", false, true},
  };
  for (const auto& c : cases) {
    INFO("pattern \"" << c.pattern << "\" text \"" << c.text << "\" stop at slash " << c.stop_at_slash);
    CHECK(Wildcard(c.pattern, c.stop_at_slash).matches(c.text) == c.matches);
  }
  // A path glob ignores a leading ./ in the glob and in the path.
  CHECK(glob_match("./deploy/*.yaml", "deploy/a.yaml"));
  CHECK(glob_match("deploy/*.yaml", "./deploy/a.yaml"));
  CHECK(Glob("vendor/**").matches("vendor/a/b.yaml"));
}

TEST_CASE("a name waiver matches an object name of 150000 characters") {
  const std::string long_name(150000, 'a');
  CHECK(Wildcard("*-debug", false).matches(long_name + "-debug"));
  CHECK_FALSE(Wildcard("*-debug", false).matches(long_name));
  CHECK(Wildcard("a*a?a", false).matches(long_name));

  const std::string dir = test::make_temp_dir();
  fs::copy_file(kHostile + "wildcard-recursion-stack-overflow/name-waiver.immutalint.yaml", dir + "/waiver.yaml");
  test::write_file(dir + "/long.yaml", host_pid_pod(long_name) + "---\n" + host_pid_pod(long_name + "-debug"));
  auto run = test::run_cli({"--config", "waiver.yaml", "--format", "json", "--show-suppressed", "long.yaml"}, {}, dir);
  REQUIRE(run.exit_code == 0);
  const auto host_pid = findings_of_check(run.out, "host-pid");
  REQUIRE(host_pid.size() == 2);
  CHECK_FALSE(host_pid[0].contains("suppression"));
  CHECK(host_pid[1]["suppression"]["channel"] == "config");
  fs::remove_all(dir);
}

TEST_CASE("patterns of thousands of stars match long texts at once") {
  const std::string stars(5000, '*');
  CHECK(Wildcard(stars, true).matches("a/b/c.yaml"));
  CHECK(Wildcard(stars, false).matches(std::string(150000, 'a')));
  CHECK(Wildcard(stars + "/x", true).matches("a/b/x"));
  CHECK(Wildcard(std::string(5001, '*') + "/x", true).matches("a/b/x"));

  // Stars between letters: the stars that match anything absorb what earlier ones would, so
  // the work stays linear in the text.
  std::string alternating;
  for (int i = 0; i < 3000; ++i) alternating += "*a";
  const std::string text(150000, 'a');
  CHECK(Wildcard(alternating, false).matches(text));
  CHECK_FALSE(Wildcard(alternating + "*b", false).matches(text));
  CHECK(Wildcard(alternating + "*b", false).matches(text + "b"));
  // Path stars stop at `/`: bounded by pattern × text, never exponential.
  std::string path_stars;
  for (int i = 0; i < 2000; ++i) path_stars += "*a";
  CHECK_FALSE(Wildcard(path_stars + "*b", true).matches(std::string(4000, 'a')));
  CHECK(Wildcard(path_stars + "/b", true).matches(std::string(4000, 'a') + "/b"));
}

TEST_CASE("an exclude glob of 500000 stars is read and leaves out what the walk finds") {
  const std::string dir = test::make_temp_dir();
  fs::create_directories(dir + "/.git");
  test::write_file(dir + "/.immutalint.yaml", "exclude: [\"" + std::string(500000, '*') + "\"]\n");
  fs::copy_file(kHostile + "wildcard-recursion-stack-overflow/app.yaml", dir + "/app.yaml");
  auto walked = test::run_cli({"--allow-empty", "."}, {}, dir);
  CHECK(walked.exit_code == 0);
  CHECK_THAT(walked.out, Catch::StartsWith("0 files"));
  // Without --allow-empty a walk that leaves out every file is an input without objects.
  auto empty = test::run_cli({"."}, {}, dir);
  CHECK(empty.exit_code == 2);
  CHECK_THAT(empty.err, Catch::StartsWith("immutalint: error: no Kubernetes objects in the input\n"));
  auto named = test::run_cli({"--show-notes", "app.yaml"}, {}, dir);
  CHECK(named.exit_code == 0);
  CHECK_THAT(named.out, Catch::Contains("[host-pid]"));
  fs::remove_all(dir);
}

TEST_CASE("a valid waiver accepts the finding even when an expired one is written before it") {
  const std::string dir = kHostile + "expired-waiver-shadows-valid-waiver";
  auto run = test::run_cli({"--config", "immutalint-config.yaml", "--format", "json", "--show-suppressed", "app.yaml"},
                           {}, dir);
  REQUIRE(run.exit_code == 0);
  const auto host_pid = findings_of_check(run.out, "host-pid");
  REQUIRE(host_pid.size() == 1);
  CHECK(host_pid[0]["suppression"]["line"] == 5);
  CHECK(host_pid[0]["suppression"]["expired"] == false);
  // The expired entry is stale: it is reported, for what it is.
  const auto unused = findings_of_check(run.out, "unused-suppression");
  REQUIRE(unused.size() == 1);
  CHECK(unused[0]["line"] == 2);
  CHECK(unused[0]["message"] ==
        "the ignores entry for host-pid expired after 2020-01-01, and other waivers accept the findings it matches; "
        "remove it");
  CHECK(json::parse(run.out)["summary"]["suppressed"] == 1);

  // Alone, the expired entry still marks the finding, which counts again.
  const std::string alone = test::make_temp_dir();
  test::write_file(alone + "/waiver.yaml",
                   "ignores:\n  - check: host-pid\n    reason: old\n    until: \"2020-01-01\"\n"
                   "  - check: host-pid\n    reason: another pod\n    name: q\n    until: \"2099-12-31\"\n");
  fs::copy_file(dir + "/app.yaml", alone + "/app.yaml");
  auto expired =
      test::run_cli({"--config", "waiver.yaml", "--format", "json", "--show-suppressed", "app.yaml"}, {}, alone);
  const auto marked = findings_of_check(expired.out, "host-pid");
  REQUIRE(marked.size() == 1);
  CHECK(marked[0]["suppression"]["line"] == 2);
  CHECK(marked[0]["suppression"]["expired"] == true);
  const auto other = findings_of_check(expired.out, "unused-suppression");
  REQUIRE(other.size() == 1);
  CHECK(other[0]["line"] == 5);
  fs::remove_all(alone);
}

TEST_CASE("an ignores entry aliased 200000 times is one waiver and is reported once") {
  const std::string dir = test::make_temp_dir();
  fs::create_directories(dir + "/.git");
  std::string config = "ignores: [&w {check: host-pid, reason: r, name: 'p*q'}";
  for (int i = 0; i < 200000; ++i) config += ", *w";
  config += "]\nexclude: [&x 'vendor/**'";
  for (int i = 0; i < 1000; ++i) config += ", *x";
  config += "]\n";
  test::write_file(dir + "/.immutalint.yaml", config);
  std::string pods;
  for (int i = 0; i < 200; ++i) pods += "---\n" + host_pid_pod("p" + std::to_string(i));
  test::write_file(dir + "/pods.yaml", pods);

  auto run = test::run_cli({"--format", "json", "pods.yaml"}, {}, dir);
  REQUIRE(run.exit_code == 0);
  const auto unused = findings_of_check(run.out, "unused-suppression");
  REQUIRE(unused.size() == 1);
  CHECK(unused[0]["file"] == ".immutalint.yaml");
  CHECK(unused[0]["line"] == 1);
  CHECK(findings_of_check(run.out, "host-pid").size() == 200);

  auto printed = test::run_cli({"--print-config"}, {}, dir);
  CHECK(count_of(printed.out, "  - check:") == 1);
  CHECK(count_of(printed.out, "\"vendor/**\"") == 1);
  fs::remove_all(dir);
}

TEST_CASE("without a repository root the configuration is looked for in the working directory only") {
  // A checkout without .git under a folder that others can write, holding a planted file.
  const std::string top = test::make_temp_dir();
  const std::string source = kHostile + "config-discovery-climbs-above-checkout/";
  fs::copy_file(source + "planted.immutalint.yaml", top + "/.immutalint.yaml");
  const std::string checkout = top + "/build/checkout";
  fs::create_directories(checkout + "/deploy");
  fs::copy_file(source + "agent.yaml", checkout + "/deploy/agent.yaml");

  auto named = test::run_cli({"deploy/agent.yaml"}, {}, checkout);
  CHECK(named.exit_code == 1);
  CHECK_THAT(named.out, Catch::Contains("[host-binary-install]"));
  CHECK(named.err.empty());
  auto printed = test::run_cli({"--print-config"}, {}, checkout);
  CHECK_THAT(printed.out, Catch::Contains("(no configuration file)"));
  CHECK(find_config(checkout) == std::nullopt);
  CHECK(find_config(top) == fs::path(top) / ".immutalint.yaml");

  // A .git file (a worktree or submodule) makes a repository root just as a folder does.
  test::write_file(top + "/.git", "gitdir: /elsewhere\n");
  CHECK(find_config(checkout) == fs::path(top) / ".immutalint.yaml");
  fs::remove_all(top);
}

TEST_CASE("a configuration found above the working directory is named on standard error") {
  const std::string repo = test::make_temp_dir();
  fs::create_directories(repo + "/.git");
  test::write_file(repo + "/.immutalint.yaml", "fail-on: never\n");
  fs::copy_file(kHostile + "config-discovery-climbs-above-checkout/agent.yaml", repo + "/agent.yaml");
  fs::create_directories(repo + "/deploy");
  fs::copy_file(repo + "/agent.yaml", repo + "/deploy/agent.yaml");

  auto below = test::run_cli({"agent.yaml"}, {}, repo + "/deploy");
  CHECK(below.exit_code == 0);  // fail-on: never, from the file above
  const std::string used = (fs::canonical(repo) / ".immutalint.yaml").generic_string();
  CHECK(below.err == "immutalint: using configuration " + used + "\n");

  auto at_root = test::run_cli({"agent.yaml"}, {}, repo);
  CHECK(at_root.exit_code == 0);
  CHECK(at_root.err.empty());
  fs::remove_all(repo);
}

TEST_CASE("exclude never leaves out a file named on the command line") {
  const std::string repo = test::make_temp_dir();
  fs::create_directories(repo + "/.git");
  test::write_file(repo + "/.immutalint.yaml", "exclude: [\"**\"]\n");
  fs::create_directories(repo + "/deploy");
  fs::copy_file(kHostile + "config-discovery-climbs-above-checkout/agent.yaml", repo + "/deploy/agent.yaml");

  auto walked = test::run_cli({"--format", "json", "--allow-empty", "."}, {}, repo);
  CHECK(json::parse(walked.out)["summary"]["files"] == 0);
  auto named = test::run_cli({"--format", "json", "deploy/agent.yaml"}, {}, repo);
  CHECK(json::parse(named.out)["summary"]["files"] == 1);
  // Named and also found by walking its folder: still named.
  auto both = test::run_cli({"--format", "json", "deploy", "deploy/agent.yaml"}, {}, repo);
  CHECK(json::parse(both.out)["summary"]["files"] == 1);
  fs::remove_all(repo);
}

TEST_CASE("the directory walk does not follow links that lead out of the folder walked") {
  const std::string dir = test::make_temp_dir();
  fs::create_directories(dir + "/other-team");
  fs::copy_file(kHostile + "directory-walk-follows-symlinks-out-of-checkout/private.yaml",
                dir + "/other-team/private.yaml");
  const std::string checkout = dir + "/checkout";
  fs::create_directories(checkout + "/deploy");
  fs::copy_file(kHostile + "wildcard-recursion-stack-overflow/app.yaml", checkout + "/deploy/app.yaml");
  fs::create_directory_symlink("../other-team", checkout + "/linked");
  fs::create_symlink("/etc/passwd", checkout + "/passwd.yaml");
  fs::create_directory_symlink("/usr/share", checkout + "/share");
  fs::create_symlink("../../other-team/private.yaml", checkout + "/deploy/private.yaml");
  // Links the walk would not take anyway stay silent.
  fs::create_directory_symlink("/", checkout + "/.root");
  fs::create_symlink("/etc/passwd", checkout + "/passwd.txt");

  auto inputs = collect_inputs({checkout}, "<stdin>");
  REQUIRE(inputs);
  std::vector<std::string> files;
  for (const auto& file : inputs->files) files.push_back(file.display_path);
  CHECK(files == std::vector<std::string>{checkout + "/deploy/app.yaml"});
  std::vector<std::pair<std::string, std::string>> problems;
  for (const auto& problem : inputs->problems) problems.emplace_back(problem.display_path, problem.message);
  const auto outside = [&](const std::string& target) {
    return "symbolic link to " + target + " points outside the folder walked (" + checkout + "); it was not followed";
  };
  CHECK(problems == std::vector<std::pair<std::string, std::string>>{
                        {checkout + "/deploy/private.yaml", outside("../../other-team/private.yaml")},
                        {checkout + "/linked", outside("../other-team")},
                        {checkout + "/passwd.yaml", outside("/etc/passwd")},
                        {checkout + "/share", outside("/usr/share")},
                    });

  auto run = test::run_cli({"--no-config", "."}, {}, checkout);
  CHECK_THAT(run.out, !Catch::Contains("other-teams-private-pod"));
  CHECK_THAT(run.out, Catch::Contains("linked:1:1: error: symbolic link to ../other-team points outside the folder "
                                      "walked (.); it was not followed [invalid-input]"));
  CHECK_THAT(run.out, Catch::EndsWith("1 file, 1 document, 1 object (1 workload checked): 4 errors, 0 warnings, "
                                      "1 note (not shown; --show-notes lists them)\n"));
  fs::remove_all(dir);
}

TEST_CASE("links inside the folder walked are followed and loops are cut") {
  const std::string checkout = test::make_temp_dir();
  fs::copy_file(kHostile + "wildcard-recursion-stack-overflow/app.yaml", checkout + "/app.yaml");
  fs::create_directories(checkout + "/.shared");  // hidden: reached only through the link
  fs::copy_file(checkout + "/app.yaml", checkout + "/.shared/more.yaml");
  fs::create_directory_symlink(".shared", checkout + "/more");
  fs::create_symlink("app.yaml", checkout + "/same.yaml");
  fs::create_directory_symlink("..", checkout + "/.shared/up");  // back to the top: a loop
  fs::create_symlink("missing.yaml", checkout + "/broken.yaml");

  auto inputs = collect_inputs({checkout}, "<stdin>");
  REQUIRE(inputs);
  std::vector<std::string> files;
  for (const auto& file : inputs->files) files.push_back(file.display_path);
  CHECK(files ==
        std::vector<std::string>{checkout + "/app.yaml", checkout + "/more/more.yaml", checkout + "/same.yaml"});
  REQUIRE(inputs->problems.size() == 1);
  CHECK(inputs->problems[0].display_path == checkout + "/broken.yaml");
  CHECK(inputs->problems[0].message == "broken symbolic link");
  fs::remove_all(checkout);
}

TEST_CASE("a link named on the command line is read wherever it leads") {
  const std::string dir = test::make_temp_dir();
  fs::create_directories(dir + "/elsewhere");
  fs::copy_file(kHostile + "wildcard-recursion-stack-overflow/app.yaml", dir + "/elsewhere/app.yaml");
  fs::create_directories(dir + "/checkout");
  fs::create_symlink("../elsewhere/app.yaml", dir + "/checkout/app.yaml");
  auto inputs = collect_inputs({dir + "/checkout/app.yaml"}, "<stdin>");
  REQUIRE(inputs);
  REQUIRE(inputs->files.size() == 1);
  CHECK(inputs->files[0].named);
  CHECK(inputs->problems.empty());
  fs::remove_all(dir);
}

TEST_CASE("a baseline format version is compared whole and never narrowed") {
  const std::string app = kHostile + "wildcard-recursion-stack-overflow/app.yaml";
  auto run =
      test::run_cli({"--no-config", "--baseline", kHostile + "misc-low/out-of-range-version.baseline.json", app});
  CHECK(run.exit_code == 2);
  CHECK_THAT(run.err, Catch::Contains("is not an immutalint baseline: format 4294967297 is not the supported 1"));

  const std::string dir = test::make_temp_dir();
  test::write_file(dir + "/negative.json", "{\"immutalintBaseline\": -4294967295, \"findings\": []}\n");
  auto negative = test::run_cli({"--no-config", "--baseline", dir + "/negative.json", app});
  CHECK(negative.exit_code == 2);
  CHECK_THAT(negative.err, Catch::Contains("format -4294967295 is not the supported 1"));
  test::write_file(dir + "/one.json", "{\"immutalintBaseline\": 1, \"findings\": []}\n");
  CHECK(test::run_cli({"--no-config", "--baseline", dir + "/one.json", app}).exit_code == 0);
  fs::remove_all(dir);
}

TEST_CASE("a baseline that is not UTF-8 or not JSON says which") {
  const std::string app = kHostile + "wildcard-recursion-stack-overflow/app.yaml";
  auto not_utf8 = test::run_cli({"--no-config", "--baseline", kHostile + "misc-low/not-utf8.baseline.json", app});
  CHECK(not_utf8.exit_code == 2);
  CHECK_THAT(not_utf8.err, Catch::Contains("is not an immutalint baseline: not UTF-8 text (byte 57)"));

  const std::string dir = test::make_temp_dir();
  test::write_file(dir + "/truncated.json", "{\"immutalintBaseline\": 1, \"findings\": [");
  auto truncated = test::run_cli({"--no-config", "--baseline", dir + "/truncated.json", app});
  CHECK(truncated.exit_code == 2);
  CHECK_THAT(truncated.err, Catch::Contains("is not an immutalint baseline: not valid JSON (byte "));
  test::write_file(dir + "/list.json", "[1, 2]\n");
  auto list = test::run_cli({"--no-config", "--baseline", dir + "/list.json", app});
  CHECK_THAT(list.err, Catch::Contains("is not an immutalint baseline: not a JSON object"));
  fs::remove_all(dir);
}

TEST_CASE("a configuration file over 1 MiB is refused before it is read") {
  const std::string dir = test::make_temp_dir();
  const Catalogue& catalogue = *Catalogue::builtin();
  const TargetSet& targets = *TargetSet::builtin();

  const std::string at_limit = dir + "/at-limit.yaml";
  test::write_file(at_limit, "# " + std::string((1u << 20) - 3, 'x') + "\n");
  CHECK(load_config(at_limit, catalogue, targets));
  const std::string over = dir + "/over.yaml";
  test::write_file(over, "# " + std::string((1u << 20) - 2, 'x') + "\n");
  auto refused = load_config(over, catalogue, targets);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message == over + ":1:1: the configuration file is larger than 1 MiB");

  // 1 GiB, sparse: reading it would take seconds and 2 GB; its size alone refuses it.
  const std::string huge = dir + "/huge.yaml";
  test::write_file(huge, "");
  fs::resize_file(huge, std::uintmax_t{1} << 30);
  const auto start = std::chrono::steady_clock::now();
  auto huge_refused = load_config(huge, catalogue, targets);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(huge_refused);
  CHECK_THAT(huge_refused.error().message, Catch::EndsWith("larger than 1 MiB"));
  CHECK(elapsed < std::chrono::milliseconds(500));
  fs::remove_all(dir);
}

TEST_CASE("until must be a day the calendar has") {
  const Catalogue& catalogue = *Catalogue::builtin();
  const TargetSet& targets = *TargetSet::builtin();
  const std::string path = kHostile + "misc-low/impossible-until.immutalint.yaml";
  auto impossible = load_config(path, catalogue, targets);
  REQUIRE_FALSE(impossible);
  CHECK(impossible.error().message == path + ":4:12: `until` must be a day of the calendar, and 2024-02-30 is not");
  const auto until = [&](const std::string& day) {
    return parse_config("ignores:\n  - check: host-pid\n    reason: r\n    until: \"" + day + "\"\n", "c.yaml",
                        catalogue, targets);
  };
  CHECK(until("2024-02-29"));
  CHECK_FALSE(until("2023-02-29"));
  CHECK_FALSE(until("2024-04-31"));
  CHECK_FALSE(until("2024-13-01"));
  CHECK_FALSE(until("2024-00-10"));
  CHECK_FALSE(until("2024-01-00"));
  CHECK(until("2024-12-31"));
}

TEST_CASE("a marker line inside a block scalar is text and not a waiver") {
  const auto lines_of = [](const std::string& text) {
    std::vector<std::uint32_t> lines;
    for (const auto& waiver : inline_waivers(text, 1, "f.yaml")) lines.push_back(waiver.where.span.begin.line);
    return lines;
  };
  // A literal block: its lines are text; the key at the key's own indentation ends it.
  CHECK(lines_of("data:\n"
                 "  run.sh: |\n"
                 "    # immutalint: ignore host-pid -- text\n"
                 "    echo\n"
                 "  # immutalint: ignore host-ipc -- a comment again\n"
                 "  other: 1  # immutalint: ignore host-network -- a comment\n") == std::vector<std::uint32_t>{5, 6});
  // Strip chomping, a folded block with keep chomping and an explicit indentation, and the
  // comment on a header line, which is a comment.
  CHECK(lines_of("a: |-  # immutalint: ignore x -- on the header\n"
                 "  # immutalint: ignore y\n"
                 "b: >+2\n"
                 "    # immutalint: ignore z -- deeper than the indentation given\n"
                 "  # immutalint: ignore w -- at the indentation given\n"
                 "\n"
                 "c: 1 # immutalint: ignore v\n") == std::vector<std::uint32_t>{1, 7});
  // A block as a sequence item, then a key of the mapping around it.
  CHECK(lines_of("args:\n"
                 "  - |\n"
                 "    # immutalint: ignore host-pid\n"
                 "hostPID: true # immutalint: ignore host-pid -- a comment\n") == std::vector<std::uint32_t>{4});
  // Quoted strings, on one line or several, are text too.
  CHECK(lines_of("a: \"x # immutalint: ignore p\"\n"
                 "b: 'y\n"
                 "  # immutalint: ignore q'\n"
                 "c: {\"k\": \"v # immutalint: ignore r\"} # immutalint: ignore s\n") == std::vector<std::uint32_t>{4});
  // Past a syntax error the text cannot be read: comments there count as before.
  CHECK(lines_of("a: [\n# immutalint: ignore t\n") == std::vector<std::uint32_t>{2});
}

TEST_CASE("a waiver line inside a container's script accepts no finding") {
  auto run = test::run_cli({"--no-config", "--format", "json", kHostile + "misc-low/block-scalar-marker.yaml"});
  const auto host_pid = findings_of_check(run.out, "host-pid");
  REQUIRE(host_pid.size() == 1);
  CHECK(host_pid[0]["line"] == 13);
  CHECK_FALSE(host_pid[0].contains("suppression"));
  CHECK(findings_of_check(run.out, "unused-suppression").empty());
}
