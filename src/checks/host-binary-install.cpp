// host-binary-install: the workload installs programs into a directory the host or the kubelet
// executes from (CNI plugins, kubelet plugins, credential providers, the node's bin dirs).
#include <fmt/format.h>

#include "checks/host_path_support.hpp"
#include "immutalint/check.hpp"
#include "immutalint/fact_keys.hpp"

namespace immutalint::checks {

namespace {

/// Writes that install into one folder and below it: one install, reported at its root.
struct Install {
  std::string root;                       ///< the shallowest folder written, canonical
  std::vector<const WriteGroup*> groups;  ///< the root's own group first
};

/// The shallowest path a group installs into.
std::string install_path(const WriteGroup& group) {
  std::string shallowest;
  for (const HostWrite* write : group.writes) {
    std::string path = canonical_host_path(write->host_path);
    if (shallowest.empty() || path.size() < shallowest.size()) shallowest = std::move(path);
  }
  return shallowest;
}

/// Groups the write groups by install: a group that installs below another's folder (a driver's
/// `vulkan/icd.d` under its install folder, a `chmod` of the folder through a root mount) is part
/// of that install. The root is the shallowest folder; on a tie, the group whose own mount is that
/// folder, then the first.
std::vector<Install> one_per_install(const std::vector<WriteGroup>& groups) {
  struct Candidate {
    std::string path;
    std::size_t mount_depth;  // the length of its volume's path: the dedicated mount wins a tie
    std::size_t index;
  };
  std::vector<Candidate> candidates;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const std::size_t depth = groups[i].volume ? canonical_host_path(groups[i].volume->path).size() : 0;
    candidates.push_back({install_path(groups[i]), depth, i});
  }
  std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.path.size() != b.path.size()) return a.path.size() < b.path.size();
    return a.mount_depth > b.mount_depth;
  });
  std::vector<Install> installs;
  for (const Candidate& candidate : candidates) {
    auto it = std::find_if(installs.begin(), installs.end(),
                           [&](const Install& install) { return path_has_prefix(candidate.path, install.root); });
    if (it == installs.end()) {
      installs.push_back({candidate.path, {&groups[candidate.index]}});
    } else {
      it->groups.push_back(&groups[candidate.index]);
    }
  }
  return installs;
}

/// Adds the installs known only from an installer's name or switch (WorkloadEvidence::intended)
/// to the write groups: to the group of their volume, or as a group of their own.
void add_intended(std::vector<WriteGroup>& groups, const std::vector<HostPathVolume>& volumes,
                  const WorkloadEvidence& evidence, const std::function<bool(const HostWrite&)>& installs) {
  for (const auto& volume : volumes) {
    std::vector<const HostWrite*> writes;
    for (const HostWrite& write : evidence.intended) {
      if (write.volume == volume.volume && installs(write)) writes.push_back(&write);
    }
    if (writes.empty()) continue;
    auto group = std::find_if(groups.begin(), groups.end(), [&](const WriteGroup& g) { return g.volume == &volume; });
    if (group == groups.end()) {
      groups.push_back(WriteGroup{&volume, std::move(writes)});
    } else {
      group->writes.insert(group->writes.end(), writes.begin(), writes.end());
    }
  }
}

