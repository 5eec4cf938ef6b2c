"""Checks a study's report.html against its study.gpkg: every map has a legend, a scale bar and a north
arrow and draws as many features as its layers hold; every table has the expected rows, and its
numbers equal those in the GeoPackage (read back with sqlite3, apart from walkshed's own code).
   check_report.py STUDY_DIR"""
import html.parser
import os
import sqlite3
import sys

study = sys.argv[1]
page = open(os.path.join(study, "report.html"), encoding="utf-8").read()
db = sqlite3.connect(os.path.join(study, "study.gpkg"))
failures = []


class Report(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.figures, self.tables = [], {}
        self.table = self.row = self.cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "figure":
            self.figures.append({"features": None, "scalebar": False, "north": False, "legend": 0})
        elif tag == "svg" and self.figures:
            self.figures[-1]["features"] = int(a.get("data-features", "-1"))
        elif tag == "g" and self.figures and a.get("class") in ("scalebar", "north"):
            self.figures[-1][a["class"]] = True
        elif tag == "li" and self.figures:
            self.figures[-1]["legend"] += 1
        elif tag == "table":
            self.table = self.tables.setdefault(a.get("class", ""), [])
        elif tag == "tr" and self.table is not None:
            self.row = []
            self.table.append(self.row)
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell)
            self.cell = None
        elif tag == "table":
            self.table = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


r = Report()
r.feed(page)
count = lambda layer: db.execute(f'SELECT count(*) FROM "{layer}" WHERE geom IS NOT NULL').fetchone()[0]

if len(r.figures) < 4:
    failures.append(f"{len(r.figures)} maps, expected at least 4")
for i, f in enumerate(r.figures):
    if not (f["scalebar"] and f["north"] and f["legend"] > 0 and (f["features"] or 0) > 0):
        failures.append(f"map {i + 1}: {f}")
# The first map draws the communities and the facilities of the coverage step.
if r.figures and r.figures[0]["features"] != count("coverage_communities") + count("coverage_facilities"):
    failures.append(f"coverage map: {r.figures[0]['features']} features drawn")

rows = r.tables.get("communities", [])[1:]
expected = {row[0]: row[1:] for row in db.execute(
    "SELECT comm_id, households, area_per100, gap_m2 FROM coverage_communities")}
MAX_ROWS = 300  # longer tables list the rows that matter most (the CSV tables hold all)
if len(rows) != min(len(expected), MAX_ROWS):
    failures.append(f"communities table: {len(rows)} rows, expected {min(len(expected), MAX_ROWS)}")
if len(expected) > MAX_ROWS:  # the largest gaps
    shown = {row[0] for row in rows}
    least_shown = min(round(expected[i][2] or 0) for i in shown)
    most_left = max(round(v[2] or 0) for i, v in expected.items() if i not in shown)
    if least_shown < most_left:
        failures.append(f"communities table: a gap of {most_left} left out, {least_shown} shown")
for row in rows:
    hh, per100, gap = expected[row[0]]
    if int(row[3]) != round(hh) or (per100 is not None and abs(float(row[4]) - per100) > 0.051) or int(row[6]) != round(gap):
        failures.append(f"community {row[0]}: {row} against {hh}, {per100}, {gap}")

streets = r.tables.get("streets", [])[1:]
by_street = {}
for street, hh in db.execute("SELECT coalesce(street, ''), households FROM coverage_communities"):
    by_street.setdefault(street, []).append(hh)
if len(streets) != len(by_street) or sum(int(s[1]) for s in streets) != len(expected):
    failures.append(f"streets table: {streets} against {len(by_street)} streets")
for s in streets:
    if s[0] in by_street and int(s[3]) != round(sum(by_street[s[0]])):
        failures.append(f"street {s[0]}: households {s[3]} against {sum(by_street[s[0]])}")

# Who each service is for: residents of the group and the people-weighted 2SFCA, as in the layer.
access = r.tables.get("access", [])[1:]
if len(access) != 9:
    failures.append(f"access table: {len(access)} rows, expected one per function")
