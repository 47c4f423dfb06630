// The explicit, sorted table of checks implemented as code.
#include <array>

#include "checks/checks.hpp"
#include "immutalint/check.hpp"

namespace immutalint {

namespace {

constexpr std::array<CheckFactory, 8> kRegistry = {{
    {"daemonset", checks::make_daemonset},
    {"host-ipc", checks::make_host_ipc},
    {"host-network", checks::make_host_network},
    {"host-path-volume", checks::make_host_path_volume},
    {"host-pid", checks::make_host_pid},
    {"host-root-mount", checks::make_host_root_mount},
    {"privileged-container", checks::make_privileged_container},
    {"privileged-init-container", checks::make_privileged_init_container},
}};

}  // namespace

std::span<const CheckFactory> check_registry() { return kRegistry; }

}  // namespace immutalint
