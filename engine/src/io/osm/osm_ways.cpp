#include "io/osm/osm_ways.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <exception>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>

#include <osmium/handler.hpp>
#include <osmium/handler/node_locations_for_ways.hpp>
#include <osmium/index/map/flex_mem.hpp>
#include <osmium/io/any_input.hpp>
#include <osmium/visitor.hpp>

#include "walkshed/core/error.hpp"

namespace walkshed::detail {

namespace {

bool ends_with(const std::string& s, const char* suffix) {
  const std::size_t n = std::strlen(suffix);
  return s.size() >= n && std::equal(s.end() - n, s.end(), suffix, [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

// Tags GDAL's osmconf.ini ignores for the lines layer (a way with only these is not reported).
bool ignored_key(const char* key) {
  static const char* const keys[] = {"created_by", "converted_by", "source", "time", "ele",
                                     "note",       "todo",         "fixme",  "FIXME"};
  for (const char* k : keys)
    if (std::strcmp(key, k) == 0) return true;
  return std::strncmp(key, "openGeoDB:", 10) == 0;
}

// osmconf.ini's closed_ways_are_polygons.
bool area_tag(const char* key, const char* value) {
  static const char* const keys[] = {"aeroway", "amenity", "boundary", "building", "craft",    "geological",
                                     "historic", "landuse", "leisure",  "military", "natural",  "office",
                                     "place",    "shop",    "sport",    "tourism"};
  for (const char* k : keys)
    if (std::strcmp(key, k) == 0) return true;
  return (std::strcmp(key, "highway") == 0 || std::strcmp(key, "public_transport") == 0) &&
         std::strcmp(value, "platform") == 0;
}

// Every key and value of the list ends inside it. A corrupt PBF can carry a string with a NUL inside,
// which puts libosmium's walk over the list out of step and past its end.
bool sound(const osmium::TagList& tags) {
  const char* p = reinterpret_cast<const char*>(tags.data()) + sizeof(osmium::TagList);  // where begin() is
  const char* end = reinterpret_cast<const char*>(tags.data()) + tags.byte_size();
  while (p < end) {
    for (int part = 0; part < 2; ++part) {
      const void* z = p < end ? std::memchr(p, 0, end - p) : nullptr;
      if (!z) return false;
      p = static_cast<const char*>(z) + 1;
    }
  }
  return p == end;
}

// libosmium 2.19's PBF parser closes its file only when it reaches the end: every corrupt file read
// leaves a descriptor open. This parser runs it and closes the file when it fails.
class ClosingPbfParser final : public osmium::io::detail::Parser {
 public:
  explicit ClosingPbfParser(osmium::io::detail::parser_arguments& args)
      : Parser(args), fd_(args.fd), inner_(new osmium::io::detail::PBFParser{args}) {}

  void run() override {
    try {
      inner_->run();
    } catch (...) {
      if (fd_ >= 0) ::close(fd_);
      // The inner parser may have delivered the header already: then parse() must not set it again.
      try {
        set_header_exception(std::current_exception());
      } catch (const std::future_error&) {
      }
      throw;
    }
  }

 private:
  int fd_;
  std::unique_ptr<osmium::io::detail::Parser> inner_;
};

bool use_closing_pbf_parser() {
  return osmium::io::detail::ParserFactory::instance().register_parser(
      osmium::io::file_format::pbf, [](osmium::io::detail::parser_arguments& args) {
        return std::unique_ptr<osmium::io::detail::Parser>(new ClosingPbfParser{args});
      });
}

class WayHandler : public osmium::handler::Handler {
 public:
  explicit WayHandler(const std::function<void(const OsmWay&)>& fn) : fn_(fn) {
    current_.tag = [this](const char* key) { return (*tags_)[key]; };
  }
  WayHandler(const WayHandler&) = delete;  // the tag lookup points at this object
  WayHandler& operator=(const WayHandler&) = delete;

  void way(const osmium::Way& w) {
    const osmium::TagList& tags = w.tags();
    if (!sound(tags)) throw std::runtime_error("way " + std::to_string(w.id()) + " has a broken tag list (corrupt file)");
    bool significant = false;
    for (const osmium::Tag& t : tags) significant |= !ignored_key(t.key());
    if (!significant) return;
    const auto& nodes = w.nodes();
    if (nodes.size() >= 2 && nodes.front().ref() == nodes.back().ref()) {  // closed: an area?
      const char* area = tags["area"];
      bool is_area = area && std::strcmp(area, "yes") == 0;
      if (!area || std::strcmp(area, "no") != 0)
        for (const osmium::Tag& t : tags) is_area |= area_tag(t.key(), t.value());
      if (is_area) return;
    }
    current_.id = w.id();
    current_.points.clear();
    for (const auto& n : nodes)
      if (n.location().valid()) current_.points.push_back({n.location().lon(), n.location().lat()});
    tags_ = &tags;
    fn_(current_);
  }

 private:
  const std::function<void(const OsmWay&)>& fn_;
  OsmWay current_;
  const osmium::TagList* tags_ = nullptr;
};

}  // namespace

bool is_osm_path(const std::string& path) {
  return ends_with(path, ".pbf") || ends_with(path, ".osm") || ends_with(path, ".osm.bz2") ||
         ends_with(path, ".osm.gz");
}

void read_osm_ways(const std::string& path, const std::function<void(const OsmWay&)>& way,
                   const std::function<void(double)>& progress) {
  using Index = osmium::index::map::FlexMem<osmium::unsigned_object_id_type, osmium::Location>;
  static const bool closing = use_closing_pbf_parser();
  (void)closing;
  try {
    osmium::io::Reader reader{path, osmium::osm_entity_bits::node | osmium::osm_entity_bits::way};
    const double size = std::max<double>(1, reader.file_size());
    Index index;
    osmium::handler::NodeLocationsForWays<Index> locations{index};
    locations.ignore_errors();  // ways keep the nodes present in the file
    WayHandler handler(way);
    while (osmium::memory::Buffer buffer = reader.read()) {
      osmium::apply(buffer, locations, handler);
      if (progress) progress(reader.offset() / size);
    }
    reader.close();
  } catch (const InputError&) {
    throw;
  } catch (const Cancelled&) {
    throw;
  } catch (const std::exception& e) {
    throw InputError("roads file '" + path + "': cannot read it as OSM data: " + e.what());
  }
}

}  // namespace walkshed::detail
