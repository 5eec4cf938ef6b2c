#!/usr/bin/python3
"""Rebuild data/beijing_cau_facilities.geojson from data/beijing_cau.osm.pbf.

Real OSM amenities of the sample (points, and polygons as drawn in OSM) that stand for community
services: kindergartens, clinics/hospitals, pharmacies, markets, supermarkets, fitness and play.
Run with Debian's Python (python3-gdal):  /usr/bin/python3 scripts/make_sample.py
"""
import json
import os
import re

from osgeo import ogr

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "..", "data", "beijing_cau.osm.pbf")
DST = os.path.join(HERE, "..", "data", "beijing_cau_facilities.geojson")
KINDS = {
    "amenity": {"kindergarten", "hospital", "clinic", "pharmacy", "marketplace", "community_centre",
                "social_facility"},
    "leisure": {"playground", "fitness_centre", "sports_centre"},
    "shop": {"supermarket", "convenience"},
}


def tags_of(feature, fields):
    tags = {}
    other = feature.GetField("other_tags") if "other_tags" in fields else None
    if other:
        for k, v in re.findall(r'"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"', other):
            tags[k] = v
    for k in ("amenity", "leisure", "shop"):
        if k in fields and feature.GetField(k):
            tags[k] = feature.GetField(k)
    return tags


def main():
    ds = ogr.Open(SRC)
    out = []
    for layer_name in ("points", "multipolygons"):
        layer = ds.GetLayerByName(layer_name)
        fields = [layer.GetLayerDefn().GetFieldDefn(i).GetName() for i in range(layer.GetLayerDefn().GetFieldCount())]
        for f in layer:
            tags = tags_of(f, fields)
            kind = next((f"{k}={tags[k]}" for k in KINDS if tags.get(k) in KINDS[k]), None)
            if not kind:
                continue
            if layer_name == "points":
                osm = "node/" + f.GetField("osm_id")
            elif f.GetField("osm_way_id"):
                osm = "way/" + f.GetField("osm_way_id")
            else:
                osm = "relation/" + f.GetField("osm_id")
            geom = json.loads(f.GetGeometryRef().ExportToJson())
            out.append({"type": "Feature",
                        "properties": {"osm_id": osm, "name": f.GetField("name"), "kind": kind},
                        "geometry": geom})
    out.sort(key=lambda x: x["properties"]["osm_id"])
    for i, feat in enumerate(out, 1):
        feat["properties"] = {"fac_id": f"F{i:02d}", **feat["properties"]}
    with open(DST, "w", encoding="utf-8") as fh:
        json.dump({"type": "FeatureCollection", "name": "facilities", "features": out}, fh, ensure_ascii=False,
                  indent=None, separators=(",", ":"))
        fh.write("\n")
    print(f"{len(out)} facilities -> {DST}")


if __name__ == "__main__":
    main()
