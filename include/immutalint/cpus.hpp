// How many CPUs this process may use: what `--jobs 0` means.
#pragma once

namespace immutalint {

/// The CPUs the process may run on (its affinity mask), lowered to its cgroup's CPU quota when
/// one is set (a container limited to 2 CPUs on a 64-core host gets 2), and at least 1.
unsigned usable_cpus();

}  // namespace immutalint
