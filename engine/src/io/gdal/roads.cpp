// Reading road layers: OSM files through libosmium, GeoPackages through SQLite, the rest through OGR.
#include "walkshed/io/roads.hpp"

#include <cstring>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

#include "io/gdal/gdal_util.hpp"
#include "io/gpkg/gpkg_lines.hpp"
#include "io/osm/osm_ways.hpp"
#include "core/parallel.hpp"
#include "walkshed/io/crs.hpp"

namespace walkshed {

namespace {

void add_parts(const OGRGeometry* geom, LineSet& parts) {
  const auto type = wkbFlatten(geom->getGeometryType());
  if (type == wkbLineString) {
    auto* ls = geom->toLineString();
    for (int i = 0; i < ls->getNumPoints(); ++i) parts.points.push_back({ls->getX(i), ls->getY(i)});
    parts.first.push_back(static_cast<std::uint32_t>(parts.points.size()));
  } else if (type == wkbMultiLineString || type == wkbGeometryCollection) {
    for (auto* part : *geom->toGeometryCollection()) add_parts(part, parts);
  } else if (geom->hasCurveGeometry()) {
    std::unique_ptr<OGRGeometry> lin(geom->getLinearGeometry());
    if (lin) add_parts(lin.get(), parts);
  }
}

}  // namespace

namespace {

// Through OGR: any vector format; GeoPackages without a filter straight through SQLite.
void read_with_ogr(const RoadOptions& options, const Progress& progress, RoadSet& out, OGRSpatialReference& source,
                   std::string& where) {
  const std::string what = "roads";
  auto ds = detail::open_vector(options.path, what);
  out.osm = std::string(ds->GetDriver()->GetDescription()) == "OSM";
  std::string layer_name = options.layer.empty() && out.osm ? "lines" : options.layer;
  OGRLayer* layer = detail::open_layer(*ds, options.path, layer_name, what);
  where = "roads file '" + options.path + "', layer '" + layer->GetName() + "'";

  auto gtype = wkbFlatten(layer->GetGeomType());
  if (gtype == wkbPoint || gtype == wkbMultiPoint || gtype == wkbPolygon || gtype == wkbMultiPolygon)
    throw InputError(where + ": expected lines, found " + OGRGeometryTypeToName(layer->GetGeomType()));

  source = detail::layer_srs(*layer, options.source_srs, where, "`roads.source_srs`");

  out.source_crs = srs_label(source);
  detail::set_filter(*layer, options.where, options.path, what);
  int highway_i = -1, tags_i = -1, class_i = -1, osm_id_i = -1, from_i = -1, to_i = -1;
  auto* defn = layer->GetLayerDefn();
  const bool ids = !options.from_node_field.empty() || !options.to_node_field.empty();
  if (ids) {
    if (out.osm) throw InputError(where + ": node id fields apply to noded line layers, not to OSM data");
    from_i = detail::require_field(*layer, options.from_node_field, options.path, what);
    to_i = detail::require_field(*layer, options.to_node_field, options.path, what);
    for (int i : {from_i, to_i}) {
      const auto type = defn->GetFieldDefn(i)->GetType();
      if (type != OFTInteger && type != OFTInteger64)
        throw InputError(where + ": node id field '" + defn->GetFieldDefn(i)->GetNameRef() + "' is not an integer field");
    }
  }
  if (out.osm) {
    highway_i = defn->GetFieldIndex("highway");
    tags_i = defn->GetFieldIndex("other_tags");
    osm_id_i = defn->GetFieldIndex("osm_id");
    if (highway_i < 0) throw InputError(where + ": OSM lines without a 'highway' field");
  } else if (!options.class_field.empty()) {
    class_i = detail::require_field(*layer, options.class_field, options.path, what);
  } else {
    class_i = defn->GetFieldIndex("highway");
  }
  // OSM lines in another format: the walking rule on the highway field, tags from fields or other_tags.
  int tag_i[3] = {-1, -1, -1};
  const char* tag_keys[3] = {"foot", "access", "sidewalk"};
  const bool rule = out.osm || (!ids && options.walking_rule && options.class_field.empty() && class_i >= 0);
  out.walking_rule = rule;
  if (rule && !out.osm) {
    highway_i = class_i;
    tags_i = defn->GetFieldIndex("other_tags");
    for (int k = 0; k < 3; ++k) tag_i[k] = defn->GetFieldIndex(tag_keys[k]);
  }

  // Fetch only the fields used (about a third faster on a GeoPackage); an attribute filter may need any.
  if (options.where.empty()) {
    std::vector<const char*> ignored;
    for (int i = 0; i < defn->GetFieldCount(); ++i)
      if (i != highway_i && i != tags_i && i != class_i && i != osm_id_i && i != from_i && i != to_i && i != tag_i[0] &&
          i != tag_i[1] && i != tag_i[2])
        ignored.push_back(defn->GetFieldDefn(i)->GetNameRef());
    ignored.push_back("OGR_STYLE");
    ignored.push_back(nullptr);
    layer->SetIgnoredFields(ignored.data());
  }
  const GIntBig total = layer->GetFeatureCount(false);
  auto tick = [&] {
    ++out.features_read;
    if (total > 0 && out.features_read % 4096 == 0) report(progress, 0.8 * out.features_read / double(total), "reading roads");
  };
  if (total > 0) out.source_id.reserve(total), out.line_class.reserve(total), out.lines.first.reserve(total + 1);
  LineSet parts;
  auto clear = [&] { parts.points.clear(), parts.first.resize(1); };
  // A GeoPackage without a filter is read straight from SQLite; other formats, and geometries the
  // fast path does not parse, through OGR.
  const bool direct = std::string(ds->GetDriver()->GetDescription()) == "GPKG" && options.where.empty() &&
                      !rule && (class_i < 0 || defn->GetFieldDefn(class_i)->GetType() == OFTString) &&
                      *layer->GetFIDColumn() && *layer->GetGeometryColumn();
  bool done = false;
  if (direct) {
    detail::GpkgColumns columns;
    auto name = [&](int i) { return i >= 0 ? std::string(defn->GetFieldDefn(i)->GetNameRef()) : std::string(); };
    columns.text = name(class_i), columns.ints[0] = name(from_i), columns.ints[1] = name(to_i);
    done = detail::read_gpkg_road_rows(
        options.path, layer->GetName(), layer->GetFIDColumn(), layer->GetGeometryColumn(), columns, ids,
        detail::thread_count(options.threads, 2), out, tick, [&](std::int64_t fid, LineSet& into) {
          std::unique_ptr<OGRFeature> f(layer->GetFeature(fid));  // a geometry the blob parser leaves
          const OGRGeometry* g = f ? f->GetGeometryRef() : nullptr;
          if (!g || g->IsEmpty()) return false;
          add_parts(g, into);
          return true;
        });
  }
  out.read_by_sqlite = done;
  if (!done) {
    layer->ResetReading();
    for (auto& f : *layer) {
      tick();
      const OGRGeometry* g = f->GetGeometryRef();
      if (!g || g->IsEmpty()) {
        ++out.dropped["empty geometry"];
        continue;
      }
      std::string cls;
      if (rule) {
        cls = f->IsFieldSetAndNotNull(highway_i) ? f->GetFieldAsString(highway_i) : "";
        const std::string tags = tags_i >= 0 && f->IsFieldSetAndNotNull(tags_i) ? f->GetFieldAsString(tags_i) : "";
        const std::string reason = osm_walk_rule(cls, [&](const char* key) {
          for (int k = 0; k < 3; ++k)
            if (tag_i[k] >= 0 && std::strcmp(key, tag_keys[k]) == 0 && f->IsFieldSetAndNotNull(tag_i[k]))
              return std::string(f->GetFieldAsString(tag_i[k]));
          return hstore_value(tags, key);
        }, options);
        if (!reason.empty()) {
          ++out.dropped[reason];
          continue;
        }
      } else if (class_i >= 0 && f->IsFieldSetAndNotNull(class_i)) {
        cls = f->GetFieldAsString(class_i);
      }
      clear();
      add_parts(g, parts);
      std::int64_t id = f->GetFID();
      if (osm_id_i >= 0 && f->IsFieldSetAndNotNull(osm_id_i)) id = std::strtoll(f->GetFieldAsString(osm_id_i), nullptr, 10);
      std::int64_t node[2];
      const bool node_set = ids && f->IsFieldSetAndNotNull(from_i) && f->IsFieldSetAndNotNull(to_i);
      if (node_set) node[0] = f->GetFieldAsInteger64(from_i), node[1] = f->GetFieldAsInteger64(to_i);
      out.add_feature(parts, id, cls, ids, node_set ? node : nullptr);
    }
    detail::check_read(*layer, options.where, options.path, what);
  }
}

// OSM files through libosmium, with the walking rule applied to each way's tags.
void read_with_osmium(const RoadOptions& options, const Progress& progress, RoadSet& out, OGRSpatialReference& source,
                      std::string& where) {
  if (!std::filesystem::exists(options.path)) throw InputError("roads file '" + options.path + "' does not exist");
  out.osm = true;
  where = "roads file '" + options.path + "', layer 'lines'";
  source = srs_from_epsg(4326);
  out.source_crs = srs_label(source);
  detail::read_osm_ways(
      options.path,
      [&](const detail::OsmWay& way) {
        if (way.points.size() < 2) {
          ++out.dropped["nodes missing from the file"];
          return;
        }
        ++out.features_read;
        const char* highway = way.tag("highway");
        const std::string cls = highway ? highway : "";
        const std::string reason = osm_walk_rule(
            cls, [&](const char* key) { const char* v = way.tag(key); return std::string(v ? v : ""); }, options);
        if (!reason.empty()) {
          ++out.dropped[reason];
          return;
        }
        out.add_line(way.points.data(), way.points.size(), way.id, cls);
      },
      [&](double share) { report(progress, 0.8 * share, "reading roads"); });
}

}  // namespace

bool is_osm_file(const std::string& path) { return detail::is_osm_path(path); }

namespace {

// Keeps the lines `keep(first point, point count)` says yes to, moving them up in place; returns how many were left out.
template <class Keep>
std::int64_t keep_lines(RoadSet& out, Keep keep) {
  LineSet& lines = out.lines;
  const std::uint32_t count = lines.size();
  std::uint32_t kept = 0, write = 0;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint32_t read = lines.first[i], n = lines.first[i + 1] - read;
    if (!keep(read, n)) continue;
    std::copy(lines.points.begin() + read, lines.points.begin() + read + n, lines.points.begin() + write);
    write += n;
    lines.first[kept + 1] = write;
    out.source_id[kept] = out.source_id[i];
    out.line_class[kept] = out.line_class[i];
    if (!out.from_node.empty()) out.from_node[kept] = out.from_node[i], out.to_node[kept] = out.to_node[i];
    ++kept;
  }
  lines.points.resize(write), lines.first.resize(kept + 1);
  out.source_id.resize(kept), out.line_class.resize(kept);
  if (!out.from_node.empty()) out.from_node.resize(kept), out.to_node.resize(kept);
  return count - kept;
}

}  // namespace

