#!/usr/bin/python3
"""The merged study of walkshed-dask against the uncut study: the same features in every compared layer,
and per community, demand point and facility every field equal (the partition's `zone` aside).

    check_identity.py UNCUT/study.gpkg MERGED/study.gpkg
"""
import sqlite3
import sys

# layer -> the fields that name a row (with the geometry for demand points: several per community)
KEYS = {"coverage_communities": ["comm_id"], "coverage_demand_points": ["comm_id", "geom"],
        "coverage_facilities": ["fac_id"], "catchments_facilities": ["fac_id"], "check_checked": ["fac_id"],
        "catchments_catchment_lines": ["fac_id", "band_m"],
        "catchments_network_nearest": ["geom", "nearest_facility", "distance_m", "band_m"]}
# Figures of the partition's own graph, not of the study: edge ids and the size of a network component.
SKIP = {"fid", "zone", "edge_id", "comp_nodes"}

uncut, merged = (sqlite3.connect(f"file:{p}?mode=ro", uri=True) for p in sys.argv[1:3])
failures = []
for layer, key in KEYS.items():
    def rows(db):
        cols = [r[1] for r in db.execute(f'PRAGMA table_info("{layer}")') if r[1] not in SKIP]
        out = {}
        for r in db.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{layer}"'):
            rec = dict(zip(cols, r))
            k = tuple(rec[c] for c in key)
            while k in out:  # the same row twice (a network piece of two parallel edges): numbered
                k = k + (len(k),)
            out[k] = rec
        return out
    a, b = rows(uncut), rows(merged)
    if len(a) != len(b) or set(a) != set(b):
        failures.append(f"{layer}: {len(a)} rows uncut, {len(b)} merged; {len(set(a) ^ set(b))} differ")
        continue
    differ = 0
    for k, ra in a.items():
        rb = b[k]
        for c, v in ra.items():
            if c in rb and rb[c] != v:
                differ += 1
                if differ <= 5:
                    failures.append(f"{layer} {k[:1]}: {c} {v!r} uncut, {rb[c]!r} merged")
    print(f"{layer}: {len(a)} rows, {len(next(iter(a.values()), {}))} fields each, {differ} values differ")
# The merged spatial indexes: every row's R-tree entry equal to its geometry's envelope (read by GDAL).
from osgeo import ogr  # noqa: E402
ds = ogr.Open(sys.argv[2])
for (table, column) in merged.execute("SELECT table_name, column_name FROM gpkg_geometry_columns").fetchall():
    boxes = dict((r[0], r[1:]) for r in merged.execute(f'SELECT id, minx, maxx, miny, maxy FROM "rtree_{table}_{column}"'))
    layer = ds.GetLayerByName(table)
    wrong = 0
    for f in layer:
        g = f.GetGeometryRef()
        if g is None or g.IsEmpty():
            wrong += f.GetFID() in boxes
            continue
        e, b = g.GetEnvelope(), boxes.get(f.GetFID())
        wrong += b is None or any(abs(x - y) > 1e-6 * max(1.0, abs(x)) for x, y in zip(e, b))  # float32, rounded out
    if wrong or len(boxes) > layer.GetFeatureCount():
        failures.append(f"{table}: {wrong} R-tree entries wrong, {len(boxes)} entries for {layer.GetFeatureCount()} rows")
ds = None
for f in failures:
    print("FAILED:", f)
sys.exit(1 if failures else 0)
