// The walkshed binary on the sample in data/, outputs checked attribute by attribute with GDAL. The
// cases that need only exit codes, messages and layer counts are data: tests/cli/*.yaml.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <fstream>
#include <sstream>
#include <vector>

#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogr_api.h>
#include <ogrsf_frmts.h>

namespace fs = std::filesystem;

namespace {

const std::string kBin = WALKSHED_BIN;
const std::string kData = WALKSHED_DATA_DIR;
const std::string kRoads = kData + "/beijing_cau.osm.pbf";
const std::string kFac = kData + "/beijing_cau_facilities.geojson";

struct Run {
  int code;
  std::string out, err;
};

std::string slurp(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// ogr2ogr from `from` to `to` with its arguments.
void translate(const fs::path& from, const fs::path& to, std::vector<const char*> args) {
  GDALAllRegister();
  GDALDatasetH src = GDALOpenEx(from.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
  REQUIRE(src);
  args.push_back(nullptr);
  GDALVectorTranslateOptions* opts = GDALVectorTranslateOptionsNew(const_cast<char**>(args.data()), nullptr);
  GDALDatasetH dst = GDALVectorTranslate(to.c_str(), nullptr, 1, &src, opts, nullptr);
  GDALVectorTranslateOptionsFree(opts);
  GDALClose(src);
  REQUIRE(dst);
  GDALClose(dst);
}

fs::path temp_dir() {
  static fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("walkshed-cli-" + std::to_string(getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

Run run(const std::string& args) {
  const fs::path o = temp_dir() / "stdout.txt", e = temp_dir() / "stderr.txt";
  const std::string cmd = kBin + " " + args + " >" + o.string() + " 2>" + e.string();
  int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(o), slurp(e)};
}

struct Dataset {
  explicit Dataset(const fs::path& p) {
    GDALAllRegister();
    ds = static_cast<GDALDataset*>(GDALOpenEx(p.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr));
  }
  ~Dataset() {
    if (ds) GDALClose(ds);
  }
  GDALDataset* ds;
};

int all_valid(OGRLayer* layer) {
  int bad = 0;
  layer->ResetReading();
  for (auto& f : *layer)
    if (!f->GetGeometryRef() || !f->GetGeometryRef()->IsValid()) ++bad;
  return bad;
}

}  // namespace

TEST_CASE("cli: per-facility catchments on the sample, GeoPackage", "[cli]") {
  const fs::path out = temp_dir() / "catch.gpkg";
  auto r = run("catchment -q --roads " + kRoads + " --facilities " + kFac + " --distances 300,500,1000 -o " + out.string());
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.empty());  // -q
  Dataset d(out);
  REQUIRE(d.ds);
  for (auto* name : {"facilities", "not_routable", "snap_lines", "catchment_lines", "catchment_polygons"})
    CHECK(d.ds->GetLayerByName(name) != nullptr);
  auto* fac = d.ds->GetLayerByName("facilities");
  CHECK(fac->GetFeatureCount() == 33);
  const char* code = fac->GetSpatialRef()->GetAuthorityCode(nullptr);
  REQUIRE(code);
  CHECK(std::string(code) == "4548");
  auto* poly = d.ds->GetLayerByName("catchment_polygons");
  auto* lines = d.ds->GetLayerByName("catchment_lines");
  const auto routable = fac->GetFeatureCount() - d.ds->GetLayerByName("not_routable")->GetFeatureCount();
  CHECK(lines->GetFeatureCount() == 3 * routable);
  CHECK(poly->GetFeatureCount() == 3 * routable);
  CHECK(all_valid(poly) == 0);
  // Every layer has a sound spatial index holding every feature (packed by walkshed).
  for (auto* name : {"facilities", "snap_lines", "catchment_lines", "catchment_polygons"}) {
    INFO("layer " << name);
    auto sql = [&](const std::string& q) {
      OGRLayer* r = d.ds->ExecuteSQL(q.c_str(), nullptr, nullptr);
      REQUIRE(r);
      std::unique_ptr<OGRFeature> f(r->GetNextFeature());
      const std::string v = f ? f->GetFieldAsString(0) : "";
      d.ds->ReleaseResultSet(r);
      return v;
    };
    const std::string rtree = std::string("rtree_") + name + "_geom";
    CHECK(sql("SELECT rtreecheck('" + rtree + "')") == "ok");
    CHECK(sql("SELECT count(*) FROM " + rtree) == std::to_string(d.ds->GetLayerByName(name)->GetFeatureCount()));
  }
  // Bands are cumulative: the 1000 m polygon of a facility covers its 300 m polygon.
  std::map<std::string, std::map<double, std::unique_ptr<OGRGeometry>>> by_fac;
  for (auto& f : *poly)
    by_fac[f->GetFieldAsString("fac_id")][f->GetFieldAsDouble("band_m")].reset(f->GetGeometryRef()->clone());
  for (auto& [id, bands] : by_fac) {
    INFO("facility " << id);
    std::unique_ptr<OGRGeometry> outside(bands.at(300.0)->Difference(bands.at(1000.0).get()));
    double area = 0;
    if (outside && !outside->IsEmpty()) area = OGR_G_Area(OGRGeometry::ToHandle(outside.get()));
    CHECK(area < 0.01);  // buffers are approximated by segments: allow a few cm2
    CHECK(bands.at(1000.0)->toMultiPolygon()->get_Area() >= bands.at(500.0)->toMultiPolygon()->get_Area());
  }
  // Facility ids and names from the input are carried through.
  fac->SetAttributeFilter("fac_id = 'F01'");
  auto f = std::unique_ptr<OGRFeature>(fac->GetNextFeature());
  REQUIRE(f);
  CHECK(std::string(f->GetFieldAsString("name")).size() > 0);
}

TEST_CASE("cli: nearest mode with minutes, GeoJSON in WGS84", "[cli]") {
  const fs::path out = temp_dir() / "near.geojson";
  auto r = run("catchment -q --roads " + kRoads + " --facilities " + kFac + " --minutes 5,10 --mode nearest -o " +
               out.string());
  INFO(r.err);
  REQUIRE(r.code == 0);
  Dataset d(temp_dir() / "near_network_nearest.geojson");
  REQUIRE(d.ds);
  auto* net = d.ds->GetLayer(0);
  CHECK(net->GetFeatureCount() > 600);
  OGREnvelope env;
  REQUIRE(net->GetExtent(&env) == OGRERR_NONE);
  CHECK(env.MinX > 116.2);  // longitude/latitude (RFC 7946)
  CHECK(env.MaxY < 40.1);
  int labelled = 0;
  for (auto& f : *net)
    if (f->IsFieldSetAndNotNull(f->GetFieldIndex("nearest_facility"))) {
      ++labelled;
      CHECK(f->GetFieldAsDouble("distance_m") <= f->GetFieldAsDouble("dist_max_m"));
    }
  CHECK(labelled > 0);
  CHECK(fs::exists(temp_dir() / "near_catchment_polygons.geojson"));
}

TEST_CASE("cli: Shapefile output gets a UTF-8 .cpg and short field names", "[cli]") {
  const fs::path out = temp_dir() / "shp";
  auto r = run("catchment -q --roads " + kRoads + " --facilities " + kFac + " -f Shapefile --mode nearest -o " +
               out.string());
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(fs::exists(out / "catchment_polygons.shp"));
  CHECK(slurp(out / "catchment_polygons.cpg").find("UTF-8") != std::string::npos);
  Dataset d(out / "network_nearest.shp");
  REQUIRE(d.ds);
  CHECK(d.ds->GetLayer(0)->GetLayerDefn()->GetFieldIndex("nearest_fa") >= 0);
}

TEST_CASE("cli: graph summary, saved graph reused by catchment", "[cli]") {
  const fs::path wsg = temp_dir() / "cau.wsg", edges = temp_dir() / "edges.gpkg";
  auto r = run("graph " + kRoads + " -o " + wsg.string() + " --export-edges " + edges.string());
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("components:") != std::string::npos);
  CHECK(r.out.find("near-miss") != std::string::npos);
  CHECK(r.out.find("dropped (") != std::string::npos);
  const fs::path a = temp_dir() / "a.gpkg", b = temp_dir() / "b.gpkg";
  REQUIRE(run("catchment -q --roads " + kRoads + " --facilities " + kFac + " --no-polygons -o " + a.string()).code == 0);
  REQUIRE(run("catchment -q --roads " + wsg.string() + " --facilities " + kFac + " --no-polygons -o " + b.string()).code == 0);
  Dataset da(a), db(b);
  auto total = [](GDALDataset* ds) {
    double s = 0;
    for (auto& f : *ds->GetLayerByName("catchment_lines")) s += f->GetFieldAsDouble("length_m");
    return s;
  };
  CHECK(total(da.ds) == Approx(total(db.ds)));
  // The exported edges with their own topology (u, v) give the same catchments.
  const fs::path c = temp_dir() / "c.gpkg";
  auto rc = run("catchment -q --roads " + edges.string() + " --layer edges --node-fields u,v --facilities " + kFac +
                " --no-polygons -o " + c.string());
  INFO(rc.err);
  REQUIRE(rc.code == 0);
  Dataset dc(c);
  CHECK(total(dc.ds) == Approx(total(da.ds)));
  auto gr = run("graph " + edges.string() + " --layer edges --node-fields u,v");
  CHECK(gr.out.find("nodes from fields u,v") != std::string::npos);
  // Built from node id fields, outputs name nodes by the layer's ids: renamed to 3 n + 10^12, the
  // reached nodes are the same rows with the new names, also through a saved graph, and the
  // export gives back u and v.
  const fs::path renamed = temp_dir() / "renamed.gpkg", ids = temp_dir() / "ids.wsg", again = temp_dir() / "again.gpkg";
  translate(edges, renamed, {"-dialect", "SQLite", "-nln", "edges", "-sql",
                             "SELECT edge_id, u * 3 + 1000000000000 AS u, v * 3 + 1000000000000 AS v, geom FROM edges"});
  REQUIRE(run("graph -q " + renamed.string() + " --node-fields u,v -o " + ids.string() + " --export-edges " +
              again.string()).code == 0);
  auto reached = [&](const std::string& roads) {
    const fs::path csv = temp_dir() / "reached.csv";
    auto rr = run("catchment -q --roads " + roads + " --facilities " + kFac + " --no-layers --reached-nodes " + csv.string());
    INFO(rr.err);
    REQUIRE(rr.code == 0);
    std::ifstream in(csv);
    std::vector<std::string> rows;
    for (std::string line; std::getline(in, line);) rows.push_back(line);
    std::sort(rows.begin() + 1, rows.end());  // below the header
    return rows;
  };
  auto by_geometry = reached(wsg.string());
  REQUIRE(by_geometry.size() > 100);
  for (std::size_t i = 1; i < by_geometry.size(); ++i) {  // fac_id,node,x,y,distance_m
    std::string& row = by_geometry[i];
    const auto a = row.find(','), b = row.find(',', a + 1);
    row = row.substr(0, a + 1) + std::to_string(3 * std::stoll(row.substr(a + 1, b - a - 1)) + 1000000000000LL) + row.substr(b);
  }
  std::sort(by_geometry.begin() + 1, by_geometry.end());
  CHECK(reached(renamed.string() + " --node-fields u,v") == by_geometry);
  CHECK(reached(ids.string()) == by_geometry);
  Dataset dr(renamed), dg(again);
  std::map<int, std::pair<GIntBig, GIntBig>> uv;  // edge_id -> u, v
  for (auto& f : *dr.ds->GetLayer(0)) uv[f->GetFieldAsInteger("edge_id")] = {f->GetFieldAsInteger64("u"), f->GetFieldAsInteger64("v")};
  REQUIRE(uv.size() > 100);
  std::size_t same = 0;
  for (auto& f : *dg.ds->GetLayerByName("edges"))  // walkshed numbers the edges in the order read
    same += uv[f->GetFieldAsInteger("edge_id")] == std::make_pair(f->GetFieldAsInteger64("u"), f->GetFieldAsInteger64("v"));
  CHECK(same == uv.size());
}

TEST_CASE("cli: coverage on the sample writes communities, demand points, facilities and a CSV", "[cli][coverage]") {
  const std::string comm = kData + "/beijing_cau_communities.geojson";
  const fs::path out = temp_dir() / "cov.gpkg";
  auto r = run("coverage --roads " + kRoads + " --communities " + comm + " --facilities " + kFac +
               " --city beijing --population-field population -o " + out.string());
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("households within walking distance") != std::string::npos);
  CHECK(r.out.find("population / 2.31") != std::string::npos);
  Dataset d(out);
  REQUIRE(d.ds);
  auto* c = d.ds->GetLayerByName("communities");
  REQUIRE(c);
  CHECK(c->GetFeatureCount() == 10);
  CHECK(c->GetLayerDefn()->GetFieldIndex("health_500m_share") >= 0);
  CHECK(c->GetLayerDefn()->GetFieldIndex("gap_m2") >= 0);
  double hh = 0;
  for (auto& f : *c) hh += f->GetFieldAsDouble("households");
  double demand = 0;
  for (auto& f : *d.ds->GetLayerByName("demand_points")) demand += f->GetFieldAsDouble("households");
  CHECK(demand == Approx(hh));  // every household is on a demand point, once
  CHECK(d.ds->GetLayerByName("facilities")->GetFeatureCount() == 33);
  const std::string csv = slurp(temp_dir() / "cov_summary.csv");
  CHECK(csv.find("\ntotal,") != std::string::npos);
  CHECK(csv.find("\nstreet,,学院路街道") != std::string::npos);

  const fs::path shp = temp_dir() / "cov_shp";
  r = run("coverage -q --roads " + kRoads + " --communities " + comm + " --facilities " + kFac + " -f Shapefile -o " +
          shp.string());
  INFO(r.err);
  REQUIRE(r.code == 0);
  Dataset s(shp / "communities.shp");
  REQUIRE(s.ds);
  CHECK(s.ds->GetLayer(0)->GetLayerDefn()->GetFieldIndex("hlt500sh") >= 0);
  CHECK(fs::exists(shp / "summary.csv"));
}

TEST_CASE("cli: coverage reports unknown function names and a missing functions field", "[cli][coverage]") {
  const fs::path fac = temp_dir() / "fac_fn.geojson";
  std::ofstream(fac) << R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"fac_id":"X1","functions":"elderly_care;bakery","area_m2":400},"geometry":{"type":"Point","coordinates":[116.350,40.003]}},
{"type":"Feature","properties":{"fac_id":"X2","functions":"health","area_m2":-1},"geometry":{"type":"Point","coordinates":[116.352,40.004]}}]})";
  const std::string comm = kData + "/beijing_cau_communities.geojson";
  const fs::path out = temp_dir() / "covfn.gpkg";
  auto r = run("coverage --roads " + kRoads + " --communities " + comm + " --facilities " + fac.string() +
               " --functions-field functions -o " + out.string());
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.err.find("unknown function names: bakery x1") != std::string::npos);
  CHECK(r.out.find("1 without floor area") != std::string::npos);
  r = run("coverage --roads " + kRoads + " --communities " + comm + " --facilities " + fac.string() +
          " --functions-field services -o " + out.string());
  CHECK(r.code == 2);
  CHECK(r.err.find("no field 'services'") != std::string::npos);
  r = run("coverage --roads " + kRoads + " --communities " + kFac + " --facilities " + fac.string() + " -o " + out.string());
  CHECK(r.code == 2);
}

