#!/usr/bin/python3
"""walkshed against NetworkX, igraph and pgRouting on the identical noded network.

    /usr/bin/python3 scripts/bench_peers.py [--runs 3] [--datasets porto,hangzhou] [--peers networkx,igraph,pgrouting]

For each dataset: walkshed builds the walking graph and exports its noded edges (GPKG); 1,000
facilities are taken on nodes of the largest component (every k-th node); then every tool, as its own
process under /usr/bin/time, reads that noded GPKG and computes (b) the 1,000 per-facility catchments
and (a) the multi-source set of nodes within D. Reached node sets are compared (by node coordinates)
before any time is printed. Needs Debian's python3-gdal, python3-networkx, python3-igraph and, for
pgRouting, postgresql-15-pgrouting + postgresql-15-postgis-3 (a throw-away cluster is started and stopped).
Not part of the tests.
"""
import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BIN = os.path.join(ROOT, "build", "walkshed")
SHARED = os.environ.get("SHARED", os.path.join(ROOT, "..", "shared", "data"))
DATASETS = {
    "porto": (os.path.join(SHARED, "osm-porto-r5", "porto_portugal.osm.pbf"), []),
    "hangzhou": (os.path.join(SHARED, "hangzhou-roads-ngraph", "hangzhou_roads.gpkg"), ["--layer", "roads"]),
    "poa": (os.path.join(SHARED, "r5r-porto-alegre", "poa_osm.pbf"), []),
}
PG = {"dir": "/tmp/walkshed-pg", "port": "5499"}


# ---------------------------------------------------------------- peer side (run as child processes)
def read_edges(path):
    from osgeo import ogr
    ds = ogr.Open(path)
    edges = {}
    for f in ds.GetLayerByName("edges"):
        u, v, w = f.GetField("u"), f.GetField("v"), f.GetField("length_m")
        if u == v:
            continue
        key = (min(u, v), max(u, v))
        if key not in edges or w < edges[key]:
            edges[key] = w  # keep the shortest of parallel edges
    return edges


def read_facilities(path):
    from osgeo import ogr
    ds = ogr.Open(path)
    return [f.GetField("fac_id") for f in ds.GetLayer(0)]


def peer(args):
    t0 = time.perf_counter()
    edges = read_edges(args.edges)
    facs = read_facilities(args.facilities)
    d = args.distance
    res = {}
    if args.peer == "networkx":
        import networkx as nx
        G = nx.Graph()
        G.add_weighted_edges_from((u, v, w) for (u, v), w in edges.items())
        t1 = time.perf_counter()
        multi = nx.multi_source_dijkstra_path_length(G, set(facs), cutoff=d)
        t2 = time.perf_counter()
        per = {f: nx.single_source_dijkstra_path_length(G, f, cutoff=d) for f in facs}
        t3 = time.perf_counter()
    elif args.peer == "igraph":
        import igraph as ig
        nodes = sorted({n for e in edges for n in e})
        index = {n: i for i, n in enumerate(nodes)}
        G = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in edges])
        G.es["w"] = list(edges.values())
        t1 = time.perf_counter()
        G2 = G.copy()  # multi-source: a virtual source joined to every facility at cost 0
        G2.add_vertices(1)
        src = G2.vcount() - 1
        G2.add_edges([(src, index[f]) for f in facs])
        G2.es[G.ecount():]["w"] = 0.0
        dist = G2.distances(source=[src], weights="w")[0]
        multi = {nodes[i]: x for i, x in enumerate(dist[:-1]) if x <= d}
        t2 = time.perf_counter()
        per = {}
        block = 100
        for k in range(0, len(facs), block):
            rows = G.distances(source=[index[f] for f in facs[k:k + block]], weights="w")
            for f, row in zip(facs[k:k + block], rows):
                per[f] = {nodes[i]: x for i, x in enumerate(row) if x <= d}
        t3 = time.perf_counter()
    else:
        raise SystemExit("unknown peer")
    with open(args.out, "w") as fh:
        for f, reached in per.items():
            for n in reached:
                fh.write(f"{f},{n}\n")
        for n in multi:
            fh.write(f"*,{n}\n")
    print("RESULT " + json.dumps({"prep": t1 - t0, "multi": t2 - t1, "per": t3 - t2}))


