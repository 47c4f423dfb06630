// Which target a Node stands for, from real osImage, kernelVersion and label values as nodes
// report them (AKS node image build logs, AKS docs, public kubectl output).
#include <catch2/catch.hpp>

#include <string>

#include "immutalint/node_os.hpp"

using namespace immutalint;

namespace {

std::string target_of(const std::string& os_image, const std::string& kernel,
                      std::map<std::string, std::string, std::less<>> labels = {}) {
  const auto& rules = NodeOsRules::builtin();
  INFO((rules ? std::string() : rules.error().message));
  REQUIRE(rules);
  const NodeOsMatch match = rules->identify(NodeReport{os_image, kernel, std::move(labels)});
  if (!match.rule) return "unknown";
  if (!match.target) return "not linux";
  return match.target->name();
}

}  // namespace

TEST_CASE("the node OS rules load and name only known targets") {
  const auto& rules = NodeOsRules::builtin();
  INFO((rules ? std::string() : rules.error().message));
  REQUIRE(rules);
  CHECK(rules->rules().size() > 10);
  CHECK(rules->os_sku_label() == "kubernetes.azure.com/os-sku");
  CHECK(rules->pool_labels().front() == "kubernetes.azure.com/agentpool");
}

TEST_CASE("Ubuntu nodes on AKS") {
  CHECK(target_of("Ubuntu 22.04.5 LTS", "5.15.0-1079-azure") == "ubuntu");
  CHECK(target_of("Ubuntu 22.04.2 LTS", "5.15.0-1035-azure") == "ubuntu");
  CHECK(target_of("Ubuntu 24.04.4 LTS", "6.8.0-1063-azure-fde") == "ubuntu");
  CHECK(target_of("Ubuntu 20.04.6 LTS", "5.4.0-1166-azure-fips") == "ubuntu");
  CHECK(target_of("Ubuntu 22.04.5 LTS", "5.15.0-1116-azure",
                  {{"kubernetes.azure.com/os-sku", "Ubuntu"},
                   {"kubernetes.azure.com/os-sku-effective", "Ubuntu2204"},
                   {"kubernetes.azure.com/node-image-version", "AKSUbuntu-2204gen2containerd-202510.03.1"}}) ==
        "ubuntu");
}

TEST_CASE("Azure Container Linux and Flatcar for AKS nodes") {
  CHECK(target_of("Microsoft Azure Container Linux 3.0.20260809", "6.6.150.1-1.azl3") == "aks-acl");
  CHECK(target_of("Microsoft Azure Container Linux 3.0.20260401", "6.6.130.1-3.azl3") == "aks-acl");
  // Flatcar for AKS reports the Flatcar name; its node image says it is the AKS SKU.
  CHECK(target_of("Flatcar Container Linux by Kinvolk 4372.0.1 (Oklo)", "6.12.35-flatcar",
                  {{"kubernetes.azure.com/node-image-version", "AKSFlatcar-flatcargen2-202508.06.0"}}) == "aks-acl");
  CHECK(target_of("Flatcar Container Linux by Kinvolk 4694.0.1", "6.12.91-flatcar",
                  {{"kubernetes.azure.com/node-image-version", "AKSFlatcar-flatcargen2-202607.02.0"}}) == "aks-acl");
  CHECK(target_of("Microsoft Azure Container Linux 3.0.20260602", "6.6.139.1-1.azl3",
                  {{"kubernetes.azure.com/os-sku", "AzureContainerLinux"}}) == "aks-acl");
}

TEST_CASE("OS Guard nodes report Azure Linux 3.0: only their labels tell them apart") {
  CHECK(target_of("Microsoft Azure Linux 3.0", "6.6.119.3-1.azl3",
                  {{"kubernetes.azure.com/node-image-version", "AKSAzureLinux-OSGuardV3gen2fipsTL-202512.18.0"}}) ==
        "aks-osguard");
  CHECK(target_of("Microsoft Azure Linux 3.0", "6.6.119.3-1.azl3",
                  {{"kubernetes.azure.com/os-sku", "AzureLinuxOSGuard"}}) == "aks-osguard");
  // Without them the node is plain Azure Linux, a general-purpose host.
  CHECK(target_of("Microsoft Azure Linux 3.0", "6.6.150.1-1.azl3") == "ubuntu");
  CHECK(target_of("CBL-Mariner/Linux", "5.15.167.1-2.cm2") == "ubuntu");
  CHECK(target_of("Microsoft Azure Linux 3.0", "6.6.104.2-4.azl3",
                  {{"kubernetes.azure.com/node-image-version", "AKSAzureLinux-V3gen2-202510.29.0"},
                   {"kubernetes.azure.com/os-sku", "AzureLinux"}}) == "ubuntu");
}