TEST_CASE("cli: a layer in another CRS than the roads is reported and reprojected", "[cli][coverage]") {
  const fs::path comm = temp_dir() / "comm4547.gpkg";
  translate(kData + "/beijing_cau_communities.geojson", comm, {"-t_srs", "EPSG:4547", "-f", "GPKG"});
  const fs::path a = temp_dir() / "crs_a.gpkg", b = temp_dir() / "crs_b.gpkg";
  auto r = run("coverage --roads " + kRoads + " --communities " + comm.string() + " --facilities " + kFac + " -o " + a.string());
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.err.find("communities are in EPSG:4547, the roads in EPSG:4326") != std::string::npos);
  REQUIRE(run("coverage -q --roads " + kRoads + " --communities " + kData + "/beijing_cau_communities.geojson --facilities " +
              kFac + " -o " + b.string()).code == 0);
  Dataset da(a), db(b);
  auto total = [](GDALDataset* ds) {
    double s = 0;
    for (auto& f : *ds->GetLayerByName("communities")) s += f->GetFieldAsDouble("housekeeping_convenience_1000m_hh");
    return s;
  };
  CHECK(total(da.ds) == Approx(total(db.ds)).epsilon(0.02));  // same answer whatever the input CRS
}

TEST_CASE("cli: check the sample sites against the Baotou profile", "[cli][check]") {
  const std::string sites = kData + "/beijing_cau_sites.geojson";
  const fs::path out = temp_dir() / "check.gpkg";
  auto r = run("check --profile baotou --facilities " + sites + " --functions-field functions --landuse " + kRoads +
               " -o " + out.string());
  INFO(r.err);
  REQUIRE(r.code == 0);  // the check ran: 0 whatever the results
  CHECK(r.err.find("landuse=greenfield x7") != std::string::npos);
  Dataset d(out);
  REQUIRE(d.ds);
  auto* layer = d.ds->GetLayerByName("checked");
  REQUIRE(layer);
  std::map<std::string, std::string> summary, landuse;
  for (auto& f : *layer) {
    summary[f->GetFieldAsString("fac_id")] = f->GetFieldAsString("summary");
    landuse[f->GetFieldAsString("fac_id")] = f->GetFieldAsString("landuse");
  }
  CHECK(summary["S1"] == "pass");
  CHECK(summary["S3"] == "warning");  // a park: not a listed class (Baotou's list ends with 等)
  CHECK(landuse["S4"] == "missing");  // landuse=greenfield: the plan must say
  CHECK(summary["S2"] == "fail");     // infant care on the 4th floor, 8.7 m2 per place
  const std::string csv = slurp(temp_dir() / "check_rules.csv");
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 1 + 5 * 23);  // 23 rules, the 7 operations ones n/a here
  CHECK(r.err.find("is a draft for comment") != std::string::npos);  // BT is a 征求意见稿
  CHECK(csv.find("S2,hypothetical site S2 (way/930935497),infant_max_floor,fail,4,3,floor,error,BT 第十四条") != std::string::npos);
  r = run("check -q --profile baotou --facilities " + sites + " --functions-field functions --fail-on-error -o " + out.string());
  CHECK(r.code == 6);
  r = run("check --list-profiles");
  CHECK(r.out.find("wuhan") != std::string::npos);
  r = run("check --show-profile beijing");
  CHECK(r.out.find("subsidy: 30 %") != std::string::npos);
  r = run("check --profile nowhere --facilities " + sites + " -o " + (temp_dir() / "nowhere.gpkg").string());
  CHECK(r.code == 2);
  CHECK(r.err.find("no profile 'nowhere'") != std::string::npos);
}

