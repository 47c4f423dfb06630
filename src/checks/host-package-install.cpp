// host-package-install: a container runs a package manager against the host (after nsenter or
// chroot, the host's own binary through a mount, or --root into a host mount). Installing into
// the container's own image is not reported.
#include <fmt/format.h>

#include "checks/command_support.hpp"
#include "immutalint/check.hpp"
#include "immutalint/fact_keys.hpp"

namespace immutalint::checks {

namespace {

class HostPackageInstall final : public Check {
 public:
  explicit HostPackageInstall(const CheckInfo& info)
      : managers_(info.params.table("package-managers")), root_options_(info.params.list("root-options")) {}

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    CauseFilter causes;
    for (const auto& run : context.evidence.commands) {
      const auto manager = managers_.find(std::string(run.command.program()));
      if (manager == managers_.end()) continue;
      auto verb = first_operand(run.command, {"-o", "-c", "--config", "-R", "--root", "--installroot", "-r"});
      const auto& verbs = manager->second;
      // rpm and dpkg take their operation as an option (-i, -U, --install).
      bool installs = verb && std::find(verbs.begin(), verbs.end(), *verb) != verbs.end();
      for (const auto& arg : run.command.args()) {
        installs =
            installs || (arg.text.starts_with("-") && std::find(verbs.begin(), verbs.end(), arg.text) != verbs.end());
      }
      if (!installs) continue;
      const std::string how = host_scope(context, run);
      if (how.empty() || !causes.first(run)) continue;
      Observation observation =
          observe_command(run, fmt::format("{} runs `{}` on the host ({}): it installs or changes host packages",
                                           describe_container(*run.container), run.command.text(), how));
      observation.action = Action::Installs;
      for (const Target* target : context.targets) {
        const Fact& packages = target->fact(facts::package_manager);
        if (target->fact_is(facts::package_manager, "false")) {
          judge(observation, *target, Verdict::Breaks,
                fmt::format("{} has no package manager that can change the OS", target->name()), packages.evidence);
        }
      }
      out.push_back(std::move(observation));
    }
  }

 private:
  /// How the package manager reaches the host; empty when it acts on the container's own files.
  std::string host_scope(const CheckContext& context, const RunCommand& run) const {
    if (run.on_host) return run.command.entered_by;
    const std::string& program = run.command.argv[0].text;
    if (program.starts_with("/")) {
      if (const HostMount* mount = context.evidence.host_mount_of(*run.container, program)) {
        return fmt::format("the host's own {} through hostPath {}", run.command.program(), mount->host_path);
      }
    }
    const auto args = run.command.args();
    for (std::size_t i = 0; i < args.size(); ++i) {
      for (const auto& option : root_options_) {
        std::string root;
        if (args[i].text == option && i + 1 < args.size()) root = args[i + 1].text;
        if (args[i].text.starts_with(option + "=")) root = args[i].text.substr(option.size() + 1);
        if (root.empty()) continue;
        if (const HostMount* mount = context.evidence.host_mount_of(*run.container, root)) {
          return fmt::format("{} {} is hostPath {}", option, root, mount->host_path);
        }
      }
    }
    return {};
  }

  const std::map<std::string, std::vector<std::string>> managers_;
  const std::vector<std::string> root_options_;
};

}  // namespace

std::unique_ptr<Check> make_host_package_install(const CheckInfo& info) {
  return std::make_unique<HostPackageInstall>(info);
}

}  // namespace immutalint::checks
