// kernel-module-load: a workload loads kernel modules: the SYS_MODULE capability, `modprobe` or
// `insmod`, or a known driver loader.
#include <fmt/format.h>

#include <algorithm>

#include "checks/command_support.hpp"
#include "immutalint/check.hpp"
#include "immutalint/fact_keys.hpp"

namespace immutalint::checks {

namespace {

/// What is loaded decides what a signed-only kernel does with it.
enum class Module { Named, File, Built };

/// A module name as modprobe and modules.builtin spell it: `-` and `_` are the same character.
std::string module_name(std::string_view word) {
  std::string name(word);
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

/// The modules a `modprobe` command names: its first operand, or every operand with `-a`. The
/// words after the first are module parameters otherwise. Empty when a name is not known.
std::vector<std::string> modprobe_modules(const ShellCommand& command) {
  static constexpr std::string_view kTakesValue[] = {"-C", "--config", "-d", "--dirname", "-S", "--set-version"};
  std::vector<std::string> names;
  bool all = false;
  bool value_next = false;
  for (const ShellWord& word : command.args()) {
    const std::string_view text = word.text;
    if (value_next) {
      value_next = false;
    } else if (text == "-a" || text == "--all") {
      all = true;
    } else if (std::find(std::begin(kTakesValue), std::end(kTakesValue), text) != std::end(kTakesValue)) {
      value_next = true;
    } else if (text.starts_with("-")) {
      continue;
    } else if (word.unknown || text.empty()) {
      return {};
    } else if (names.empty() || all) {
      names.push_back(module_name(text));
    }
  }
  return names;
}

/// "vhost_vsock and vhost_net" for a message.
std::string list_names(const std::vector<std::string>& names) {
  if (names.size() == 1) return names.front();
  return fmt::format("{} and {}", fmt::join(names.begin(), names.end() - 1, ", "), names.back());
}

class KernelModuleLoad final : public Check {
 public:
  explicit KernelModuleLoad(const CheckInfo& info)
      : by_name_(info.params.list("load-by-name")), by_file_(info.params.list("load-by-file")) {}

  void inspect(const CheckContext& context, std::vector<Observation>& out) const override {
    for (const auto& container : context.pod.containers) {
      if (!adds_capability(context.tree, container, "SYS_MODULE")) continue;
      Observation observation = observe_capabilities(
          context, container,
          fmt::format("{} adds the SYS_MODULE capability to load kernel modules", describe_container(container)));
      observation.action = Action::Requires;
      // A privileged container gets the runtime's whole capability set and `capabilities.add`
      // is ignored: the container is created, and only a module load it makes fails.
      const bool privileged = is_true(context.tree, container.security_context, "privileged");
      for (const Target* target : context.targets) {
        const Fact& modules = target->fact(facts::kernel_modules);
        if (target->fact_is(facts::kernel_modules, "denied") && privileged) {
          judge_review(observation, *target,
                       fmt::format("the container is privileged, so the SYS_MODULE it adds is ignored: it starts "
                                   "with {}'s runtime capability set, which lacks SYS_MODULE, and any module it "
                                   "loads is refused",
                                   target->name()));
        } else if (target->fact_is(facts::kernel_modules, "denied")) {
          judge(observation, *target, Verdict::Breaks,
                fmt::format("SYS_MODULE is not in {}'s runtime capability set, so the container is not created",
                            target->name()),
                modules.evidence);
        } else if (!target->general_purpose()) {
          judge_review(observation, *target, fmt::format("{} modules load on {}", modules.value, target->name()));
        }
      }
      out.push_back(std::move(observation));
    }
    // One observation per cause (a container's command), at its first load; every load of the
    // cause is evidence, and all of them decide whether the kernel has what they load built in.
    struct Loads {
      std::vector<const RunCommand*> runs;
      bool by_file = false;
      bool names_known = true;
      std::vector<std::string> names;
    };
    std::vector<std::pair<std::string, Loads>> by_cause;
    for (const auto& run : context.evidence.commands) {
      const std::string program(run.command.program());
      const bool named = std::find(by_name_.begin(), by_name_.end(), program) != by_name_.end();
      const bool file = std::find(by_file_.begin(), by_file_.end(), program) != by_file_.end();
      if ((!named && !file) || run.command.args().empty()) continue;
      const std::string cause = cause_of(run);
      auto loads =
          std::find_if(by_cause.begin(), by_cause.end(), [&](const auto& entry) { return entry.first == cause; });
      if (loads == by_cause.end()) loads = by_cause.insert(by_cause.end(), {cause, Loads{}});
      Loads& seen = loads->second;
      seen.runs.push_back(&run);
      seen.by_file = seen.by_file || file;
      const std::vector<std::string> names = named ? modprobe_modules(run.command) : std::vector<std::string>{};
      seen.names_known = seen.names_known && !names.empty();
      seen.names.insert(seen.names.end(), names.begin(), names.end());
    }
    for (const auto& [cause, loads] : by_cause) {
      const RunCommand& first = *loads.runs.front();
      Observation observation =
          observe_command(first, fmt::format("{} runs `{}` to load a kernel module",
                                             describe_container(*first.container), first.command.text()));
      observation.action = Action::Runs;
      for (std::size_t i = 1; i < loads.runs.size(); ++i)
        observation.evidence.push_back(evidence_of(loads.runs[i]->describe(), loads.runs[i]->site));
      judge_all(context, observation, loads.by_file ? Module::File : Module::Named,
                loads.names_known ? loads.names : std::vector<std::string>{});
      out.push_back(std::move(observation));
    }
    for (const auto& work : context.evidence.kernel) {
      if (!work.known->loads || work.off) continue;
      Observation observation = observe_site(work.site, work.how, work.container->name);
      observation.cause = work.container->pointer + "/command";
      observation.action = Action::Runs;
      observation.evidence.push_back(evidence_of(work.how, work.site));
      judge_all(context, observation, work.known->builds ? Module::Built : Module::Named, work.known->modules,
                work.known->at_most);
      out.push_back(std::move(observation));
    }
  }

 private:
  /// `names`: the modules loaded, when they are known.
  static void judge_all(const CheckContext& context, Observation& observation, Module module,
                        const std::vector<std::string>& names, Verdict at_most = Verdict::Breaks) {
    for (const Target* target : context.targets) {
      const Fact& modules = target->fact(facts::kernel_modules);
      const bool all_built_in =
          module == Module::Named && !names.empty() && std::all_of(names.begin(), names.end(), [&](const auto& name) {
            return target->fact_lists(facts::builtin_modules, name);
          });
      if (all_built_in) {
        // modprobe finds a built-in module in modules.builtin and succeeds without loading anything,
        // so neither the capability nor the signature matters.
        judge(observation, *target, Verdict::Review,
              fmt::format("{} {} built into {}'s kernel, so modprobe loads nothing", list_names(names),
                          names.size() == 1 ? "is" : "are", target->name()),
              target->fact(facts::builtin_modules).evidence);
      } else if (target->fact_is(facts::kernel_modules, "denied")) {
        judge(observation, *target, std::min(at_most, Verdict::Breaks),
              fmt::format("{} lets no workload load kernel modules", target->name()), modules.evidence);
      } else if (target->fact_is(facts::kernel_modules, "signed") && module != Module::Named) {
        judge(observation, *target, std::min(at_most, Verdict::LikelyBreaks),
              fmt::format("only signed modules load on {}; a module the workload builds or ships is rejected",
                          target->name()),
              modules.evidence);
      } else if (!target->general_purpose()) {
        judge_review(
            observation, *target,
            fmt::format("{} modules load on {}; preloading them through node configuration is the supported way",
                        modules.value, target->name()));
      }
    }
  }

  const std::vector<std::string> by_name_;
  const std::vector<std::string> by_file_;
};

}  // namespace

std::unique_ptr<Check> make_kernel_module_load(const CheckInfo& info) {
  return std::make_unique<KernelModuleLoad>(info);
}

}  // namespace immutalint::checks
