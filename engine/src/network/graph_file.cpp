// Binary graph file: a signature, a version, then length-prefixed arrays (little-endian host) and,
// from version 3, a checksum of everything before it. Every length is checked against the bytes
// left in the file before anything is allocated.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "walkshed/core/error.hpp"
#include "walkshed/core/temp.hpp"
#include "walkshed/core/written.hpp"
#include "walkshed/network/graph.hpp"

namespace walkshed {

namespace {

const char kSignature[8] = {'W', 'S', 'G', 'R', 'A', 'P', 'H', '\n'};
// 3: a checksum at the end; 2: the roads layer's node ids. Versions 1 and 2 still load.
const std::uint32_t kVersion = 3;

// FNV-1a over 8-byte words (the tail zero-padded): cheap, and any flipped bit changes it.
std::uint64_t checksum(const char* p, std::size_t n) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    h = (h ^ w) * 0x100000001b3ull;
  }
  std::uint64_t w = 0;
  std::memcpy(&w, p + i, n - i);
  return (h ^ w ^ n) * 0x100000001b3ull;
}

struct Writer {
  std::string out;
  void bytes(const void* p, std::size_t n) {
    if (n) out.append(static_cast<const char*>(p), n);
  }
  template <class T>
  void value(const T& v) {
    bytes(&v, sizeof v);
  }
  template <class T>
  void array(const std::vector<T>& v) {
    value(std::uint64_t(v.size()));
    bytes(v.data(), v.size() * sizeof(T));
  }
  void text(const std::string& s) {
    value(std::uint64_t(s.size()));
    bytes(s.data(), s.size());
  }
};

struct Reader {
  const std::string& in;
  const std::string& path;
  std::size_t at = 0, end = 0;
  [[noreturn]] void corrupt() const { throw InputError("graph file '" + path + "' is truncated or corrupt"); }
  void bytes(void* p, std::size_t n) {
    if (n > end - at) corrupt();
    if (n) std::memcpy(p, in.data() + at, n);  // an empty vector's data() may be null
    at += n;
  }
  template <class T>
  void value(T& v) {
    bytes(&v, sizeof v);
  }
  template <class T>
  void array(std::vector<T>& v) {
    std::uint64_t n = 0;
    value(n);
    if (n > (end - at) / sizeof(T)) corrupt();  // longer than what is left: never allocated
    v.resize(n);
    bytes(v.data(), n * sizeof(T));
  }
  void text(std::string& s) {
    std::uint64_t n = 0;
    value(n);
    if (n > end - at) corrupt();
    s.assign(in.data() + at, n);
    at += n;
  }
};

}  // namespace

bool is_graph_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  char sig[8] = {};
  f.read(sig, 8);
  return f && std::memcmp(sig, kSignature, 8) == 0;
}

void save_graph(const Graph& g, const std::string& path) {
  Writer w;
  w.bytes(kSignature, 8);
  w.value(kVersion);
  w.value(std::int32_t(g.epsg));
  w.text(g.crs_wkt);
  w.array(g.node_x), w.array(g.node_y);
  w.array(g.edge_u), w.array(g.edge_v), w.array(g.edge_length), w.array(g.edge_first_point);
  w.array(g.point_x), w.array(g.point_y), w.array(g.edge_source_id), w.array(g.edge_class);
  w.value(std::uint64_t(g.class_names.size()));
  for (auto& c : g.class_names) w.text(c);
  w.array(g.inc_first), w.array(g.inc_edge), w.array(g.first_out), w.array(g.head), w.array(g.weight);
  w.array(g.component), w.array(g.component_size);
  w.array(g.node_source_id);
  w.value(checksum(w.out.data(), w.out.size()));

  // A temporary name of this run's own beside the target, renamed into place when complete.
  const std::string tmp = temp_path_for(path);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0666);
  if (fd < 0) throw OutputError("cannot write graph file '" + path + "': " + std::strerror(errno));
  bool ok = true;
  for (std::size_t done = 0; ok && done < w.out.size();) {
    const ssize_t n = ::write(fd, w.out.data() + done, w.out.size() - done);
    if (n <= 0) ok = false;
    else done += n;
  }
  ok = ::fsync(fd) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  if (!ok) {
    std::remove(tmp.c_str());
    throw OutputError("cannot write graph file '" + path + "' (disk full?)");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw OutputError("cannot move '" + tmp + "' to '" + path + "'");
  }
  note_written(path, {path});
}

Graph load_graph(const std::string& path) {
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  if (!f) throw InputError("graph file '" + path + "' cannot be opened");
  const std::streamoff size = f.tellg();
  std::string in(size > 0 ? static_cast<std::size_t>(size) : 0, '\0');
  f.seekg(0);
  if (!f.read(in.data(), in.size())) throw InputError("graph file '" + path + "' cannot be read");
  Reader r{in, path, 0, in.size()};
  char sig[8] = {};
  std::uint32_t version = 0;
  if (in.size() < 12) throw InputError("'" + path + "' is not a walkshed graph file");
  r.bytes(sig, 8);
  r.value(version);
  if (std::memcmp(sig, kSignature, 8) != 0) throw InputError("'" + path + "' is not a walkshed graph file");
  if (version < 1 || version > kVersion)
    throw InputError("graph file '" + path + "' has version " + std::to_string(version) + ", expected " +
                     std::to_string(kVersion) + "; rebuild it with 'walkshed graph'");
  if (version >= 3) {
    if (in.size() < 20) r.corrupt();
    std::uint64_t stored;
    std::memcpy(&stored, in.data() + in.size() - 8, 8);
    if (stored != checksum(in.data(), in.size() - 8))
      throw InputError("graph file '" + path + "' is corrupt (checksum); rebuild it with 'walkshed graph'");
    r.end = in.size() - 8;
  }
  Graph g;
  std::int32_t epsg = 0;
  r.value(epsg);
  g.epsg = epsg;
  r.text(g.crs_wkt);
  r.array(g.node_x), r.array(g.node_y);
  r.array(g.edge_u), r.array(g.edge_v), r.array(g.edge_length), r.array(g.edge_first_point);
  r.array(g.point_x), r.array(g.point_y), r.array(g.edge_source_id), r.array(g.edge_class);
  std::uint64_t nc = 0;
  r.value(nc);
  if (nc > 65536) r.corrupt();
  g.class_names.resize(nc);
  for (auto& c : g.class_names) r.text(c);
  r.array(g.inc_first), r.array(g.inc_edge), r.array(g.first_out), r.array(g.head), r.array(g.weight);
  r.array(g.component), r.array(g.component_size);
  if (version >= 2) r.array(g.node_source_id);
  if (r.at != r.end) r.corrupt();
  validate_graph(g, "graph file '" + path + "'");
  return g;
}

}  // namespace walkshed
