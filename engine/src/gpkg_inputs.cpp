#include "walkshed/gpkg_inputs.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <memory>
#include <type_traits>

#include <dlfcn.h>
#include <proj.h>
#include <sqlite3.h>

#include "gpkg_lines.hpp"
#include "parallel.hpp"
#include "walkshed/crs.hpp"

namespace walkshed {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

using Db = std::unique_ptr<sqlite3, int (*)(sqlite3*)>;

Db open_gpkg(const std::string& path) {
  const std::string ext = path.size() >= 5 ? lower(path.substr(path.size() - 5)) : "";
  if (ext != ".gpkg") throw NeedsGdal("not a .gpkg file");
  sqlite3* handle = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  Db db(handle, sqlite3_close);
  if (rc != SQLITE_OK) throw NeedsGdal("SQLite cannot open the file");
  return db;
}

// Calls row(statement) for each row of `sql`; NeedsGdal when SQLite cannot run it.
template <class Row>
void query(sqlite3* db, const std::string& sql, Row&& row) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    sqlite3_finalize(st);
    throw NeedsGdal("not a GeoPackage walkshed reads without GDAL");
  }
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> owned(st, sqlite3_finalize);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) row(st);
  if (rc != SQLITE_DONE) throw NeedsGdal("SQLite error");
}

std::string text(sqlite3_stmt* st, int column) {
  const auto* t = sqlite3_column_text(st, column);
  return t ? reinterpret_cast<const char*>(t) : "";
}

struct Field {
  std::string name, type;  // declared type, upper case
  bool is_text() const { return type.rfind("TEXT", 0) == 0; }
  bool is_integer() const {
    return type == "INTEGER" || type == "INT" || type == "MEDIUMINT" || type == "SMALLINT" || type == "TINYINT";
  }
};

struct Table {
  std::string name, geometry, geometry_type, fid;
  int epsg = 0;
  std::vector<Field> fields;  // besides the fid and the geometry
  // The field named `name` (any case, as OGR finds fields), or null.
  const Field* field(const std::string& name) const {
    for (auto& f : fields)
      if (lower(f.name) == lower(name)) return &f;
    return nullptr;
  }
};

// The layer as OGR would open it (`layer`, else the only one), with an EPSG CRS.
Table feature_table(sqlite3* db, const std::string& layer) {
  std::vector<Table> tables;
  int layers = 0;
  query(db, "SELECT data_type FROM gpkg_contents", [&](sqlite3_stmt* st) {
    const std::string type = text(st, 0);
    layers += type == "features" || type == "attributes" || type == "aspatial";
  });
  query(db,
        "SELECT c.table_name, g.column_name, g.geometry_type_name, lower(s.organization), "
        "s.organization_coordsys_id, s.srs_id FROM gpkg_contents c JOIN gpkg_geometry_columns g ON "
        "c.table_name = g.table_name LEFT JOIN gpkg_spatial_ref_sys s ON g.srs_id = s.srs_id "
        "WHERE c.data_type = 'features'",
        [&](sqlite3_stmt* st) {
          Table t;
          t.name = text(st, 0), t.geometry = text(st, 1), t.geometry_type = text(st, 2);
          // An EPSG code GDAL takes as such (srs_id the code itself); other rows are GDAL's to read.
          const int code = sqlite3_column_int(st, 4);
          t.epsg = text(st, 3) == "epsg" && code == sqlite3_column_int(st, 5) ? code : 0;
          tables.push_back(t);
        });
  auto it = layer.empty() ? (layers == 1 && tables.size() == 1 ? tables.begin() : tables.end())
                          : std::find_if(tables.begin(), tables.end(), [&](const Table& t) { return t.name == layer; });
  if (it == tables.end()) throw NeedsGdal("layer not chosen without GDAL");
  Table t = *it;
  if (t.epsg <= 0) throw NeedsGdal("no EPSG CRS");
  int keys = 0;
  query(db, "PRAGMA table_info(" + detail::sql_quoted(t.name) + ")", [&](sqlite3_stmt* st) {
    Field f{text(st, 1), text(st, 2)};
    std::transform(f.type.begin(), f.type.end(), f.type.begin(), [](unsigned char c) { return std::toupper(c); });
    if (sqlite3_column_int(st, 5) > 0) {
      ++keys;
      if (f.type == "INTEGER") t.fid = f.name;
    } else if (f.name != t.geometry) {
      t.fields.push_back(f);
    }
  });
  if (keys != 1 || t.fid.empty()) throw NeedsGdal("no integer primary key");
  return t;
}

