// The check catalogue: valid, complete, in sync with the code and with docs/checks.md.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <sstream>

#include "immutalint/catalogue.hpp"
#include "immutalint/check.hpp"
#include "immutalint/fact_keys.hpp"
#include "immutalint/lint.hpp"
#include "immutalint/node_pools.hpp"
#include "immutalint/report.hpp"
#include "immutalint/suppression.hpp"
#include "immutalint/target.hpp"
#include "test_support.hpp"

using namespace immutalint;

TEST_CASE("the built-in catalogue parses and every entry is complete") {
  const auto& catalogue = Catalogue::builtin();
  INFO((catalogue ? std::string() : catalogue.error().message));
  REQUIRE(catalogue);
  CHECK(catalogue->checks().size() >= 10);
}

TEST_CASE("the registry lists every check of the catalogue once, and only those") {
  const auto& catalogue = *Catalogue::builtin();
  std::vector<std::string> registered;
  for (const auto& row : check_registry()) {
    INFO(row.id);
    CHECK(catalogue.find(row.id) != nullptr);
    // A Check unit has a factory; a check a stage makes has none.
    CHECK((row.make != nullptr) == (row.role == CheckRole::Workload || row.role == CheckRole::PodPlacement));
    registered.emplace_back(row.id);
  }
  std::vector<std::string> catalogued;
  for (const auto& info : catalogue.checks()) catalogued.push_back(info.id);
  std::sort(catalogued.begin(), catalogued.end());
  CHECK(registered == catalogued);
}

TEST_CASE("each role a stage reports as names one check") {
  for (CheckRole role : {CheckRole::PodPlacement, CheckRole::InvalidInput, CheckRole::DuplicateKey,
                         CheckRole::AnalysisIncomplete, CheckRole::DocumentedOutcome, CheckRole::NodePools,
                         CheckRole::DuplicateObject, CheckRole::UnusedWaiver, CheckRole::ReasonlessWaiver}) {
    const auto rows = check_registry();
    CHECK(std::count_if(rows.begin(), rows.end(), [&](const CheckFactory& row) { return row.role == role; }) == 1);
    CHECK_FALSE(check_id(role).empty());
  }
  CHECK(check_id(CheckRole::InvalidInput) == "invalid-input");
  CHECK(check_id(CheckRole::PodPlacement) == "os-sku-pinning");
}

TEST_CASE("the pipeline names no check: ids are written only in the registry and the checks' own units") {
  std::vector<std::string> ids;
  for (const auto& row : check_registry()) ids.emplace_back(row.id);
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(test::source_dir() + "/src")) {
    const std::string path = entry.path().generic_string();
    if (!entry.is_regular_file() || path.find("/src/checks/") != std::string::npos ||
        path.ends_with("/src/check_registry.cpp"))
      continue;
    ++files;
    const std::string text = test::read_file(path);
    for (const auto& id : ids) {
      INFO(path << " names " << id);
      CHECK(text.find('"' + id + '"') == std::string::npos);
    }
  }
  CHECK(files > 50);
}

TEST_CASE("the check registry is sorted by id") {
  auto registry = check_registry();
  for (std::size_t i = 1; i < registry.size(); ++i) CHECK(registry[i - 1].id < registry[i].id);
}

TEST_CASE("a catalogue entry with a bad severity or a mismatched file name is rejected") {
  std::vector<std::pair<std::string, std::string>> files = {
      {"x.yaml",
       "id: x\nkind: input\nseverity: fatal\nsummary: s\nrationale: r\nremediation: m\nexample: {flagged: f}\n"}};
  auto bad_severity = Catalogue::parse(files);
  REQUIRE_FALSE(bad_severity);
  CHECK_THAT(bad_severity.error().message, Catch::Contains("severity"));
  files = {{"y.yaml",
            "id: x\nkind: input\nseverity: note\nsummary: s\nrationale: r\nremediation: m\nexample: {flagged: f}\n"}};
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
    // With every check, the example's observation may lead its finding or be folded into it.
    auto flagged = test::observed_checks(test::lint_text(info.example_flagged, "example.yaml", "all"));
    CHECK(std::count(flagged.begin(), flagged.end(), info.id) >= 1);
    REQUIRE_FALSE(info.example_clean.empty());
    auto clean = test::lint_text(info.example_clean, "example.yaml", "all");
    auto ids = test::observed_checks(clean);
    CHECK(std::count(ids.begin(), ids.end(), info.id) == 0);
    CHECK(std::count(ids.begin(), ids.end(), std::string(check_id(CheckRole::InvalidInput))) == 0);
  }
}

TEST_CASE("a check's catalogue parameters are all read, and every one it reads is there") {
  // Linter::create refuses a check whose parameters and catalogue entry disagree.
  auto linter = Linter::create(*Catalogue::builtin(), LintOptions{});
  INFO((linter ? std::string() : linter.error().message));
  CHECK(linter);
}

namespace {

/// The catalogue as in checks/, with one entry's text changed by `edit`.
Result<Catalogue> catalogue_with(const std::string& id, const std::function<std::string(std::string)>& edit) {
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& entry : std::filesystem::directory_iterator(test::source_dir() + "/checks")) {
    if (entry.path().extension() != ".yaml") continue;
    std::string text = test::read_file(entry.path().string());
    const std::string name = entry.path().filename().string();
    files.emplace_back(name, name == id + ".yaml" ? edit(text) : text);
  }
  return Catalogue::parse(files);
}

}  // namespace

