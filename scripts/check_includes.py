#!/usr/bin/env python3
"""Checks every #include of the engine, the tools and the tests against the rooms' allowed
dependencies, and the engine's headers for include cycles. Exit 1 on any violation.

    scripts/check_includes.py          (from anywhere; CI runs it)
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
ANALYSIS = ["core", "network", "routing", "catchment", "coverage", "access", "rules", "siting"]

# room -> rooms it may include (itself included). Arrows point down the pipeline only.
ALLOWED = {
    "core": {"core"},
    "network": {"core", "network"},
    "routing": {"core", "network", "routing"},
    "catchment": {"core", "network", "routing", "catchment"},
    "coverage": {"core", "network", "routing", "coverage"},
    "access": {"core", "network", "routing", "coverage", "access"},
    "rules": {"core", "network", "routing", "coverage", "access", "rules"},
    "siting": {"core", "network", "routing", "coverage", "access", "rules", "siting"},
    "io/gpkg": {"core", "network", "io/gpkg"},
    "io/osm": {"core", "network", "io/osm"},
    "io": set(ANALYSIS) | {"io"},
    "io/gdal": set(ANALYSIS) | {"io", "io/gdal", "io/gpkg", "io/osm"},
    "jobs": set(ANALYSIS) | {"io", "jobs"},
    "tools": set(ANALYSIS) | {"io", "jobs", "tools"},
}
# Libraries of the io library only: the analysis rooms never see them.
IO_ONLY = re.compile(r"^(gdal|ogr|cpl_|sqlite3|osmium/|proj)")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def room_of_file(path):
    rel = path.relative_to(ROOT).as_posix()
    if rel.startswith("tools/"):
        return "tools"
    m = re.match(r"engine/(?:include/walkshed|src)/([a-z_]+)(?:/([a-z_]+))?/", rel)
    if not m:
        return None
    room, sub = m.group(1), m.group(2)
    if room == "io":
        return "io/" + sub if rel.startswith("engine/src/") else "io"
    return room


def room_of_include(name):
    parts = name.split("/")
    if parts[0] == "walkshed" and len(parts) > 2:
        return parts[1]  # public header: walkshed/<room>/x.hpp
    if parts[0] == "io" and len(parts) > 2:
        return "io/" + parts[1]  # private: io/<part>/x.hpp
    if parts[0] in ANALYSIS + ["jobs"] and len(parts) == 2:
        return parts[0]  # private: <room>/x.hpp
    return None


def resolve(name):
    for base in (ROOT / "engine/include", ROOT / "engine/src"):
        p = base / name
        if p.exists():
            return p
    return None


def main():
    errors = []
    files = sorted(p for d in ("engine", "tools") for p in (ROOT / d).rglob("*.[ch]pp"))
    graph = {}
    for f in files:
        room = room_of_file(f)
        text = f.read_text(encoding="utf-8")
        graph[f] = []
        for quote, name in INCLUDE.findall(text):
            where = f"{f.relative_to(ROOT)}: #include {quote}{name}{'>' if quote == '<' else quote}"
            if quote == "<":
                if room in ANALYSIS and IO_ONLY.match(name):
                    errors.append(f"{where}: the {room} room may not use {name.split('/')[0]} (only io may)")
                continue
            target = room_of_include(name)
            if target is None:
                continue  # a header of the same folder (tools/commands.hpp ...)
            if room and target not in ALLOWED[room]:
                errors.append(f"{where}: {room} may not include {target}")
            if room == "tools" and not name.startswith("walkshed/"):
                errors.append(f"{where}: tools use the engine's public headers only")
            p = resolve(name)
            if p is None:
                errors.append(f"{where}: no such engine header")
            else:
                graph[f].append(p)
    # Include cycles (depth-first search over the engine's headers).
    state = {}

    def visit(node, stack):
        state[node] = 1
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt] if nxt in stack else [node, nxt]
                errors.append("include cycle: " + " -> ".join(str(c.relative_to(ROOT)) for c in cycle))
            elif state.get(nxt) is None:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for f in files:
        if state.get(f) is None:
            visit(f, [f])
    for e in errors:
        print(e, file=sys.stderr)
    print(f"includes: {len(files)} files checked, {len(errors)} violations")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