# ---------------------------------------------------------------- harness
def timed(cmd, env=None):
    """Runs cmd under /usr/bin/time; returns (wall s, max RSS MB, stdout)."""
    tf = "/tmp/walkshed-time.txt"
    p = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", tf] + cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{p.stderr}")
    wall, rss = open(tf).read().split()[-2:]
    return float(wall), int(rss) / 1024, p.stdout


def coords_of_nodes(gpkg):
    from osgeo import ogr
    ds = ogr.Open(gpkg)
    out = {}
    for f in ds.GetLayerByName("nodes"):
        p = f.GetGeometryRef()
        out[f.GetField("node_id")] = f"{p.GetX():.3f} {p.GetY():.3f}"
    return out


def walkshed_sets(path):
    per, multi = set(), set()
    with open(path) as fh:
        for row in csv.DictReader(fh):
            per.add((row["fac_id"], f"{row['x']} {row['y']}"))
    return per


def peer_sets(path, coords):
    per, multi = set(), set()
    with open(path) as fh:
        for line in fh:
            f, n = line.strip().split(",")
            (multi.add(coords[int(n)]) if f == "*" else per.add((f, coords[int(n)])))
    return per, multi


def pg(cmd, db="postgres", capture=False):
    full = ["su", "postgres", "-c", " ".join(cmd) if isinstance(cmd, list) else cmd]
    return subprocess.run(full, capture_output=capture, text=True, check=True)


def pgrouting_setup(edges_gpkg, name):
    bindir = "/usr/lib/postgresql/15/bin"
    if not os.path.exists(PG["dir"]):
        os.makedirs(PG["dir"])
        shutil.chown(PG["dir"], "postgres", "postgres")
        pg(f"{bindir}/initdb -D {PG['dir']}/data -A trust >/dev/null")
    pg(f"{bindir}/pg_ctl -D {PG['dir']}/data -o '-k {PG['dir']} -p {PG['port']}' -l {PG['dir']}/log -w start >/dev/null")
    conn = f"-h {PG['dir']} -p {PG['port']} -U postgres"
    pg(f"psql {conn} -qc 'DROP DATABASE IF EXISTS bench' -c 'CREATE DATABASE bench' >/dev/null")
    pg(f"psql {conn} -d bench -qc 'CREATE EXTENSION postgis' -c 'CREATE EXTENSION pgrouting' >/dev/null")
    t = time.perf_counter()
    subprocess.run(["ogr2ogr", "-f", "PostgreSQL", f"PG:host={PG['dir']} port={PG['port']} user=postgres dbname=bench",
                    edges_gpkg, "edges", "-nln", "edges", "-lco", "GEOMETRY_NAME=geom", "-overwrite"], check=True)
    return time.perf_counter() - t


def pgrouting_stop():
    pg(f"/usr/lib/postgresql/15/bin/pg_ctl -D {PG['dir']}/data -m fast stop >/dev/null")


