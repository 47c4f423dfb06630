// reboot-from-pod on kured as its project ships it: kured breaks where pods cannot reboot the node
// (Talos, Bottlerocket), works on Flatcar, whose OS updates write its sentinel, and idles where
// nothing writes the sentinel (AKS's immutable SKUs, Fedora CoreOS), which is a review.
#include <catch2/catch.hpp>

#include <map>

#include "test_support.hpp"

using namespace immutalint;

namespace {

/// The worst reboot-from-pod verdict per target, with the sources it cites, for kured-ds.yaml.
std::map<std::string, test::WorstVerdict> kured_verdicts() {
  const std::string path = "testdata/reboot-from-pod/kured-ds.yaml";
  return test::worst_verdicts(
      test::lint_text(test::read_file(test::source_dir() + "/" + path), path, "all", {"reboot-from-pod"}));
}

}  // namespace

TEST_CASE("kured idles where nothing writes its sentinel and that is a documented review") {
  const auto verdicts = kured_verdicts();
  const std::map<std::string, std::string> idle = {{"aks-acl", "AKS-NODEOS"},
                                                   {"aks-osguard", "AKS-NODEOS"},
                                                   {"aks-osguard-enforce", "AKS-NODEOS"},
                                                   {"fcos", "FCOS-UPD"}};
  for (const auto& [target, source] : idle) {
    INFO(target);
    REQUIRE(verdicts.count(target));
    CHECK(verdicts.at(target).verdict == Verdict::Review);
    CHECK_THAT(verdicts.at(target).source, Catch::Contains(source));
  }
}

TEST_CASE("kured is a review on Flatcar whose OS updates write its sentinel") {
  const auto verdicts = kured_verdicts();
  REQUIRE(verdicts.count("flatcar"));
  CHECK(verdicts.at("flatcar").verdict == Verdict::Review);
  CHECK_THAT(verdicts.at("flatcar").source, Catch::Contains("FC-UPD"));
}

TEST_CASE("kured still breaks on Talos and Bottlerocket where pods cannot reboot the node") {
  const auto verdicts = kured_verdicts();
  CHECK(verdicts.at("talos").verdict == Verdict::Breaks);
  CHECK(verdicts.at("bottlerocket").verdict == Verdict::Breaks);
  CHECK(verdicts.at("generic").verdict == Verdict::LikelyBreaks);
}
