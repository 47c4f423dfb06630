// Unlinked temporary files in $TMPDIR.
#include "immutalint/temp_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

namespace immutalint {

std::string temp_dir() {
  const char* dir = std::getenv("TMPDIR");
  return dir && *dir ? std::string(dir) : std::string("/tmp");
}

Result<int> open_unlinked_temp_file() {
  std::string path = temp_dir() + "/immutalint-XXXXXX";
  const int fd = ::mkostemp(path.data(), O_CLOEXEC);
  if (fd < 0) return Error{fmt::format("cannot create a temporary file in {}: {}", temp_dir(), std::strerror(errno))};
  ::unlink(path.c_str());
  return fd;
}

}  // namespace immutalint
