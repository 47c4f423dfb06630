// arc4random for the static release binary, so that it runs on glibc 2.35 (Ubuntu 22.04) too.
//
// GCC 12's libstdc++.a, built on Debian 12, calls arc4random (new in glibc 2.36) from
// std::random_device, which its copy-on-write string instantiations pull into every program. With
// libstdc++ linked statically that one symbol would be the only one needing glibc 2.36; defined
// here, the binary's newest glibc symbol is _dl_find_object (2.35), which libgcc's unwinder needs.
// immutalint never draws random numbers: this only has to be correct, not fast.
#include <sys/random.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>

extern "C" std::uint32_t arc4random() noexcept {
  std::uint32_t value = 0;
  auto* bytes = reinterpret_cast<unsigned char*>(&value);
  std::size_t filled = 0;
  while (filled < sizeof value) {
    const ssize_t got = getrandom(bytes + filled, sizeof value - filled, 0);
    if (got > 0) {
      filled += static_cast<std::size_t>(got);
    } else if (got < 0 && errno != EINTR) {
      // glibc's own arc4random aborts too when the kernel has no entropy to give.
      std::abort();
    }
  }
  return value;
}
