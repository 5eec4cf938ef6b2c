#!/usr/bin/python3
"""A made-up city for the partition tests, larger than a partition's halo: a jittered grid of roads
(9 km square), 225 communities with households and streets, 120 facilities with functions, floor area
and beds, zones of three districts, and a study file. Coordinates in EPSG:32650 (metres).

    make_city.py DIR [--far-facility]
"""
import os
import random
import sys

from osgeo import ogr, osr

ogr.UseExceptions()
out = sys.argv[1]
far = "--far-facility" in sys.argv
os.makedirs(out, exist_ok=True)
rng = random.Random(7)
srs = osr.SpatialReference()
srs.ImportFromEPSG(32650)
X0, Y0, SIZE = 400000.0, 3300000.0, 9000.0


def layer(name, kind, fields):
    path = os.path.join(out, name + ".gpkg")
    if os.path.exists(path):
        os.remove(path)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    lyr = ds.CreateLayer(name, srs, kind)
    for fname, ftype in fields:
        lyr.CreateField(ogr.FieldDefn(fname, ftype))
    return ds, lyr


ds, roads = layer("roads", ogr.wkbLineString, [("highway", ogr.OFTString)])
step = 150.0
n = int(SIZE / step) + 1
corner = [[(X0 + i * step + rng.uniform(-12, 12), Y0 + j * step + rng.uniform(-12, 12)) for j in range(n)] for i in range(n)]
for i in range(n):
    for j in range(n):
        for di, dj in ((1, 0), (0, 1)):
            if i + di >= n or j + dj >= n or rng.random() < 0.08:  # a few blocks merge
                continue
            line = ogr.Geometry(ogr.wkbLineString)
            line.AddPoint_2D(*corner[i][j])
            line.AddPoint_2D(*corner[i + di][j + dj])
            f = ogr.Feature(roads.GetLayerDefn())
            f.SetField("highway", "residential")
            f.SetGeometry(line)
            roads.CreateFeature(f)
ds = None

ds, comms = layer("communities", ogr.wkbPolygon, [("comm_id", ogr.OFTString), ("name", ogr.OFTString),
                                                   ("street", ogr.OFTString), ("households", ogr.OFTReal)])
cell = 600.0
for i in range(15):
    for j in range(15):
        x, y = X0 + 300 + i * cell, Y0 + 300 + j * cell
        ring = ogr.Geometry(ogr.wkbLinearRing)
        for dx, dy in ((0, 0), (cell, 0), (cell, cell), (0, cell), (0, 0)):
            ring.AddPoint_2D(x + dx - 4 * (dy > 0), y + dy)
        poly = ogr.Geometry(ogr.wkbPolygon)
        poly.AddGeometry(ring)
        f = ogr.Feature(comms.GetLayerDefn())
        f.SetField("comm_id", f"C{i:02d}{j:02d}")
        f.SetField("name", f"社区{i}-{j}")
        f.SetField("street", f"街道{i // 5}{j // 5}")
        f.SetField("households", rng.randint(100, 600))
        f.SetGeometry(poly)
        comms.CreateFeature(f)
ds = None

functions = ["elderly_care", "infant_care", "child_care", "community_canteen", "housekeeping_convenience",
             "health", "fitness", "culture_leisure", "children_play"]
ds, facs = layer("facilities", ogr.wkbPoint, [("fac_id", ogr.OFTString), ("name", ogr.OFTString),
                                               ("functions", ogr.OFTString), ("area_m2", ogr.OFTReal),
                                               ("beds", ogr.OFTInteger), ("operator_id", ogr.OFTString)])
points = [(X0 + rng.uniform(200, SIZE - 200), Y0 + rng.uniform(200, SIZE - 200)) for _ in range(120)]
if far:
    points.append((X0 + SIZE + 40000, Y0 + SIZE / 2))  # no road within a partition's reach
for k, (x, y) in enumerate(points):
    f = ogr.Feature(facs.GetLayerDefn())
    f.SetField("fac_id", f"F{k:03d}")
    f.SetField("name", f"设施{k}")
    f.SetField("functions", ";".join(rng.sample(functions, rng.randint(1, 4))))
    f.SetField("area_m2", rng.randint(80, 900))
    f.SetField("beds", rng.randint(0, 40))
    f.SetField("operator_id", f"OP{k % 7}")  # operators across the districts
    pt = ogr.Geometry(ogr.wkbPoint)
    pt.AddPoint_2D(x, y)
    f.SetGeometry(pt)
    facs.CreateFeature(f)
ds = None

ds, zones = layer("zones", ogr.wkbPolygon, [("district", ogr.OFTString)])
big = 100000.0
cuts = [(-big, 3100.0), (3100.0, 6400.0), (6400.0, 20000.0 if far else big)]
for k, (a, b) in enumerate(cuts):
    ring = ogr.Geometry(ogr.wkbLinearRing)
    # The middle district bends: a step at y = 4500 moves its west edge by 700 m.
    pts = [(a, -big), (b, -big), (b, big), (a, big)] if k != 1 else \
        [(a, -big), (b, -big), (b, big), (a - 700, big), (a - 700, 4500.0), (a, 4500.0)]
    if k == 0:
        pts = [(a, -big), (b, -big), (b, 4500.0), (b - 700, 4500.0), (b - 700, big), (a, big)]
    for x, y in pts + [pts[0]]:
        ring.AddPoint_2D(X0 + x, Y0 + y)
    poly = ogr.Geometry(ogr.wkbPolygon)
    poly.AddGeometry(ring)
    f = ogr.Feature(zones.GetLayerDefn())
    f.SetField("district", f"区{k + 1}")
    f.SetGeometry(poly)
    zones.CreateFeature(f)
if far:  # a fourth zone around the far facility alone: a partition without roads
    x, y = points[-1]
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for dx, dy in ((-1000, -1000), (1000, -1000), (1000, 1000), (-1000, 1000), (-1000, -1000)):
        ring.AddPoint_2D(x + dx, y + dy)
    poly = ogr.Geometry(ogr.wkbPolygon)
    poly.AddGeometry(ring)
    f = ogr.Feature(zones.GetLayerDefn())
    f.SetField("district", "远郊")
    f.SetGeometry(poly)
    zones.CreateFeature(f)
ds = None

with open(os.path.join(out, "study.yaml"), "w", encoding="utf-8") as f:
    f.write("title: 分区测试城市 (made up)\nprofile: national\n"
            "roads: {path: roads.gpkg, crs: 'EPSG:32650'}\n"
            "communities: {path: communities.gpkg, households_field: households}\n"
            "facilities: {path: facilities.gpkg, functions_field: functions, area_field: area_m2, "
            "supply_fields: {elderly_care: beds}}\n"
            "distances: [200, 400]\n")
