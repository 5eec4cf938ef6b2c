#include "walkshed/core/temp.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <set>

namespace walkshed {

namespace {

const char kTemp[] = ".walkshed-tmp-";

}  // namespace

std::string temp_prefix() { return kTemp + std::to_string(getpid()) + "-"; }

std::string temp_path_for(const std::string& final_path) {
  static std::atomic<int> serial{0};
  const std::filesystem::path p(final_path);
  const std::filesystem::path dir = p.has_parent_path() ? p.parent_path() : ".";
  remove_stale_temporaries(dir.string());
  return (dir / (temp_prefix() + "f" + std::to_string(serial++) + "-" + p.filename().string())).string();
}

int remove_stale_temporaries(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  {  // once per folder and process: the leftovers of dead processes do not come back
    static std::mutex m;
    static std::set<std::string> done;
    std::lock_guard<std::mutex> lock(m);
    if (!done.insert(fs::weakly_canonical(dir.empty() ? "." : dir, ec).string()).second) return 0;
  }
  int removed = 0;
  for (fs::directory_iterator it(dir.empty() ? "." : dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(kTemp, 0) != 0) continue;
    char* stop = nullptr;
    const long pid = std::strtol(name.c_str() + sizeof kTemp - 1, &stop, 10);
    if (pid <= 0 || *stop != '-' || pid == getpid()) continue;
    if (kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // still running (or not ours to ask)
    std::error_code rm;
    fs::remove_all(it->path(), rm);
    removed += !rm;
  }
  return removed;
}

}  // namespace walkshed
