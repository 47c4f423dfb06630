// A List's items read one by one, as the splitter hands over a cluster dump too large to hold:
// the findings must be those of the List read whole.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "immutalint/catalogue.hpp"
#include "immutalint/document_split.hpp"
#include "immutalint/inputs.hpp"
#include "immutalint/report.hpp"
#include "immutalint/target.hpp"
#include "test_support.hpp"

using namespace immutalint;

namespace {

/// A List with the awkward cases: comments before the first item, null and scalar items, a
/// ConfigMap that a later item's DaemonSet runs a script from, a repeated key, a nested List.
/// `pad` indents the entries under `items:`.
std::string awkward_list(const std::string& pad) {
  std::string items = R"(# the first pod
- apiVersion: v1
  kind: Pod
  metadata:
    name: writer
    namespace: ns
  spec:
    containers:
    - name: c
      image: busybox
      command: ["sh", "-c", "cp /bin/tool /host/usr/local/bin/tool"]
      volumeMounts:
      - name: host
        mountPath: /host/usr/local/bin
    volumes:
    - name: host
      hostPath:
        path: /usr/local/bin
- null
-
- 42
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: scripts, namespace: ns}
  data:
    run.sh: |
      #!/bin/sh
      modprobe br_netfilter
      cp /opt/tool /host/usr/bin/tool
- apiVersion: apps/v1
  kind: DaemonSet
  metadata: {name: loader, namespace: ns}
  spec:
    template:
      spec:
        containers:
        - name: c
          image: x
          command: ["/scripts/run.sh"]
          securityContext: {privileged: true}
          volumeMounts: [{name: s, mountPath: /scripts}, {name: host, mountPath: /host}]
        volumes:
        - {name: s, configMap: {name: scripts, defaultMode: 0755}}
        - {name: host, hostPath: {path: /}}

- apiVersion: v1
  kind: Pod
  metadata:
    name: dup
    name: dup2
    annotations:
      ignore-check.immutalint.io/host-network: "reviewed"
  spec:
    hostNetwork: true
    hostIPC: true
    containers: [{name: c, image: x}]
- apiVersion: v1
  kind: List
  items:
  - apiVersion: v1
    kind: Pod
    metadata: {name: nested}
    spec:
      hostPID: true
      containers: [{name: c, image: x}]
)";
  std::string indented;
  std::istringstream lines(items);
  for (std::string line; std::getline(lines, line);) indented += (line.empty() ? "" : pad) + line + "\n";
  return "# Source: dump/templates/all.yaml\napiVersion: v1\nitems:\n" + indented +
         "kind: List\nmetadata:\n  resourceVersion: \"\"\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: after}\n"
         "spec: {hostPID: true, containers: [{name: c, image: x}]}\n";
}

/// A List of `count` Pods that share the host's PID namespace.
std::string pod_list(std::size_t count) {
  std::string text = "apiVersion: v1\nitems:\n";
  for (std::size_t i = 0; i < count; ++i) {
    text += fmt::format(
        "- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: p{}\n    namespace: team\n  spec:\n    hostPID: true\n"
        "    containers:\n    - name: c\n      image: registry.example/app:1\n",
        i);
  }
  return text + "kind: PodList\nmetadata:\n  resourceVersion: \"\"\n";
}

LintOptions options_with(std::size_t spill_items_above, std::size_t max_document_bytes = 32u << 20,
                         const std::string& targets = "all") {
  LintOptions options;
  options.targets = *TargetSet::builtin()->select(targets);
  options.split.spill_items_above = spill_items_above;
  options.split.max_document_bytes = max_document_bytes;
  return options;
}

std::string json_report(const LintResult& result) {
  std::ostringstream out;
  write_report(out, ReportFormat::Json, result, *Catalogue::builtin(), ReportOptions{});
  return out.str();
}

std::string lint_json(const std::string& text, const LintOptions& options) {
  auto linter = Linter::create(*Catalogue::builtin(), options);
  REQUIRE(linter);
  return json_report(linter->lint_text(text, "dump.yaml"));
}

/// The documents the splitter hands over for `text`.
std::vector<RawDocument> split(const std::string& text, std::size_t spill_items_above) {
  SplitLimits limits;
  limits.spill_items_above = spill_items_above;
  std::vector<RawDocument> documents;
  REQUIRE_FALSE(split_documents(text, limits, [&](RawDocument&& d) { documents.push_back(std::move(d)); }));
  return documents;
}

}  // namespace

