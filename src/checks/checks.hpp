// Factories of the check units, one per file in this folder; the registry lists them.
#pragma once

#include <memory>

#include "immutalint/check.hpp"

namespace immutalint::checks {

std::unique_ptr<Check> make_aks_gpu_unsupported(const CheckInfo& info);
std::unique_ptr<Check> make_aks_pod_sandboxing(const CheckInfo& info);
std::unique_ptr<Check> make_apparmor_profile(const CheckInfo& info);
std::unique_ptr<Check> make_bidirectional_mount_propagation(const CheckInfo& info);
std::unique_ptr<Check> make_container_runtime_socket(const CheckInfo& info);
std::unique_ptr<Check> make_daemonset(const CheckInfo& info);
std::unique_ptr<Check> make_docker_log_path(const CheckInfo& info);
std::unique_ptr<Check> make_flexvolume_plugin(const CheckInfo& info);
std::unique_ptr<Check> make_host_binary_install(const CheckInfo& info);
std::unique_ptr<Check> make_host_etc_write(const CheckInfo& info);
std::unique_ptr<Check> make_host_ipc(const CheckInfo& info);
std::unique_ptr<Check> make_host_network(const CheckInfo& info);
std::unique_ptr<Check> make_host_package_install(const CheckInfo& info);
std::unique_ptr<Check> make_host_path_missing(const CheckInfo& info);
std::unique_ptr<Check> make_host_path_not_creatable(const CheckInfo& info);
std::unique_ptr<Check> make_host_path_readonly_write(const CheckInfo& info);
std::unique_ptr<Check> make_host_path_volume(const CheckInfo& info);
std::unique_ptr<Check> make_host_pid(const CheckInfo& info);
std::unique_ptr<Check> make_host_root_mount(const CheckInfo& info);
std::unique_ptr<Check> make_host_systemd(const CheckInfo& info);
std::unique_ptr<Check> make_journald_dependency(const CheckInfo& info);
std::unique_ptr<Check> make_kernel_build_on_node(const CheckInfo& info);
std::unique_ptr<Check> make_kernel_module_load(const CheckInfo& info);
std::unique_ptr<Check> make_nsenter_host(const CheckInfo& info);
std::unique_ptr<Check> make_os_sku_pinning(const CheckInfo& info);
std::unique_ptr<Check> make_privileged_container(const CheckInfo& info);
std::unique_ptr<Check> make_privileged_init_container(const CheckInfo& info);
std::unique_ptr<Check> make_reboot_from_pod(const CheckInfo& info);
std::unique_ptr<Check> make_selinux_options_discarded(const CheckInfo& info);
std::unique_ptr<Check> make_talos_pod_security(const CheckInfo& info);

}  // namespace immutalint::checks
