// Binary graph file: a signature, a version, then length-prefixed arrays (little-endian host).
#include <cstring>
#include <fstream>

#include "walkshed/core/error.hpp"
#include "walkshed/network/graph.hpp"

namespace walkshed {

namespace {

const char kSignature[8] = {'W', 'S', 'G', 'R', 'A', 'P', 'H', '\n'};
const std::uint32_t kVersion = 2;  // 2: the roads layer's node ids (version 1 files still load)

template <class T>
void put(std::ofstream& f, const std::vector<T>& v) {
  std::uint64_t n = v.size();
  f.write(reinterpret_cast<const char*>(&n), sizeof n);
  f.write(reinterpret_cast<const char*>(v.data()), n * sizeof(T));
}

void put(std::ofstream& f, const std::string& s) { put(f, std::vector<char>(s.begin(), s.end())); }

template <class T>
void get(std::ifstream& f, std::vector<T>& v, const std::string& path) {
  std::uint64_t n = 0;
  f.read(reinterpret_cast<char*>(&n), sizeof n);
  if (!f || n > (std::uint64_t(1) << 40) / sizeof(T)) throw InputError("graph file '" + path + "' is truncated or corrupt");
  v.resize(n);
  f.read(reinterpret_cast<char*>(v.data()), n * sizeof(T));
  if (!f) throw InputError("graph file '" + path + "' is truncated");
}

void get(std::ifstream& f, std::string& s, const std::string& path) {
  std::vector<char> v;
  get(f, v, path);
  s.assign(v.begin(), v.end());
}

}  // namespace

bool is_graph_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  char sig[8] = {};
  f.read(sig, 8);
  return f && std::memcmp(sig, kSignature, 8) == 0;
}

void save_graph(const Graph& g, const std::string& path) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw OutputError("cannot write graph file '" + path + "'");
    f.write(kSignature, 8);
    f.write(reinterpret_cast<const char*>(&kVersion), sizeof kVersion);
    std::int32_t epsg = g.epsg;
    f.write(reinterpret_cast<const char*>(&epsg), sizeof epsg);
    put(f, g.crs_wkt);
    put(f, g.node_x), put(f, g.node_y);
    put(f, g.edge_u), put(f, g.edge_v), put(f, g.edge_length), put(f, g.edge_first_point);
    put(f, g.point_x), put(f, g.point_y), put(f, g.edge_source_id), put(f, g.edge_class);
    std::uint64_t nc = g.class_names.size();
    f.write(reinterpret_cast<const char*>(&nc), sizeof nc);
    for (auto& c : g.class_names) put(f, c);
    put(f, g.inc_first), put(f, g.inc_edge), put(f, g.first_out), put(f, g.head), put(f, g.weight);
    put(f, g.component), put(f, g.component_size);
    put(f, g.node_source_id);
    if (!f.flush()) {
      std::remove(tmp.c_str());
      throw OutputError("cannot write graph file '" + path + "' (disk full?)");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw OutputError("cannot move '" + tmp + "' to '" + path + "'");
  }
}

Graph load_graph(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InputError("graph file '" + path + "' cannot be opened");
  char sig[8] = {};
  std::uint32_t version = 0;
  f.read(sig, 8);
  f.read(reinterpret_cast<char*>(&version), sizeof version);
  if (!f || std::memcmp(sig, kSignature, 8) != 0) throw InputError("'" + path + "' is not a walkshed graph file");
  if (version != kVersion && version != 1)
    throw InputError("graph file '" + path + "' has version " + std::to_string(version) + ", expected " +
                     std::to_string(kVersion) + "; rebuild it with 'walkshed graph'");
  Graph g;
  std::int32_t epsg = 0;
  f.read(reinterpret_cast<char*>(&epsg), sizeof epsg);
  g.epsg = epsg;
  get(f, g.crs_wkt, path);
  get(f, g.node_x, path), get(f, g.node_y, path);
  get(f, g.edge_u, path), get(f, g.edge_v, path), get(f, g.edge_length, path), get(f, g.edge_first_point, path);
  get(f, g.point_x, path), get(f, g.point_y, path), get(f, g.edge_source_id, path), get(f, g.edge_class, path);
  std::uint64_t nc = 0;
  f.read(reinterpret_cast<char*>(&nc), sizeof nc);
  if (!f || nc > 65536) throw InputError("graph file '" + path + "' is corrupt");
  g.class_names.resize(nc);
  for (auto& c : g.class_names) get(f, c, path);
  get(f, g.inc_first, path), get(f, g.inc_edge, path), get(f, g.first_out, path), get(f, g.head, path),
      get(f, g.weight, path);
  get(f, g.component, path), get(f, g.component_size, path);
  if (version >= 2) get(f, g.node_source_id, path);
  validate_graph(g, "graph file '" + path + "'");
  return g;
}

}  // namespace walkshed
