#!/usr/bin/python3
"""walkshed-dask: one walkshed study over many zones (cities, districts, streets) or square tiles,
one Dask task per partition, merged into one study folder with the same figures as one machine.

    walkshed-dask STUDY.yaml --zones cities.gpkg --zone-field name -o out/province
    walkshed-dask STUDY.yaml --tiles 2x2 --workers 2 -o out/city
    walkshed-dask STUDY.yaml --zones cities.gpkg --scheduler tcp://10.0.0.1:8786 -o /shared/out

Each partition is a `walkshed study` of the whole study file with every layer clipped to the partition's
box grown by a halo, in the study's one working CRS (docs/distributed.md): every walk that matters to a
community of the partition lies in it, so its communities' figures equal those of the uncut study
(nearest-facility distances up to the halo less two snaps). Each community belongs to the one
partition that holds its representative point; the merge keeps, from each partition, its own
communities, their demand points, the facilities inside it and the network pieces whose middle lies in
it. Siting is not partitioned (each partition would site for its halo too): the partitions run without
the study's siting goals, and the summary says so. Nor are operators (an operator's facilities may lie
in several zones): their layer is left out of the merge, and the summary says so.

Runs /usr/bin/python3 with Debian's python3-distributed and python3-gdal. The walkshed binary: --walkshed,
else $WALKSHED_BIN, else `walkshed` on PATH; on a real cluster it and the inputs must be on a path every
worker sees.
"""
import argparse
import bisect
import csv
import hashlib
import json
import os
import queue
import re
import select
import shlex
import shutil
import sqlite3
import struct
import subprocess
import sys
import threading
import time

import yaml
from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()

ID_GUESSES = ["comm_id", "community_id", "id", "code", "ID"]  # as walkshed guesses a community id


class Failure(Exception):
    pass


def find_binary(given):
    for candidate in (given, os.environ.get("WALKSHED_BIN"), shutil.which("walkshed")):
        if candidate and os.access(candidate, os.X_OK):
            return os.path.abspath(candidate)
    raise Failure("no walkshed binary: give --walkshed, set WALKSHED_BIN or put walkshed on PATH")


def read_study(path):
    try:
        with open(path, encoding="utf-8") as f:
            study = yaml.safe_load(f) or {}
    except (OSError, yaml.YAMLError) as e:
        raise Failure(f"study file '{path}': {e}")
    if not isinstance(study, dict):
        raise Failure(f"study file '{path}': not a mapping of keys")
    base = os.path.dirname(os.path.abspath(path))
    for key in ("roads", "communities", "facilities", "landuse", "candidates"):
        layer = study.get(key)
        if isinstance(layer, dict) and "path" in layer and not os.path.isabs(layer["path"]):
            layer["path"] = os.path.normpath(os.path.join(base, layer["path"]))
    for key in ("roads", "communities", "facilities"):
        if not isinstance(study.get(key), dict) or not os.path.exists(study[key].get("path", "")):
            raise Failure(f"study file '{path}': {key} missing or its file does not exist")
    return study


class NetworkFrame:
    """The study's working CRS (roads.crs, else the one walkshed chooses for the whole road layer) and
    the box of its junctions in that CRS: walkshed reads the roads once, in the background until
    result() is asked for."""

    def __init__(self, binary, study):
        self.roads = roads = study["roads"]
        cmd = [binary, "graph", roads["path"]] + (["--layer", roads["layer"]] if roads.get("layer") else []) + \
            (["--crs", str(roads["crs"])] if roads.get("crs") else []) + (["--roads-srs", roads["srs"]] if roads.get("srs") else [])
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def result(self):
        out, err = self.proc.communicate()
        crs = re.search(r"EPSG:(\d+)", out)
        box = re.search(r"extent: (\S+) (\S+) (\S+) (\S+)", out)
        if self.proc.returncode != 0 or not crs or not box:
            raise Failure(f"cannot read the roads '{self.roads['path']}': {err.strip()}")
        return str(self.roads.get("crs") or "EPSG:" + crs.group(1)), [float(box.group(k)) for k in range(1, 5)]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


def srs_of(text):
    s = osr.SpatialReference()
    s.SetFromUserInput(text)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


def open_layer(spec, what):
    try:
        ds = ogr.Open(spec["path"])
    except RuntimeError as e:
        raise Failure(f"{what} file '{spec['path']}' cannot be opened: {e}")
    if ds is None:
        raise Failure(f"{what} file '{spec['path']}' cannot be opened as a vector dataset")
    layer = ds.GetLayerByName(spec["layer"]) if spec.get("layer") else ds.GetLayer(0)
    if layer is None:
        raise Failure(f"{what} file '{spec['path']}': no layer '{spec.get('layer')}'")
    return ds, layer


def to_working(layer, crs, what, path, given_srs=None):
    source = layer.GetSpatialRef()
    if given_srs:
        source = srs_of(given_srs)
    if source is None:
        raise Failure(f"{what} file '{path}': no CRS; give one")
    source.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return osr.CoordinateTransformation(source, srs_of(crs))


