// Each Catch test case becomes one ctest test under its name (catch_discover_tests): a name
// that CMake would split (at `;`) or that ctest would trim (blanks at either end) makes ctest run
// something else than the case, or nothing, and count it as passed.
#include <catch2/catch.hpp>

#include <string>

TEST_CASE("every test case name becomes exactly one ctest test") {
  const auto& cases = Catch::getRegistryHub().getTestCaseRegistry().getAllTests();
  REQUIRE(cases.size() > 400);
  for (const auto& test : cases) {
    const std::string& name = test.getTestCaseInfo().name;
    INFO(name);
    CHECK(name.find(';') == std::string::npos);
    CHECK_FALSE(name.empty());
    CHECK(name.find_first_of(" \t\n") != 0);
    CHECK(name.find_last_of(" \t\n") != name.size() - 1);
  }
}
