"""Opens a study's QGIS project (study.qgs) in real QGIS (PyQGIS, headless): every layer valid and
drawn as the style stored for it in study.gpkg, the layers in theme groups, and every print layout
exported to a PNG whose map, legend and scale bar are not blank.
   QT_QPA_PLATFORM=offscreen /usr/bin/python3 check_project.py STUDY_DIR PNG_DIR LAYOUTS
LAYOUTS: the number of print layouts expected. Exit 0 when all holds."""
import os
import sys

from qgis.core import (QgsApplication, QgsLayerTreeGroup, QgsLayoutExporter, QgsLayoutItemLegend,
                       QgsLayoutItemMap, QgsLayoutItemScaleBar, QgsProject, QgsVectorLayer)
from qgis.PyQt.QtGui import QColor, QImage

app = QgsApplication([], False)
app.initQgis()
study, png_dir, layouts_expected = sys.argv[1], sys.argv[2], int(sys.argv[3])
failures = []

project = QgsProject.instance()
if not project.read(os.path.join(study, "study.qgs")):
    print("FAILED: study.qgs does not open:", project.error())
    sys.exit(1)
layers = list(project.mapLayers().values())
with_style = 0
for layer in layers:
    if not layer.isValid():
        failures.append(f"layer {layer.name()}: not valid ({layer.source()})")
        continue
    table = layer.source().split("layername=")[-1]
    stored = QgsVectorLayer(os.path.join(study, "study.gpkg") + "|layername=" + table, table, "ogr")
    a, b = layer.renderer(), stored.renderer()
    if a.type() != b.type():
        failures.append(f"layer {table}: renderer {a.type()} in the project, {b.type()} stored in study.gpkg")
    elif a.type() in ("categorizedSymbol", "graduatedSymbol"):
        count = lambda r: len(r.categories()) if r.type() == "categorizedSymbol" else len(r.ranges())
        if count(a) != count(b):
            failures.append(f"layer {table}: {count(a)} classes in the project, {count(b)} stored")
        with_style += 1
    if layer.fields().count() and not any(layer.attributeAlias(i) for i in range(layer.fields().count())):
        failures.append(f"layer {table}: no field has its Chinese alias")
if len(layers) < 10:
    failures.append(f"only {len(layers)} layers in the project")
if with_style < 3:
    failures.append(f"only {with_style} layers drawn by class")

root = project.layerTreeRoot()
groups = [c for c in root.children() if isinstance(c, QgsLayerTreeGroup)]
grouped = sum(len(g.findLayers()) for g in groups)
if len(groups) < 3 or grouped != len(layers):
    failures.append(f"{len(groups)} groups holding {grouped} of {len(layers)} layers")

manager = project.layoutManager()
if len(manager.layouts()) != layouts_expected:
    failures.append(f"{len(manager.layouts())} print layouts, expected {layouts_expected}")
os.makedirs(png_dir, exist_ok=True)
white = QColor(255, 255, 255).rgb()
for n, layout in enumerate(manager.layouts()):
    items = layout.items()
    maps = [i for i in items if isinstance(i, QgsLayoutItemMap)]
    legends = [i for i in items if isinstance(i, QgsLayoutItemLegend)]
    bars = [i for i in items if isinstance(i, QgsLayoutItemScaleBar)]
    name = layout.name()
    if len(maps) != 1 or not maps[0].layers():
        failures.append(f"layout {name}: {len(maps)} maps, layers {maps[0].layers() if maps else None}")
        continue
    if len(legends) != 1 or legends[0].model().rowCount() == 0:
        failures.append(f"layout {name}: no legend entries")
    if len(bars) != 1 or bars[0].linkedMap() is not maps[0] or bars[0].unitsPerSegment() <= 0:
        failures.append(f"layout {name}: scale bar missing or not linked to the map")
    png = os.path.join(png_dir, f"layout_{n}.png")
    settings = QgsLayoutExporter.ImageExportSettings()
    settings.dpi = 60
    if QgsLayoutExporter(layout).exportToImage(png, settings) != QgsLayoutExporter.Success:
        failures.append(f"layout {name}: export failed")
        continue
    image = QImage(png)
    mm = image.width() / 297.0

    def drawn(item):
        r = item.sceneBoundingRect()
        xs = range(max(int(r.left() * mm) + 2, 0), min(int(r.right() * mm) - 2, image.width()), 3)
        ys = range(max(int(r.top() * mm) + 2, 0), min(int(r.bottom() * mm) - 2, image.height()), 3)
        return sum(1 for x in xs for y in ys if image.pixel(x, y) != white)

    for what, item in (("map", maps[0]), ("legend", legends[0] if legends else None), ("scale bar", bars[0] if bars else None)):
        if item is not None and drawn(item) == 0:
            failures.append(f"layout {name}: the {what} is blank ({png})")

summary = f"{len(layers)} layers, {len(groups)} groups, {len(manager.layouts())} layouts"
del layers, stored, layer, groups, root, manager, maps, legends, bars, items, layout
project.clear()
app.exitQgis()
for f in failures:
    print("FAILED:", f)
print(summary)
sys.exit(1 if failures else 0)
