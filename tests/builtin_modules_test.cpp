// kernel-module-load and modules the kernel has built in: `modprobe` of a built-in module finds it
// in modules.builtin and loads nothing, so on Talos, where no workload may load a module, it is a
// review; a module the kernel builds as loadable (=m) still breaks there.
#include <catch2/catch.hpp>

#include <map>

#include "test_support.hpp"

using namespace immutalint;

namespace {

/// The worst kernel-module-load verdict per target, with the sources it cites.
std::map<std::string, test::WorstVerdict> module_verdicts(const std::string& text, const std::string& path,
                                                          const std::string& targets) {
  return test::worst_verdicts(test::lint_text(text, path, targets, {"kernel-module-load"}));
}

std::string pod_running(const std::string& command) {
  return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: loader\nspec:\n  containers:\n    - name: loader\n"
         "      image: registry.example/loader:1.0\n      command: " +
         command + "\n      securityContext:\n        privileged: true\n";
}

}  // namespace

TEST_CASE("modprobe of modules Talos builds into its kernel is a review there, citing the kernel configuration") {
  for (const std::string command : {R"(["modprobe", "iscsi_tcp"])", R"(["modprobe", "-v", "vhost-net"])",
                                    R"(["modprobe", "-a", "rbd", "overlay", "br_netfilter"])",
                                    R"(["modprobe", "-C", "/etc/modprobe.d", "nvme_tcp", "max_queues=4"])"}) {
    INFO(command);
    const auto verdicts = module_verdicts(pod_running(command), "pod.yaml", "talos");
    REQUIRE(verdicts.count("talos"));
    CHECK(verdicts.at("talos").verdict == Verdict::Review);
    CHECK_THAT(verdicts.at("talos").source, Catch::Contains("TAL-KCONF"));
  }
}

TEST_CASE("a module Talos builds as loadable, or one whose name is not known, still breaks there") {
  for (const std::string command : {R"(["modprobe", "ip_vs"])", R"(["modprobe", "-a", "iscsi_tcp", "ip_vs"])",
                                    R"(["sh", "-c", "modprobe $MODULE"])", R"(["modprobe", "-r", "-a"])",
                                    R"(["sh", "-c", "modprobe iscsi_tcp && modprobe ip_vs"])"}) {
    INFO(command);
    const auto verdicts = module_verdicts(pod_running(command), "pod.yaml", "talos");
    REQUIRE(verdicts.count("talos"));
    CHECK(verdicts.at("talos").verdict == Verdict::Breaks);
  }
}

TEST_CASE("a module built into Talos's kernel is no reason to pass on targets that do not build it in") {
  const auto verdicts =
      module_verdicts(pod_running(R"(["insmod", "/opt/vhost_net.ko"])"), "pod.yaml", "talos,bottlerocket");
  CHECK(verdicts.at("talos").verdict == Verdict::Breaks);
  CHECK(verdicts.at("bottlerocket").verdict == Verdict::LikelyBreaks);
}

TEST_CASE("the GPU Operator's kata manager loads only modules built into Talos's kernel", "[shared]") {
  const std::string path =
      test::shared_dir() + "/corpus/real/nvidia-gpu-operator/assets/state-kata-manager/0600_daemonset.yaml";
  const auto verdicts = module_verdicts(test::read_file(path), path, "talos,bottlerocket");
  REQUIRE(verdicts.count("talos"));
  CHECK(verdicts.at("talos").verdict == Verdict::Review);
  CHECK_THAT(verdicts.at("talos").source, Catch::Contains("TAL-KCONF"));
  // Bottlerocket lists no built-in modules: the load is judged as before.
  REQUIRE(verdicts.count("bottlerocket"));
  CHECK(verdicts.at("bottlerocket").verdict == Verdict::Review);
}