def features(layer, transform):
    """(feature, its geometry in the working CRS) of every feature with a geometry."""
    for f in layer:
        g = f.GetGeometryRef()
        if g is None or g.IsEmpty():
            continue
        g = g.Clone()
        g.Transform(transform)
        yield f, g


def representative_points(study, key, crs, id_guesses):
    """(id, representative point x, y, box) of every feature of a study layer, in the working CRS."""
    spec = study[key]
    ds, layer = open_layer(spec, key)
    defn = layer.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    id_field = spec.get("id_field") or next((n for n in id_guesses if n in names), None)
    if id_field and id_field not in names:
        raise Failure(f"{key} file '{spec['path']}', layer '{layer.GetName()}': no field '{id_field}'")
    out = []
    for f, g in features(layer, to_working(layer, crs, key, spec["path"], spec.get("srs"))):
        if not g.IsValid():
            g = g.MakeValid()
        p = g if g.GetGeometryType() == ogr.wkbPoint else g.PointOnSurface()
        out.append((str(f.GetField(id_field)) if id_field else str(f.GetFID()), p.GetX(), p.GetY(), g.GetEnvelope()))
    return out


def zones_from_layer(path, layer_name, field, crs):
    ds, layer = open_layer({"path": path, "layer": layer_name}, "zones")
    defn = layer.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    if field and field not in names:
        raise Failure(f"zones file '{path}', layer '{layer.GetName()}': no field '{field}' (fields: {', '.join(names)})")
    zones = []
    for f, g in features(layer, to_working(layer, crs, "zones", path)):
        name = str(f.GetField(field)) if field else str(f.GetFID())
        zones.append({"name": name, "wkt": g.ExportToWkt()})
    if not zones:
        raise Failure(f"zones file '{path}': no zone polygon")
    names = [z["name"] for z in zones]
    if len(set(names)) != len(names):
        raise Failure(f"zones file '{path}': zone names repeat; name them with --zone-field")
    return zones


def tiles(comms, spec):
    m = re.fullmatch(r"(\d+)x(\d+)", spec)
    if not m or int(m.group(1)) < 1 or int(m.group(2)) < 1:
        raise Failure(f"--tiles '{spec}': give COLUMNSxROWS, e.g. 2x2")
    nx, ny = int(m.group(1)), int(m.group(2))
    x0 = min(c[1] for c in comms); x1 = max(c[1] for c in comms)
    y0 = min(c[2] for c in comms); y1 = max(c[2] for c in comms)
    w, h = (x1 - x0) / nx or 1.0, (y1 - y0) / ny or 1.0
    out = []
    for j in range(ny):
        for i in range(nx):
            # Half-open boxes [x, x + w) own the points; the outer tiles reach out for ever, so that
            # every feature (a facility beyond the communities too) has one tile.
            bx0, by0 = x0 + i * w, y0 + j * h
            bx1, by1 = bx0 + w, by0 + h
            ring = f"{bx0} {by0}, {bx1} {by0}, {bx1} {by1}, {bx0} {by1}, {bx0} {by0}"
            inf = float("inf")
            box = (-inf if i == 0 else bx0, -inf if j == 0 else by0, inf if i == nx - 1 else bx1, inf if j == ny - 1 else by1)
            out.append({"name": f"tile_{i + 1}_{j + 1}", "wkt": f"POLYGON(({ring}))", "box": box})
    return out


class Zone:
    """Whether a point lies in a partition's zone: a half-open box (tiles), else the polygon's interior,
    looked up in a grid of cells found (when first met) to lie inside or outside it; only points in
    cells on its boundary are tested against the polygon itself."""
    CELLS = 32

    def __init__(self, box=None, wkt=None):
        self.box = box
        if box:
            return
        self.geom = ogr.CreateGeometryFromWkt(wkt)
        self.x0, self.x1, self.y0, self.y1 = self.geom.GetEnvelope()
        self.w = (self.x1 - self.x0) / self.CELLS or 1.0
        self.h = (self.y1 - self.y0) / self.CELLS or 1.0
        self.cells = {}

    def envelope(self):
        """minx, maxx, miny, maxy (infinite for the outer tiles)."""
        if self.box:
            return self.box[0], self.box[2], self.box[1], self.box[3]
        return self.x0, self.x1, self.y0, self.y1

    def owns(self, x, y):
        if self.box:
            b = self.box
            return b[0] <= x < b[2] and b[1] <= y < b[3]
        if not (self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1):
            return False
        i, j = min(int((x - self.x0) / self.w), self.CELLS - 1), min(int((y - self.y0) / self.h), self.CELLS - 1)
        state = self.cells.get((i, j))
        if state is None:
            # The cell grown a little, so that rounding cannot put a point of it outside.
            gx, gy = 1e-6 * self.w, 1e-6 * self.h
            cx0, cy0 = self.x0 + i * self.w - gx, self.y0 + j * self.h - gy
            cx1, cy1 = self.x0 + (i + 1) * self.w + gx, self.y0 + (j + 1) * self.h + gy
            cell = ogr.CreateGeometryFromWkt(f"POLYGON(({cx0} {cy0}, {cx1} {cy0}, {cx1} {cy1}, {cx0} {cy1}, {cx0} {cy0}))")
            state = 1 if self.geom.Contains(cell) else 0 if self.geom.Disjoint(cell) else -1
            self.cells[(i, j)] = state
        if state >= 0:
            return state == 1
        return self.geom.Contains(ogr.CreateGeometryFromWkt(f"POINT({x} {y})"))


