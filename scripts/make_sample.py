#!/usr/bin/python3
"""Rebuild data/beijing_cau_facilities.geojson and data/beijing_cau_communities.geojson.

Real OSM amenities of the sample (points, and polygons as drawn in OSM) that stand for community
services: kindergartens, clinics/hospitals, pharmacies, markets, supermarkets, fitness and play.
Communities: the OSM landuse=residential polygons of the sample, with a population ESTIMATE =
polygon area x WorldPop 2020 density of the containing sub-district (../shared/data/beijing-subdistricts-pop).
Run with Debian's Python (python3-gdal):  /usr/bin/python3 scripts/make_sample.py
"""
import json
import os
import re

from osgeo import ogr, osr

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "..", "data", "beijing_cau.osm.pbf")
DST = os.path.join(HERE, "..", "data", "beijing_cau_facilities.geojson")
COMMUNITIES = os.path.join(HERE, "..", "data", "beijing_cau_communities.geojson")
SUBDISTRICTS = os.path.join(HERE, "..", "..", "shared", "data", "beijing-subdistricts-pop",
                            "beijing_subdistricts_worldpop2020.gpkg")
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


def communities():
    wgs = osr.SpatialReference()
    wgs.ImportFromEPSG(4326)
    wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    gk = osr.SpatialReference()
    gk.ImportFromEPSG(4548)  # CGCS2000 3-degree GK CM 117E
    gk.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to_m = osr.CoordinateTransformation(wgs, gk)
    sub_ds = ogr.Open(SUBDISTRICTS)
    subs = []
    for f in sub_ds.GetLayer(0):
        g = f.GetGeometryRef().Clone()
        g.Transform(to_m)
        subs.append((f.GetField("subdistrict"), f.GetField("pop_worldpop2020") / g.GetArea(), g))
    ds = ogr.Open(SRC)
    out = []
    for f in ds.GetLayerByName("multipolygons"):
        if f.GetField("landuse") != "residential":
            continue
        geom = f.GetGeometryRef()
        m = geom.Clone()
        m.Transform(to_m)
        centre = m.PointOnSurface()
        street, density = next(((n, d) for n, d, g in subs if g.Contains(centre)), (None, None))
        if street is None:
            continue
        osm = ("way/" + f.GetField("osm_way_id")) if f.GetField("osm_way_id") else ("relation/" + f.GetField("osm_id"))
        out.append({"type": "Feature",
                    "properties": {"osm_id": osm, "name": f.GetField("name"), "street": street,
                                   "population": round(m.GetArea() * density), "land_m2": round(m.GetArea())},
                    "geometry": json.loads(geom.ExportToJson())})
    out.sort(key=lambda x: x["properties"]["osm_id"])
    for i, feat in enumerate(out, 1):
        feat["properties"] = {"comm_id": f"C{i:02d}", **feat["properties"]}
    with open(COMMUNITIES, "w", encoding="utf-8") as fh:
        json.dump({"type": "FeatureCollection", "name": "communities", "features": out}, fh, ensure_ascii=False,
                  separators=(",", ":"))
        fh.write("\n")
    print(f"{len(out)} communities -> {COMMUNITIES}")


SITES = os.path.join(HERE, "..", "data", "beijing_cau_sites.geojson")
# Hypothetical candidate sites for `walkshed check`: real places of the sample (OSM way ids), with an
# invented programme (functions, floor area, beds, places, floor, ...) to exercise the rules.
SITE_PLAN = [
    ("S1", "595108678", {"functions": "elderly_care;community_canteen;health;culture_leisure", "area_m2": 720,
                         "elderly_area_m2": 380, "beds": 10, "floor": 2, "complex": 1, "qualified": 0,
                         "investment": 12000000}),
    ("S2", "930935497", {"functions": "infant_care;child_care;children_play", "area_m2": 260, "places": 30,
                         "floor": 4, "basement": 0, "complex": 0}),
    ("S3", "595098643", {"functions": "fitness;children_play", "area_m2": 150, "complex": 0}),
    ("S4", "594912263", {"functions": "elderly_care;housekeeping_convenience;community_canteen", "area_m2": 500,
                         "beds": 20, "floor": 1, "complex": 1}),
    ("S5", "982189445", {"functions": "infant_care", "area_m2": 240, "places": 20, "floor": -1, "complex": 0}),
]


def sites():
    ds = ogr.Open(SRC)
    layer = ds.GetLayerByName("multipolygons")
    by_way = {f.GetField("osm_way_id"): f.GetGeometryRef().PointOnSurface() for f in layer if f.GetField("osm_way_id")}
    out = []
    for sid, way, props in SITE_PLAN:
        out.append({"type": "Feature", "properties": {"fac_id": sid, "name": f"hypothetical site {sid} (way/{way})", **props},
                    "geometry": json.loads(by_way[way].ExportToJson())})
    with open(SITES, "w", encoding="utf-8") as fh:
        json.dump({"type": "FeatureCollection", "name": "sites", "features": out}, fh, ensure_ascii=False,
                  separators=(",", ":"))
        fh.write("\n")
    print(f"{len(out)} sites -> {SITES}")


if __name__ == "__main__":
    main()
    communities()
    sites()
