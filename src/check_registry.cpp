// The explicit, sorted table of checks implemented as code.
#include <array>

#include "checks/checks.hpp"
#include "immutalint/check.hpp"

namespace immutalint {

namespace {

constexpr std::array<CheckFactory, 30> kRegistry = {{
    {"aks-gpu-unsupported", checks::make_aks_gpu_unsupported},
    {"aks-pod-sandboxing", checks::make_aks_pod_sandboxing},
    {"apparmor-profile", checks::make_apparmor_profile},
    {"bidirectional-mount-propagation", checks::make_bidirectional_mount_propagation},
    {"container-runtime-socket", checks::make_container_runtime_socket},
    {"daemonset", checks::make_daemonset},
    {"docker-log-path", checks::make_docker_log_path},
    {"flexvolume-plugin", checks::make_flexvolume_plugin},
    {"host-binary-install", checks::make_host_binary_install},
    {"host-etc-write", checks::make_host_etc_write},
    {"host-ipc", checks::make_host_ipc},
    {"host-network", checks::make_host_network},
    {"host-package-install", checks::make_host_package_install},
    {"host-path-missing", checks::make_host_path_missing},
    {"host-path-not-creatable", checks::make_host_path_not_creatable},
    {"host-path-readonly-write", checks::make_host_path_readonly_write},
    {"host-path-volume", checks::make_host_path_volume},
    {"host-pid", checks::make_host_pid},
    {"host-root-mount", checks::make_host_root_mount},
    {"host-systemd", checks::make_host_systemd},
    {"journald-dependency", checks::make_journald_dependency},
    {"kernel-build-on-node", checks::make_kernel_build_on_node},
    {"kernel-module-load", checks::make_kernel_module_load},
    {"nsenter-host", checks::make_nsenter_host},
    {"os-sku-pinning", checks::make_os_sku_pinning},
    {"privileged-container", checks::make_privileged_container},
    {"privileged-init-container", checks::make_privileged_init_container},
    {"reboot-from-pod", checks::make_reboot_from_pod},
    {"selinux-options-discarded", checks::make_selinux_options_discarded},
    {"talos-pod-security", checks::make_talos_pod_security},
}};

}  // namespace

std::span<const CheckFactory> check_registry() { return kRegistry; }

}  // namespace immutalint
