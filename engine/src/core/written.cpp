#include "walkshed/core/written.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "walkshed/core/error.hpp"
#include "walkshed/core/temp.hpp"

namespace fs = std::filesystem;

namespace walkshed {

namespace {

constexpr std::uintmax_t kMaxListBytes = 16u << 20;  // a longer list is not walkshed's: ignored

struct Entry {
  std::string set, name;
};

fs::path folder_of(const fs::path& p) { return p.has_parent_path() ? p.parent_path() : fs::path("."); }

std::string set_key(const std::string& set) {
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(fs::absolute(set, ec), ec);
  return ec ? set : p.string();
}

bool plain(const std::string& s) { return !s.empty() && s.find_first_of("\t\n\r") == std::string::npos; }

// The list of `dir`; false when it exists but cannot be used.
bool read_list(const fs::path& dir, std::vector<Entry>& entries) {
  const fs::path list = dir / kWrittenList;
  std::error_code ec;
  const auto status = fs::symlink_status(list, ec);
  if (ec || status.type() == fs::file_type::not_found) return true;
  if (status.type() != fs::file_type::regular || fs::file_size(list, ec) > kMaxListBytes || ec) return false;
  std::ifstream in(list, std::ios::binary);
  if (!in) return false;
  std::string line;
  while (std::getline(in, line)) {
    const auto tab = line.find('\t');
    if (tab == std::string::npos || tab == 0 || tab + 1 == line.size()) continue;
    entries.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  return true;
}

// Holds an exclusive lock on a folder while its list is read and rewritten.
class FolderLock {
 public:
  explicit FolderLock(const fs::path& dir) : fd_(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
    if (fd_ >= 0 && ::flock(fd_, LOCK_EX) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~FolderLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the lock
  }
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;
  bool held() const { return fd_ >= 0; }

 private:
  int fd_;
};

}  // namespace

void check_replaceable(const std::string& path, bool overwrite) {
  if (path.empty() || overwrite) return;
  const fs::path p(path);
  std::error_code ec;
  const auto status = fs::symlink_status(p, ec);
  if (ec || status.type() == fs::file_type::not_found) return;
  std::vector<Entry> entries;
  if (status.type() == fs::file_type::regular && read_list(folder_of(p), entries)) {
    const std::string name = p.filename().string();
    for (const Entry& e : entries)
      if (e.name == name) return;
  }
  throw OutputError("output '" + path + "' already exists and was not written by walkshed; give `overwrite` to replace it");
}

std::vector<std::string> note_written(const std::string& set, const std::vector<std::string>& files) {
  const std::string key = set_key(set);
  if (!plain(key)) return {};
  std::map<fs::path, std::set<std::string>> by_folder;
  for (const std::string& f : files) {
    const fs::path p(f);
    if (plain(p.filename().string())) by_folder[folder_of(p)].insert(p.filename().string());
  }
  std::vector<std::string> stale;
  for (const auto& [dir, names] : by_folder) {
    FolderLock lock(dir);
    std::vector<Entry> entries;
    if (!lock.held() || !read_list(dir, entries)) continue;
    std::set<std::string> others;  // files of other output sets, never stale for this one
    for (const Entry& e : entries)
      if (e.set != key) others.insert(e.name);
    std::string text;
    for (const Entry& e : entries) {
      if (e.set != key) {
        text += e.set + '\t' + e.name + '\n';
      } else if (!names.count(e.name) && !others.count(e.name)) {
        stale.push_back((dir / e.name).string());
      }
    }
    for (const std::string& n : names) text += key + '\t' + n + '\n';
    const std::string tmp = temp_path_for((dir / kWrittenList).string());
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    std::error_code ec;
    if (out << text && out.flush()) {
      out.close();
      fs::rename(tmp, dir / kWrittenList, ec);
    }
    if (!out || ec) fs::remove(tmp, ec);
  }
  return stale;
}

int note_written_and_remove_stale(const std::string& set, const std::vector<std::string>& files) {
  int removed = 0;
  for (const std::string& f : note_written(set, files)) {
    std::error_code ec;
    if (fs::symlink_status(f, ec).type() == fs::file_type::regular && fs::remove(f, ec)) ++removed;
  }
  return removed;
}

}  // namespace walkshed