def owner(zones, x, y):
    """The first zone holding the point."""
    for k, z in enumerate(zones):
        if z["zone"].owns(x, y):
            return k
    return None


SNAP = 250.0  # walkshed's largest point-to-network distance (max_snap)


def halo(study):
    """3 x (largest distance + 2 x snap): every walk that matters to a partition's own communities and
    facilities, and the demand competing with them for the facilities they reach (2SFCA), lies in the
    partition's box grown by it (docs/distributed.md)."""
    distances = study.get("distances") or [300, 500, 1000]
    access = study.get("access") or {}
    d = max(max(float(x) for x in distances), float(access.get("distance") or 0))
    return 3 * (d + 2 * SNAP)


def plan(study, zones, comms, facs, extent):
    """The partitions: each zone's own communities and facilities, and the box its layers are clipped
    to: the zone's part of the network's extent and its own features, grown by the halo."""
    grow = halo(study)
    for z in zones:
        z["geom"] = ogr.CreateGeometryFromWkt(z["wkt"])
        z["zone"] = Zone(z.get("box"), z["wkt"])
    parts = [{"name": z["name"], "wkt": z["wkt"], "box": z.get("box"), "communities": [], "facilities": 0, "env": None}
             for z in zones]
    outside = 0
    for kind, items in (("communities", comms), ("facilities", facs)):
        for fid, x, y, env in items:
            k = owner(zones, x, y)
            if k is None:
                outside += kind == "communities"
                continue
            p = parts[k]
            if kind == "communities":
                p["communities"].append(fid)
            else:
                p["facilities"] += 1
            e = p["env"] or list(env)
            p["env"] = [min(e[0], env[0]), max(e[1], env[1]), min(e[2], env[2]), max(e[3], env[3])]
    ex0, ey0, ex1, ey1 = extent
    frame = ogr.CreateGeometryFromWkt(f"POLYGON(({ex0} {ey0}, {ex1} {ey0}, {ex1} {ey1}, {ex0} {ey1}, {ex0} {ey0}))")
    kept = []
    for z, p in zip(zones, parts):
        net = z["geom"].Intersection(frame)  # the zone's share of the network (owned by piece middles)
        e = p.pop("env")
        if not net.IsEmpty():
            nx0, nx1, ny0, ny1 = net.GetEnvelope()
            e = [nx0, nx1, ny0, ny1] if e is None else [min(e[0], nx0), max(e[1], nx1), min(e[2], ny0), max(e[3], ny1)]
        if e is None:
            continue
        p["clip"] = [e[0] - grow, e[2] - grow, e[1] + grow, e[3] + grow]
        kept.append(p)
    for z in zones:
        del z["geom"], z["zone"]
    # A partition's work grows with the communities and facilities in its clip box (its halo's too):
    # the partitions are handed out in that order, the most first, so that the last ones are short.
    points = sorted((x, y) for _, x, y, _ in comms + facs)
    xs = [x for x, _ in points]
    for p in kept:
        x0, y0, x1, y1 = p["clip"]
        p["work"] = sum(1 for _, y in points[bisect.bisect_left(xs, x0):bisect.bisect_right(xs, x1)] if y0 <= y <= y1)
    return kept, outside, grow


def settings_hash(study_path, part, extra):
    h = hashlib.sha256()
    with open(study_path, "rb") as f:
        h.update(f.read())
    h.update(json.dumps([part["clip"], part["crs"], part["nearest_limit"], extra], sort_keys=True).encode())
    return h.hexdigest()


def partition_command(binary, study_path, part, out, extra):
    """The walkshed study of one partition, into out/study."""
    return [binary, "study", study_path, "-o", os.path.join(out, "study"), "--overwrite", "-q",
            "--set", "roads.crs=" + part["crs"], "--set", "clip=" + json.dumps(part["clip"]),
            "--set", f"nearest_limit={part['nearest_limit']}", "--set", "siting=[]"] + extra


