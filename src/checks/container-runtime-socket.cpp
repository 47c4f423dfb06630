// container-runtime-socket: a mount of a container runtime's socket, which the target may not
// have (there is no Docker daemon on most immutable nodes).
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "checks/checks.hpp"
#include "checks/host_path_support.hpp"

namespace immutalint::checks {

namespace {

constexpr std::array<std::string_view, 6> kRuntimeSockets = {
    "/run/docker.sock", "/run/containerd/containerd.sock", "/run/crio/crio.sock", "/run/cri-dockerd.sock",
    "/run/dockershim.sock", "/run/docker/containerd/containerd.sock"};

class ContainerRuntimeSocket final : public Check {
 public:
  bool judges_targets() const override { return true; }

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    const auto volumes = host_path_volumes(context);
    std::vector<std::string> sockets;  // every runtime socket the pod mounts
    for (const auto& volume : volumes) {
      const std::string socket = canonical_host_path(volume.path);
      if (std::find(kRuntimeSockets.begin(), kRuntimeSockets.end(), socket) != kRuntimeSockets.end()) sockets.push_back(socket);
    }
    for (const auto& volume : volumes) {
      const std::string socket = canonical_host_path(volume.path);
      if (std::find(sockets.begin(), sockets.end(), socket) == sockets.end()) continue;
      Observation observation = observe_path(
          context, volume,
          fmt::format("hostPath volume \"{}\" mounts the container runtime socket {}: the pod drives the node's "
                      "runtime directly",
                      volume.volume->name, volume.path));
      for (const Target* target : context.targets) {
        const SocketFact* fact = target->socket(socket);
        // Agents that support several runtimes mount them all and use whichever exists.
        const std::string* alternative = nullptr;
        for (const auto& other : sockets) {
          const SocketFact* other_fact = target->socket(other);
          if (other != socket && other_fact && other_fact->present) alternative = &other;
        }
        if (fact && !fact->present && alternative) {
          judge(observation, *target, Verdict::Review,
                fmt::format("{} has no {} {}, but the pod also mounts {}, which it has", target->name(), fact->path,
                            cite(fact->evidence), *alternative));
        } else if (fact && !fact->present) {
          judge(observation, *target, capped(Verdict::Breaks, fact->evidence.confidence),
                fmt::format("{} has no {} {}", target->name(), fact->path, cite(fact->evidence)));
        } else if (fact && socket == "/run/docker.sock") {
          judge(observation, *target, Verdict::LikelyBreaks,
                fmt::format("a Docker daemon runs on {} {}, but it is not the kubelet's runtime: the node's pods are "
                            "not there",
                            target->name(), cite(fact->evidence)));
        } else if (fact) {
          judge(observation, *target, Verdict::Review,
                fmt::format("{} is present on {} {}; access to it is root on the node", fact->path, target->name(),
                            cite(fact->evidence)));
        } else {
          judge(observation, *target, Verdict::Review, fmt::format("{} does not say whether {} exists", target->name(), socket));
        }
      }
      if (!observation.verdicts.empty()) out.push_back(std::move(observation));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_container_runtime_socket(const CheckInfo& /*info*/) {
  return std::make_unique<ContainerRuntimeSocket>();
}

}  // namespace immutalint::checks
