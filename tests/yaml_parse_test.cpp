// Stage 2b: the YAML tree as Kubernetes' decoder would read it.
#include <catch2/catch.hpp>

#include <chrono>

#include "immutalint/yaml_parse.hpp"
#include "test_support.hpp"

using namespace immutalint;

namespace {

ParsedDocument parse_one(const std::string& text) {
  auto documents = parse_yaml_documents(text, 1);
  REQUIRE(documents.size() == 1);
  return std::move(documents.front());
}

std::string scalar_at(const YamlTree& tree, NodeId node) {
  return std::string(tree.scalar(node).value_or("<none>"));
}

}  // namespace

TEST_CASE("plain YAML 1.1 booleans are read in any letter case") {
  for (const char* word : {"true", "True", "TRUE", "tRuE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"}) {
    auto doc = parse_one(std::string("k: ") + word + "\n");
    CHECK(doc.tree.boolean(doc.tree.get(doc.tree.root(), "k")) == std::optional<bool>(true));
  }
  for (const char* word : {"false", "False", "no", "NO", "off", "Off", "n", "N"}) {
    auto doc = parse_one(std::string("k: ") + word + "\n");
    CHECK(doc.tree.boolean(doc.tree.get(doc.tree.root(), "k")) == std::optional<bool>(false));
  }
}

TEST_CASE("quoted and block booleans are strings, not booleans") {
  auto doc = parse_one("a: \"true\"\nb: 'yes'\nc: |\n  true\nd: truthy\ne: 1\n");
  for (const char* key : {"a", "b", "c", "d", "e"}) {
    INFO(key);
    CHECK_FALSE(doc.tree.boolean(doc.tree.get(doc.tree.root(), key)).has_value());
  }
}

TEST_CASE("an explicit !!bool tag makes a quoted scalar a boolean") {
  auto doc = parse_one("k: !!bool \"true\"\n");
  CHECK(doc.tree.boolean(doc.tree.get(doc.tree.root(), "k")) == std::optional<bool>(true));
}

TEST_CASE("empty values, ~ and null are null") {
  auto doc = parse_one("a:\nb: ~\nc: null\nd: \"null\"\n");
  const auto& tree = doc.tree;
  CHECK(tree.is_null(tree.get(tree.root(), "a")));
  CHECK(tree.is_null(tree.get(tree.root(), "b")));
  CHECK(tree.is_null(tree.get(tree.root(), "c")));
  CHECK_FALSE(tree.is_null(tree.get(tree.root(), "d")));
}

TEST_CASE("a repeated key keeps the last value and is reported at the repeat") {
  auto doc = parse_one("spec:\n  hostNetwork: false\n  x: 1\n  hostNetwork: true\n");
  const auto& tree = doc.tree;
  const NodeId spec = tree.get(tree.root(), "spec");
  CHECK(tree.boolean(tree.get(spec, "hostNetwork")) == std::optional<bool>(true));
  CHECK(tree.entries(spec).size() == 2);
  REQUIRE(doc.duplicates.size() == 1);
  CHECK(doc.duplicates[0].key == "hostNetwork");
  CHECK(doc.duplicates[0].repeat.begin == Mark{4, 3});
  CHECK(doc.duplicates[0].first == Mark{2, 3});
  CHECK(doc.duplicates[0].pointer == "/spec/hostNetwork");
  CHECK(tree.find(spec, "hostNetwork")->key_span.begin == Mark{4, 3});
}

TEST_CASE("duplicate keys inside lists carry the list index in their pointer") {
  auto doc = parse_one("items:\n- a: 1\n- b: 1\n  b: 2\n");
  REQUIRE(doc.duplicates.size() == 1);
  CHECK(doc.duplicates[0].pointer == "/items/1/b");
}

TEST_CASE("duplicate keys are found in large mappings too") {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "k" + std::to_string(i) + ": " + std::to_string(i) + "\n";
  text += "k42: last\n";
  auto doc = parse_one(text);
  REQUIRE(doc.duplicates.size() == 1);
  CHECK(doc.duplicates[0].key == "k42");
  CHECK(scalar_at(doc.tree, doc.tree.get(doc.tree.root(), "k42")) == "last");
}

TEST_CASE("aliases resolve to their anchor's value") {
  auto doc = parse_one("base: &ctx {privileged: true}\nuse: *ctx\n");
  const auto& tree = doc.tree;
  CHECK(tree.boolean(tree.get(tree.get(tree.root(), "use"), "privileged")) == std::optional<bool>(true));
}

TEST_CASE("merge keys apply a mapping, explicit keys winning") {
  auto doc = parse_one("base: &b {a: 1, b: 2}\nm:\n  b: 3\n  <<: *b\n");
  const auto& tree = doc.tree;
  const NodeId m = tree.get(tree.root(), "m");
  CHECK(scalar_at(tree, tree.get(m, "a")) == "1");
  CHECK(scalar_at(tree, tree.get(m, "b")) == "3");
  CHECK(tree.find(m, "<<") == nullptr);
  CHECK(doc.duplicates.empty());
}