def peak_memory_mb(proc):
    """Waits for `proc`; its peak resident memory, MB, read from /proc every 50 ms and when it ends. (Its
    rusage would count the memory of the process it was forked from: the workers are threads of the
    front end.)"""
    try:
        ended = os.pidfd_open(proc.pid)  # readable once it has ended (Linux 5.3)
    except (AttributeError, OSError):
        ended = None
    peak = 0
    while proc.poll() is None:
        try:
            with open(f"/proc/{proc.pid}/status", encoding="ascii") as f:
                peak = max(peak, next((int(line.split()[1]) for line in f if line.startswith("VmHWM:")), 0))
        except (OSError, ValueError):
            pass
        if ended is None:
            time.sleep(0.01)
        else:
            select.select([ended], [], [], 0.05)
    if ended is not None:
        os.close(ended)
    return round(peak / 1024)


def run_partition(binary, study_path, part, folder, extra):
    """A worker's task: the study of one partition; its folder and whether it ran."""
    out = os.path.join(folder, "parts", part["name"])
    marker = os.path.join(out, "done.json")
    digest = settings_hash(study_path, part, extra)
    if os.path.exists(marker):
        with open(marker, encoding="utf-8") as f:
            if json.load(f).get("settings") == digest:
                if not os.path.exists(os.path.join(out, "own.sqlite")):  # done by an older front end
                    own_rows(part, out)
                return {"name": part["name"], "folder": out, "skipped": True, "seconds": 0}
    os.makedirs(out, exist_ok=True)
    cmd = partition_command(binary, study_path, part, out, extra)
    start = time.time()
    log_path = os.path.join(out, "walkshed.log")  # its messages
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        peak_mb = peak_memory_mb(proc)
    if proc.returncode != 0:
        with open(log_path, encoding="utf-8", errors="replace") as log:
            raise RuntimeError(f"partition {part['name']}: walkshed exited {proc.returncode}: {log.read().strip()[-2000:]}")
    ran = time.time()
    own_rows(part, out)
    with open(marker, "w", encoding="utf-8") as f:
        json.dump({"settings": digest, "seconds": time.time() - start, "peak_rss_mb": peak_mb,
                   "study_s": ran - start, "own_rows_s": time.time() - ran}, f)
    return {"name": part["name"], "folder": out, "skipped": False, "seconds": time.time() - start}


# Layers of a partition's study.gpkg and how the merge picks that partition's own rows.
BY_COMMUNITY = {"coverage_communities": "comm_id", "coverage_demand_points": "comm_id"}
BY_POINT = {"coverage_facilities", "catchments_facilities", "catchments_not_routable", "check_checked"}
BY_FACILITY = {"catchments_snap_lines": "fac_id", "catchments_catchment_lines": "fac_id",
               "catchments_catchment_polygons": "fac_id"}
BY_MIDDLE = {"catchments_network_nearest"}
# An operator's facilities may lie in several zones: its row of one partition sees only those there.
NOT_PARTITIONED = {"check_operators"}


def point_of(blob):
    """A deterministic point of a GeoPackage geometry: a point itself, else the middle of its first and
    last vertex (a network piece lies within half its length of it)."""
    if blob is None or len(blob) < 8:
        return None
    flags = blob[3]
    env = (flags >> 1) & 7
    at = 8 + {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}.get(env, 0)
    order = "<" if blob[at] == 1 else ">"
    kind = struct.unpack_from(order + "I", blob, at + 1)[0] % 1000
    if kind == 1:
        return struct.unpack_from(order + "dd", blob, at + 5)
    if kind == 2:
        n = struct.unpack_from(order + "I", blob, at + 5)[0]
        if n == 0:
            return None
        x0, y0 = struct.unpack_from(order + "dd", blob, at + 9)
        x1, y1 = struct.unpack_from(order + "dd", blob, at + 9 + 16 * (n - 1))
        return ((x0 + x1) / 2, (y0 + y1) / 2)
    return None