// PROJ's functions, loaded on first use: the walkshed front does not link PROJ, whose ~44 libraries
// (~15 ms to load) every job it hands over to walkshed-gdal would pay for nothing.
struct Proj {
  decltype(&proj_context_create) context_create = nullptr;
  decltype(&proj_context_destroy) context_destroy = nullptr;
  decltype(&proj_create_from_database) create_from_database = nullptr;
  decltype(&proj_get_type) get_type = nullptr;
  decltype(&proj_crs_get_geodetic_crs) crs_get_geodetic_crs = nullptr;
  decltype(&proj_create_crs_to_crs_from_pj) create_crs_to_crs_from_pj = nullptr;
  decltype(&proj_normalize_for_visualization) normalize_for_visualization = nullptr;
  decltype(&proj_as_wkt) as_wkt = nullptr;
  decltype(&proj_trans) trans = nullptr;
  decltype(&proj_destroy) destroy = nullptr;
  bool loaded = false;
};

const Proj& proj() {
  static const Proj api = [] {
    Proj p;
    void* lib = dlopen(WALKSHED_PROJ_LIBRARY, RTLD_NOW | RTLD_LOCAL);  // kept for the process
    if (!lib) return p;
    auto get = [&](auto& f, const char* name) { f = reinterpret_cast<std::remove_reference_t<decltype(f)>>(dlsym(lib, name)); };
    get(p.context_create, "proj_context_create"), get(p.context_destroy, "proj_context_destroy");
    get(p.create_from_database, "proj_create_from_database"), get(p.get_type, "proj_get_type");
    get(p.crs_get_geodetic_crs, "proj_crs_get_geodetic_crs");
    get(p.create_crs_to_crs_from_pj, "proj_create_crs_to_crs_from_pj");
    get(p.normalize_for_visualization, "proj_normalize_for_visualization"), get(p.as_wkt, "proj_as_wkt");
    get(p.trans, "proj_trans"), get(p.destroy, "proj_destroy");
    p.loaded = p.context_create && p.context_destroy && p.create_from_database && p.get_type &&
               p.crs_get_geodetic_crs && p.create_crs_to_crs_from_pj && p.normalize_for_visualization && p.as_wkt &&
               p.trans && p.destroy;
    return p;
  }();
  if (!api.loaded) throw NeedsGdal("PROJ not loaded");
  return api;
}

// load_roads's working CRS for data centred at (x, y) in EPSG:`epsg` (metric_epsg_at through PROJ),
// with PROJ's WKT of the layer's CRS as GDAL writes it.
int working_epsg(int epsg, double x, double y, std::string& wkt) {
  const Proj& P = proj();
  std::unique_ptr<PJ_CONTEXT, decltype(P.context_destroy)> ctx(P.context_create(), P.context_destroy);
  auto own = [&](PJ* p) { return std::unique_ptr<PJ, decltype(P.destroy)>(p, P.destroy); };
  auto crs = own(P.create_from_database(ctx.get(), "EPSG", std::to_string(epsg).c_str(), PJ_CATEGORY_CRS, 0, nullptr));
  if (!crs || P.get_type(crs.get()) != PJ_TYPE_PROJECTED_CRS) throw NeedsGdal("not a projected EPSG CRS");
  auto geo = own(P.crs_get_geodetic_crs(ctx.get(), crs.get()));
  auto op = own(geo ? P.create_crs_to_crs_from_pj(ctx.get(), crs.get(), geo.get(), nullptr, nullptr) : nullptr);
  auto gis = own(op ? P.normalize_for_visualization(ctx.get(), op.get()) : nullptr);
  const char* one_line[] = {"MULTILINE=NO", "OUTPUT_AXIS=YES", nullptr};
  const char* text = P.as_wkt(ctx.get(), crs.get(), PJ_WKT1_GDAL, one_line);
  if (!gis || !text) throw NeedsGdal("no transformation to longitude/latitude");
  wkt = text;
  PJ_COORD c;
  c.xyzt = {x, y, 0, 0};
  c = P.trans(gis.get(), PJ_FWD, c);
  if (!std::isfinite(c.xy.x) || !std::isfinite(c.xy.y)) throw NeedsGdal("centre not transformed");
  return metric_epsg_for(c.xy.x, c.xy.y);
}

}  // namespace