RoadSet load_roads(const RoadOptions& options, const Progress& progress) {
  RoadSet out;
  OGRSpatialReference source;
  std::string where;
  // OSM files through libosmium unless a layer other than the lines, a filter or a CRS is asked for.
  if (detail::is_osm_path(options.path) && (options.layer.empty() || options.layer == "lines") &&
      options.where.empty() && options.source_srs.empty() && options.from_node_field.empty() &&
      options.to_node_field.empty())
    read_with_osmium(options, progress, out, source, where);
  else
    read_with_ogr(options, progress, out, source, where);
  if (out.lines.empty())
    throw InputError(where + ": no usable line out of " + std::to_string(out.features_read) +
                     " features (empty or all filtered out)");

  // Working CRS: stated, or chosen from the centre of the data.
  OGRSpatialReference target;
  if (!options.target_srs.empty()) {
    target = parse_srs(options.target_srs, "`roads.target_srs`");
  } else {
    const XY c = box_centre(out.lines.points);
    out.epsg = metric_epsg_at(source, c.x, c.y, where);
    target = srs_from_epsg(out.epsg);
  }
  if (target.IsGeographic())
    throw InputError("`roads.target_srs` must be a projected (metric) CRS, not a geographic one");
  if (out.epsg == 0) {
    const char* auth = target.GetAuthorityName(nullptr);
    const char* code = target.GetAuthorityCode(nullptr);
    if (auth && code && std::string(auth) == "EPSG") out.epsg = std::atoi(code);
  }
  char* wkt = nullptr;
  target.exportToWkt(&wkt);
  out.crs_wkt = wkt;
  CPLFree(wkt);

  auto tr = make_transform(source, target);
  if (tr) {  // all points in a few large calls (PROJ's cost per call is high); lines with a point
             // that does not reproject are dropped, the others moved up in place
    LineSet& lines = out.lines;
    const std::size_t total = lines.points.size();
    std::vector<double> xs(total), ys(total);
    std::vector<int> ok(total, 0);
    for (std::size_t k = 0; k < total; ++k) xs[k] = lines.points[k].x, ys[k] = lines.points[k].y;
    // Chunks on all cores, one transformation object per worker (they are not thread-safe).
    constexpr std::size_t kChunk = 1 << 15;
    const std::size_t chunks = (total + kChunk - 1) / kChunk;
    const int threads = detail::thread_count(options.threads, chunks);
    std::vector<Transform> transforms;
    transforms.push_back(std::move(tr));
    for (int t = 1; t < threads; ++t) transforms.push_back(make_transform(source, target));
    detail::parallel_for(chunks, threads, progress, "reprojecting roads", [&](std::size_t c, int worker) {
      const std::size_t at = c * kChunk, n = std::min(kChunk, total - at);
      transforms[worker]->Transform(n, xs.data() + at, ys.data() + at, nullptr, ok.data() + at);
    });
    const std::int64_t bad = keep_lines(out, [&](std::uint32_t read, std::uint32_t n) {
      for (std::uint32_t k = read; k < read + n; ++k)
        if (!ok[k] || !std::isfinite(xs[k]) || !std::isfinite(ys[k])) return false;
      for (std::uint32_t k = read; k < read + n; ++k) lines.points[k] = {xs[k], ys[k]};
      return true;
    });
    if (bad) out.dropped["cannot reproject"] += bad;
  }
  if (options.clip.size() == 4) {
    keep_lines(out, [&](std::uint32_t read, std::uint32_t n) {
      Box b;
      for (std::uint32_t k = read; k < read + n; ++k) b.add(out.lines.points[k]);
      return meets_clip(options.clip, b);
    });
    if (out.lines.empty()) throw InputError(where + ": no road line within the clip box");
  }
  report(progress, 1.0, "reading roads");
  return out;
}

}  // namespace walkshed