def own_rows(part, out):
    """A worker's share of the merge: the feature ids of the partition's own rows of every layer, into
    own.sqlite beside its study (and its communities, as CSV rows with their zone, into
    own_communities.csv)."""
    study = os.path.join(out, "study", "study.gpkg")
    target = os.path.join(out, "own.sqlite")
    tmp = target + ".part"
    if os.path.exists(tmp):
        os.remove(tmp)
    zone = Zone(part["box"], part["wkt"])

    def own(blob):
        p = point_of(blob)
        return 1 if p is not None and zone.owns(*p) else 0

    def by_point(name):
        """Rows whose point (point_of) lies in the zone. Through the layer's R-tree: a row whose box lies
        inside a tile is the tile's, one whose box misses the zone's envelope is not; only the others
        are looked at."""
        column = db.execute("SELECT column_name FROM p.gpkg_geometry_columns WHERE table_name = ?", (name,)).fetchone()
        rtree = f"rtree_{name}_{column[0] if column else ''}"
        if not column or not db.execute("SELECT 1 FROM p.sqlite_master WHERE name = ?", (rtree,)).fetchone():
            return "own(geom)"
        x0, x1, y0, y1 = (max(-1e300, min(1e300, v)) for v in zone.envelope())
        near = f"maxx >= {x0!r} AND minx <= {x1!r} AND maxy >= {y0!r} AND miny <= {y1!r}"
        if not part["box"]:
            return f"fid IN (SELECT id FROM p.{q(rtree)} WHERE {near}) AND own(geom)"
        inside = f"minx >= {x0!r} AND maxx < {x1!r} AND miny >= {y0!r} AND maxy < {y1!r}"
        return (f"(fid IN (SELECT id FROM p.{q(rtree)} WHERE {inside}) OR "
                f"fid IN (SELECT id FROM p.{q(rtree)} WHERE {near} AND NOT ({inside})) AND own(geom))")

    db = sqlite3.connect(tmp)
    db.create_function("own", 1, own, deterministic=True)
    db.execute("ATTACH DATABASE ? AS p", (study,))
    db.execute("CREATE TEMP TABLE own_communities (id TEXT PRIMARY KEY)")
    db.executemany("INSERT OR IGNORE INTO own_communities VALUES (?)", [(c,) for c in part["communities"]])
    db.execute("CREATE TEMP TABLE own_facilities (id TEXT PRIMARY KEY)")
    layers = [r[0] for r in db.execute("SELECT table_name FROM p.gpkg_contents")]
    for name in ("coverage_facilities", "catchments_facilities"):
        if name in layers:
            db.execute(f"INSERT OR IGNORE INTO own_facilities SELECT fac_id FROM p.{q(name)} WHERE {by_point(name)}")
    zone_literal = "'" + part["name"].replace("'", "''") + "'"
    for name in layers:
        if name == "layer_styles" or name in NOT_PARTITIONED:
            continue
        if name in BY_COMMUNITY:
            where = f"{q(BY_COMMUNITY[name])} IN (SELECT id FROM own_communities)"
        elif name in BY_FACILITY:
            where = f"{q(BY_FACILITY[name])} IN (SELECT id FROM own_facilities)"
        elif name in BY_POINT or name in BY_MIDDLE:
            where = by_point(name)
        else:
            where = "1"  # a table of the partition: kept with its zone
        db.execute(f"CREATE TABLE main.{q(name)} (fid INTEGER PRIMARY KEY)")
        db.execute(f"INSERT INTO main.{q(name)} SELECT fid FROM p.{q(name)} WHERE {where}")
    if "coverage_communities" in layers:
        skip = {"fid"} | {r[0] for r in db.execute("SELECT column_name FROM p.gpkg_geometry_columns "
                                                   "WHERE table_name = 'coverage_communities'")}
        cols = [r[1] for r in db.execute("PRAGMA p.table_info(coverage_communities)") if r[1] not in skip]
        with open(os.path.join(out, "own_communities.csv"), "w", encoding="utf-8", newline="") as f:
            rows = db.execute(f"SELECT {', '.join(q(c) for c in cols)}, {zone_literal} FROM p.coverage_communities "
                              "WHERE fid IN (SELECT fid FROM main.coverage_communities)")
            csv.writer(f).writerows(rows)  # floats exact (shortest repr)
    db.commit()
    db.close()
    os.replace(tmp, target)


def q(name):
    return '"' + name.replace('"', '""') + '"'


