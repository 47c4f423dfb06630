// Fuzz target: the splitter must cut the same bytes into the same documents whether it reads
// them from memory or from a file descriptor in small blocks, with a small document limit. A
// document whose List items were moved out must be the same document once they are put back.
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
  std::string text;  // with any items that were moved out put back
  std::uint32_t first_line;
  std::size_t skipped;
  bool spilled;
  bool operator==(const Cut&) const = default;
};

Cut cut_of(RawDocument&& d) {
  Cut cut{std::move(d.text), d.first_line, d.skipped_bytes, d.items != nullptr};
  if (d.items) {
    auto items = d.items->read_all();
    if (!items || d.items->cut_at() > cut.text.size()) std::abort();
    cut.text.insert(d.items->cut_at(), *items);
  }
  return cut;
}

std::vector<Cut> from_memory(std::string_view text, const SplitLimits& limits) {
  std::vector<Cut> cuts;
  split_documents(text, limits, [&](RawDocument&& d) { cuts.push_back(cut_of(std::move(d))); });
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
  split_documents(fd, limits, [&](RawDocument&& d) { cuts.push_back(cut_of(std::move(d))); });
  ::close(fd);
  return cuts;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  // The first two bytes choose the read block (1..256 bytes), the document limit and the size
  // past which List items move out.
  SplitLimits limits;
  limits.read_block_bytes = 1 + data[0];
  limits.max_document_bytes = 16 + static_cast<std::size_t>(data[1]) * 8;
  limits.spill_items_above = data[0] % 64;
  const std::string_view text(reinterpret_cast<const char*>(data + 2), size - 2);
  const std::vector<Cut> cuts = from_memory(text, limits);
  if (cuts != from_fd(text, limits)) std::abort();

  // Without moving items out, the documents are the same, except that one over the limit is dropped.
  SplitLimits kept = limits;
  kept.spill_items_above = static_cast<std::size_t>(-1);
  const std::vector<Cut> whole = from_memory(text, kept);
  if (whole.size() != cuts.size()) std::abort();
  for (std::size_t i = 0; i < cuts.size(); ++i) {
    if (whole[i].first_line != cuts[i].first_line) std::abort();
    if (whole[i].skipped == 0 && (cuts[i].skipped != 0 || whole[i].text != cuts[i].text)) std::abort();
  }
  return 0;
}
