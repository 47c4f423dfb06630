// Target OS profiles: the data parses, paths resolve through links to the longest listed
// prefix, aliases and `extends` work, and docs/targets.md matches the data.
#include <catch2/catch.hpp>

#include <sstream>

#include "immutalint/fact_keys.hpp"
#include "immutalint/report.hpp"
#include "immutalint/target.hpp"
#include "test_support.hpp"

using namespace immutalint;

namespace {

const Target& target(std::string_view name) {
  const Target* found = TargetSet::builtin()->find(name);
  REQUIRE(found);
  return *found;
}

}  // namespace

TEST_CASE("the built-in target profiles parse and include every documented target") {
  const auto& targets = TargetSet::builtin();
  INFO((targets ? std::string() : targets.error().message));
  REQUIRE(targets);
  for (const char* name : {"generic", "ubuntu", "flatcar", "aks-acl", "aks-osguard", "aks-osguard-enforce", "talos",
                           "bottlerocket", "fcos"}) {
    INFO(name);
    CHECK(targets->find(name) != nullptr);
  }
  CHECK(targets->all().front().name() == "generic");
}

TEST_CASE("the retired aks-flatcar name selects Azure Container Linux") {
  CHECK(&target("aks-flatcar") == &target("aks-acl"));
}

TEST_CASE("aks-osguard-enforce extends aks-osguard with IPE enforcing") {
  CHECK(target("aks-osguard").fact(facts::ipe).value == "audit");
  CHECK(target("aks-osguard-enforce").fact(facts::ipe).value == "enforce");
  CHECK(target("aks-osguard-enforce").paths().size() >= target("aks-osguard").paths().size());
  CHECK(target("aks-osguard-enforce").resolve("/usr").fact->state == PathState::ReadOnly);
}

TEST_CASE("paths resolve through symbolic links to the longest listed prefix") {
  const PathResolution modules = target("flatcar").resolve("/lib/modules/6.6.0/kernel");
  CHECK(modules.resolved == "/usr/lib/modules/6.6.0/kernel");
  REQUIRE(modules.fact);
  CHECK(modules.fact->state == PathState::ReadOnly);
  CHECK_FALSE(modules.links.empty());
  const PathResolution run = target("talos").resolve("/var/run/containerd/containerd.sock");
  CHECK(run.resolved == "/run/containerd/containerd.sock");
  CHECK(target("talos").resolve("//usr/./local/").resolved == "/usr/local");
  CHECK(target("ubuntu").resolve("/usr/local/bin").fact->state == PathState::Persistent);
  CHECK(target("bottlerocket").resolve("/opt/cni/bin").fact->state == PathState::ResetAtBoot);
  CHECK(target("bottlerocket").resolve("/opt/other").fact->state == PathState::Persistent);
}

TEST_CASE("the immutable targets keep /usr read-only and the general-purpose one does not") {
  for (const auto& profile : TargetSet::builtin()->all()) {
    INFO(profile.name());
    const PathResolution usr = profile.resolve("/usr/lib");
    REQUIRE(usr.fact);
    CHECK((usr.fact->state == PathState::ReadOnly) == !profile.general_purpose());
  }
}

TEST_CASE("the target option accepts lists, aliases and all, and rejects unknown names") {
  const auto& targets = *TargetSet::builtin();
  auto some = targets.select("talos,aks-flatcar");
  REQUIRE(some);
  REQUIRE(some->size() == 2);
  CHECK((*some)[0]->name() == "aks-acl");  // profile order, not typed order
  CHECK(targets.select("all")->size() == targets.all().size());
  auto unknown = targets.select("windows");
  REQUIRE_FALSE(unknown);
  CHECK_THAT(unknown.error().message, Catch::Contains("unknown target 'windows'"));
  auto r = test::run_cli({"--target", "windows", "testdata/host-pid/flagged.yaml"});
  CHECK(r.exit_code == 2);
}

TEST_CASE("a profile citing an undeclared source is rejected") {
  std::vector<std::pair<std::string, std::string>> files = {
      {"x.yaml",
       "name: x\ntitle: X\ndescription: d\nsources: {A: a}\nfacts: {}\npaths:\n"
       "  - {path: /usr, state: ro, source: B, confidence: documented}\n"}};
  auto parsed = TargetSet::parse(files);
  REQUIRE_FALSE(parsed);
}

TEST_CASE("docs/targets.md matches the target data (regenerate with scripts/update-docs.sh)") {
  std::ostringstream generated;
  write_target_list_markdown(generated, *TargetSet::builtin());
  CHECK(test::read_file(test::source_dir() + "/docs/targets.md") == generated.str());
}