functions = ["elderly_care", "infant_care", "child_care", "community_canteen", "housekeeping_convenience", "health",
             "fitness", "culture_leisure", "children_play"]
for fn, row in zip(functions, access):
    people, weighted = db.execute(f'SELECT total("{fn}_people"), total("{fn}_people" * "{fn}_2sfca") '
                                  f'FROM coverage_communities').fetchone()
    supply = db.execute(f'SELECT total("{fn}_supply") FROM coverage_facilities').fetchone()[0]
    if int(row[2]) != round(people) or abs(float(row[-2]) - (weighted / people if people else 0)) > 0.0051 \
            or int(row[3].split()[0]) != round(supply):
        failures.append(f"access {fn}: {row} against people {people}, 2SFCA {weighted / people if people else 0}, supply {supply}")

checked = r.tables.get("checked", [])[1:]
summary = dict(db.execute("SELECT fac_id, summary FROM check_checked"))
if len(checked) != min(len(summary), MAX_ROWS) or any(summary[row[0]] != row[2] for row in checked):
    failures.append(f"checked table: {len(checked)} rows against {len(summary)}")
if len(summary) > MAX_ROWS and any(row[2] == "pass" for row in checked) and \
        sum(v != "pass" for v in summary.values()) > sum(row[2] != "pass" for row in checked):
    failures.append("checked table: a passing facility listed before a failing one")

# Operators (when the facilities name them): one row each, its summary and households within the
# outer band as in the layer.
if db.execute("SELECT COUNT(*) FROM gpkg_contents WHERE table_name = 'check_operators'").fetchone()[0]:
    ops = r.tables.get("operators", [])[1:]
    cols = [c[1] for c in db.execute("PRAGMA table_info(check_operators)")]
    layer = {row[cols.index("operator_id")]: row for row in db.execute("SELECT * FROM check_operators")}
    outer = [c for c in cols if c.endswith("m_hh")]
    outer_m = max(int(c.rsplit("_", 2)[-2][:-1]) for c in outer) if outer else None
    if len(ops) != min(len(layer), MAX_ROWS):
        failures.append(f"operators table: {len(ops)} rows against {len(layer)}")
    for row in ops:
        got = layer.get(row[0])
        if got is None or got[cols.index("summary")] != row[-2]:
            failures.append(f"operators table: {row[0]} summary {row[-2]} against the layer")
            continue
        for part in filter(None, row[6].split("; ")) if outer_m else []:
            fn, n = part.rsplit(" ", 1)
            if int(n) != round(got[cols.index(f"{fn}_{outer_m}m_hh")]):
                failures.append(f"operators table: {row[0]} {fn} {n} against the layer")

chosen_layers = [n for (n,) in db.execute(
    "SELECT table_name FROM gpkg_contents WHERE table_name LIKE 'sites_%_chosen'")]
chosen_rows = r.tables.get("chosen", [])
expected_rows = sum(count(n) + 1 for n in chosen_layers)  # a header row each
if len(chosen_rows) != expected_rows:
    failures.append(f"chosen tables: {len(chosen_rows)} rows, expected {expected_rows}")

# The method section's counts of the inputs agree with the layers.
inputs = {row[0].split(" ", 1)[-1] if " " in row[0] else row[0]: row[1] for row in r.tables.get("inputs", [])[1:]}
for label, layer in (("communities", "coverage_communities"), ("facilities", "coverage_facilities")):
    if inputs.get(label) != str(count(layer)):
        failures.append(f"inputs table: {label} {inputs.get(label)} against {count(layer)} in {layer}")
if not int(inputs.get("road lines kept", 0)) > 0 or not int(inputs.get("road features read", 0)) > 0:
    failures.append(f"inputs table: no road figures in {inputs}")

for f in failures:
    print("FAILED:", f)
print(f"report: {len(r.figures)} maps, {len(rows)} communities, {len(checked)} facilities checked, "
      f"{len(chosen_layers)} siting goals")
sys.exit(1 if failures else 0)
