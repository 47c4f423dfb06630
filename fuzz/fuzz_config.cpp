// Fuzz target: a configuration file and a manifest, split at the first "\n---8<---\n" line
// (without one, the whole input is the configuration and a fixed manifest is linted). A
// configuration that parses is applied as the command line applies it: its exclude globs and
// --print-config, checks turned off or given a severity, waivers, workload kinds, pod template
// discovery, the targets, and the report in its format. What parses must also be accepted.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/settings.hpp"
#include "immutalint/config.hpp"
#include "immutalint/lint.hpp"
#include "immutalint/report.hpp"

using namespace immutalint;

namespace {

constexpr std::string_view kSeparator = "\n---8<---\n";
// Paths below one folder, so that globs and waiver files are matched relative to it, as they
// are for a configuration found in a repository. Nothing is read from or written to them.
const std::string kConfigPath = "fuzz-repo/.immutalint.yaml";
const std::string kManifestPath = "fuzz-repo/deploy/app.yaml";

// Linted when the input holds only a configuration: findings of several checks, on a named
// container, in a known and a custom kind, for waivers to match or miss.
constexpr std::string_view kDefaultManifest = R"(apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: calico-node
  namespace: kube-system
  annotations:
    ignore-check.immutalint.io/host-network: "[install-cni] the CNI needs the host network"
spec:
  template:
    spec:
      hostPID: true
      hostNetwork: true
      initContainers:
      - name: install-cni
        image: calico/cni
        # immutalint: ignore host-binary-install -- reviewed
        command: ["sh", "-c", "cp /opt/cni/bin/calico /host/usr/bin/ && modprobe ip_tables"]
        securityContext: {privileged: true}
        volumeMounts: [{name: usr, mountPath: /host/usr}]
      containers:
      - name: node
        image: calico/node
      volumes:
      - {name: usr, hostPath: {path: /usr}}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: widget, namespace: default}
spec:
  workers:
  - template:
      spec:
        containers: [{name: c, image: i, securityContext: {privileged: true}}]
)";

[[noreturn]] void fail(const std::string& why) {
  std::fprintf(stderr, "%s\n", why.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t cut = input.find(kSeparator);
  const std::string_view config_text = input.substr(0, cut);
  const std::string_view manifest =
      cut == std::string_view::npos ? kDefaultManifest : input.substr(cut + kSeparator.size());

  const Catalogue& catalogue = *Catalogue::builtin();
  const TargetSet& targets = *TargetSet::builtin();
  auto parsed = parse_config(config_text, kConfigPath, catalogue, targets);
  if (!parsed) return 0;
  const Config& config = *parsed;

  // The command line's view of it: what --print-config shows and which inputs `exclude` drops.
  cli::CliOptions cli_options;
  cli::Settings settings;
  settings.config = config;
  settings.checks = config.checks;
  if (config.targets) cli_options.target = config.targets->value;
  if (config.format) cli_options.format = config.format->value;
  std::ostringstream printed;
  cli::print_settings(printed, cli_options, settings);
  std::vector<InputFile> files(1);
  files.front().display_path = files.front().fs_path = kManifestPath;
  if (cli::exclude_inputs(files, settings) > 0) return 0;

  LintOptions options;
  options.jobs = 1;
  if (config.targets && config.targets->value != kAutoTarget) {
    auto selected = targets.select(config.targets->value);
    if (!selected) fail("targets accepted by the configuration cannot be selected: " + selected.error().message);
    options.targets = *selected;
  }
  for (const CheckSetting& check : config.checks) {
    if (check.value == "off") {
      options.disabled.push_back(check.id);
    } else if (check.value != "on") {
      options.suppressions.severities.emplace_back(check.id, *parse_severity(check.value));
    }
  }
  if (config.inline_ignores) options.suppressions.inline_comments = config.inline_ignores->value;
  if (config.discover_pod_templates) options.discover_pod_templates = config.discover_pod_templates->value;
  options.suppressions.config = config.ignores;
  options.suppressions.config_dir = config.dir;
  options.suppressions.today = "2026-01-01";  // expiry must not depend on the day the input is replayed
  for (const auto& kind : config.workload_kinds) options.workload_kinds.push_back(kind.declared());
  auto linter = Linter::create(catalogue, options);
  if (!linter) fail("a configuration that parses makes no linter: " + linter.error().message);

  const LintResult result = linter->lint_text(manifest, kManifestPath);
  ReportOptions report_options;
  report_options.sarif_root = std::string(1, '/');
  report_options.enabled_checks = linter->enabled_checks();
  report_options.show_suppressed = true;
  const auto format = parse_report_format(cli_options.format);
  if (!format) fail("the configuration's format is not a report format: " + cli_options.format);
  std::ostringstream report;
  write_report(report, *format, result, catalogue, report_options);
  return 0;
}
