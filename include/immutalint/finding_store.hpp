// The findings of a run, kept in a temporary file rather than in memory: a run over a gigabyte
// of manifests must not hold every finding at once. Only a small key per finding stays in memory.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "immutalint/finding.hpp"
#include "immutalint/spool.hpp"

namespace immutalint {

/// A finding written to a spool: its bytes, to be read back with `decode_finding`.
std::string encode_finding(const Finding& finding);
/// Reads what `encode_finding` wrote; nullopt when the bytes are damaged.
std::optional<Finding> decode_finding(std::string_view bytes);

/// Findings in report order, in a spool of their own. Built once (append, then seal); read any
/// number of times.
class FindingStore {
 public:
  FindingStore();
  FindingStore(FindingStore&&) noexcept;
  FindingStore& operator=(FindingStore&&) noexcept;
  ~FindingStore();

  /// Adds a finding; the order of adding does not matter.
  void add(const Finding& finding);
  /// Sorts what was added into report order. Adding after sealing is an error.
  void seal();

  std::size_t size() const { return keys_.size(); }
  bool empty() const { return keys_.empty(); }

  /// Calls `visit` with each finding, in report order. A finding that cannot be read back from
  /// the temporary file is skipped and counted in `unreadable()`.
  void for_each(const std::function<void(const Finding&)>& visit) const;
  /// All findings, in report order, in memory: for tests and small inputs.
  std::vector<Finding> all() const;
  std::size_t unreadable() const { return unreadable_; }

 private:
  /// What sorting needs, without reading the finding back: report_order compares file, begin,
  /// check and end first; the rest breaks ties, which are rare, by reading both findings.
  struct Key {
    std::uint32_t file = 0;   // index into files_
    std::uint32_t check = 0;  // index into checks_
    Span span;
    Spool::Ref ref;
  };
  /// The index of `name` in `names`, adding it if new; `index` maps names to their index.
  static std::uint32_t intern(std::deque<std::string>& names,
                              std::unordered_map<std::string_view, std::uint32_t>& index, const std::string& name);
  std::optional<Finding> read(const Key& key) const;

  std::unique_ptr<Spool> spool_;
  std::vector<Key> keys_;
  std::deque<std::string> files_;   // distinct file names, in order of first use (stable addresses)
  std::deque<std::string> checks_;  // distinct check ids
  std::unordered_map<std::string_view, std::uint32_t> file_index_;  // views into files_
  std::unordered_map<std::string_view, std::uint32_t> check_index_;
  bool sealed_ = false;
  mutable std::size_t unreadable_ = 0;
};

}  // namespace immutalint