TEST_CASE("cli: site selection on the sample from eligible parcels", "[cli][site]") {
  const std::string comm = kData + "/beijing_cau_communities.geojson";
  const fs::path out = temp_dir() / "sites.gpkg";
  const std::string args = "site --roads " + kRoads + " --communities " + comm + " --facilities " + kFac + " --landuse " +
                           kRoads + " --candidates-from-landuse --profile beijing --function elderly_care --distance 500 --k 3 -o " +
                           out.string();
  auto r = run(args);
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("gap: heuristic") != std::string::npos);
  Dataset d(out);
  REQUIRE(d.ds);
  CHECK(d.ds->GetLayerByName("chosen")->GetFeatureCount() == 3);
  auto* cands = d.ds->GetLayerByName("candidates");
  int eligible = 0, with_reason = 0;
  for (auto& f : *cands) {
    eligible += f->GetFieldAsInteger("eligible");
    with_reason += !f->GetFieldAsInteger("eligible") && std::string(f->GetFieldAsString("reason")).size() > 0;
  }
  CHECK(eligible > 3);
  CHECK(with_reason == cands->GetFeatureCount() - eligible);  // every ineligible candidate says why
  double before = 0, after = 0;
  for (auto& f : *d.ds->GetLayerByName("communities"))
    before += f->GetFieldAsDouble("served_before"), after += f->GetFieldAsDouble("served_after");
  double added = 0;
  for (auto& f : *d.ds->GetLayerByName("chosen")) added += f->GetFieldAsDouble("hh_added");
  CHECK(after - before == Approx(added));
  // Same input, same sites in the same order.
  auto first = slurp(temp_dir() / "sites_chosen.csv");
  REQUIRE(run(args + " -q").code == 0);
  CHECK(slurp(temp_dir() / "sites_chosen.csv") == first);
  // Candidates from a layer: the hypothetical sites, with their floor limits.
  const fs::path out2 = temp_dir() / "sites2.gpkg";
  r = run("site -q --roads " + kRoads + " --communities " + comm + " --facilities " + kFac + " --candidates " + kData +
          "/beijing_cau_sites.geojson --profile baotou --function infant_care --k 1 -o " + out2.string());
  INFO(r.err);
  REQUIRE(r.code == 0);
  Dataset d2(out2);
  for (auto& f : *d2.ds->GetLayerByName("candidates"))
    if (std::string(f->GetFieldAsString("cand_id")) == "S2") {
      CHECK(f->GetFieldAsInteger("eligible") == 0);  // infant care on the 4th floor
      CHECK(std::string(f->GetFieldAsString("reason")).find("infant_max_floor") != std::string::npos);
    }
}