TEST_CASE("merge keys apply a list of mappings, the earlier one winning") {
  auto doc = parse_one("x: &x {a: x1, c: x3}\ny: &y {a: y1, b: y2}\nm:\n  <<: [*x, *y]\n");
  const auto& tree = doc.tree;
  const NodeId m = tree.get(tree.root(), "m");
  CHECK(scalar_at(tree, tree.get(m, "a")) == "x1");
  CHECK(scalar_at(tree, tree.get(m, "b")) == "y2");
  CHECK(scalar_at(tree, tree.get(m, "c")) == "x3");
}

TEST_CASE("a mapping of more than 16 keys that merges new keys keeps every key intact") {
  // Reproducer of a heap use-after-free: the key index held views into entries that moved.
  auto doc = parse_one(test::read_file(test::source_dir() + "/testdata/repro/merge-key-use-after-free.input"));
  REQUIRE_FALSE(doc.error);
  const auto& tree = doc.tree;
  const NodeId x = tree.get(tree.root(), "x");
  std::vector<std::string> keys;
  for (const auto& entry : tree.entries(x)) keys.push_back(entry.key);
  const std::vector<std::string> expected = {"c", "d", "e", "f", "g", "h", "i", "j", "k",
                                             "l", "m", "n", "o", "p", "q", "r", "y", "z"};
  CHECK(keys == expected);
  CHECK(scalar_at(tree, tree.get(x, "y")) == "0");
  CHECK(doc.duplicates.empty());
}

TEST_CASE("merging many keys into a small mapping finds explicit and earlier merged keys") {
  std::string text = "base: &b {";
  for (int i = 0; i < 2000; ++i) text += (i ? ", k" : "k") + std::to_string(i) + ": base" + std::to_string(i);
  text += "}\nother: &o {k5: other, extra: other}\nm:\n  k7: own\n  <<: [*b, *o]\n";
  auto doc = parse_one(text);
  REQUIRE_FALSE(doc.error);
  const auto& tree = doc.tree;
  const NodeId m = tree.get(tree.root(), "m");
  CHECK(tree.entries(m).size() == 2001);
  CHECK(scalar_at(tree, tree.get(m, "k7")) == "own");
  CHECK(scalar_at(tree, tree.get(m, "k5")) == "base5");
  CHECK(scalar_at(tree, tree.get(m, "k1999")) == "base1999");
  CHECK(scalar_at(tree, tree.get(m, "extra")) == "other");
}

TEST_CASE("merge keys that copy too much are refused, not expanded in memory") {
  // One mapping with a long key, merged by many small mappings: the alias count stays low,
  // but every merge copies the key.
  std::string text = "a: &a\n  ? " + std::string(4096, 'k') + "\n  : v\nl:\n";
  for (int i = 0; i < 20000; ++i) text += "- {<<: *a}\n";
  auto doc = parse_one(text);
  REQUIRE(doc.error);
  CHECK_THAT(doc.error->message, Catch::Contains("merge keys (<<) copy more than"));
}

TEST_CASE("a quoted << is an ordinary key") {
  auto doc = parse_one("m:\n  \"<<\": {a: 1}\n");
  const auto& tree = doc.tree;
  CHECK(tree.find(tree.get(tree.root(), "m"), "<<") != nullptr);
}

TEST_CASE("a merge key whose value is a scalar is an error") {
  auto doc = parse_one("m:\n  <<: 5\n");
  REQUIRE(doc.error);
  CHECK_THAT(doc.error->message, Catch::Contains("merge key"));
}

TEST_CASE("an alias that refers to its own anchor is rejected, as Kubernetes does") {
  for (const char* text : {"a: &x [1, *x]\n", "a: &m {k: *m}\n"}) {
    auto doc = parse_one(text);
    REQUIRE(doc.error);
    CHECK_THAT(doc.error->message, Catch::Contains("contains an alias to itself"));
  }
}

TEST_CASE("an unknown alias is a syntax error with its position") {
  auto doc = parse_one("a: 1\nb: *missing\n");
  REQUIRE(doc.error);
  CHECK(doc.error->mark.line == 2);
}

TEST_CASE("an alias bomb is rejected quickly instead of being expanded") {
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 12; ++i) {
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) text += std::string(j ? ", " : "") + "*a" + std::to_string(i - 1);
    text += "]\n";
  }
  auto doc = parse_one(text);
  REQUIRE(doc.error);
  CHECK_THAT(doc.error->message, Catch::Contains("aliases expand"));
}

