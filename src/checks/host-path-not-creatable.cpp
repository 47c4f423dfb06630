// host-path-not-creatable: a host path that the kubelet, the runtime or a provisioner must
// create, under a tree the target keeps read-only or lacks, so the pod never starts.
#include <algorithm>

#include <fmt/format.h>

#include "checks/host_path_support.hpp"
#include "immutalint/check.hpp"

namespace immutalint::checks {

namespace {

class HostPathNotCreatable final : public Check {
 public:
  explicit HostPathNotCreatable(const CheckInfo& info)
      : standard_top_level_(info.params.list("standard-top-level")),
        created_trees_(info.params.list("created-trees")) {}

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& volume : host_path_volumes(context)) {
      const bool creates = volume.type == "DirectoryOrCreate" || volume.type == "FileOrCreate";
      if (!creates && !volume.type.empty()) continue;
      Observation observation = observe_path(
          context, volume,
          fmt::format("hostPath volume \"{}\" needs {} to exist or be created on the node ({}); where its parent is "
                      "read-only or missing, the pod cannot start",
                      volume.volume->name, volume.path, creates ? "type " + volume.type : "type unset"));
      observation.action = Action::Creates;
      observation.evidence.push_back(EvidenceItem{
          creates ? fmt::format("type {} makes the kubelet create {} when it is missing", volume.type, volume.path)
                  : fmt::format("with no type, the runtime creates a missing {} as a directory", volume.path),
          Place{context.file, observation.span, observation.field}});
      judge_creation(context, observation, volume.path, creates);
      out.push_back(std::move(observation));
    }
    // Host paths that a ConfigMap of the input makes the workload create (provisioners).
    for (const auto& write : context.evidence.writes) {
      if (write.volume || !write.container.empty() || write.kind != WriteKind::Creates) continue;
      Observation observation = observe_site(
          write.site,
          fmt::format("the workload creates directories under {} on the node; where its parent is read-only "
                      "or missing, provisioning fails",
                      write.host_path));
      observation.cause = write.cause;
      observation.action = Action::Creates;
      observation.evidence.push_back(evidence_of(write.how, write.site));
      judge_creation(context, observation, write.host_path, true);
      out.push_back(std::move(observation));
    }
  }

 private:
  /// Paths that do not exist on a stock host and are created by whoever mounts them: a new
  /// top-level directory, or anything under the trees listed in `created-trees`.
  bool may_not_exist(std::string_view resolved) const {
    for (const auto& tree : created_trees_) {
      if (path_has_prefix(resolved, tree)) return true;
    }
    if (resolved == "/") return false;
    const auto end = resolved.find('/', 1);
    const std::string_view top = resolved.substr(1, end == std::string_view::npos ? std::string_view::npos : end - 1);
    return std::find(standard_top_level_.begin(), standard_top_level_.end(), top) == standard_top_level_.end();
  }

  void judge_creation(const CheckContext& context, Observation& observation, const std::string& path,
                      bool creates) const {
    for (const Target* target : context.targets) {
      const PathResolution resolution = target->resolve(path);
      if (!resolution.fact) continue;
      const PathFact& fact = *resolution.fact;
      const std::string why = describe_resolution(*target, resolution);
      if (fact.state == PathState::Absent) {
        judge(observation, *target, Verdict::Breaks, why + "; it cannot be created", fact.evidence);
      } else if (!resolution.exact && fact.state == PathState::ReadOnly) {
        if (may_not_exist(resolution.resolved)) {
          judge(observation, *target, Verdict::Breaks, why + "; the mkdir fails with EROFS", fact.evidence);
        } else if (creates) {
          judge(observation, *target, Verdict::LikelyBreaks, why + "; if the path is missing it cannot be created",
                fact.evidence);
        }
      }
    }
  }

  const std::vector<std::string> standard_top_level_;
  const std::vector<std::string> created_trees_;
};

}  // namespace

std::unique_ptr<Check> make_host_path_not_creatable(const CheckInfo& info) {
  return std::make_unique<HostPathNotCreatable>(info);
}

}  // namespace immutalint::checks