TEST_CASE("cli: the kernel benchmark settles exactly the nodes of a plain Dijkstra", "[cli]") {
  const fs::path wsg = temp_dir() / "bench.wsg";
  REQUIRE(run("graph -q " + kRoads + " -o " + wsg.string()).code == 0);
  const fs::path out = temp_dir() / "bench.txt";
  const int status = std::system((std::string(WALKSHED_BENCH_BIN) + " " + wsg.string() +
                                  " --facilities 100 --distance 800 --runs 1 > " + out.string()).c_str());
  INFO(slurp(out));
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);  // non-zero when the settled counts differ
  CHECK(slurp(out).find("ratio") != std::string::npos);
}

TEST_CASE("cli: --fill-holes removes holes from the catchment polygons", "[cli]") {
  const fs::path a = temp_dir() / "holes.gpkg", b = temp_dir() / "filled.gpkg";
  const std::string base = "catchment -q --roads " + kRoads + " --facilities " + kFac + " --distances 1000 -o ";
  REQUIRE(run(base + a.string()).code == 0);
  REQUIRE(run(base + b.string() + " --fill-holes 1e12").code == 0);
  auto holes = [](const fs::path& p, double& area) {
    Dataset d(p);
    int n = 0;
    area = 0;
    for (auto& f : *d.ds->GetLayerByName("catchment_polygons")) {
      area += f->GetFieldAsDouble("area_m2");
      for (auto* poly : *f->GetGeometryRef()->toMultiPolygon()) n += poly->getNumInteriorRings();
      CHECK(f->GetGeometryRef()->IsValid());
      CHECK(f->GetFieldAsDouble("area_m2") == Approx(OGR_G_Area(OGRGeometry::ToHandle(f->GetGeometryRef()))).epsilon(1e-6));
    }
    return n;
  };
  double area_a = 0, area_b = 0;
  CHECK(holes(a, area_a) > 0);  // street blocks the walk does not enter
  CHECK(holes(b, area_b) == 0);
  CHECK(area_b > area_a);
}