def pgrouting_run(facs, distance, out):
    conn = f"-h {PG['dir']} -p {PG['port']} -U postgres -d bench"
    arr = ",".join(str(f) for f in facs)
    sql_edges = "SELECT edge_id AS id, u AS source, v AS target, length_m AS cost, length_m AS reverse_cost FROM edges"
    q = (f"COPY (SELECT from_v, node FROM pgr_drivingDistance('{sql_edges}', ARRAY[{arr}], {distance}, "
         f"directed := false)) TO STDOUT WITH CSV")
    script = f"/tmp/walkshed-pg-query.sql"
    with open(script, "w") as fh:  # then the backend's peak memory
        fh.write(q + ";\n")
        fh.write("SELECT 'VmHWM ' || substring(pg_read_file('/proc/' || pg_backend_pid() || '/status') "
                 "from 'VmHWM:\\s*(\\d+)');\n")
    os.chmod(script, 0o644)
    t = time.perf_counter()
    res = subprocess.run(["su", "postgres", "-c", f"psql {conn} -qAt -v ON_ERROR_STOP=1 -f {script}"], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t
    rows = res.stdout.splitlines()
    with open(out, "w") as fh:
        fh.write("\n".join(r for r in rows if not r.startswith("VmHWM")) + "\n")
    peak_kb = [int(r.split()[1]) for r in rows if r.startswith("VmHWM")]
    return wall, (peak_kb[0] / 1024 if peak_kb else float("nan"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--peer", help=argparse.SUPPRESS)
    ap.add_argument("--edges", help=argparse.SUPPRESS)
    ap.add_argument("--facilities", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--distance", type=float, default=1000)
    ap.add_argument("--count", type=int, default=1000, help="facilities")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--datasets", default="porto,hangzhou")
    ap.add_argument("--peers", default="networkx,igraph,pgrouting")
    ap.add_argument("--work", default="/tmp/walkshed-peers")
    args = ap.parse_args()
    if args.peer:
        return peer(args)
    if not os.path.exists(BIN):
        raise SystemExit("build walkshed first: scripts/setup.sh --no-run")
    os.makedirs(args.work, exist_ok=True)
    d = int(args.distance)
    rows = []
    for name in args.datasets.split(","):
        src, extra = DATASETS[name]
        gpkg = os.path.join(args.work, f"{name}_graph.gpkg")
        subprocess.run([BIN, "graph", "-q", src, *extra, "--export-edges", gpkg], check=True)
        from osgeo import ogr
        ds = ogr.Open(gpkg)
        nodes = [f.GetField("node_id") for f in ds.GetLayerByName("nodes") if f.GetField("component") == 0]
        step = max(1, len(nodes) // args.count)
        facs = nodes[::step][:args.count]
        fac_gpkg = os.path.join(args.work, f"{name}_fac.gpkg")
        subprocess.run(["ogr2ogr", "-overwrite", fac_gpkg, gpkg, "nodes", "-nln", "facilities", "-sql",
                        f"SELECT node_id AS fac_id, geom FROM nodes WHERE node_id IN ({','.join(map(str, facs))})"],
                       check=True, capture_output=True)
        coords = coords_of_nodes(gpkg)
        n_nodes, n_edges = len(coords), ds.GetLayerByName("edges").GetFeatureCount()
        label = f"{name} ({n_nodes} nodes / {n_edges} edges, {len(facs)} facilities, {d} m)"

        # walkshed: per facility, then the multi-source search
        results = {}
        # The peers take the topology from the u/v columns; so does walkshed with --node-fields. The
        # third row nodes the same lines by geometry instead (the job from any line layer).
        ids = ["--node-fields", "u,v"]
        for mode, extra_args in (("walkshed", ids), ("walkshed 1 thread", ids + ["--threads", "1"]),
                                 ("walkshed, geometry", [])):
            walls, rss, phases = [], 0, []
            out = os.path.join(args.work, f"{name}_walkshed.csv")
            for _ in range(args.runs):
                w, m, so = timed([BIN, "catchment", "-q", "--timings", "--roads", gpkg, "--layer", "edges", "--facilities",
                                  fac_gpkg, "--distances", str(d), "--no-layers", "--reached-nodes", out, *extra_args])
                walls.append(w), phases.append(so)
                rss = max(rss, m)
            t = {k: float(v) for k, v in (p.rsplit(" ", 1) for p in phases[len(phases) // 2].split(":", 1)[1].strip().split(", "))}
            results[mode] = {"wall": statistics.median(walls), "rss": rss,
                             "prep": t["read roads"] + t["build graph"] + t["facilities"] + t["snap facilities"], "per": t["catchments"]}
        mine = walkshed_sets(os.path.join(args.work, f"{name}_walkshed.csv"))
        out = os.path.join(args.work, f"{name}_walkshed_multi.csv")
        w, m, so = timed([BIN, "catchment", "-q", "--timings", "--roads", gpkg, "--layer", "edges", *ids, "--facilities",
                          fac_gpkg, "--distances", str(d), "--no-layers", "--reached-nodes", out, "--mode", "nearest"])
        mine_multi = {f"{r['x']} {r['y']}" for r in csv.DictReader(open(out))}
        results["walkshed"]["multi"] = float(so.split("nearest-facility labelling ")[1].split(",")[0])

        for p in args.peers.split(","):
            if p == "pgrouting":
                if not os.path.exists("/usr/lib/postgresql/15/lib/libpgrouting-3.4.so"):
                    print(f"{label}: pgRouting not installed, skipped")
                    continue
                load = pgrouting_setup(gpkg, name)
                walls, rss = [], 0
                out = os.path.join(args.work, f"{name}_pgrouting.csv")
                for _ in range(args.runs):
                    w, m = pgrouting_run(facs, d, out)
                    walls.append(w)
                    rss = max(rss, m)
                pgrouting_stop()
                per = {(f, coords[int(n)]) for f, n in (l.split(",") for l in open(out).read().split())}
                results[p] = {"wall": load + statistics.median(walls), "rss": rss, "prep": load,
                              "per": statistics.median(walls), "multi": float("nan"), "per_set": per, "multi_set": None}
                continue
            walls, rss, res = [], 0, []
            out = os.path.join(args.work, f"{name}_{p}.csv")
            for _ in range(args.runs):
                w, m, so = timed(["/usr/bin/python3", os.path.abspath(__file__), "--peer", p, "--edges", gpkg,
                                  "--facilities", fac_gpkg, "--distance", str(d), "--out", out])
                walls.append(w), res.append(json.loads(so.split("RESULT ", 1)[1]))
                rss = max(rss, m)
            per, multi = peer_sets(out, coords)
            mid = res[len(res) // 2]
            results[p] = {"wall": statistics.median(walls), "rss": rss, "prep": mid["prep"], "per": mid["per"],
                          "multi": mid["multi"], "per_set": per, "multi_set": multi}

        # agreement first
        for p, r in results.items():
            if "per_set" not in r:
                continue
            r["agree"] = "=" if r["per_set"] == mine else f"differs: {len(r['per_set'] - mine)} extra, {len(mine - r['per_set'])} missing"
            if r.get("multi_set") is not None and r["multi_set"] != mine_multi:
                r["agree"] += f"; multi-source differs by {len(r['multi_set'] ^ mine_multi)}"
        peers_done = [p for p in results if not p.startswith("walkshed")]
        fastest = min((results[p]["wall"] for p in peers_done), default=float("nan"))
        for tool, r in results.items():
            rows.append((label, tool, r))
        print(f"\n{label}: walkshed reached {len(mine)} (facility, node) pairs, {len(mine_multi)} nodes multi-source")
        print(f"{'tool':20} {'prep s':>8} {'per-fac s':>10} {'multi s':>8} {'wall s':>8} {'RSS MB':>8} {'wall / walkshed':>16}  agreement")
        for tool, r in results.items():
            ratio = r["wall"] / results["walkshed"]["wall"]
            print(f"{tool:20} {r['prep']:8.3f} {r['per']:10.3f} {r.get('multi', float('nan')):8.3f} {r['wall']:8.2f} "
                  f"{r['rss']:8.0f} {ratio:16.1f}  {r.get('agree', '')}")
        if peers_done:
            print(f"walkshed wall is {fastest / results['walkshed']['wall']:.1f}x faster than the fastest peer "
                  f"(medians of {args.runs} runs; peak RSS from /usr/bin/time; pgRouting's is the server backend's VmHWM)")


if __name__ == "__main__":
    sys.exit(main())
