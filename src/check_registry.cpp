// The one list of checks, sorted by id: a Check unit's row gives its factory (defined in
// src/checks/<id>.cpp); the row of a check that a stage of the pipeline makes gives its role,
// which the stage asks for (check_id).
#include "immutalint/check.hpp"

#define IMMUTALINT_CHECKS(UNIT, STAGE)                                                    \
  STAGE("analysis-incomplete", AnalysisIncomplete)                                        \
  UNIT("apparmor-profile", Workload, make_apparmor_profile)                               \
  UNIT("bidirectional-mount-propagation", Workload, make_bidirectional_mount_propagation) \
  UNIT("container-runtime-socket", Workload, make_container_runtime_socket)               \
  UNIT("daemonset", Workload, make_daemonset)                                             \
  UNIT("docker-log-path", Workload, make_docker_log_path)                                 \
  STAGE("duplicate-key", DuplicateKey)                                                    \
  STAGE("duplicate-object", DuplicateObject)                                              \
  UNIT("flexvolume-plugin", Workload, make_flexvolume_plugin)                             \
  UNIT("gpu-unsupported", Workload, make_gpu_unsupported)                                 \
  UNIT("host-binary-install", Workload, make_host_binary_install)                         \
  UNIT("host-etc-write", Workload, make_host_etc_write)                                   \
  UNIT("host-ipc", Workload, make_host_ipc)                                               \
  UNIT("host-network", Workload, make_host_network)                                       \
  UNIT("host-package-install", Workload, make_host_package_install)                       \
  UNIT("host-path-missing", Workload, make_host_path_missing)                             \
  UNIT("host-path-not-creatable", Workload, make_host_path_not_creatable)                 \
  UNIT("host-path-readonly-write", Workload, make_host_path_readonly_write)               \
  UNIT("host-path-volume", Workload, make_host_path_volume)                               \
  UNIT("host-pid", Workload, make_host_pid)                                               \
  UNIT("host-root-mount", Workload, make_host_root_mount)                                 \
  UNIT("host-sysctl-write", Workload, make_host_sysctl_write)                             \
  UNIT("host-systemd", Workload, make_host_systemd)                                       \
  STAGE("invalid-input", InvalidInput)                                                    \
  UNIT("journald-dependency", Workload, make_journald_dependency)                         \
  UNIT("kernel-build-on-node", Workload, make_kernel_build_on_node)                       \
  UNIT("kernel-module-load", Workload, make_kernel_module_load)                           \
  STAGE("known-component", DocumentedOutcome)                                             \
  UNIT("node-feature-pinning", Workload, make_node_feature_pinning)                       \
  STAGE("node-pool-blocker", NodePools)                                                   \
  UNIT("nsenter-host", Workload, make_nsenter_host)                                       \
  UNIT("os-sku-pinning", PodPlacement, make_os_sku_pinning)                               \
  UNIT("pod-sandboxing-unsupported", Workload, make_pod_sandboxing_unsupported)           \
  UNIT("pod-security-baseline", Workload, make_pod_security_baseline)                     \
  UNIT("privileged-container", Workload, make_privileged_container)                       \
  UNIT("privileged-init-container", Workload, make_privileged_init_container)             \
  UNIT("reboot-from-pod", Workload, make_reboot_from_pod)                                 \
  UNIT("selinux-options-discarded", Workload, make_selinux_options_discarded)             \
  STAGE("suppression-without-reason", ReasonlessWaiver)                                   \
  STAGE("unused-suppression", UnusedWaiver)

namespace immutalint {

namespace checks {
#define IMMUTALINT_DECLARE(id, role, factory) std::unique_ptr<Check> factory(const CheckInfo& info);
#define IMMUTALINT_NOTHING(id, role)
IMMUTALINT_CHECKS(IMMUTALINT_DECLARE, IMMUTALINT_NOTHING)
#undef IMMUTALINT_NOTHING
#undef IMMUTALINT_DECLARE
}  // namespace checks

namespace {
#define IMMUTALINT_UNIT(id, role, factory) CheckFactory{id, CheckRole::role, checks::factory},
#define IMMUTALINT_STAGE(id, role) CheckFactory{id, CheckRole::role, nullptr},
constexpr CheckFactory kRegistry[] = {IMMUTALINT_CHECKS(IMMUTALINT_UNIT, IMMUTALINT_STAGE)};
#undef IMMUTALINT_STAGE
#undef IMMUTALINT_UNIT
}  // namespace

std::span<const CheckFactory> check_registry() {
  return kRegistry;
}

std::string_view check_id(CheckRole role) {
  for (const CheckFactory& row : kRegistry) {
    if (row.role == role) return row.id;
  }
  return {};
}

}  // namespace immutalint
