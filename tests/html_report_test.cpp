// The HTML readiness report: its grid and counts agree with the JSON report, input cannot
// become markup or script, its policy allows exactly its own style and script, and the same
// input gives the same bytes. tests/html_browser_test.py runs the page in Chromium.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "immutalint/escape.hpp"
#include "immutalint/inputs.hpp"
#include "report/csp_hash.hpp"
#include "test_support.hpp"

using namespace immutalint;
using nlohmann::json;

namespace {

/// Per target, how many workloads are at each worst verdict, or not scheduled there: the page's
/// summary table.
using TargetCounts = std::map<std::string, std::map<std::string, std::size_t>>;

TargetCounts page_counts(const std::string& page) {
  TargetCounts counts;
  const std::regex row(R"re(<tr data-column="([^"]*)">(.*?)</tr>)re");
  const std::regex cell(R"re(data-count="([a-z-]+)">(\d+)</td>)re");
  for (std::sregex_iterator r(page.begin(), page.end(), row), end; r != end; ++r) {
    const std::string cells = (*r)[2];
    for (std::sregex_iterator c(cells.begin(), cells.end(), cell); c != end; ++c) {
      counts[(*r)[1]][(*c)[1]] = std::stoul((*c)[2]);
    }
  }
  return counts;
}

std::map<std::string, std::size_t> page_summary(const std::string& page) {
  std::map<std::string, std::size_t> summary;
  const std::regex number(R"re(<dd data-summary="([a-z]+)">(\d+)</dd>)re");
  for (std::sregex_iterator m(page.begin(), page.end(), number), end; m != end; ++m) {
    summary[(*m)[1]] = std::stoul((*m)[2]);
  }
  return summary;
}

using WorkloadKey = std::tuple<std::string, std::string, std::string, std::string>;  // file, kind, namespace, name

/// The objects of `paths` that have pods, as the library lists them, each with the targets it
/// cannot be scheduled on (its node selector asks for a label the target's nodes do not carry).
using Workloads = std::map<WorkloadKey, std::vector<std::string>>;

Workloads workloads_of(const std::vector<std::string>& paths, const std::string& targets) {
  auto inputs = collect_inputs(paths, "<stdin>");
  REQUIRE(inputs);
  LintOptions options;
  auto selected = TargetSet::builtin()->select(targets);
  REQUIRE(selected);
  options.targets = *selected;
  auto linter = Linter::create(*Catalogue::builtin(), options);
  REQUIRE(linter);
  Workloads workloads;
  for (const auto& workload : linter->lint(*inputs).workloads) {
    workloads[{workload.file, workload.object.kind, workload.object.namespace_, workload.object.name}] =
        workload.unreachable;
  }
  return workloads;
}

/// The same counts worked out from the JSON report: each workload's worst verdict per target
/// over its findings; workloads without any are ready, or not scheduled where they cannot land.
/// Findings on other objects (a ConfigMap that holds a script) are not in the grid.
TargetCounts json_counts(const json& report, const Workloads& workloads) {
  using Key = WorkloadKey;
  std::map<std::string, std::map<Key, std::string>> worst;  // target -> workload -> verdict
  const std::vector<std::string> order = {"ready", "review", "likely-breaks", "breaks"};
  const auto rank = [&](const std::string& verdict) { return std::find(order.begin(), order.end(), verdict); };
  for (const auto& finding : report["findings"]) {
    if (!finding.contains("object")) continue;
    const std::string file = finding.contains("rendered") ? finding["rendered"]["file"] : finding["file"];
    const auto& object = finding["object"];
    std::vector<Key> keys{Key{file, object["kind"], object.value("namespace", ""), object["name"]}};
    // A finding on a cause that several workloads share gives each its verdicts.
    for (const auto& related : finding.value("related", json::array())) {
      if (!related.contains("object")) continue;
      const auto& other = related["object"];
      keys.push_back(Key{related.value("file", finding["file"].get<std::string>()), other["kind"],
                         other.value("namespace", ""), other["name"]});
    }
    for (const Key& key : keys) {
      if (!workloads.count(key)) continue;
      for (const auto& target : finding["targets"]) {
        std::string& verdict = worst[target["target"]][key];
        if (verdict.empty() || rank(target["verdict"]) > rank(verdict)) verdict = target["verdict"];
      }
    }
  }
  TargetCounts counts;
  const std::size_t total = report["summary"]["workloads"];
  for (const std::string target : report["targets"]) {
    auto& row = counts[target];
    for (const auto& verdict : order) row[verdict] = 0;
    row["not-scheduled"] = 0;
    for (const auto& [key, verdict] : worst[target]) ++row[verdict];
    for (const auto& [key, unreachable] : workloads) {
      if (!worst[target].count(key) && std::count(unreachable.begin(), unreachable.end(), target)) {
        ++row["not-scheduled"];
      }
    }
    row["ready"] = total - row["review"] - row["likely-breaks"] - row["breaks"] - row["not-scheduled"];
  }
  return counts;
}

/// The text between `open` and the next `close`.
std::string between(const std::string& text, const std::string& open, const std::string& close) {
  const auto start = text.find(open);
  REQUIRE(start != std::string::npos);
  const auto end = text.find(close, start + open.size());
  REQUIRE(end != std::string::npos);
  return text.substr(start + open.size(), end - start - open.size());
}

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t count = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
  return count;
}

/// Every in-page link leads to an element of the page.
void expect_links_resolve(const std::string& page) {
  std::set<std::string> ids;
  const std::regex id(R"re( id="([^"]+)")re");
  for (std::sregex_iterator m(page.begin(), page.end(), id), end; m != end; ++m) ids.insert((*m)[1]);
  const std::regex href(R"re(href="#([^"]+)")re");
  std::size_t links = 0;
  for (std::sregex_iterator m(page.begin(), page.end(), href), end; m != end; ++m) {
    INFO((*m)[1]);
    CHECK(ids.count((*m)[1]) == 1);
    ++links;
  }
  CHECK(links > 0);
}

/// The order of the grid's rows: worst first.
const std::vector<std::string> kRowOrder = {"breaks", "likely-breaks", "not-scheduled", "review", "ready"};

/// The grid's rows' worst verdicts, top to bottom.
std::vector<std::string> row_verdicts(const std::string& page) {
  std::vector<std::string> verdicts;
  const std::regex row(R"re(<tr id="w\d+" data-namespace="[^"]*" data-verdict="([a-z-]+)">)re");
  for (std::sregex_iterator m(page.begin(), page.end(), row), end; m != end; ++m) verdicts.push_back((*m)[1]);
  return verdicts;
}

/// Every finding of the JSON report is on the page, in full or in one line, or counted with the
/// notes on objects that are not workloads; each check it names has its fix once, and links lead there.
void expect_every_finding_accounted(const std::string& page, const json& report) {
  std::size_t counted = 0;
  const std::regex elsewhere(R"re(<li data-notes="(\d+)">)re");
  for (std::sregex_iterator m(page.begin(), page.end(), elsewhere), end; m != end; ++m) counted += std::stoul((*m)[1]);
  const std::size_t full = occurrences(page, "<article class=\"finding\"");
  const std::size_t lines = occurrences(page, "<li class=\"finding\"");
  const auto& summary = report["summary"];
  CHECK(full + lines + counted == summary["error"].get<std::size_t>() + summary["warning"].get<std::size_t>() +
                                      summary["note"].get<std::size_t>());
  std::set<std::string> checks;
  for (const auto& finding : report["findings"]) {
    if (!finding.contains("suppression")) checks.insert(finding["check"].get<std::string>());
  }
  std::multiset<std::string> fixes;
  const std::regex fix(R"re(<article class="fix" id="x\d+">\n<h3><code>([a-z-]+)</code>)re");
  for (std::sregex_iterator m(page.begin(), page.end(), fix), end; m != end; ++m) fixes.insert((*m)[1]);
  CHECK(fixes == std::multiset<std::string>(checks.begin(), checks.end()));
  if (!checks.empty()) expect_links_resolve(page);
}

/// Runs the CLI in html and json with the same options and paths and compares what both say.
void expect_same_numbers(const std::vector<std::string>& options, const std::vector<std::string>& paths) {
  std::vector<std::string> args = options;
  args.insert(args.end(), paths.begin(), paths.end());
  auto with_format = [&](const std::string& format) {
    std::vector<std::string> all = {"--format", format, "--fail-on", "never"};
    all.insert(all.end(), args.begin(), args.end());
    auto r = test::run_cli(all);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
  };
  const std::string page = with_format("html");
  const json report = json::parse(with_format("json"));

  const TargetCounts counts = page_counts(page);
  const auto target_option = std::find(options.begin(), options.end(), "--target");
  const std::string targets = target_option == options.end() ? "generic" : *std::next(target_option);
  CHECK(counts == json_counts(report, workloads_of(paths, targets)));
  CHECK(counts.size() == report["targets"].size());

  const auto summary = page_summary(page);
  for (const char* name :
       {"files", "documents", "objects", "workloads", "skipped", "suppressed", "error", "warning", "note"}) {
    INFO(name);
    CHECK(summary.at(name) == report["summary"][name].get<std::size_t>());
  }
  // One grid row per workload, one cell per target in each.
  const std::regex grid_row(R"re(<tr id="w\d+" data-namespace="[^"]*" data-verdict="[a-z-]+">(.*?)</tr>)re");
  std::size_t rows = 0;
  for (std::sregex_iterator m(page.begin(), page.end(), grid_row), end; m != end; ++m) {
    const std::string row = (*m)[1];
    std::size_t cells = 0;
    for (auto at = row.find("<td "); at != std::string::npos; at = row.find("<td ", at + 1)) ++cells;
    CHECK(cells == report["targets"].size());
    ++rows;
  }
  CHECK(rows == report["summary"]["workloads"].get<std::size_t>());
  // Worst first.
  std::vector<std::size_t> ranks;
  for (const auto& verdict : row_verdicts(page)) {
    ranks.push_back(
        static_cast<std::size_t>(std::find(kRowOrder.begin(), kRowOrder.end(), verdict) - kRowOrder.begin()));
  }
  CHECK(std::is_sorted(ranks.begin(), ranks.end()));
  CHECK(std::find(ranks.begin(), ranks.end(), kRowOrder.size()) == ranks.end());
  expect_every_finding_accounted(page, report);
}

bool valid_utf8(const std::string& text) {
  return escape::utf8(text) == text;
}

// A workload whose names try every way out of HTML text and attributes, and out of the page's
// style and script.
const std::string kHostile =
    "apiVersion: apps/v1\n"
    "kind: DaemonSet\n"
    "metadata:\n"
    "  name: \"<script>document.body.setAttribute('data-pwned','script')</script>\"\n"
    "  namespace: \"\\\"><img src=x onerror=\\\"document.body.setAttribute('data-pwned','img')\\\">\"\n"
    "spec:\n"
    "  selector: {matchLabels: {app: a}}\n"
    "  template:\n"
    "    metadata: {labels: {app: a}}\n"
    "    spec:\n"
    "      hostPID: true\n"
    "      containers:\n"
    "        - name: \"</style><style>body{display:none}</style>\\u2028javascript:alert(1)\"\n"
    "          image: registry.example/x:1\n"
    "          command: [\"sh\", \"-c\", \"nsenter -t 1 -m -- apt-get install -y x '</script><a "
    "href=javascript:alert(1)>'\"]\n"
    "          securityContext: {privileged: true}\n";

}  // namespace

TEST_CASE("SHA-256 and base64 give the published test vectors") {
  const auto hex = [](const std::array<std::uint8_t, 32>& digest) {
    std::string out;
    for (auto byte : digest) out += fmt::format("{:02x}", byte);
    return out;
  };
  CHECK(hex(csp::sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex(csp::sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex(csp::sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(hex(csp::sha256(std::string(1000, 'a'))) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
  CHECK(csp::base64("") == "");
  CHECK(csp::base64("f") == "Zg==");
  CHECK(csp::base64("fo") == "Zm8=");
  CHECK(csp::base64("foobar") == "Zm9vYmFy");
  CHECK(csp::hash_source("abc") == "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
}

TEST_CASE("HTML escaping leaves no markup, hidden control or invalid byte") {
  CHECK(escape::html("<a href=\"x\" title='y'>&</a>") ==
        "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  CHECK(escape::html("a\nb\tc\x1b[0m") == "a\\nb\\tc\\x1b[0m");
  CHECK(escape::html("x\u2028y\u202ez") == "x\\u{2028}y\\u{202e}z");
  CHECK(escape::html("bad\xff\xfe") == "bad\uFFFD\uFFFD");
  CHECK(escape::html("C:\\path ünïcode") == "C:\\path ünïcode");
}

TEST_CASE("the html format is one page with the grid, the findings and their fixes") {
  auto r = test::run_cli({"--format", "html", "--target", "talos,flatcar", "--fail-on", "never",
                          "examples/gpu-driver-installer.yaml", "testdata/daemonset"});
  REQUIRE(r.exit_code == 0);
  const std::string& page = r.out;
  CHECK_THAT(page, Catch::StartsWith("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"));
  CHECK_THAT(page, Catch::EndsWith("</body>\n</html>\n"));
  CHECK(occurrences(page, "<style>") == 1);
  CHECK(occurrences(page, "<script>") == 1);
  CHECK_THAT(page, Catch::Contains("<th scope=\"col\" title=\"Flatcar Container Linux\">flatcar</th>") &&
                       Catch::Contains("<th scope=\"col\" title=\"Talos Linux\">talos</th>"));
  // The installer's row comes first, since it breaks: its cell links to the finding behind
  // "breaks", which cites its fact, shows its evidence and links to the check's fix.
  CHECK_THAT(between(page, "<tbody>\n<tr id=\"w", "</tr>"),
             Catch::Contains("<span class=\"kind\">DaemonSet</span> gpu-system/gpu-driver-installer "
                             "<span class=\"where\">examples/gpu-driver-installer.yaml:"));
  const std::regex breaks_cell(R"re(<td class="v-breaks"><a href="#(f\d+)")re");
  std::smatch cell;
  REQUIRE(std::regex_search(page, cell, breaks_cell));
  const std::string finding = between(page, "<article class=\"finding\" id=\"" + cell[1].str() + "\"", "</article>");
  CHECK_THAT(finding, Catch::Contains("data-verdict=\"breaks\"") && Catch::Contains("<td class=\"v-breaks\">breaks") &&
                          Catch::Contains("<code>TAL-ARCH</code></td><td>documented</td>") &&
                          Catch::Contains("<ul class=\"evidence\">") && Catch::Contains("<p class=\"where\">line "));
  std::smatch fix_link;
  REQUIRE(
      std::regex_search(finding, fix_link, std::regex(R"re(<a class="fix-link" href="#(x\d+)">\[([a-z-]+)\]</a>)re")));
  // The fix is written once, in the check's own section, however many findings link to it.
  const std::string fix = between(page, "<article class=\"fix\" id=\"" + fix_link[1].str() + "\">", "</article>");
  const CheckInfo* check = Catalogue::builtin()->find(fix_link[2].str());
  REQUIRE(check);
  const std::string remediation = escape::html(check->remediation.substr(0, 40));
  CHECK_THAT(fix, Catch::StartsWith("\n<h3><code>" + check->id + "</code>") && Catch::Contains(remediation));
  CHECK(occurrences(page, remediation) == 1);
  // Every check's fix is written once, however many findings link to it.
  const std::regex fix_section(R"re(<article class="fix" id="(x\d+)">\n<h3><code>([a-z-]+)</code>)re");
  std::size_t most_links = 0;
  for (std::sregex_iterator m(page.begin(), page.end(), fix_section), end; m != end; ++m) {
    INFO((*m)[2]);
    const CheckInfo* info = Catalogue::builtin()->find((*m)[2].str());
    REQUIRE(info);
    const std::string text = info->remediation.substr(0, info->remediation.find_first_of("`\n"));
    CHECK(occurrences(page, escape::html(text)) == 1);
    most_links = std::max(most_links, occurrences(page, "href=\"#" + (*m)[1].str() + "\""));
  }
  CHECK(most_links > 1);
  expect_links_resolve(page);
  // The filters start hidden: the page shows everything until the script offers to filter.
  CHECK_THAT(page, Catch::Contains("<form id=\"filters\" hidden>") &&
                       Catch::Contains("<option value=\"gpu-system\">gpu-system</option>") &&
                       Catch::Contains("<input type=\"search\" id=\"filter-text\""));
}

TEST_CASE("the html page's counts are those of the JSON report") {
  using Args = std::vector<std::string>;
  for (const auto& [options, paths] : std::vector<std::pair<Args, Args>>{
           {{"--target", "all"}, {"examples"}},
           {{"--target", "all"}, {"testdata/workloads", "testdata/workload-kinds"}},
           {{"--target", "talos,aks-osguard"}, {"testdata/daemonset", "testdata/host-path-volume"}},
           {{"--target", "all", "--helm-chart", "testdata/helm/node-agent"}, {"testdata/helm/rendered.yaml"}},
           {{}, {"testdata/unused-suppression", "testdata/invalid-input"}}}) {
    INFO(fmt::format("{} {}", fmt::join(options, " "), fmt::join(paths, " ")));
    expect_same_numbers(options, paths);
  }
}

TEST_CASE("the html page's counts are those of the JSON report for the real corpus", "[shared]") {
  const std::string corpus = test::shared_dir() + "/corpus/real";
  expect_same_numbers({"--target", "all"}, {corpus});
  expect_same_numbers({}, {corpus});
}

TEST_CASE("the html page for the real corpus stays under 1 MB and says where its notes are in full", "[shared]") {
  auto r = test::run_cli({"--format", "html", "--fail-on", "never", test::shared_dir() + "/corpus/real"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.size() < 1000000);
  CHECK_THAT(r.out, Catch::Contains("list every note in full") && Catch::Contains("<li data-notes=\""));
}

TEST_CASE("the html page counts workloads not scheduled on a target apart from ready ones as the matrix does") {
  const std::string cluster = "testdata/cluster/mixed-cluster.yaml";
  auto page = test::run_cli({"--target", "auto", "--format", "html", "--fail-on", "never", cluster});
  auto matrix = test::run_cli({"--target", "auto", "--format", "matrix", "--fail-on", "never", cluster});
  REQUIRE(page.exit_code == 0);
  REQUIRE(matrix.exit_code == 0);
  // "aks-acl: 3 ready (3 to review), 0 likely breaks, 1 breaks, 2 not scheduled there"
  const std::regex line(
      R"re(^([a-z-]+): (\d+) ready \((\d+) to review\), (\d+) likely breaks, (\d+) breaks(?:, (\d+) not scheduled there)?$)re",
      std::regex::multiline);
  TargetCounts from_matrix;
  for (std::sregex_iterator m(matrix.out.begin(), matrix.out.end(), line), end; m != end; ++m) {
    const auto number = [&](int group) { return (*m)[group].matched ? std::stoul((*m)[group]) : 0UL; };
    auto& row = from_matrix[(*m)[1]];
    // The matrix counts the workloads that only need review among the ready ones; the page apart.
    row["ready"] = number(2) - number(3);
    row["review"] = number(3);
    row["likely-breaks"] = number(4);
    row["breaks"] = number(5);
    row["not-scheduled"] = number(6);
  }
  REQUIRE(from_matrix.size() == 3);
  CHECK(from_matrix["aks-osguard"]["not-scheduled"] == 3);
  CHECK(page_counts(page.out) == from_matrix);
  // Worst rows first: the Job no pool accepts breaks everywhere; the Deployment pinned to the
  // Ubuntu pools is not scheduled on the others, which comes before review.
  const auto verdicts = row_verdicts(page.out);
  CHECK(verdicts == std::vector<std::string>{"breaks", "not-scheduled", "not-scheduled", "not-scheduled",
                                             "not-scheduled", "review"});
  CHECK_THAT(between(page.out, "<tbody>\n<tr id=\"w", "</tr>"), Catch::Contains("ml/train-resnet"));
  CHECK_THAT(page.out, Catch::Contains("<input type=\"checkbox\" name=\"verdict\" value=\"not-scheduled\" checked> not "
                                       "scheduled</label>"));
}

TEST_CASE("the html page shows notes in one line each and counts those outside the grid") {
  auto r = test::run_cli({"--format", "html", "--fail-on", "never", "testdata/duplicate-object/flagged.yaml"});
  REQUIRE(r.exit_code == 0);
  const std::string& page = r.out;
  auto json_run = test::run_cli({"--format", "json", "--fail-on", "never", "testdata/duplicate-object/flagged.yaml"});
  const json report = json::parse(json_run.out);
  expect_every_finding_accounted(page, report);
  // The ClusterRole defined three times and the ConfigMap defined twice are no workloads: their
  // note (one for the file's copies) is counted, with where to read it.
  CHECK_THAT(page, Catch::Contains("<li data-notes=\"1\"><a class=\"fix-link\" href=\"#x") &&
                       Catch::Contains("[duplicate-object]</a>: 1 note in 1 file</li>"));
  CHECK_THAT(page, Catch::Contains("The JSON report (<code>--format json</code>) lists each of them"));
  // A workload's notes are one line each, linked to their check's fix.
  CHECK(occurrences(page, "<li class=\"finding\"") > 0);
  const std::regex note(
      R"re(<li class="finding" id="f\d+"[^>]*>[^<]+<a class="fix-link" href="#x\d+">\[[a-z-]+\]</a> <span class="where">\(line \d+\)</span>)re");
  CHECK(std::regex_search(page, note));
}

TEST_CASE("a hostile manifest's names stay text in the html page") {
  const std::string file = "dir/<script>alert(1)</script>\xff\xfe\u2028.yaml";
  auto r = test::run_cli({"--format", "html", "--fail-on", "never", "--target", "all", "--stdin-filename", file, "-"},
                         kHostile);
  REQUIRE(r.exit_code == 0);
  const std::string& page = r.out;
  // Our own elements once each, and none made of the input.
  CHECK(occurrences(page, "<script") == 1);
  CHECK(occurrences(page, "</script>") == 1);
  CHECK(occurrences(page, "<style") == 1);
  CHECK(occurrences(page, "</style>") == 1);
  CHECK(occurrences(page, "<img") == 0);
  CHECK(occurrences(page, "<a href=javascript") == 0);
  // No tag of the page carries an event handler or a javascript: URL: outside the quoted
  // attribute values (where the input's quotes are &quot;) there is nothing of the input.
  const std::regex tag(R"re(<[^>]*>)re");
  const std::regex quoted(R"re("[^"]*")re");
  for (std::sregex_iterator m(page.begin(), page.end(), tag), end; m != end; ++m) {
    const std::string text = m->str();
    INFO(text);
    const std::string names = std::regex_replace(text, quoted, "\"\"");
    CHECK(names.find("onerror") == std::string::npos);
    CHECK(names.find("javascript:") == std::string::npos);
    CHECK(names.find("src") == std::string::npos);
  }
  CHECK(page.find("href=\"javascript") == std::string::npos);
  // The names are there, as text.
  CHECK_THAT(page, Catch::Contains("&lt;script&gt;document.body.setAttribute(&#39;data-pwned&#39;,&#39;script&#39;)"
                                   "&lt;/script&gt;"));
  CHECK_THAT(page, Catch::Contains("data-namespace=\"&quot;&gt;&lt;img src=x onerror=&quot;"));
  CHECK_THAT(page, Catch::Contains("&lt;/style&gt;&lt;style&gt;body{display:none}&lt;/style&gt;\\u{2028}javascript:"));
  CHECK_THAT(page, Catch::Contains("dir/&lt;script&gt;alert(1)&lt;/script&gt;\uFFFD\uFFFD\\u{2028}.yaml"));
  CHECK(page.find("\u2028") == std::string::npos);
  CHECK(valid_utf8(page));
  for (unsigned char c : page) {
    CHECK_FALSE(((c < 0x20 && c != '\n') || c == 0x7F));
  }
}

TEST_CASE("the html page's policy allows exactly its inline style and script") {
  auto r = test::run_cli({"--format", "html", "--fail-on", "never", "examples/web-app.json"});
  const std::string& page = r.out;
  const std::string policy = between(page, "<meta http-equiv=\"Content-Security-Policy\" content=\"", "\">");
  const std::string style = between(page, "<style>", "</style>");
  const std::string script = between(page, "<script>", "</script>");
  CHECK(policy == fmt::format("default-src 'none'; style-src '{}'; script-src '{}'; base-uri 'none'; "
                              "form-action 'none'",
                              csp::hash_source(style), csp::hash_source(script)));
  // The policy comes before anything it governs; nothing inline escapes the hashes.
  CHECK(page.find("Content-Security-Policy") < page.find("<style>"));
  CHECK(page.find(" style=\"") == std::string::npos);
  const std::regex handler(R"re(<[^>]* on[a-z]+=)re");
  CHECK_FALSE(std::regex_search(page, handler));
  CHECK(script.find("innerHTML") == std::string::npos);
  CHECK(script.find("eval(") == std::string::npos);
}

TEST_CASE("the html page is the same bytes for the same input") {
  const std::vector<std::string> args = {"--format",  "html",  "--target", "all",
                                         "--fail-on", "never", "examples", "testdata/workloads"};
  auto first = test::run_cli(args);
  auto again = args;
  again.insert(again.begin(), {"--jobs", "1"});
  auto second = test::run_cli(again);
  REQUIRE(first.exit_code == 0);
  CHECK(first.out == second.out);
}

TEST_CASE("the html format is accepted from the command line, --report and the configuration") {
  const std::string dir = test::make_temp_dir();
  auto r = test::run_cli({"--report", "html=" + dir + "/report.html", "--fail-on", "never", "examples"});
  CHECK(r.exit_code == 0);
  const std::string page = test::read_file(dir + "/report.html");
  CHECK_THAT(page, Catch::StartsWith("<!DOCTYPE html>") && Catch::Contains("<tr id=\"w1\""));
  test::write_file(dir + "/.immutalint.yaml", "format: html\n");
  auto configured = test::run_cli({"--config", dir + "/.immutalint.yaml", "--fail-on", "never", "examples"});
  CHECK_THAT(configured.out, Catch::StartsWith("<!DOCTYPE html>") && Catch::Contains("<tr id=\"w1\""));
  auto help = test::run_cli({"--help"});
  CHECK_THAT(help.out, Catch::Contains("matrix-markdown or html"));
}