TEST_CASE("a billion-laughs document is refused quickly with a clear message") {
  std::string text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i < 10; ++i) {
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) text += std::string(j ? ", " : "") + "*a" + std::to_string(i - 1);
    text += "]\n";
  }
  const auto started = std::chrono::steady_clock::now();
  auto doc = parse_one(text);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  REQUIRE(doc.error);
  CHECK(doc.error->message ==
        "aliases expand this document to more than 4000000 nodes; it is not linted (Kubernetes rejects such "
        "documents too)");
  CHECK(elapsed < std::chrono::seconds(5));
}

TEST_CASE("aliases within the limit are accepted, and the limit counts what they add") {
  // 1 + 10 nodes under a0, aliased 10 times: the aliases add 110 nodes.
  const std::string text =
      "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\nl: [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]\n";
  ParseLimits limits;
  limits.max_expanded_nodes = 110;
  auto accepted = parse_yaml_documents(text, 1, limits);
  REQUIRE(accepted.size() == 1);
  CHECK_FALSE(accepted[0].error);
  limits.max_expanded_nodes = 109;
  auto refused = parse_yaml_documents(text, 1, limits);
  REQUIRE(refused.size() == 1);
  REQUIRE(refused[0].error);
  CHECK_THAT(refused[0].error->message, Catch::Contains("aliases expand"));
}

TEST_CASE("a List of 200,000 items without aliases is accepted, however many nodes it has") {
  // What `kubectl get pods -A -o yaml` gives on a large cluster: about 5.6 million nodes,
  // more than the alias limit, none of them added by an alias.
  std::string text = "apiVersion: v1\nkind: List\nitems:\n";
  for (int i = 0; i < 200000; ++i) {
    text += "- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: pod-" + std::to_string(i) +
            "\n    namespace: ns\n    labels: {app: web, tier: front}\n  spec:\n    nodeName: node-1\n"
            "    containers:\n    - name: c\n      image: busybox\n";
  }
  auto doc = parse_one(text);
  REQUIRE_FALSE(doc.error);
  CHECK(doc.tree.node_count() > ParseLimits{}.max_expanded_nodes);
  CHECK(doc.tree.items(doc.tree.get(doc.tree.root(), "items")).size() == 200000);
}

TEST_CASE("nesting deeper than the limit is an error, not a crash or a hang") {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']') + "\n";
  auto doc = parse_one(deep);
  REQUIRE(doc.error);
  CHECK_THAT(doc.error->message, Catch::Contains("nesting is deeper than"));
}

TEST_CASE("syntax errors carry the parser's line and column relative to the file") {
  auto documents = parse_yaml_documents("a: [1, 2\nb: 3\n", 10);
  REQUIRE(documents.size() == 1);
  REQUIRE(documents[0].error);
  CHECK(documents[0].error->mark.line >= 10);
  CHECK_THAT(documents[0].error->message, Catch::StartsWith("YAML syntax error"));
}

TEST_CASE("an unclosed double-quoted scalar is an error, as in Kubernetes") {
  auto doc = parse_one("a: \"unclosed\nb: 2\n");
  REQUIRE(doc.error);
  CHECK_THAT(doc.error->message, Catch::Contains("unexpected end of stream"));
}

TEST_CASE("marks are 1-based and spans cover key and value") {
  auto doc = parse_one("spec:\n  hostPID: true\n");
  const auto& tree = doc.tree;
  const MapEntry* entry = tree.find(tree.get(tree.root(), "spec"), "hostPID");
  REQUIRE(entry);
  const Span span = tree.span_of(*entry);
  CHECK(span.begin == Mark{2, 3});
  CHECK(span.end == Mark{2, 16});
}

TEST_CASE("CRLF line ends are accepted and do not shift positions") {
  auto doc = parse_one("a: 1\r\nb:\r\n  c: true\r\n");
  const auto& tree = doc.tree;
  const MapEntry* entry = tree.find(tree.get(tree.root(), "b"), "c");
  REQUIRE(entry);
  CHECK(entry->key_span.begin == Mark{3, 3});
}

TEST_CASE("JSON is read as YAML, tab indentation included") {
  auto doc = parse_one("{\n\t\"kind\": \"Pod\",\n\t\"spec\": {\"hostNetwork\": true}\n}\n");
  REQUIRE_FALSE(doc.error);
  const auto& tree = doc.tree;
  CHECK(tree.boolean(tree.get(tree.get(tree.root(), "spec"), "hostNetwork")) == std::optional<bool>(true));
}

TEST_CASE("comment-only and empty documents are empty, not errors") {
  for (const char* text : {"", "# just a comment\n", "---\n", "--- # c\n# more\n"}) {
    auto documents = parse_yaml_documents(text, 1);
    for (const auto& doc : documents) {
      CHECK_FALSE(doc.error);
      CHECK(doc.empty);
    }
  }
}

TEST_CASE("json_pointer_token escapes ~ and /") {
  CHECK(json_pointer_token("a/b~c") == "a~1b~0c");
}
