// Stage 2a: cutting streams into documents.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include "immutalint/document_split.hpp"
#include "immutalint/yaml_parse.hpp"
#include "test_support.hpp"

using namespace immutalint;
namespace fs = std::filesystem;

namespace {

std::vector<RawDocument> split(const std::string& text, SplitLimits limits = {}) {
  std::vector<RawDocument> documents;
  auto problem = split_documents(text, limits, [&](RawDocument&& doc) { documents.push_back(std::move(doc)); });
  REQUIRE_FALSE(problem);
  return documents;
}

/// What one split gives: the documents and the problem, if any.
struct Split {
  std::vector<RawDocument> documents;
  std::optional<StreamProblem> problem;
};

Split split_memory(const std::string& text, const SplitLimits& limits) {
  Split out;
  out.problem = split_documents(text, limits, [&](RawDocument&& doc) { out.documents.push_back(std::move(doc)); });
  return out;
}

Split split_file(const std::string& path, const SplitLimits& limits) {
  Split out;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  out.problem = split_documents(fd, limits, [&](RawDocument&& doc) { out.documents.push_back(std::move(doc)); });
  ::close(fd);
  return out;
}

/// The differences between two splits, for a readable failure; empty when they agree.
std::string differences(const Split& a, const Split& b) {
  std::string out;
  if (a.documents.size() != b.documents.size()) {
    out += "document counts " + std::to_string(a.documents.size()) + " and " + std::to_string(b.documents.size());
    out += "\n";
  }
  for (std::size_t i = 0; i < std::min(a.documents.size(), b.documents.size()); ++i) {
    const RawDocument& x = a.documents[i];
    const RawDocument& y = b.documents[i];
    if (x.text != y.text || x.first_line != y.first_line || x.skipped_bytes != y.skipped_bytes) {
      out += "document " + std::to_string(i) + ": line " + std::to_string(x.first_line) + " / " +
             std::to_string(y.first_line) + ", skipped " + std::to_string(x.skipped_bytes) + " / " +
             std::to_string(y.skipped_bytes) + ", text [" + x.text + "] / [" + y.text + "]\n";
    }
  }
  if (a.problem.has_value() != b.problem.has_value() ||
      (a.problem && (a.problem->message != b.problem->message || a.problem->line != b.problem->line))) {
    out += "problems differ\n";
  }
  return out;
}

/// Every byte of `text` (but a leading byte-order mark) lands in exactly one document, kept or
/// dropped, and only documents over the limit are dropped.
void check_accounting(const std::string& text, const SplitLimits& limits, const Split& split) {
  if (split.problem) return;  // splitting stopped at the problem
  const std::size_t mark = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  std::size_t total = 0;
  for (const auto& doc : split.documents) {
    total += doc.text.size() + doc.skipped_bytes;
    if (doc.skipped_bytes > 0) {
      CHECK(doc.skipped_bytes > limits.max_document_bytes);
    } else {
      CHECK(doc.text.size() <= limits.max_document_bytes);
    }
  }
  CHECK(total == text.size() - mark);
}

/// Inputs for the differential test: the fixtures, the reproducers and edge cases.
std::vector<std::pair<std::string, std::string>> differential_inputs() {
  std::vector<std::pair<std::string, std::string>> inputs;  // name, text
  const fs::path root = fs::path(test::source_dir()) / "testdata";
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && (name.ends_with(".yaml") || name.ends_with(".input"))) {
      inputs.emplace_back(fs::relative(entry.path(), root).generic_string(), test::read_file(entry.path().string()));
    }
  }
  std::sort(inputs.begin(), inputs.end());
  const std::vector<std::string> edge_cases = {
      "",
      "---",
      "a: 1\n---",
      "a: 1\n--",
      std::string("\xEF\xBB\xBF") + "a: 1\n---\nb: 2\n",
      "\xEF\xBB",
      "\xEF\xBBx: 1\n",
      "a: 1\r\n---\r\nb: 2\r\n--- # c\r\n",
      "%YAML 1.1\n--- # comment\na: 1\n---\nb: 2\n",
      "a: 1\n---\n%YAML 1.1\n---\nb: 2\n",
      "a: 1\n---\t\nb: 2\n---x\nc: 3\n",
      "--- " + std::string(300, 'x') + "\n--- |\n  text\n",
      "a: " + std::string(500, 'y') + "\n---\nb: 1\n" + std::string(70, 'z') + "\n---\nc: 1",
      std::string("a: 1\n---\nb: 2\nc: \0\n---\nd: 3\n", 28),
  };
  for (std::size_t i = 0; i < edge_cases.size(); ++i) {
    inputs.emplace_back("edge case " + std::to_string(i), edge_cases[i]);
  }
  return inputs;
}

}  // namespace