TEST_CASE("a parameter that names a fact the vocabulary lacks is refused") {
  LintOptions only_install;
  only_install.only = {"host-binary-install"};
  auto misspelt = catalogue_with("host-binary-install", [](std::string text) {
    const auto at = text.find("credential_provider_dir]");
    REQUIRE(at != std::string::npos);
    return text.replace(at, 23, "credential_provider_dri");
  });
  REQUIRE(misspelt);
  auto refused = Linter::create(*misspelt, only_install);
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().message,
             Catch::Contains("checks/host-binary-install.yaml: `credential_provider_dri` is no fact"));
}

TEST_CASE("a parameter or pattern group the check does not read or lacks is refused") {
  LintOptions only_reboot;
  only_reboot.only = {"reboot-from-pod"};
  auto unused = catalogue_with("reboot-from-pod", [](std::string text) {
    const auto at = text.find("\nparams:\n");
    REQUIRE(at != std::string::npos);
    return text.insert(at + 9, "  unused-list: [a]\n");
  });
  REQUIRE(unused);
  auto refused = Linter::create(*unused, only_reboot);
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().message, Catch::Contains("`unused-list` is not used"));

  auto renamed_group = catalogue_with("reboot-from-pod", [](std::string text) {
    const auto at = text.find("\n  images:\n");
    REQUIRE(at != std::string::npos);
    return text.replace(at, 11, "\n  imagez:\n");
  });
  REQUIRE(renamed_group);
  auto missing = Linter::create(*renamed_group, only_reboot);
  REQUIRE_FALSE(missing);
  CHECK_THAT(missing.error().message, Catch::Contains("`images` is missing"));
}

TEST_CASE("a pattern that is not a valid RE2 expression is refused when the catalogue loads") {
  auto broken = catalogue_with("reboot-from-pod", [](std::string text) {
    const auto at = text.find("regex: '(^|/)kured");
    REQUIRE(at != std::string::npos);
    return text.insert(at + 8, "((");
  });
  REQUIRE_FALSE(broken);
  CHECK_THAT(broken.error().message, Catch::Contains("pattern `kured`"));
}

TEST_CASE("posture checks never say more than review, on any target, for any input") {
  const std::string root = test::source_dir() + "/testdata";
  for (const auto& info : Catalogue::builtin()->checks()) {
    if (info.kind != CheckKind::Posture) continue;
    INFO(info.id);
    for (const auto& [target, row] : info.targets) CHECK(row.verdict <= Verdict::Review);
    const LintResult result = test::lint_text(info.example_flagged, "example.yaml", "all", {info.id});
    REQUIRE_FALSE(result.findings.empty());
    for (const auto& finding : result.findings.all()) CHECK(finding.severity == Severity::Note);
  }
}

TEST_CASE("every fact value a check compares is in the target vocabulary") {
  // fact_is(facts::key, "value") calls in the checks, read from their source: the key is typed,
  // the value is text.
  const auto& vocabulary = TargetSet::builtin()->vocabulary();
  const std::string call = "fact_is(facts::";
  std::size_t seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(test::source_dir() + "/src/checks")) {
    const std::string text = test::read_file(entry.path().string());
    for (std::size_t at = text.find(call); at != std::string::npos; at = text.find(call, at + 1)) {
      const auto key_start = at + call.size();
      const auto key_end = text.find(',', key_start);
      const std::string key = text.substr(key_start, key_end - key_start);
      const auto value_start = text.find('"', key_end) + 1;
      const std::string value = text.substr(value_start, text.find('"', value_start) - value_start);
      INFO(entry.path().filename().string() << ": " << key << " = " << value);
      auto term = std::find_if(vocabulary.begin(), vocabulary.end(), [&](const FactTerm& t) { return t.key == key; });
      REQUIRE(term != vocabulary.end());
      CHECK(std::find(term->values.begin(), term->values.end(), value) != term->values.end());
      ++seen;
    }
  }
  CHECK(seen >= 15);
}

TEST_CASE("the generated fact keys are the vocabulary's, in its order") {
  const auto& vocabulary = TargetSet::builtin()->vocabulary();
  REQUIRE(vocabulary.size() == facts::kAll.size());
  for (std::size_t i = 0; i < vocabulary.size(); ++i) CHECK(facts::kAll[i].name() == vocabulary[i].key);
  CHECK(find_fact_key("journald") == facts::journald);
  CHECK_FALSE(find_fact_key("jounrald"));
  // Only the generated constants make keys from text; data goes through find_fact_key.
  for (const auto& entry : std::filesystem::recursive_directory_iterator(test::source_dir() + "/src")) {
    if (!entry.is_regular_file()) continue;
    const std::string text = test::read_file(entry.path().string());
    INFO(entry.path().string());
    CHECK(text.find("FactKey(\"") == std::string::npos);
    CHECK(text.find("FactKey{\"") == std::string::npos);
  }
}

TEST_CASE("the per-target table that --explain shows matches what the check computes for its example") {
  const auto& targets = *TargetSet::builtin();
  for (const auto& info : Catalogue::builtin()->checks()) {
    if (info.targets_rule.empty()) continue;
    INFO(info.id);
    // The check alone, so that no other observation on the same cause lends its verdicts.
    const LintResult result = test::lint_text(info.example_flagged, "example.yaml", "all", {info.id});
    for (const auto& target : targets.all()) {
      auto listed = info.targets.find(target.name());
      if (listed == info.targets.end()) continue;
      Verdict computed = Verdict::Ready;
      for (const auto& finding : result.findings.all()) {
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
    for (const auto& [name, verdict] : info.targets) {
      INFO(info.id << ": " << name);
      CHECK((name == "default" || targets.find(name) != nullptr));
    }
  }
}
