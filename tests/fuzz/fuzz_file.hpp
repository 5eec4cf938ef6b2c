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

#include <dirent.h>

#include <cstdio>
#include <cstdlib>

// Every 1000 inputs: a reader that leaks file descriptors is a finding too.
inline void check_open_files() {
  static int calls = 0;
  if (++calls % 1000) return;
  int n = 0;
  if (DIR* d = opendir("/proc/self/fd")) {
    while (readdir(d)) ++n;
    closedir(d);
  }
  if (n > 256) {
    std::fprintf(stderr, "fuzz: %d open file descriptors after %d inputs: a leak\n", n, calls);
    char link[512];
    for (int fd = 0, shown = 0; fd < 4096 && shown < 8; ++fd) {
      const std::string name = "/proc/self/fd/" + std::to_string(fd);
      const ssize_t len = readlink(name.c_str(), link, sizeof link - 1);
      if (len <= 0 || fd < 3) continue;
      link[len] = 0;
      std::fprintf(stderr, "fuzz:   fd %d -> %s\n", fd, link);
      ++shown;
    }
    std::abort();
  }
}
