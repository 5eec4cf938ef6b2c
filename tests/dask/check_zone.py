#!/usr/bin/python3
"""walkshed-dask's zone look-up (a grid of cells inside or outside the polygon, the polygon itself only
near its border) against the polygon tested directly, for random points, points on the cells' edges
and the polygon's own vertices, for every zone of a layer.

    check_zone.py ZONES.gpkg
"""
import os
import random
import sys

from osgeo import ogr

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "dask"))
import walkshed_dask  # noqa: E402

ogr.UseExceptions()
rng = random.Random(5)
ds = ogr.Open(sys.argv[1])
wrong = tested = 0
for f in ds.GetLayer(0):
    g = f.GetGeometryRef()
    zone = walkshed_dask.Zone(None, g.ExportToWkt())
    x0, x1, y0, y1 = g.GetEnvelope()
    n = walkshed_dask.Zone.CELLS
    points = [(rng.uniform(x0 - 50, x1 + 50), rng.uniform(y0 - 50, y1 + 50)) for _ in range(4000)]
    points += [(x0 + (x1 - x0) * i / n, rng.uniform(y0, y1)) for i in range(n + 1)]  # on cell edges
    points += [(rng.uniform(x0, x1), y0 + (y1 - y0) * j / n) for j in range(n + 1)]
    ring = g.GetGeometryRef(0) if g.GetGeometryType() == ogr.wkbPolygon else g.GetGeometryRef(0).GetGeometryRef(0)
    points += [(ring.GetX(i), ring.GetY(i)) for i in range(ring.GetPointCount())]  # on its border
    for x, y in points:
        tested += 1
        wrong += zone.owns(x, y) != g.Contains(ogr.CreateGeometryFromWkt(f"POINT({x} {y})"))
print(f"zone look-up: {tested} points, {wrong} differ from the polygon")
sys.exit(1 if wrong else 0)
