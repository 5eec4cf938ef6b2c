#!/usr/bin/python3
"""Every feature layer of a GeoPackage has a spatial index that holds each non-empty geometry once, in a
box containing its envelope (read by GDAL) and no wider than float rounding, and an extent in
gpkg_contents equal to the layers' envelope.

    check_rtree.py FILE.gpkg
"""
import sqlite3
import sys

from osgeo import ogr

ogr.UseExceptions()
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
ds = ogr.Open(sys.argv[1])
failures = []
for table, column in db.execute("SELECT table_name, column_name FROM gpkg_geometry_columns").fetchall():
    boxes = {r[0]: r[1:] for r in db.execute(f'SELECT id, minx, maxx, miny, maxy FROM "rtree_{table}_{column}"')}
    layer = ds.GetLayerByName(table)
    wrong, geometries, extent = 0, 0, None
    for f in layer:
        g = f.GetGeometryRef()
        if g is None or g.IsEmpty():
            wrong += f.GetFID() in boxes
            continue
        geometries += 1
        e, b = g.GetEnvelope(), boxes.get(f.GetFID())
        extent = e if extent is None else (min(extent[0], e[0]), max(extent[1], e[1]), min(extent[2], e[2]), max(extent[3], e[3]))
        slack = [1e-6 * max(1.0, abs(x)) for x in e]
        wrong += b is None or not (b[0] <= e[0] and b[1] >= e[1] and b[2] <= e[2] and b[3] >= e[3]) or \
            any(abs(x - y) > s for x, y, s in zip(e, b, slack))
    if wrong or len(boxes) != geometries:
        failures.append(f"{table}: {wrong} entries wrong, {len(boxes)} entries for {geometries} geometries")
    given = db.execute("SELECT min_x, max_x, min_y, max_y FROM gpkg_contents WHERE table_name = ?", (table,)).fetchone()
    if extent and any(abs(x - y) > 1e-9 * max(1.0, abs(x)) for x, y in zip(extent, given)):
        failures.append(f"{table}: extent {given} in gpkg_contents, {extent} of the features")
    print(f"{table}: {len(boxes)} entries")
for f in failures:
    print("FAILED:", f)
sys.exit(1 if failures else 0)
