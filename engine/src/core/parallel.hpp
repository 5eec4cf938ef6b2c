// Private: a small work-sharing loop over indices.
#pragma once
#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "walkshed/core/progress.hpp"

namespace walkshed::detail {

inline int thread_count(int requested, std::size_t work) {
  int n = requested > 0 ? requested : static_cast<int>(std::thread::hardware_concurrency());
  n = std::max(1, n);
  return static_cast<int>(std::min<std::size_t>(n, std::max<std::size_t>(1, work)));
}

// Runs body(i, worker) for i in [0, count) on `threads` workers. Worker 0 is the calling thread,
// which also reports progress. The first exception is rethrown.
template <class Body>
void parallel_for(std::size_t count, int threads, const Progress& progress, const char* stage, Body&& body) {
  std::atomic<std::size_t> next{0}, done{0};
  std::atomic<bool> stop{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&](int worker) {
    try {
      for (std::size_t i; !stop && (i = next++) < count;) {
        body(i, worker);
        ++done;
        if (worker == 0 && (i % 16 == 0)) report(progress, double(done) / count, stage);
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      stop = true;
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
  report(progress, 1.0, stage);
}

}  // namespace walkshed::detail
