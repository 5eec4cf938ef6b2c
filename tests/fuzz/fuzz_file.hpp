// Private to the fuzz targets: the input bytes as a file with a given extension (the readers take paths).
#pragma once
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

inline std::string fuzz_file(const std::uint8_t* data, std::size_t size, const char* extension) {
  const std::string path = "/tmp/walkshed-fuzz-" + std::to_string(getpid()) + extension;
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data), size);
  return path;
}
