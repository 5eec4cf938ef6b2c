// Exceptions thrown by the engine. Tools turn them into exit codes.
#pragma once
#include <stdexcept>
#include <string>

namespace walkshed {

// Bad input: a missing file, layer or field, no CRS, an empty network...
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An output that cannot be written (or would overwrite an input).
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The user cancelled through the progress callback.
class Cancelled : public std::runtime_error {
 public:
  Cancelled() : std::runtime_error("cancelled") {}
};

}  // namespace walkshed
