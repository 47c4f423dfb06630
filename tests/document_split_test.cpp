// Stage 2a: cutting streams into documents.
#include <catch2/catch.hpp>

#include "immutalint/document_split.hpp"

using namespace immutalint;

namespace {

std::vector<RawDocument> split(const std::string& text, SplitLimits limits = {}) {
  std::vector<RawDocument> documents;
  auto problem = split_documents(text, limits, [&](RawDocument&& doc) { documents.push_back(std::move(doc)); });
  REQUIRE_FALSE(problem);
  return documents;
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
  auto docs = split("\xEF\xBB\xBF" "a: 1\n");
  REQUIRE(docs.size() == 1);
  CHECK(docs[0].text == "a: 1\n");
}

TEST_CASE("a file with NUL bytes is reported as not text") {
  const std::string binary("\x7f" "ELF\0\0\0", 7);
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
