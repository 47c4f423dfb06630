// Text kept for a second look once the whole input is read: in an unlinked temporary file in
// $TMPDIR, so that memory does not grow with the input. A text that cannot be written there (no
// temporary file, a full disk) is kept in memory instead, so nothing is lost; a text that cannot
// be read back is counted, so that the run can say its analysis is incomplete. Safe to use from
// several threads: writes and reads go to their own offsets without a lock.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace immutalint {

class Spool {
 public:
  /// Where one text sits in the spool.
  struct Ref {
    std::uint64_t offset = 0;
    std::size_t size = 0;
  };

  Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;
  ~Spool();

  Ref put(std::string_view text);

  /// The text put at `ref`, or nullopt when the temporary file cannot be read back (counted in
  /// `read_failures()`).
  std::optional<std::string> get(Ref ref) const;

  /// How many reads failed, and the system's message for the last one.
  std::size_t read_failures() const { return read_failures_.load(); }
  std::string last_failure() const;
  /// Texts kept in memory because the temporary file could not take them.
  std::size_t kept_in_memory() const;

 private:
  static constexpr std::uint64_t kInMemory = std::uint64_t{1} << 63;
  int fd_ = -1;
  std::atomic<std::uint64_t> end_{0};  // next free offset in the file
  std::atomic<bool> file_failed_{false};
  mutable std::atomic<std::size_t> read_failures_{0};
  mutable std::mutex mutex_;  // guards what follows
  std::deque<std::string> memory_;
  mutable std::string last_failure_;
};

}  // namespace immutalint