RoadSet load_gpkg_roads(const RoadOptions& options) {
  if (!options.where.empty() || !options.source_srs.empty() || !options.target_srs.empty())
    throw NeedsGdal("filter or stated CRS");
  Table t;
  {
    Db db = open_gpkg(options.path);
    t = feature_table(db.get(), options.layer);
  }
  const std::string type = lower(t.geometry_type);
  if (type != "linestring" && type != "multilinestring" && type != "geometry") throw NeedsGdal("not a line layer");
  detail::GpkgColumns columns;
  const Field* cls = t.field(options.class_field.empty() ? "highway" : options.class_field);
  if ((!cls && !options.class_field.empty()) || (cls && !cls->is_text())) throw NeedsGdal("class field");
  if (cls) columns.text = cls->name;
  const bool ids = !options.from_node_field.empty() || !options.to_node_field.empty();
  if (ids) {
    const Field* from = t.field(options.from_node_field);
    const Field* to = t.field(options.to_node_field);
    if (!from || !to || !from->is_integer() || !to->is_integer()) throw NeedsGdal("node id fields");
    columns.ints[0] = from->name, columns.ints[1] = to->name;
  }

  RoadSet out;
  out.source_crs = "EPSG:" + std::to_string(t.epsg);
  const bool read = detail::read_gpkg_road_rows(
      options.path, t.name, t.fid, t.geometry, columns, ids, detail::thread_count(options.threads, 2), out,
      [&] { ++out.features_read; }, [](std::int64_t, LineSet&) -> bool { throw NeedsGdal("geometry left to OGR"); });
  if (!read || out.lines.empty()) throw NeedsGdal("nothing read");
  out.read_by_sqlite = true;

  const XY c = box_centre(out.lines.points);
  if (working_epsg(t.epsg, c.x, c.y, out.crs_wkt) != t.epsg)
    throw NeedsGdal("the working CRS differs from the layer's");
  out.epsg = t.epsg;
  return out;
}

PointLayer load_gpkg_points(const PointLayerOptions& options, int epsg) {
  if (!options.where.empty() || !options.source_srs.empty() || options.keep_footprints)
    throw NeedsGdal("filter, stated CRS or footprints");
  Db db = open_gpkg(options.path);
  const Table t = feature_table(db.get(), options.layer);
  const std::string type = lower(t.geometry_type);
  if (type != "point" && type != "geometry") throw NeedsGdal("not a point layer");  // other rows: below
  if (t.epsg != epsg) throw NeedsGdal("not in the working CRS");
  // Fields as load_points picks them; values that OGR would format (reals, dates) are left to it.
  const Field* id = nullptr;
  if (!options.id_field.empty()) {
    if (!(id = t.field(options.id_field))) throw NeedsGdal("no id field");
  } else {
    for (const char* guess : {"fac_id", "facility_id", "id", "ID", "osm_id"})
      if ((id = t.field(guess))) break;
  }
  const Field* name = t.field(options.name_field.empty() ? "name" : options.name_field);
  if (!name && !options.name_field.empty()) throw NeedsGdal("no name field");
  for (const Field* f : {id, name})
    if (f && !f->is_text() && !f->is_integer()) throw NeedsGdal("field type");
  auto column = [](const Field* f) { return f ? detail::sql_quoted(f->name) : std::string("NULL"); };

  PointLayer out;
  out.source_crs = "EPSG:" + std::to_string(epsg);
  query(db.get(),
        "SELECT " + detail::sql_quoted(t.fid) + ", " + detail::sql_quoted(t.geometry) + ", " + column(id) + ", " +
            column(name) + " FROM " + detail::sql_quoted(t.name),
        [&](sqlite3_stmt* st) {
          ++out.features_read;
          for (int c : {2, 3}) {  // text as stored, integers as digits
            const int type = sqlite3_column_type(st, c);
            const Field* f = c == 2 ? id : name;
            if (f && type != SQLITE_NULL && type != (f->is_text() ? SQLITE_TEXT : SQLITE_INTEGER))
              throw NeedsGdal("a value of another type");
          }
          Facility fac;
          const auto* blob = static_cast<const std::uint8_t*>(sqlite3_column_blob(st, 1));
          if (!blob || !detail::parse_gpkg_point(blob, sqlite3_column_bytes(st, 1), fac.point))
            throw NeedsGdal("an empty or unusual geometry");
          fac.id = id ? text(st, 2) : std::to_string(sqlite3_column_int64(st, 0));
          if (name && sqlite3_column_type(st, 3) != SQLITE_NULL) fac.name = text(st, 3);
          out.items.push_back(std::move(fac));
        });
  return out;
}

}  // namespace walkshed