class Merge:
    """One study.gpkg of every partition's own rows (the ids in its own.sqlite) with their `zone`;
    styles from the first. Partitions are copied one at a time as they finish, in `order` (the most
    work first, as they are submitted; so the rows' order does not depend on the workers), by a thread of
    the lowest CPU priority, so that the copies take what the partitions leave: the layers are made by
    GDAL from the first partition's, the rows copied by SQLite; finish() builds the spatial indexes with
    `walkshed index`."""

    def __init__(self, binary, folder, order):
        self.binary, self.target, self.order, self.next = binary, os.path.join(folder, "study.gpkg"), order, 0
        self.tmp = os.path.join(folder, "study.merging.gpkg")
        self.db, self.layers, self.left_out, self.counts, self.triggers = None, [], [], {}, []
        self.queue, self.error, self.made = queue.Queue(), None, False
        self.thread = threading.Thread(target=self._copier, daemon=True)
        self.thread.start()

    def _copier(self):
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)  # Linux: this thread only
        except (AttributeError, OSError):
            pass
        try:
            while (item := self.queue.get()) is not None:
                self.add(*item)
            self._close()
        except Exception as e:  # raised again by finish()
            self.error = e

    def _create(self, first):
        if os.path.exists(self.tmp):
            os.remove(self.tmp)
        src = ogr.Open(first)
        out = ogr.GetDriverByName("GPKG").CreateDataSource(self.tmp)
        for i in range(src.GetLayerCount()):
            layer = src.GetLayerByIndex(i)
            name = layer.GetName()
            if name == "layer_styles":
                continue
            if name in NOT_PARTITIONED:
                self.left_out.append(name)
                continue
            options = ["FID=fid", "SPATIAL_INDEX=NO"]  # built in bulk once the rows are in
            dl = out.CreateLayer(name, layer.GetSpatialRef(), layer.GetGeomType(), options)
            defn = layer.GetLayerDefn()
            for k in range(defn.GetFieldCount()):
                dl.CreateField(defn.GetFieldDefn(k))
            dl.CreateField(ogr.FieldDefn("zone", ogr.OFTString))
            self.layers.append((name, layer.GetGeomType() != ogr.wkbNone))
        styles = src.GetLayerByName("layer_styles")
        if styles is not None:
            dl = out.CreateLayer("layer_styles", None, ogr.wkbNone)
            for k in range(styles.GetLayerDefn().GetFieldCount()):
                dl.CreateField(styles.GetLayerDefn().GetFieldDefn(k))
            for f in styles:
                o = ogr.Feature(dl.GetLayerDefn())
                o.SetFrom(f)
                dl.CreateFeature(o)
        out = src = None
        db = sqlite3.connect(self.tmp)
        # A file of its own until renamed: no rollback journal, no syncs but the last.
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA cache_size = -262144")
        # GDAL's feature-count triggers (one UPDATE per row) set aside; the counts are set at the end.
        self.triggers = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        for name, _ in self.triggers:
            db.execute(f'DROP TRIGGER "{name}"')
        self.db = db

    def catch_up(self, results, failures):
        """Queues the partitions finished since the last call for copying, as far as the order allows."""
        while self.next < len(self.order) and (self.order[self.next] in results or self.order[self.next] in failures):
            name = self.order[self.next]
            if name in results:
                self.queue.put((name, results[name]["folder"]))
            self.next += 1

    def add(self, name, part_folder):
        study = os.path.join(part_folder, "study", "study.gpkg")
        if self.db is None:
            self._create(study)
        db = self.db
        db.execute("ATTACH DATABASE ? AS p", (study,))
        db.execute("ATTACH DATABASE ? AS o", (os.path.join(part_folder, "own.sqlite"),))
        have = {r[0] for r in db.execute("SELECT name FROM o.sqlite_master WHERE type = 'table'")}
        for layer, _ in self.layers:
            if layer not in have:
                continue
            listed = ", ".join(q(r[1]) for r in db.execute(f"PRAGMA p.table_info({q(layer)})") if r[1] != "fid")
            n = db.execute(f"INSERT INTO {q(layer)} ({listed}, zone) SELECT {listed}, ? FROM p.{q(layer)} "
                           f"WHERE fid IN (SELECT fid FROM o.{q(layer)})", (name,)).rowcount
            self.counts[layer] = self.counts.get(layer, 0) + n
        db.commit()
        db.execute("DETACH DATABASE p")
        db.execute("DETACH DATABASE o")

    def _close(self):
        """The counts and GDAL's triggers back."""
        db = self.db
        if db is None:
            return
        for name, _ in self.layers:
            db.execute(f"UPDATE gpkg_ogr_contents SET feature_count = (SELECT COUNT(*) FROM {q(name)}) WHERE table_name = ?",
                       (name,))
        for _, sql in self.triggers:
            db.execute(sql)
        db.commit()
        db.close()
        self.db, self.made = None, True

    def finish(self):
        """Once every partition is copied: the spatial indexes; the file under its final name."""
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error
        if not self.made:
            raise Failure("no partition finished: nothing to merge")
        spatial = [x for name, geo in self.layers if geo for x in ("--layer", name)]
        if spatial:  # packed R-trees and the layers' extents
            run = subprocess.run([self.binary, "index", self.tmp, "-q"] + spatial, capture_output=True, text=True)
            if run.returncode != 0:
                raise Failure(f"cannot index '{self.tmp}': {run.stderr.strip()}")
        os.replace(self.tmp, self.target)
        return self.target, self.counts, self.left_out


