// Fuzz target: the splitter must cut the same bytes into the same documents whether it reads
// them from memory or from a file descriptor in small blocks, with a small document limit.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "immutalint/document_split.hpp"

using namespace immutalint;

namespace {

struct Cut {
  std::string text;
  std::uint32_t first_line;
  std::size_t skipped;
  bool operator==(const Cut&) const = default;
};

std::vector<Cut> from_memory(std::string_view text, const SplitLimits& limits) {
  std::vector<Cut> cuts;
  split_documents(text, limits, [&](RawDocument&& d) {
    cuts.push_back({std::move(d.text), d.first_line, d.skipped_bytes});
  });
  return cuts;
}

std::vector<Cut> from_fd(std::string_view text, const SplitLimits& limits) {
  std::vector<Cut> cuts;
  const int fd = memfd_create("fuzz-split", 0);
  if (fd < 0) return from_memory(text, limits);
  if (::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size()) || ::lseek(fd, 0, SEEK_SET) != 0) {
    ::close(fd);
    return from_memory(text, limits);
  }
  split_documents(fd, limits, [&](RawDocument&& d) {
    cuts.push_back({std::move(d.text), d.first_line, d.skipped_bytes});
  });
  ::close(fd);
  return cuts;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  // The first two bytes choose the read block (1..256 bytes) and the document limit.
  SplitLimits limits;
  limits.read_block_bytes = 1 + data[0];
  limits.max_document_bytes = 16 + static_cast<std::size_t>(data[1]) * 8;
  const std::string_view text(reinterpret_cast<const char*>(data + 2), size - 2);
  if (from_memory(text, limits) != from_fd(text, limits)) std::abort();
  return 0;
}