TEST_CASE("the splitter moves a large List's items out of the document, line for line") {
  const std::string text = awkward_list("");
  const auto documents = split(text, 0);
  REQUIRE(documents.size() == 2);
  const RawDocument& list = documents[0];
  REQUIRE(list.items);
  CHECK(list.text ==
        "# Source: dump/templates/all.yaml\napiVersion: v1\nitems:\nkind: List\nmetadata:\n  resourceVersion: \"\"\n");
  CHECK(list.items->cut_at() == std::string("# Source: dump/templates/all.yaml\napiVersion: v1\nitems:\n").size());
  CHECK_FALSE(documents[1].items);

  std::vector<SpilledItems::Item> items;
  REQUIRE(list.items->for_each_item(1u << 20, [&](SpilledItems::Item&& item) { items.push_back(std::move(item)); }));
  REQUIRE(items.size() == 8);
  CHECK(items[0].first_line == 4);  // the comment before the first entry goes with it
  CHECK(items[0].text.starts_with("# the first pod\n  apiVersion: v1\n  kind: Pod\n"));
  CHECK(items[1].text == "  null\n");
  CHECK(items[2].text == " \n");
  CHECK(items[3].first_line == 24);
  CHECK(items[3].text == "  42\n");

  // Under the threshold nothing moves.
  const auto small = split(text, 1u << 20);
  REQUIRE(small.size() == 2);
  CHECK_FALSE(small[0].items);
  CHECK(small[0].text + small[1].text == text);
}

TEST_CASE("a List read item by item gives the findings of the List read whole") {
  for (const std::string pad : {"", "  "}) {
    INFO("entries indented by " << pad.size());
    const std::string text = awkward_list(pad);
    const std::string whole = lint_json(text, options_with(1u << 20));
    const std::string streamed = lint_json(text, options_with(0));
    CHECK(test::unified_diff(whole, streamed, "whole", "item by item") == "");

    // The comparison means something only if the List has findings of every kind.
    const auto report = nlohmann::json::parse(streamed);
    std::vector<std::string> checks;
    for (const auto& finding : report["findings"]) checks.push_back(finding["check"]);
    CHECK_THAT(checks, Catch::VectorContains(std::string("host-binary-install")));
    CHECK_THAT(checks, Catch::VectorContains(std::string("duplicate-key")));
    CHECK_THAT(checks, Catch::VectorContains(std::string("invalid-input")));  // item 3 is `42`
    CHECK_THAT(checks, Catch::VectorContains(std::string("host-pid")));       // the nested List's Pod
    CHECK(report["summary"]["documents"] == 2);
    CHECK(report["summary"]["suppressed"].get<int>() >= 1);
  }
}

TEST_CASE("a List read item by item on worker threads gives the same report as on one thread") {
  const std::string dir = test::make_temp_dir();
  test::write_file(dir + "/dump.yaml", awkward_list("") + "---\n" + pod_list(300));
  InputSet inputs;
  inputs.files.push_back(InputFile{"dump.yaml", dir + "/dump.yaml"});
  std::vector<std::string> reports;
  for (unsigned jobs : {1u, 3u}) {
    for (std::size_t spill : {std::size_t{0}, std::size_t{1} << 20}) {
      LintOptions options = options_with(spill);
      options.jobs = jobs;
      auto linter = Linter::create(*Catalogue::builtin(), options);
      REQUIRE(linter);
      reports.push_back(json_report(linter->lint(inputs)));
    }
  }
  for (std::size_t i = 1; i < reports.size(); ++i)
    CHECK(test::unified_diff(reports[0], reports[i], "first", "other") == "");
}

TEST_CASE("a List larger than the document limit is linted item by item") {
  const std::string text = pod_list(400);  // about 60 KB
  const std::size_t limit = 16u << 10;
  REQUIRE(text.size() > 3 * limit);

  const auto whole = nlohmann::json::parse(lint_json(text, options_with(1u << 20, limit, "generic")));
  REQUIRE(whole["findings"].size() == 1);
  CHECK_THAT(whole["findings"][0]["message"].get<std::string>(), Catch::Contains("more than the 0 MiB limit"));

  const auto streamed = nlohmann::json::parse(lint_json(text, options_with(4u << 10, limit, "generic")));
  CHECK(streamed["summary"]["workloads"] == 400);
  CHECK(streamed["findings"].size() == 400);
  for (const auto& finding : streamed["findings"]) CHECK(finding["check"] == "host-pid");
  // Positions are those of the input file: the last Pod's hostPID is its seventh line.
  CHECK(streamed["findings"][399]["line"] == 3 + 399 * 10 + 6);
}

TEST_CASE("a document with top-level items that is not a List is put back together") {
  const std::string not_a_list = pod_list(50);
  std::string custom = not_a_list;
  custom.replace(custom.find("kind: PodList"), 13, "kind: Inventory");
  std::string broken = not_a_list;  // the rest does not parse: read whole, it is one syntax error
  broken += "metadata: [\n";
  // A second `items:` replaces the first, which Kubernetes then drops as a repeated key.
  const std::string twice = not_a_list +
                            "items:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: last}\n"
                            "  spec: {hostIPC: true, containers: [{name: c, image: x}]}\n";
  for (const std::string& text : {custom, broken, twice}) {
    CHECK(test::unified_diff(lint_json(text, options_with(1u << 20)), lint_json(text, options_with(0)), "whole",
                             "spilled") == "");
  }
  // Put back together, it is held to the document limit.
  const auto dropped = nlohmann::json::parse(lint_json(custom, options_with(0, 4u << 10)));
  REQUIRE(dropped["findings"].size() == 1);
  CHECK_THAT(dropped["findings"][0]["message"].get<std::string>(),
             Catch::Contains(fmt::format("document is {} bytes", custom.size())));
}
