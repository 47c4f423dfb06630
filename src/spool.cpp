// The spool: texts in an unlinked temporary file, addressed by offset.
#include "immutalint/spool.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "immutalint/temp_file.hpp"

namespace immutalint {

Spool::Spool() {
  auto fd = open_unlinked_temp_file();
  if (fd) {
    fd_ = *fd;
  } else {
    file_failed_ = true;
  }
}

Spool::~Spool() {
  if (fd_ >= 0) ::close(fd_);
}

namespace {

/// pwrite(2) or pread(2) of every byte, through short transfers and interruptions.
template <typename Transfer, typename Buffer>
bool transfer_all(Transfer transfer, int fd, Buffer data, std::size_t size, std::uint64_t offset) {
  while (size > 0) {
    const ssize_t done = transfer(fd, data, size, static_cast<off_t>(offset));
    if (done < 0 && errno == EINTR) continue;
    if (done <= 0) return false;
    data += done;
    size -= static_cast<std::size_t>(done);
    offset += static_cast<std::uint64_t>(done);
  }
  return true;
}

}  // namespace

Spool::Ref Spool::put(std::string_view text) {
  if (!file_failed_.load(std::memory_order_relaxed)) {
    const std::uint64_t at = end_.fetch_add(text.size());
    if (transfer_all(::pwrite, fd_, text.data(), text.size(), at)) return Ref{at, text.size()};
    // A full disk: this text and every later one stay in memory. The hole left in the file is
    // never read.
    file_failed_ = true;
  }
  std::lock_guard lock(mutex_);
  memory_.emplace_back(text);
  return Ref{kInMemory | (memory_.size() - 1), text.size()};
}

std::optional<std::string> Spool::get(Ref ref) const {
  if (ref.offset & kInMemory) {
    std::lock_guard lock(mutex_);
    return memory_.at(static_cast<std::size_t>(ref.offset & ~kInMemory));
  }
  std::string text(ref.size, '\0');
  if (fd_ >= 0 && transfer_all(::pread, fd_, text.data(), ref.size, ref.offset)) return text;
  const int error = errno;
  ++read_failures_;
  std::lock_guard lock(mutex_);
  last_failure_ = fd_ < 0 ? std::string("no temporary file") : std::string(std::strerror(error));
  return std::nullopt;
}

std::string Spool::last_failure() const {
  std::lock_guard lock(mutex_);
  return last_failure_;
}

std::size_t Spool::kept_in_memory() const {
  std::lock_guard lock(mutex_);
  return memory_.size();
}

}  // namespace immutalint
