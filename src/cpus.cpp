// Usable CPUs: the affinity mask and the cgroup CPU quota, which
// std::thread::hardware_concurrency() ignores.
#include "immutalint/cpus.hpp"

#include <sched.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <thread>

namespace immutalint {

namespace {

/// The CPU quota of the process's cgroup, in CPUs, rounded up; nullopt when unlimited or unknown.
/// cgroup v2 writes `cpu.max` as "QUOTA PERIOD" or "max PERIOD"; v1 has cfs_quota_us (-1 for
/// none) and cfs_period_us.
std::optional<unsigned> cgroup_quota() {
  auto quota_of = [](double quota, double period) -> std::optional<unsigned> {
    if (quota <= 0 || period <= 0) return std::nullopt;
    return static_cast<unsigned>(std::max(1.0, std::ceil(quota / period)));
  };
  // The process's own cgroup: "0::/path" for v2.
  std::string path = "/";
  if (std::ifstream self("/proc/self/cgroup"); self) {
    for (std::string line; std::getline(self, line);) {
      if (line.starts_with("0::")) path = line.substr(3);
    }
  }
  for (const std::string& dir : {"/sys/fs/cgroup" + path, std::string("/sys/fs/cgroup")}) {
    std::ifstream max(dir + "/cpu.max");
    std::string quota;
    double period = 0;
    if (max >> quota >> period)
      return quota == "max" ? std::nullopt : quota_of(std::strtod(quota.c_str(), nullptr), period);
  }
  std::ifstream quota_file("/sys/fs/cgroup/cpu/cpu.cfs_quota_us");
  std::ifstream period_file("/sys/fs/cgroup/cpu/cpu.cfs_period_us");
  double quota = 0;
  double period = 0;
  if (quota_file >> quota && period_file >> period) return quota_of(quota, period);
  return std::nullopt;
}

}  // namespace

unsigned usable_cpus() {
  unsigned count = std::thread::hardware_concurrency();
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof(set), &set) == 0) count = static_cast<unsigned>(CPU_COUNT(&set));
  if (auto quota = cgroup_quota()) count = std::min(count, *quota);
  return std::max(1u, count);
}

}  // namespace immutalint