def overview(parts, results, failures, folder, notes):
    """index.html: a row per zone (its own communities' figures, its page) and what was left out."""
    per_zone = {}
    db = sqlite3.connect(f"file:{os.path.join(folder, 'study.gpkg')}?mode=ro", uri=True)
    layer = db.execute("SELECT 1 FROM gpkg_contents WHERE table_name = 'coverage_communities'").fetchone()
    if layer is not None:  # summed by SQLite: reading 150 fields of every community through OGR takes seconds
        for zone, n, households, area, failing in db.execute(
                "SELECT zone, COUNT(*), total(households), total(area_m2), "
                "total(CASE WHEN area_pass THEN 0 ELSE 1 END) FROM coverage_communities GROUP BY zone"):
            per_zone[zone] = {"communities": n, "households": households, "area": area, "failing": int(failing)}
    db.close()
    rows = []
    for part in parts:
        z = per_zone.get(part["name"], {"communities": 0, "households": 0, "area": 0, "failing": 0})
        per100 = f"{100 * z['area'] / z['households']:.1f}" if z["households"] else ""
        link = f'<a href="parts/{part["name"]}/study/report.html">{part["name"]}</a>' if part["name"] in results else part["name"]
        status = "ok" if part["name"] in results else "failed: " + failures.get(part["name"], "")
        rows.append(f"<tr><td>{link}</td><td>{z['communities']}</td><td>{z['households']:.0f}</td><td>{per100}</td>"
                    f"<td>{z['failing']}</td><td>{status}</td></tr>")
    page = ("<!DOCTYPE html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>walkshed 分区研究 study by zone</title>"
            "<style>body{font-family:'Noto Sans CJK SC',sans-serif;margin:2em}table{border-collapse:collapse}"
            "td,th{border:1px solid #ccc;padding:4px 8px}</style></head><body>"
            "<h1>分区研究概览 Study by zone</h1><table><tr><th>分区 zone</th><th>社区数 communities</th>"
            "<th>户数 households</th><th>每百户面积 m² per 100 households</th><th>未达标社区 below target</th>"
            "<th>状态 status</th></tr>" + "".join(rows) + "</table>"
            "<p>" + "<br>".join(notes) + "</p>"
            "<p>Each zone's page is its partition's own report (its halo included); the figures above and "
            "study.gpkg hold each community once, in the zone of its representative point.</p></body></html>")
    with open(os.path.join(folder, "index.html"), "w", encoding="utf-8") as f:
        f.write(page)
    # Tables: a row per zone, and every community with its zone (Excel-ready: UTF-8 with a BOM).
    tables = os.path.join(folder, "tables")
    os.makedirs(tables, exist_ok=True)
    with open(os.path.join(tables, "zones.csv"), "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["zone", "status", "communities", "households", "area_m2", "area_per100", "failing"])
        for part in parts:
            z = per_zone.get(part["name"], {"communities": 0, "households": 0, "area": 0, "failing": 0})
            w.writerow([part["name"], "ok" if part["name"] in results else "failed", z["communities"],
                        round(z["households"], 6), round(z["area"], 6),
                        round(100 * z["area"] / z["households"], 6) if z["households"] else "", z["failing"]])
    if layer is not None:  # the partitions' own rows (own_communities.csv) under one header
        db = sqlite3.connect(f"file:{os.path.join(folder, 'study.gpkg')}?mode=ro", uri=True)
        skip = {"fid"} | {r[0] for r in db.execute("SELECT column_name FROM gpkg_geometry_columns "
                                                   "WHERE table_name = 'coverage_communities'")}
        header = [r[1] for r in db.execute("PRAGMA table_info(coverage_communities)") if r[1] not in skip]
        db.close()
        target = os.path.join(tables, "communities.csv")
        with open(target + ".part", "w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f).writerow(header)
            for part in parts:
                if part["name"] in results:
                    with open(os.path.join(results[part["name"]]["folder"], "own_communities.csv"), encoding="utf-8") as rows:
                        shutil.copyfileobj(rows, f)
        os.replace(target + ".part", target)


def start_dask(a):
    """A client of --scheduler, else of a LocalCluster of --workers."""
    import dask
    from dask.distributed import Client, LocalCluster
    # A task waits seconds on its walkshed process: Dask's own sampling (the workers' profiler every 10 ms,
    # event-loop checks every 20 ms, memory every 100 ms) took 1.0-1.25 s of CPU per 8 s on two waiting
    # workers, time the partitions lost; at these intervals 0.12 s. For this process and a LocalCluster's
    # workers; workers started by hand take them from the environment (docs/distributed.md).
    dask.config.set({"distributed.worker.profile.enabled": False, "distributed.admin.tick.interval": "1s",
                     "distributed.admin.system-monitor.interval": "5s",
                     "distributed.worker.memory.monitor-interval": "1s"})
    if a.scheduler:
        return Client(a.scheduler), None
    # Workers as threads: a task's work is its walkshed process, and threads start in 0.02 s where
    # worker processes took 0.3-0.4 s, and stop in 0.01 s against 0.1 s.
    cluster = LocalCluster(n_workers=a.workers, threads_per_worker=1, processes=False, dashboard_address=None)
    return Client(cluster), cluster


def stop_dask(client, cluster):
    if client is not None:
        client.close()
    if cluster is not None:
        cluster.close()


def main(argv=None):
    ap = argparse.ArgumentParser(prog="walkshed-dask", description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="examples:\n" + "\n".join(__doc__.split("\n\n")[1].splitlines()))
    ap.add_argument("study", help="the study YAML (as for walkshed study)")
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--zones", help="zones layer (cities, districts, streets): one partition per polygon")
    where.add_argument("--tiles", help="COLUMNSxROWS square-ish tiles over the communities, e.g. 2x2")
    ap.add_argument("--zone-layer", help="layer of the zones file")
    ap.add_argument("--zone-field", help="field naming each zone (default: its feature id)")
    ap.add_argument("-o", "--output", required=True, help="output folder")
    ap.add_argument("--workers", type=int, default=2, help="local workers (default 2); ignored with --scheduler")
    ap.add_argument("--scheduler", help="a running Dask scheduler, e.g. tcp://10.0.0.1:8786")
    ap.add_argument("--walkshed", help="the walkshed binary (default: $WALKSHED_BIN, then PATH)")
    ap.add_argument("--retries", type=int, default=1, help="retries of a failed partition (default 1)")
    ap.add_argument("--threads", type=int, default=1, help="walkshed threads per task (default 1)")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="a study key, as walkshed study --set")
    ap.add_argument("--no-pdf", action="store_true", help="no report.pdf per partition")
    ap.add_argument("--dry-run", action="store_true",
                    help="print each partition (name, communities, its walkshed command) and run nothing")
    ap.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary")
    a = ap.parse_args(argv)
    say = (lambda *m: None) if a.quiet else (lambda *m: print(*m, flush=True))
    clock = [time.time()]
    phases = []

    def phase(name):
        now = time.time()
        phases.append(f"{name} {now - clock[0]:.1f} s")
        clock[0] = now

    frame = client = cluster = None
    try:
        if a.workers < 1 or a.retries < 0 or a.threads < 0:
            raise Failure("--workers must be >= 1, --retries and --threads >= 0")
        binary = find_binary(a.walkshed)
        study_path = os.path.abspath(a.study)
        study = read_study(study_path)
        frame = NetworkFrame(binary, study)  # the roads are read while Dask starts
        if not a.dry_run:
            client, cluster = start_dask(a)
            phase("cluster start")
        crs, extent = frame.result()
        comms = representative_points(study, "communities", crs, ID_GUESSES)
        if not comms:
            raise Failure("the communities layer has no usable polygon")
        facs = representative_points(study, "facilities", crs, [])
        zones = zones_from_layer(a.zones, a.zone_layer, a.zone_field, crs) if a.zones else tiles(comms, a.tiles)
        parts, outside, grow = plan(study, zones, comms, facs, extent)
        for p in parts:
            # Distances to the nearest facility are exact in a partition up to the halo less two snaps.
            p["crs"], p["nearest_limit"] = crs, grow - 2 * SNAP
        order = sorted(parts, key=lambda p: -p["work"])  # the most work first
        phase("plan")
        extra = ["--threads", str(a.threads)] + [x for kv in a.set for x in ("--set", kv)] + (["--no-pdf"] if a.no_pdf else [])
        say(f"walkshed-dask: {len(parts)} partitions ({len(comms) - outside} communities; {outside} outside every zone), "
            f"halo {grow:.0f} m, nearest facilities known to {grow - 2 * SNAP:.0f} m, working CRS {crs}")
        if a.dry_run:  # a line per partition: name, own communities, the command (shell-quoted)
            for p in order:
                out = os.path.join(os.path.abspath(a.output), "parts", p["name"])
                print(p["name"], len(p["communities"]),
                      " ".join(shlex.quote(x) for x in partition_command(binary, study_path, p, out, extra)))
            return 0
        os.makedirs(a.output, exist_ok=True)
    except Failure as e:
        print(f"walkshed-dask: error: {e}", file=sys.stderr)
        stop_dask(client, cluster)
        return 2
    finally:
        if frame is not None:
            frame.stop()

    from dask.distributed import as_completed, progress
    merged = Merge(binary, a.output, [p["name"] for p in order])
    try:
        futures = {client.submit(run_partition, binary, study_path, p, os.path.abspath(a.output), extra,
                                 key="walkshed-" + p["name"], retries=a.retries, pure=False,
                                 priority=p["work"]): p["name"] for p in order}
        if not a.quiet and sys.stderr.isatty():
            progress(list(futures))
        results, failures = {}, {}
        for fut in as_completed(list(futures)):
            name = futures[fut]
            try:
                results[name] = fut.result()
            except Exception as e:  # the task's error after its retries: reported, the others kept
                failures[name] = str(e)
            merged.catch_up(results, failures)  # while the others run
    finally:
        phase("partitions")
        stop_dask(client, cluster)
    try:
        target, counts, left_out = merged.finish()
        phase("merge")
    except Failure as e:
        print(f"walkshed-dask: error: {e}", file=sys.stderr)
        return 7
    notes = [f"{outside} communities lie outside every zone and are not in the study" if outside else "",
             "Siting is not partitioned: the partitions ran without the study's siting goals.",
             "Operators are not partitioned: check_operators is left out of study.gpkg, and where a profile "
             "counts the function mix per operator (Wuhan) each partition counted the facilities it holds; "
             "run walkshed check on the whole facility layer for operators." if left_out else ""]
    overview(parts, results, failures, a.output, [n for n in notes if n])
    if left_out:
        say("walkshed-dask: " + notes[-1])
    ran = sum(1 for r in results.values() if not r["skipped"])
    say(f"walkshed-dask: {ran} partitions run, {len(results) - ran} already done, {len(failures)} failed; "
        f"wrote {target} ({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}) and "
        f"{os.path.join(a.output, 'index.html')}\ntimes: {', '.join(phases)}")
    for name, err in failures.items():
        print(f"walkshed-dask: partition {name} failed: {err}", file=sys.stderr)
    return 7 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