TEST_CASE("Flatcar, Talos, Bottlerocket and Fedora CoreOS nodes elsewhere") {
  CHECK(target_of("Flatcar Container Linux by Kinvolk 4081.2.1 (Oklo)", "6.6.65-flatcar") == "flatcar");
  CHECK(target_of("Flatcar Container Linux by Kinvolk 4459.2.4 (Oklo)", "6.12.74-flatcar") == "flatcar");
  CHECK(target_of("Flatcar Container Linux by Kinvolk 4152.2.2 (Oklo)", "6.6.83-flatcar") == "flatcar");
  CHECK(target_of("Talos (v1.8.1)", "6.6.54-talos") == "talos");
  CHECK(target_of("Talos (v1.9.1)", "6.12.6-talos") == "talos");
  CHECK(target_of("Talos (v1.6.4)", "6.1.74-talos") == "talos");
  CHECK(target_of("Talos (v1.12.4)", "6.18.9-talos") == "talos");
  CHECK(target_of("Bottlerocket OS 1.12.0 (aws-k8s-1.23)", "5.10.157") == "bottlerocket");
  CHECK(target_of("Bottlerocket OS 1.15.0 (aws-k8s-1.27)", "5.15.108") == "bottlerocket");
  CHECK(target_of("Bottlerocket OS 1.15.0 (vmware-k8s-1.24)", "5.15.122") == "bottlerocket");
  CHECK(target_of("Fedora CoreOS 39.20240210.3.0", "6.7.4-200.fc39.x86_64") == "fcos");
  CHECK(target_of("Fedora CoreOS 41.20250302.3.2", "6.13.5-200.fc41.x86_64") == "fcos");
}

TEST_CASE("other OSes: general-purpose ones are judged as Ubuntu, Windows is not Linux, the rest is unknown") {
  CHECK(target_of("Amazon Linux 2", "5.10.165-143.735.amzn2.x86_64") == "ubuntu");
  CHECK(target_of("Amazon Linux 2023.8.20250908", "6.12.40-64.114.amzn2023.x86_64") == "ubuntu");
  CHECK(target_of("Windows Server 2022 Datacenter", "10.0.20348.825") == "not linux");
  CHECK(target_of("Windows Server 2019 Datacenter", "10.0.17763.2061", {{"kubernetes.io/os", "windows"}}) ==
        "not linux");
  CHECK(target_of("Container-Optimized OS from Google", "6.12.55+") == "unknown");
  CHECK(target_of("", "") == "unknown");
}

TEST_CASE("node OS rules with mistakes are refused") {
  const auto& targets = *TargetSet::builtin();
  auto refused = [&](const std::string& text) {
    auto rules = NodeOsRules::parse(text, targets);
    REQUIRE_FALSE(rules);
    return rules.error().message;
  };
  CHECK_THAT(refused("sources: {A: a}\nrules:\n  - {target: nowhere, os-image: x, source: A}\n"),
             Catch::Contains("no target `nowhere`"));
  CHECK_THAT(refused("sources: {A: a}\nrules:\n  - {target: talos, source: A}\n"),
             Catch::Contains("needs a condition"));
  CHECK_THAT(refused("sources: {A: a}\nrules:\n  - {target: talos, os-image: '(', source: A}\n"),
             Catch::Contains("pattern `(`"));
  CHECK_THAT(refused("sources: {A: a}\nrules:\n  - {target: talos, os-image: x, source: B}\n"),
             Catch::Contains("source `B` is not listed"));
  CHECK_THAT(refused("sources: {A: a}\nrules:\n  - {target: talos, os-image: x}\n"), Catch::Contains("cites its"));
  CHECK_THAT(refused("sources: {A: a}\nrules:\n  - {target: talos, os-image: x, source: A, colour: red}\n"),
             Catch::Contains("unknown key `colour`"));
  // The pool and OS SKU labels are lists with their sources.
  const std::string rule = "rules:\n  - {target: talos, os-image: x, source: A}\n";
  const std::string pools = "pool-labels: {labels: [agentpool], source: A}\n";
  CHECK_THAT(refused("sources: {A: a}\n" + rule + "os-sku-labels: {labels: [os-sku], source: A}\n"),
             Catch::Contains("`pool-labels` needs a list of `labels`"));
  CHECK_THAT(refused("sources: {A: a}\n" + rule + pools + "os-sku-labels: {labels: [os-sku]}\n"),
             Catch::Contains("`os-sku-labels` cites its `source`"));
  CHECK_THAT(refused("sources: {A: a}\n" + rule + pools + "os-sku-labels: {labels: [os-sku], source: A  B}\n"),
             Catch::Contains("source `B` is not listed"));
  CHECK(NodeOsRules::parse("sources: {A: a}\n" + rule + pools + "os-sku-labels: {labels: [os-sku], source: A}\n",
                           targets));
}