TEST_CASE("documents are cut at --- lines and keep their first line number") {
  auto docs = split("a: 1\n---\nb: 2\nc: 3\n--- # comment\nd: 4\n");
  REQUIRE(docs.size() == 3);
  CHECK(docs[0].text == "a: 1\n");
  CHECK(docs[0].first_line == 1);
  CHECK(docs[1].text == "---\nb: 2\nc: 3\n");
  CHECK(docs[1].first_line == 2);
  CHECK(docs[2].first_line == 5);
}

TEST_CASE("an indented --- inside a block scalar is content, not a separator") {
  auto docs = split("data:\n  script: |\n    echo start\n    ---\n    echo end\n---\nb: 2\n");
  REQUIRE(docs.size() == 2);
  CHECK(docs[1].first_line == 6);
}

TEST_CASE("a line starting ---text without a space is not a separator") {
  auto docs = split("a: 1\n---b\n");
  CHECK(docs.size() == 1);
}

TEST_CASE("CRLF separators are recognised") {
  auto docs = split("a: 1\r\n---\r\nb: 2\r\n");
  REQUIRE(docs.size() == 2);
  CHECK(docs[1].first_line == 2);
}

TEST_CASE("a UTF-8 byte-order mark is dropped") {
  auto docs = split(
      "\xEF\xBB\xBF"
      "a: 1\n");
  REQUIRE(docs.size() == 1);
  CHECK(docs[0].text == "a: 1\n");
}

TEST_CASE("a file with NUL bytes is reported as not text") {
  const std::string binary(
      "\x7f"
      "ELF\0\0\0",
      7);
  auto problem = split_documents(binary, SplitLimits{}, [](RawDocument&&) {});
  REQUIRE(problem);
  CHECK_THAT(problem->message, Catch::Contains("not a text file"));
}

TEST_CASE("an oversized document is dropped and reported while its neighbours are kept") {
  SplitLimits limits;
  limits.max_document_bytes = 64;
  std::string big = "---\nbig: |\n";
  for (int i = 0; i < 100; ++i) big += "  line " + std::to_string(i) + "\n";
  auto docs = split("a: 1\n" + big + "---\nz: 1\n", limits);
  REQUIRE(docs.size() == 3);
  CHECK(docs[0].text == "a: 1\n");
  CHECK(docs[1].skipped_bytes > 64);
  CHECK(docs[1].first_line == 2);
  CHECK(docs[2].text == "---\nz: 1\n");
  CHECK(docs[2].first_line == 104);
}

TEST_CASE("a very long line in an oversized document does not keep memory") {
  SplitLimits limits;
  limits.max_document_bytes = 1024;
  auto docs = split("a: " + std::string(100000, 'x') + "\n---\nb: 1\n", limits);
  REQUIRE(docs.size() == 2);
  CHECK(docs[0].skipped_bytes == 100004);
  CHECK(docs[1].text == "---\nb: 1\n");
}

TEST_CASE("the Helm # Source comment before a document is found") {
  CHECK(helm_source_of("---\n# Source: agent/templates/ds.yaml\napiVersion: v1\n") == "agent/templates/ds.yaml");
  CHECK(helm_source_of("# Source: chart/templates/a.yaml\r\nkind: Pod\r\n") == "chart/templates/a.yaml");
  CHECK(helm_source_of("kind: Pod\n# Source: late.yaml\n").empty());
}

TEST_CASE("a %YAML directive before --- stays with its document, as Kubernetes reads it") {
  auto docs = split("%YAML 1.1\n--- # comment\napiVersion: v1\nkind: Pod\n---\nb: 2\n");
  REQUIRE(docs.size() == 2);
  CHECK(docs[0].text == "%YAML 1.1\n--- # comment\napiVersion: v1\nkind: Pod\n");
  CHECK(docs[0].first_line == 1);
  CHECK(docs[1].first_line == 5);
  auto parsed = parse_yaml_documents(docs[0].text, docs[0].first_line);
  REQUIRE(parsed.size() == 1);
  CHECK_FALSE(parsed[0].error);
  const YamlTree& tree = parsed[0].tree;
  CHECK(tree.scalar(tree.get(tree.root(), "kind")) == std::optional<std::string_view>("Pod"));
}

