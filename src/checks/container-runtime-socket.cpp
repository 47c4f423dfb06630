// container-runtime-socket: a mount of a container runtime's socket, which the target may not
// have (there is no Docker daemon on most immutable nodes).
#include <algorithm>

#include <fmt/format.h>

#include "checks/host_path_support.hpp"
#include "immutalint/check.hpp"

namespace immutalint::checks {

namespace {

class ContainerRuntimeSocket final : public Check {
 public:
  explicit ContainerRuntimeSocket(const CheckInfo& info)
      : sockets_(info.params.list("runtime-sockets")),
        docker_(info.params.list("docker-socket")),
        other_runtime_(info.params.list("other-runtime-sockets")) {}

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    const auto volumes = host_path_volumes(context);
    std::vector<std::string> mounted;  // every runtime socket the pod mounts
    for (const auto& volume : volumes) {
      const std::string socket = canonical_host_path(volume.path);
      if (std::find(sockets_.begin(), sockets_.end(), socket) != sockets_.end()) mounted.push_back(socket);
    }
    for (const auto& volume : volumes) {
      const std::string socket = canonical_host_path(volume.path);
      if (std::find(mounted.begin(), mounted.end(), socket) == mounted.end()) continue;
      Observation observation = observe_path(
          context, volume,
          fmt::format("hostPath volume \"{}\" mounts the container runtime socket {}: the pod drives the node's "
                      "runtime directly",
                      volume.volume->name, volume.path));
      observation.action = Action::Requires;
      // With type Socket the kubelet refuses to start the pod unless this very socket exists;
      // without a type the pod starts either way, so an agent that mounts several runtimes' sockets
      // works with whichever the node has.
      const bool required = volume.type == "Socket";
      for (const Target* target : context.targets) {
        const SocketFact* fact = target->socket(socket);
        const auto [alternative, alternative_fact] = other_present(*target, mounted, socket);
        if (fact && !fact->present && other_runtime(socket)) {
          // The socket of a runtime the kubelet does not use: absent from general-purpose nodes
          // too, so the pod needs a node with that runtime, which is not a property of this target.
          judge(observation, *target, Verdict::Review,
                fmt::format("{} has no {}, and neither has any node whose kubelet runs another runtime (Kubernetes "
                            "1.24 removed dockershim): the pod needs a node with that runtime wherever it runs{}",
                            target->name(), fact->path,
                            required ? ", and type Socket keeps it from starting on any other" : ""),
                fact->evidence);
        } else if (fact && !fact->present && required) {
          judge(observation, *target, Verdict::Breaks,
                fmt::format("{} has no {}, and type Socket makes the kubelet refuse to start the pod without it",
                            target->name(), fact->path),
                fact->evidence);
        } else if (fact && !fact->present && alternative) {
          judge_review(observation, *target,
                       fmt::format("{} has no {}, but the pod also mounts {}, which it has", target->name(), fact->path,
                                   *alternative));
        } else if (fact && !fact->present) {
          judge(observation, *target, Verdict::Breaks, fmt::format("{} has no {}", target->name(), fact->path),
                fact->evidence);
        } else if (fact && is_docker(socket) && alternative && !required) {
          judge(observation, *target, Verdict::Review,
                fmt::format("a Docker daemon runs on {} beside the kubelet's runtime, and the pod also mounts {}, "
                            "which {} has: an agent that queries every runtime it finds sees the node's pods there",
                            target->name(), *alternative, target->name()),
                alternative_fact->evidence);
        } else if (fact && is_docker(socket)) {
          // The pod starts, and finds a Docker without the node's pods: what it would find on any
          // containerd node with Docker installed, so not a property of this target either.
          judge(observation, *target, Verdict::Review,
                fmt::format("a Docker daemon runs on {}, but it is not the kubelet's runtime, so the node's pods "
                            "are not there: as on any containerd node, the pod needs a Docker node",
                            target->name()),
                fact->evidence);
        } else if (fact) {
          judge_review(
              observation, *target,
              fmt::format("{} is present on {}; access to it is root on the node", fact->path, target->name()));
        } else {
          judge_review(observation, *target, fmt::format("{} does not say whether {} exists", target->name(), socket));
        }
      }
      out.push_back(std::move(observation));
    }
  }

 private:
  /// Another runtime socket of the pod that `target` has, with its fact; nulls when none.
  static std::pair<const std::string*, const SocketFact*> other_present(const Target& target,
                                                                        const std::vector<std::string>& mounted,
                                                                        const std::string& socket) {
    for (const auto& other : mounted) {
      const SocketFact* fact = target.socket(other);
      if (other != socket && fact && fact->present) return {&other, fact};
    }
    return {nullptr, nullptr};
  }

  bool is_docker(const std::string& socket) const {
    return std::find(docker_.begin(), docker_.end(), socket) != docker_.end();
  }

  bool other_runtime(const std::string& socket) const {
    return std::find(other_runtime_.begin(), other_runtime_.end(), socket) != other_runtime_.end();
  }

  const std::vector<std::string> sockets_;
  const std::vector<std::string> docker_;
  /// Sockets of runtimes that no target's kubelet uses (Docker, CRI-O).
  const std::vector<std::string> other_runtime_;
};

}  // namespace

std::unique_ptr<Check> make_container_runtime_socket(const CheckInfo& info) {
  return std::make_unique<ContainerRuntimeSocket>(info);
}

}  // namespace immutalint::checks
