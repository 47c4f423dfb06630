// The table of checks implemented as code, and the only list of them: one row per check, its id
// and its factory (defined in src/checks/<id>.cpp), sorted by id.
#include "immutalint/check.hpp"

#define IMMUTALINT_CHECKS(ROW)                                                 \
  ROW("apparmor-profile", make_apparmor_profile)                               \
  ROW("bidirectional-mount-propagation", make_bidirectional_mount_propagation) \
  ROW("container-runtime-socket", make_container_runtime_socket)               \
  ROW("daemonset", make_daemonset)                                             \
  ROW("docker-log-path", make_docker_log_path)                                 \
  ROW("flexvolume-plugin", make_flexvolume_plugin)                             \
  ROW("gpu-unsupported", make_gpu_unsupported)                                 \
  ROW("host-binary-install", make_host_binary_install)                         \
  ROW("host-etc-write", make_host_etc_write)                                   \
  ROW("host-ipc", make_host_ipc)                                               \
  ROW("host-network", make_host_network)                                       \
  ROW("host-package-install", make_host_package_install)                       \
  ROW("host-path-missing", make_host_path_missing)                             \
  ROW("host-path-not-creatable", make_host_path_not_creatable)                 \
  ROW("host-path-readonly-write", make_host_path_readonly_write)               \
  ROW("host-path-volume", make_host_path_volume)                               \
  ROW("host-pid", make_host_pid)                                               \
  ROW("host-root-mount", make_host_root_mount)                                 \
  ROW("host-sysctl-write", make_host_sysctl_write)                             \
  ROW("host-systemd", make_host_systemd)                                       \
  ROW("journald-dependency", make_journald_dependency)                         \
  ROW("kernel-build-on-node", make_kernel_build_on_node)                       \
  ROW("kernel-module-load", make_kernel_module_load)                           \
  ROW("node-feature-pinning", make_node_feature_pinning)                       \
  ROW("nsenter-host", make_nsenter_host)                                       \
  ROW("os-sku-pinning", make_os_sku_pinning)                                   \
  ROW("pod-sandboxing-unsupported", make_pod_sandboxing_unsupported)           \
  ROW("pod-security-baseline", make_pod_security_baseline)                     \
  ROW("privileged-container", make_privileged_container)                       \
  ROW("privileged-init-container", make_privileged_init_container)             \
  ROW("reboot-from-pod", make_reboot_from_pod)                                 \
  ROW("selinux-options-discarded", make_selinux_options_discarded)

namespace immutalint {

namespace checks {
#define IMMUTALINT_DECLARE(id, factory) std::unique_ptr<Check> factory(const CheckInfo& info);
IMMUTALINT_CHECKS(IMMUTALINT_DECLARE)
#undef IMMUTALINT_DECLARE
}  // namespace checks

namespace {
#define IMMUTALINT_ROW(id, factory) CheckFactory{id, checks::factory},
constexpr CheckFactory kRegistry[] = {IMMUTALINT_CHECKS(IMMUTALINT_ROW)};
#undef IMMUTALINT_ROW
}  // namespace

std::span<const CheckFactory> check_registry() {
  return kRegistry;
}

}  // namespace immutalint
