// The adjudicated sample (testdata/precision/adjudicated.tsv): findings on the real corpus, each
// judged by hand with its reasoning. The verdicts are re-computed here, so a change to any of
// them fails until the row is judged again.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "immutalint/inputs.hpp"
#include "test_support.hpp"

using namespace immutalint;

namespace {

struct Row {
  std::string file;
  std::uint32_t line = 0;
  std::string check;
  std::string target;
  std::string verdict;
  std::string judgement;
};

std::vector<Row> read_rows() {
  std::ifstream in(test::source_dir() + "/testdata/precision/adjudicated.tsv");
  std::vector<Row> rows;
  std::string text;
  std::getline(in, text);  // header
  while (std::getline(in, text)) {
    std::vector<std::string> fields;
    std::stringstream stream(text);
    for (std::string field; std::getline(stream, field, '\t');) fields.push_back(field);
    REQUIRE(fields.size() == 7);
    rows.push_back(
        {fields[0], static_cast<std::uint32_t>(std::stoul(fields[1])), fields[2], fields[3], fields[4], fields[5]});
  }
  return rows;
}

}  // namespace

TEST_CASE("the adjudicated findings on the real corpus keep their verdicts", "[shared]") {
  const auto rows = read_rows();
  REQUIRE(rows.size() >= 50);
  std::map<std::pair<std::string, std::string>, LintResult> results;  // (file, target)
  std::map<std::string, std::size_t> judgements;
  for (const auto& row : rows) {
    ++judgements[row.judgement];
    auto key = std::make_pair(row.file, row.target);
    if (!results.count(key)) {
      auto inputs = collect_inputs({test::shared_dir() + "/corpus/real/" + row.file}, "<stdin>");
      REQUIRE(inputs);
      LintOptions options;
      options.targets = *TargetSet::builtin()->select(row.target);
      results[key] = Linter::create(*Catalogue::builtin(), options)->lint(*inputs);
    }
    Verdict worst = Verdict::Ready;
    for (const auto& finding : results[key].findings.all()) {
      // A command folded into its script's finding is judged with it: one of its evidence lines.
      const bool folded_here =
          finding.check == row.check &&
          std::any_of(finding.evidence.begin(), finding.evidence.end(), [&](const EvidenceItem& item) {
            return item.place.span.begin.line == row.line &&
                   (item.place.file.empty() || item.place.file == finding.file);
          });
      if (finding.span.begin.line != row.line && !folded_here) continue;
      for (const auto& verdict : finding.targets) {
        const std::string& by = verdict.check.empty() ? finding.check : verdict.check;
        if (by == row.check && verdict.target == row.target) worst = std::max(worst, verdict.verdict);
      }
      for (const auto& related : finding.related) {
        if (related.check == row.check && related.place.span.begin.line == row.line)
          worst = std::max(worst, related.verdict);
      }
    }
    INFO(row.file << ":" << row.line << " " << row.check << " on " << row.target << " (" << row.judgement << ")");
    CHECK(to_key(worst) == row.verdict);
  }
  // Every warning and error in the sample was judged a real risk; the silence side is right.
  CHECK(judgements["false-alarm"] == 0);
  CHECK(judgements["under-rated"] == 0);
}
