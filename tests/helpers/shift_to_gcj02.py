"""Writes the point features of a GeoJSON file shifted from WGS 84 to GCJ-02 (as Amap or Tencent give
them), by the published forward formula written out again here, apart from walkshed's C++ code.
   shift_to_gcj02.py IN.geojson OUT.geojson"""
import json
import math
import sys

A, EE = 6378245.0, 0.00669342162296594323


def _lat(x, y):
    r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20 * math.sin(6 * x * math.pi) + 20 * math.sin(2 * x * math.pi)) * 2 / 3
    r += (20 * math.sin(y * math.pi) + 40 * math.sin(y / 3 * math.pi)) * 2 / 3
    return r + (160 * math.sin(y / 12 * math.pi) + 320 * math.sin(y * math.pi / 30)) * 2 / 3


def _lon(x, y):
    r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20 * math.sin(6 * x * math.pi) + 20 * math.sin(2 * x * math.pi)) * 2 / 3
    r += (20 * math.sin(x * math.pi) + 40 * math.sin(x / 3 * math.pi)) * 2 / 3
    return r + (150 * math.sin(x / 12 * math.pi) + 300 * math.sin(x / 30 * math.pi)) * 2 / 3


def gcj02(lon, lat):
    rad = lat / 180 * math.pi
    magic = 1 - EE * math.sin(rad) ** 2
    dlat = _lat(lon - 105, lat - 35) * 180 / ((A * (1 - EE)) / (magic * math.sqrt(magic)) * math.pi)
    dlon = _lon(lon - 105, lat - 35) * 180 / (A / math.sqrt(magic) * math.cos(rad) * math.pi)
    return lon + dlon, lat + dlat


data = json.load(open(sys.argv[1], encoding="utf-8"))
data["features"] = [f for f in data["features"] if f["geometry"] and f["geometry"]["type"] == "Point"]
for f in data["features"]:
    f["geometry"]["coordinates"] = list(gcj02(*f["geometry"]["coordinates"][:2]))
json.dump(data, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