TEST_CASE("a directive after a document belongs to the next one") {
  auto docs = split("a: 1\n---\n%YAML 1.1\n# note\n---\nb: 2\n");
  REQUIRE(docs.size() == 2);
  CHECK(docs[1].text == "---\n%YAML 1.1\n# note\n---\nb: 2\n");
  auto parsed = parse_yaml_documents(docs[1].text, docs[1].first_line);
  REQUIRE_FALSE(parsed.empty());
  for (const auto& doc : parsed) CHECK_FALSE(doc.error);
}

TEST_CASE("a document being dropped is cut at the same lines as one being kept, directives included") {
  const std::string text = "a: " + std::string(100, 'x') + "\n%YAML 1.1\n---\nb: 1\n---\nc: 2\n";
  SplitLimits small;
  small.max_document_bytes = 64;
  for (const auto& docs : {split(text), split(text, small)}) {
    REQUIRE(docs.size() == 2);
    CHECK(docs[0].first_line == 1);
    CHECK(docs[1].first_line == 5);
  }
  CHECK(split(text, small)[0].skipped_bytes > 0);
}

TEST_CASE("the Helm # Source comment is found after a directive") {
  CHECK(helm_source_of("%YAML 1.1\n---\n# Source: chart/templates/a.yaml\nkind: Pod\n") == "chart/templates/a.yaml");
}

TEST_CASE("a document under the limit is kept when the next --- line straddles a read block") {
  // Reproducer: the first bytes of a separator line were counted against the document before it.
  const std::string path = test::source_dir() + "/testdata/repro/split-limit-block-boundary.input";
  const std::string text = test::read_file(path);
  // Limits of 21, 70, 74 and 87 bytes, among others, dropped a document before the fix.
  for (std::size_t limit = 16; limit <= 128; ++limit) {
    SplitLimits limits;
    limits.max_document_bytes = limit;
    const Split memory = split_memory(text, limits);
    check_accounting(text, limits, memory);
    for (std::size_t block : {1, 2, 3, 5, 7, 13, 64}) {
      limits.read_block_bytes = block;
      INFO("document limit " << limit << ", read block " << block);
      CHECK(differences(memory, split_file(path, limits)).empty());
    }
  }
}

TEST_CASE("splitting from memory and from a file read in small blocks gives the same documents") {
  const std::string dir = test::make_temp_dir();
  const std::string path = dir + "/input";
  std::size_t compared = 0;
  for (const auto& [name, text] : differential_inputs()) {
    test::write_file(path, text);
    for (std::size_t limit : {8, 21, 33, 64, 65, 70, 87, 100, 1000, 32 << 20}) {
      SplitLimits limits;
      limits.max_document_bytes = limit;
      const Split memory = split_memory(text, limits);
      check_accounting(text, limits, memory);
      for (std::size_t block : {1, 2, 3, 4, 5, 7, 64}) {
        limits.read_block_bytes = block;
        const Split file = split_file(path, limits);
        const std::string diff = differences(memory, file);
        INFO(name << ", document limit " << limit << ", read block " << block << "\n" << diff);
        CHECK(diff.empty());
        ++compared;
      }
    }
  }
  fs::remove_all(dir);
  CHECK(compared > 1000);
}

TEST_CASE("a NUL byte stops splitting at its line, whatever the read blocks") {
  const std::string text("a: 1\n---\nb: 2\nc: \0\n", 19);
  auto memory = split_memory(text, SplitLimits{});
  REQUIRE(memory.problem);
  CHECK(memory.problem->line == 4);
  REQUIRE(memory.documents.size() == 1);
  CHECK(memory.documents[0].text == "a: 1\n");
}

TEST_CASE("a manifest with a %YAML directive is linted without an input error") {
  const auto result = test::lint_text(
      "%YAML 1.1\n--- # comment\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
      "spec:\n  hostNetwork: true\n  containers: [{name: c, image: busybox}]\n");
  const auto ids = test::check_ids(result);
  CHECK(std::find(ids.begin(), ids.end(), "invalid-input") == ids.end());
  CHECK(std::find(ids.begin(), ids.end(), "host-network") != ids.end());
}
