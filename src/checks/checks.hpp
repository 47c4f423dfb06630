// Factories of the check units, one per file in this folder; the registry lists them.
#pragma once

#include <memory>

#include "immutalint/check.hpp"

namespace immutalint::checks {

std::unique_ptr<Check> make_daemonset();
std::unique_ptr<Check> make_host_ipc();
std::unique_ptr<Check> make_host_network();
std::unique_ptr<Check> make_host_path_volume();
std::unique_ptr<Check> make_host_pid();
std::unique_ptr<Check> make_host_root_mount();
std::unique_ptr<Check> make_privileged_container();
std::unique_ptr<Check> make_privileged_init_container();

}  // namespace immutalint::checks
