// Golden files: every testdata/<dir>/X.yaml (or .yml, .json) is linted with all checks and its
// text report, notes listed, compared with X.expected; its SARIF must pass validate-sarif too. A first line
// `# targets: NAME,...` (or `all`, or `auto` for the pools of its Node objects), or a sidecar X.targets, judges the
// fixture for those target OSes. Set IMMUTALINT_UPDATE_GOLDEN=1 to rewrite them, then review the diff.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

#include "immutalint/inputs.hpp"
#include "immutalint/report.hpp"
#include "immutalint/scheduling_pools.hpp"
#include "test_support.hpp"

using namespace immutalint;
namespace fs = std::filesystem;

namespace {

struct Fixture {
  std::string relative;  // e.g. "host-network/flagged.yaml", also the display path
  fs::path input;
  fs::path expected;
};

std::vector<Fixture> fixtures() {
  const fs::path root = fs::path(test::source_dir()) / "testdata";
  std::vector<Fixture> found;
  // testdata/<dir>/X.yaml only: deeper folders hold inputs of other tests (a Helm chart).
  for (const auto& dir : fs::directory_iterator(root)) {
    if (!dir.is_directory()) continue;
    for (const auto& entry : fs::directory_iterator(dir.path())) {
      if (!entry.is_regular_file() || !is_manifest_file_name(entry.path().filename().string())) continue;
      Fixture fixture;
      fixture.input = entry.path();
      fixture.relative = fs::relative(entry.path(), root).generic_string();
      fixture.expected = fs::path(entry.path()).replace_extension(".expected");
      found.push_back(std::move(fixture));
    }
  }
  std::sort(found.begin(), found.end(), [](const Fixture& a, const Fixture& b) { return a.relative < b.relative; });
  return found;
}

/// The targets a fixture is judged for: a first line `# targets: talos,flatcar` (or `all`), or
/// for JSON, which has no comments, the first line of a sidecar file X.targets; without either,
/// the default profile.
std::string fixture_targets(const Fixture& fixture) {
  const fs::path sidecar = fs::path(fixture.input).replace_extension(".targets");
  if (fs::exists(sidecar)) {
    const std::string names = test::read_file(sidecar.string());
    return names.substr(0, names.find('\n'));
  }
  const std::string text = test::read_file(fixture.input.string());
  constexpr std::string_view kHeader = "# targets: ";
  if (!text.starts_with(kHeader)) return "generic";
  return text.substr(kHeader.size(), text.find('\n') - kHeader.size());
}

std::string golden_report(const Fixture& fixture) {
  LintOptions options;
  options.jobs = 1;
  InputSet inputs;
  inputs.files.push_back({fixture.relative, fixture.input.string()});
  if (fixture_targets(fixture) == kAutoTarget) {
    // The targets of the node pools that the fixture's Node objects describe, as the command
    // line takes them.
    REQUIRE(use_pool_targets(inputs, *TargetSet::builtin(), options));
  } else {
    auto targets = TargetSet::builtin()->select(fixture_targets(fixture));
    REQUIRE(targets);
    options.targets = *targets;
  }
  auto linter = Linter::create(*Catalogue::builtin(), options);
  REQUIRE(linter);
  // Notes are listed: the expected files are the place where every note a fixture makes is seen.
  ReportOptions report;
  report.show_notes = true;
  std::ostringstream out;
  write_text_report(out, linter->lint(inputs), report);
  return out.str();
}

bool updating() {
  const char* value = std::getenv("IMMUTALINT_UPDATE_GOLDEN");
  return value && *value && std::string(value) != "0";
}

}  // namespace

TEST_CASE("every testdata fixture produces exactly its expected report") {
  const auto all = fixtures();
  REQUIRE(all.size() > 20);
  for (const auto& fixture : all) {
    DYNAMIC_SECTION(fixture.relative) {
      const std::string actual = golden_report(fixture);
      if (updating()) {
        test::write_file(fixture.expected.string(), actual);
      } else {
        REQUIRE(fs::exists(fixture.expected));
        const std::string diff = test::unified_diff(test::read_file(fixture.expected.string()), actual,
                                                    fixture.relative + " (expected)", fixture.relative + " (actual)");
        if (!diff.empty()) {
          FAIL_CHECK(
              "the report differs from the expected file; review the diff, then regenerate with "
              "IMMUTALINT_UPDATE_GOLDEN=1 tests/immutalint_tests \"every testdata fixture produces exactly its "
              "expected report\"\n"
              << diff);
        }
      }
    }
  }
}

TEST_CASE("a golden failure shows a unified diff with context") {
  const std::string expected = "a\nb\nc\nd\ne\nf\ng\nh\n";
  const std::string actual = "a\nb\nc\nD\ne\nf\ng\nh\ni\n";
  CHECK(test::unified_diff(expected, expected, "x", "y").empty());
  CHECK(test::unified_diff(expected, actual, "x", "y") ==
        "--- x\n+++ y\n@@ -1,8 +1,9 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n h\n+i\n");
  // Changes far apart make separate hunks.
  std::string long_expected, long_actual;
  for (int i = 0; i < 30; ++i) {
    long_expected += std::to_string(i) + "\n";
    long_actual += (i == 2 || i == 25 ? "x" : std::to_string(i)) + "\n";
  }
  CHECK(test::unified_diff(long_expected, long_actual, "x", "y") ==
        "--- x\n+++ y\n@@ -1,6 +1,6 @@\n 0\n 1\n-2\n+x\n 3\n 4\n 5\n"
        "@@ -23,7 +23,7 @@\n 22\n 23\n 24\n-25\n+x\n 26\n 27\n 28\n");
}

TEST_CASE("every expected file has its fixture, and no two fixtures share one") {
  const fs::path root = fs::path(test::source_dir()) / "testdata";
  std::set<std::string> claimed;
  for (const auto& fixture : fixtures()) CHECK(claimed.insert(fixture.expected.string()).second);
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.path().extension() == ".expected") {
      INFO(entry.path().string());
      CHECK(claimed.count(entry.path().string()) == 1);
    }
  }
}

TEST_CASE("every check has golden fixtures where it reports and where it stays silent") {
  const fs::path root = fs::path(test::source_dir()) / "testdata";
  for (const auto& info : Catalogue::builtin()->checks()) {
    INFO(info.id);
    const fs::path dir = root / info.id;
    REQUIRE(fs::is_directory(dir));
    bool reported = false;
    bool silent = false;
    for (const auto& fixture : fixtures()) {
      if (fixture.input.parent_path() != dir || !fs::exists(fixture.expected)) continue;
      const bool mentions = test::read_file(fixture.expected.string()).find("[" + info.id + "]") != std::string::npos;
      (mentions ? reported : silent) = true;
    }
    CHECK(reported);
    CHECK(silent);
  }
}
