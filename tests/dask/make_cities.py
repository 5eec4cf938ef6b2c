#!/usr/bin/python3
"""Two real cities in one study, for the multi-city partition test: the roads of central Wuhan
(../shared/data/wuhan-roads-osm-derived) and of Haidian around China Agricultural University
(../shared/data/beijing-haidian-cau-osm, OSM highways), 1,200 km apart, in one road layer; the
sample's communities and facilities in Beijing, a grid of made-up communities and made-up facilities
in Wuhan; one zone per city; a study file in CGCS2000 / 3-degree Gauss-Kruger CM 114E (EPSG:4547).

    make_cities.py SHARED_DATA SAMPLE_DATA DIR
"""
import os
import random
import sys

from osgeo import ogr, osr

ogr.UseExceptions()
shared, sample, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)
rng = random.Random(11)
wgs = osr.SpatialReference()
wgs.ImportFromEPSG(4326)
wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)


def create(name, kind, fields):
    path = os.path.join(out, name + ".gpkg")
    if os.path.exists(path):
        os.remove(path)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    lyr = ds.CreateLayer(name, wgs, kind)
    for fname, ftype in fields:
        lyr.CreateField(ogr.FieldDefn(fname, ftype))
    return ds, lyr


def box(x0, y0, x1, y1):
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)):
        ring.AddPoint_2D(x, y)
    poly = ogr.Geometry(ogr.wkbPolygon)
    poly.AddGeometry(ring)
    return poly


# Roads: every Wuhan central line; Beijing's OSM lines with a highway tag (geometry only, as Wuhan's).
ds, roads = create("roads", ogr.wkbLineString, [("city", ogr.OFTString)])
extent = {}
for city, path, layer_name, where in (
        ("wuhan", os.path.join(shared, "wuhan-roads-osm-derived", "wuhan_roads.gpkg"), "wuhan_central_roads", None),
        ("beijing", os.path.join(shared, "beijing-haidian-cau-osm", "cau_haidian.osm.pbf"), "lines",
         "highway IS NOT NULL AND highway NOT IN ('motorway', 'motorway_link')")):
    src = ogr.Open(path)
    lyr = src.GetLayerByName(layer_name)
    if where:
        lyr.SetAttributeFilter(where)
    for f in lyr:
        g = f.GetGeometryRef()
        if g is None or g.IsEmpty():
            continue
        for part in ([g] if g.GetGeometryType() in (ogr.wkbLineString, ogr.wkbLineString25D)
                     else [g.GetGeometryRef(i) for i in range(g.GetGeometryCount())]):
            part = part.Clone()
            part.FlattenTo2D()
            nf = ogr.Feature(roads.GetLayerDefn())
            nf.SetField("city", city)
            nf.SetGeometry(part)
            roads.CreateFeature(nf)
    extent[city] = lyr.GetExtent()  # (minx, maxx, miny, maxy)
ds = None

# Communities: the sample's in Beijing; in Wuhan a 1 km grid over the middle of the central roads.
ds, comms = create("communities", ogr.wkbMultiPolygon, [("comm_id", ogr.OFTString), ("name", ogr.OFTString),
                                                   ("households", ogr.OFTReal)])
sample_ds = ogr.Open(os.path.join(sample, "beijing_cau_communities.geojson"))  # kept open while read
for f in sample_ds.GetLayer(0):
    nf = ogr.Feature(comms.GetLayerDefn())
    nf.SetField("comm_id", "BJ-" + str(f.GetField("comm_id")))
    nf.SetField("name", f.GetField("name"))
    nf.SetField("households", round(f.GetField("population") / 2.31))  # Beijing persons per household
    nf.SetGeometry(ogr.ForceToMultiPolygon(f.GetGeometryRef().Clone()))
    comms.CreateFeature(nf)
wx0, wx1, wy0, wy1 = extent["wuhan"]
cx, cy = (wx0 + wx1) / 2, (wy0 + wy1) / 2
dx, dy = 0.0104, 0.009  # about 1 km
for i in range(-8, 8):
    for j in range(-8, 8):
        nf = ogr.Feature(comms.GetLayerDefn())
        nf.SetField("comm_id", f"WH-{i + 8:02d}{j + 8:02d}")
        nf.SetField("name", f"武汉网格{i + 8}-{j + 8}")
        nf.SetField("households", rng.randint(300, 3000))
        nf.SetGeometry(ogr.ForceToMultiPolygon(box(cx + i * dx, cy + j * dy, cx + (i + 1) * dx, cy + (j + 1) * dy)))
        comms.CreateFeature(nf)
ds = None

# Facilities: the sample's in Beijing (functions from their OSM kind), 150 made-up ones in Wuhan.
functions = ["elderly_care", "infant_care", "child_care", "community_canteen", "housekeeping_convenience",
             "health", "fitness", "culture_leisure", "children_play"]
ds, facs = create("facilities", ogr.wkbUnknown,  # the sample's are points and footprints
                   [("fac_id", ogr.OFTString), ("name", ogr.OFTString),
                                               ("functions", ogr.OFTString), ("area_m2", ogr.OFTReal)])
sample_ds = ogr.Open(os.path.join(sample, "beijing_cau_facilities.geojson"))
for f in sample_ds.GetLayer(0):
    nf = ogr.Feature(facs.GetLayerDefn())
    nf.SetField("fac_id", "BJ-" + f.GetField("fac_id"))
    nf.SetField("name", f.GetField("name"))
    nf.SetField("functions", ";".join(rng.sample(functions, rng.randint(1, 3))))
    nf.SetField("area_m2", rng.randint(80, 900))
    nf.SetGeometry(f.GetGeometryRef().Clone())
    facs.CreateFeature(nf)
for k in range(150):
    pt = ogr.Geometry(ogr.wkbPoint)
    pt.AddPoint_2D(cx + rng.uniform(-8, 8) * dx, cy + rng.uniform(-8, 8) * dy)
    nf = ogr.Feature(facs.GetLayerDefn())
    nf.SetField("fac_id", f"WH-{k:03d}")
    nf.SetField("name", f"武汉设施{k}")
    nf.SetField("functions", ";".join(rng.sample(functions, rng.randint(1, 4))))
    nf.SetField("area_m2", rng.randint(80, 900))
    nf.SetGeometry(pt)
    facs.CreateFeature(nf)
ds = None

# Zones: one per city, its roads' box and a margin.
ds, zones = create("zones", ogr.wkbPolygon, [("city", ogr.OFTString)])
for city, (x0, x1, y0, y1) in extent.items():
    nf = ogr.Feature(zones.GetLayerDefn())
    nf.SetField("city", {"wuhan": "武汉", "beijing": "北京"}[city])
    nf.SetGeometry(box(x0 - 0.05, y0 - 0.05, x1 + 0.05, y1 + 0.05))
    zones.CreateFeature(nf)
ds = None

with open(os.path.join(out, "study.yaml"), "w", encoding="utf-8") as f:
    f.write("title: 两城分区测试 (Wuhan and Beijing)\nprofile: national\n"
            "roads: {path: roads.gpkg, crs: 'EPSG:4547'}\n"
            "communities: {path: communities.gpkg, households_field: households}\n"
            "facilities: {path: facilities.gpkg, functions_field: functions, area_field: area_m2}\n"
            "distances: [300, 500, 1000]\n")
