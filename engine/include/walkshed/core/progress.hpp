// Progress reporting: the engine calls it, the tool renders it.
#pragma once
#include <functional>

#include "walkshed/core/error.hpp"

namespace walkshed {

// fraction in [0, 1] of the named stage; return false to cancel.
using Progress = std::function<bool(double fraction, const char* stage)>;

inline void report(const Progress& progress, double fraction, const char* stage) {
  if (progress && !progress(fraction, stage)) throw Cancelled();
}

}  // namespace walkshed
