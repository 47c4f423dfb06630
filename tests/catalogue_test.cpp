// The check catalogue: valid, complete, in sync with the code and with docs/checks.md.
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

#include "immutalint/catalogue.hpp"
#include "immutalint/check.hpp"
#include "immutalint/report.hpp"
#include "immutalint/target.hpp"
#include "test_support.hpp"

using namespace immutalint;

TEST_CASE("the built-in catalogue parses and every entry is complete") {
  const auto& catalogue = Catalogue::builtin();
  INFO((catalogue ? std::string() : catalogue.error().message));
  REQUIRE(catalogue);
  CHECK(catalogue->checks().size() >= 10);
}

TEST_CASE("every registered check has a catalogue entry and every entry has an implementation") {
  const auto& catalogue = *Catalogue::builtin();
  std::vector<std::string> implemented{std::string(kInvalidInputCheck), std::string(kDuplicateKeyCheck)};
  for (const auto& factory : check_registry()) {
    CHECK(catalogue.find(factory.id) != nullptr);
    implemented.emplace_back(factory.id);
  }
  for (const auto& info : catalogue.checks()) {
    INFO(info.id);
    CHECK(std::find(implemented.begin(), implemented.end(), info.id) != implemented.end());
  }
}

TEST_CASE("the check registry is sorted by id") {
  auto registry = check_registry();
  for (std::size_t i = 1; i < registry.size(); ++i) CHECK(registry[i - 1].id < registry[i].id);
}

TEST_CASE("a catalogue entry with a bad severity or a mismatched file name is rejected") {
  std::vector<std::pair<std::string, std::string>> files = {
      {"x.yaml", "id: x\nseverity: fatal\nsummary: s\nrationale: r\nremediation: m\nexample: {flagged: f}\n"}};
  auto bad_severity = Catalogue::parse(files);
  REQUIRE_FALSE(bad_severity);
  CHECK_THAT(bad_severity.error().message, Catch::Contains("severity"));
  files = {{"y.yaml", "id: x\nseverity: note\nsummary: s\nrationale: r\nremediation: m\nexample: {flagged: f}\n"}};
  auto bad_name = Catalogue::parse(files);
  REQUIRE_FALSE(bad_name);
  CHECK_THAT(bad_name.error().message, Catch::Contains("file name"));
}

TEST_CASE("docs/checks.md matches the catalogue (regenerate with scripts/update-docs.sh)") {
  std::ostringstream generated;
  write_check_list_markdown(generated, *Catalogue::builtin());
  CHECK(test::read_file(test::source_dir() + "/docs/checks.md") == generated.str());
}

TEST_CASE("each check's flagged example is reported by that check and its clean example is not") {
  for (const auto& info : Catalogue::builtin()->checks()) {
    INFO(info.id);
    auto flagged = test::check_ids(test::lint_text(info.example_flagged, "example.yaml", "all"));
    CHECK(std::count(flagged.begin(), flagged.end(), info.id) >= 1);
    REQUIRE_FALSE(info.example_clean.empty());
    auto clean = test::lint_text(info.example_clean, "example.yaml", "all");
    auto ids = test::check_ids(clean);
    CHECK(std::count(ids.begin(), ids.end(), info.id) == 0);
    CHECK(std::count(ids.begin(), ids.end(), std::string(kInvalidInputCheck)) == 0);
  }
}

TEST_CASE("the per-target table that --explain shows matches what the check computes for its example") {
  const auto& targets = *TargetSet::builtin();
  for (const auto& info : Catalogue::builtin()->checks()) {
    if (info.verdict_rule.empty()) continue;
    INFO(info.id);
    const LintResult result = test::lint_text(info.example_flagged, "example.yaml", "all");
    for (const auto& target : targets.all()) {
      auto listed = info.verdicts.find(target.name());
      if (listed == info.verdicts.end()) continue;
      Verdict computed = Verdict::Ready;
      for (const auto& finding : result.findings) {
        if (finding.check != info.id) continue;
        for (const auto& verdict : finding.targets) {
          if (verdict.target == target.name()) computed = std::max(computed, verdict.verdict);
        }
      }
      INFO(target.name());
      CHECK(to_key(computed) == to_key(listed->second.verdict));
    }
  }
}

TEST_CASE("every target a check's table names is a known target") {
  const auto& targets = *TargetSet::builtin();
  for (const auto& info : Catalogue::builtin()->checks()) {
    for (const auto& [name, verdict] : info.verdicts) {
      INFO(info.id << ": " << name);
      CHECK((name == "default" || targets.find(name) != nullptr));
    }
  }
}
