// A queue between the reading thread and the workers, bounded in bytes so that memory does not
// grow with the input.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

namespace immutalint {

/// Blocks its producer while it holds more than `capacity` bytes (as `size_of` counts them).
template <typename Job, typename SizeOf>
class JobQueue {
 public:
  JobQueue(std::size_t capacity, SizeOf size_of) : capacity_(capacity), size_of_(size_of) {}

  void push(Job job) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return jobs_.empty() || bytes_ < capacity_; });
    bytes_ += size_of_(job);
    jobs_.push_back(std::move(job));
    not_empty_.notify_one();
  }

  /// The next job, or nullopt once the queue is closed and drained.
  std::optional<Job> pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !jobs_.empty() || closed_; });
    if (jobs_.empty()) return std::nullopt;
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    bytes_ -= size_of_(job);
    not_full_.notify_one();
    return job;
  }

  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<Job> jobs_;
  std::size_t bytes_ = 0;
  std::size_t capacity_;
  SizeOf size_of_;
  bool closed_ = false;
};

}  // namespace immutalint
