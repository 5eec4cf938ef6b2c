// Progress reporting: the engine calls it, the tool renders it.
#pragma once
#include <functional>

#include "walkshed/core/error.hpp"

namespace walkshed {

// fraction in [0, 1] of the named stage, or -1 for a question only (nothing to draw: may the job go
// on?); return false to cancel. The job then throws Cancelled, and removes what it had begun to write.
using Progress = std::function<bool(double fraction, const char* stage)>;

inline void report(const Progress& progress, double fraction, const char* stage) {
  if (progress && !progress(fraction, stage)) throw Cancelled();
}

// A point between stages where a job may stop.
inline void poll(const Progress& progress) { report(progress, -1, ""); }

}  // namespace walkshed