class HostBinaryInstall final : public Check {
 public:
  explicit HostBinaryInstall(const CheckInfo& info) : exec_dirs_(info.params.list("exec-dirs")) {
    for (const auto& name : info.params.list("exec-dir-facts")) exec_dir_facts_.push_back(info.params.fact(name));
  }

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    const auto volumes = host_path_volumes(context);
    auto installs = [&](const HostWrite& w) {
      if (w.kind == WriteKind::Creates || w.kind == WriteKind::Removes) return false;
      if (w.programs) return true;  // a catalogued installer known to put programs there
      return std::any_of(context.targets.begin(), context.targets.end(),
                         [&](const Target* t) { return runs_from(*t, w.host_path); });
    };
    auto groups = group_writes(volumes, context.evidence, installs);
    add_intended(groups, volumes, context.evidence, installs);
    for (const auto& install : one_per_install(groups)) {
      const WriteGroup& root = *install.groups.front();
      std::vector<const HostWrite*> writes;
      for (const WriteGroup* group : install.groups)
        writes.insert(writes.end(), group->writes.begin(), group->writes.end());
      // An install known only from the installer's name or switch says so: the manifest shows no write.
      const bool intended =
          std::all_of(writes.begin(), writes.end(), [](const HostWrite* w) { return w->at_most < Verdict::Breaks; });
      std::string message = intended
                                ? fmt::format(
                                      "the pod runs an installer with {} mounted writable: it installs programs there, "
                                      "which the node runs",
                                      install.root)
                                : fmt::format("the pod installs programs into {}, which the node runs", install.root);
      if (install.groups.size() == 2) message += " (one install, with 1 more mount or command under it)";
      if (install.groups.size() > 2) {
        message += fmt::format(" (one install, with {} more mounts or commands under it)", install.groups.size() - 1);
      }
      Observation observation = observe_writes(context, root, std::move(message));
      observation.action = Action::Installs;
      add_write_evidence(observation, writes);
      // The other mounts and commands of the install are this cause: their findings fold into it.
      for (std::size_t i = 1; i < install.groups.size(); ++i) {
        const WriteGroup& part = *install.groups[i];
        Observation at = observe_writes(context, part, {});
        observation.joined_causes.push_back(std::move(at.cause));
        if (part.volume) {
          observation.evidence.push_back({fmt::format("hostPath volume \"{}\" ({}) is part of the same install",
                                                      part.volume->volume->name, part.volume->path),
                                          Place{{}, at.span, std::move(at.field)}});
        }
      }
      for (const Target* target : context.targets) judge_install(observation, *target, writes);
      out.push_back(std::move(observation));
    }
    for (const auto& volume : volumes) {
      if (!volume.writable) continue;
      if (std::any_of(groups.begin(), groups.end(), [&](const WriteGroup& g) { return g.volume == &volume; })) continue;
      const std::string path = canonical_host_path(volume.path);
      Observation observation = observe_path(
          context, volume,
          fmt::format(
              "hostPath volume \"{}\" mounts {}, where the node runs programs from, writable; the manifest shows "
              "no install into it",
              volume.volume->name, volume.path));
      for (const Target* target : context.targets) {
        if (runs_from(*target, path) && !target->general_purpose()) {
          judge_review(observation, *target, "a program installed there would run on the node");
        }
      }
      out.push_back(std::move(observation));
    }
  }

 private:
  /// True when `target`'s node or kubelet runs programs from `path`.
  bool runs_from(const Target& target, const std::string& path) const {
    const std::string canonical = canonical_host_path(path);
    for (const auto& dir : exec_dirs_) {
      if (path_has_prefix(canonical, dir)) return true;
    }
    for (FactKey key : exec_dir_facts_) {
      const std::string& dir = target.fact(key).value;
      if (!dir.empty() && path_has_prefix(canonical, canonical_host_path(dir))) return true;
    }
    return false;
  }

  void judge_install(Observation& observation, const Target& target,
                     const std::vector<const HostWrite*>& writes) const {
    Verdict worst = Verdict::Ready;
    std::string why;
    Evidence fact;
    Evidence other;
    for (const HostWrite* write : writes) {
      if (!write->programs && !runs_from(target, write->host_path)) continue;
      const PathResolution resolution = target.resolve(write->host_path);
      if (!resolution.fact) continue;
      const PathFact& path = *resolution.fact;
      const std::string where = describe_resolution(target, resolution);
      Verdict verdict = Verdict::Ready;
      std::string outcome;
      Evidence second = path.evidence;
      const auto cap = [&] {
        // Known only from the installer's name or switch: whether it writes here is up to its image.
        if (verdict <= write->at_most) return;
        verdict = write->at_most;
        outcome += "; the manifest shows no write, only an installer whose script decides what it writes";
      };
      if (path.state == PathState::ReadOnly || path.state == PathState::Absent) {
        verdict = Verdict::Breaks;
        outcome = "nothing can be installed there";
      } else if (path.exec == ExecPolicy::Ipe) {
        const Fact& ipe = target.fact(facts::ipe);
        second = ipe.evidence;
        if (target.fact_is(facts::ipe, "enforce")) {
          verdict = Verdict::Breaks;
          outcome = "IPE enforces: only signed dm-verity code runs";
        } else {
          // Audit mode logs and allows: the break waits on enforcement (the *-enforce profile).
          verdict = Verdict::Review;
          outcome = "IPE audits such binaries today and denies them once enforced";
        }
      } else if (path.exec == ExecPolicy::Noexec) {
        verdict = Verdict::Breaks;
        outcome = "it is mounted noexec, so the node cannot run what is installed";
      } else if (path.state == PathState::ResetAtBoot) {
        verdict = Verdict::Review;
        outcome = "reset at every boot, so the pod must reinstall on each start";
      }
      cap();
      if (verdict > worst) {
        worst = verdict;
        why = where + "; " + outcome;
        fact = path.evidence;
        other = second;
      }
    }
    if (worst == Verdict::Review) {
      judge_review(observation, target, why);
    } else if (worst > Verdict::Review) {
      judge(observation, target, worst, why, fact, other);
    }
  }

  const std::vector<std::string> exec_dirs_;
  std::vector<FactKey> exec_dir_facts_;
};

}  // namespace

std::unique_ptr<Check> make_host_binary_install(const CheckInfo& info) {
  return std::make_unique<HostBinaryInstall>(info);
}

}  // namespace immutalint::checks
