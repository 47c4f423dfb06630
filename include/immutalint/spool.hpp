// Text kept for a second look once the whole input is read: in a temporary file, so that memory
// does not grow with the input. Falls back to memory when no temporary file can be made. Safe to
// use from several threads.
#pragma once

#include <cstdint>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace immutalint {

class Spool {
 public:
  /// Where one text sits in the spool.
  struct Ref {
    std::uint64_t offset = 0;
    std::size_t size = 0;
  };

  Spool() = default;
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;
  ~Spool() {
    if (file_) std::fclose(file_);
  }

  Ref put(std::string_view text) {
    std::lock_guard lock(mutex_);
    if (!file_ && !failed_) {
      file_ = std::tmpfile();
      failed_ = file_ == nullptr;
    }
    if (file_ && std::fseek(file_, 0, SEEK_END) == 0) {
      const long at = std::ftell(file_);
      if (at >= 0 && std::fwrite(text.data(), 1, text.size(), file_) == text.size()) {
        return Ref{static_cast<std::uint64_t>(at), text.size()};
      }
    }
    // No temporary file: keep it in memory, addressed by index.
    memory_.emplace_back(text);
    return Ref{kInMemory | (memory_.size() - 1), text.size()};
  }

  /// The text put at `ref`, or nullopt when the temporary file cannot be read back.
  std::optional<std::string> get(Ref ref) const {
    std::lock_guard lock(mutex_);
    if (ref.offset & kInMemory) return memory_.at(static_cast<std::size_t>(ref.offset & ~kInMemory));
    std::string text(ref.size, '\0');
    if (!file_ || std::fseek(file_, static_cast<long>(ref.offset), SEEK_SET) != 0 ||
        std::fread(text.data(), 1, ref.size, file_) != ref.size) {
      return std::nullopt;
    }
    return text;
  }

 private:
  static constexpr std::uint64_t kInMemory = std::uint64_t{1} << 63;
  mutable std::mutex mutex_;
  std::FILE* file_ = nullptr;
  bool failed_ = false;
  std::vector<std::string> memory_;
};

}  // namespace immutalint
