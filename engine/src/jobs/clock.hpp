// Private: stage timings of the jobs.
#pragma once
#include <chrono>

namespace walkshed::detail {

using Clock = std::chrono::steady_clock;
inline double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

}  // namespace walkshed::detail
