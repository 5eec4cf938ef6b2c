"""Opens walkshed outputs in real QGIS (PyQGIS, headless) and checks that every layer is valid,
drawn with the default style walkshed stored for it and shows each field's Chinese alias, then
renders each layer to a PNG that must not be blank.
   QT_QPA_PLATFORM=offscreen /usr/bin/python3 check_styles.py OUT_DIR FILE[:layer=renderer,...] ...
FILE is a .gpkg (its layers), or a .geojson / .shp layer; `layer=renderer` names the renderer each
layer must have (singleSymbol, categorizedSymbol, graduatedSymbol) and, after a slash, its number
of classes (e.g. checked=categorizedSymbol/4). Exit 0 when all holds."""
import os
import sys

from qgis.core import (QgsApplication, QgsMapRendererParallelJob, QgsMapSettings, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

app = QgsApplication([], False)
app.initQgis()
failures = []
out_dir = sys.argv[1]


def check(uri, name, expected):
    layer = QgsVectorLayer(uri, name, "ogr")
    if not layer.isValid():
        failures.append(f"{uri}: not valid")
        return
    renderer = layer.renderer()
    kind = renderer.type()
    want, _, classes = expected.partition("/")
    if kind != want:
        failures.append(f"{uri}: renderer {kind}, expected {want} (the stored style not used?)")
    if classes:
        n = len(renderer.categories()) if kind == "categorizedSymbol" else len(renderer.ranges())
        if n != int(classes):
            failures.append(f"{uri}: {n} classes, expected {classes}")
    # The Chinese labels as QGIS field aliases (from the stored style; GDAL 3.6 writes none).
    bare = [f.name() for i, f in enumerate(layer.fields()) if f.name() != "fid" and not layer.attributeAlias(i)]
    if bare:
        failures.append(f"{uri}: fields without a Chinese alias: {', '.join(bare[:5])}")
    if layer.featureCount() == 0:
        return
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setExtent(layer.extent().buffered(max(layer.extent().width(), layer.extent().height(), 1) * 0.05))
    settings.setOutputSize(QSize(400, 400))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    png = os.path.join(out_dir, name + ".png")
    image.save(png)
    white = QColor(255, 255, 255).rgb()
    drawn = sum(1 for x in range(0, 400, 4) for y in range(0, 400, 4) if image.pixel(x, y) != white)
    if drawn == 0:
        failures.append(f"{uri}: rendered blank ({png})")


for arg in sys.argv[2:]:
    path, _, spec = arg.partition(":")
    for item in filter(None, spec.split(",")):
        layer, _, expected = item.partition("=")
        uri = f"{path}|layername={layer}" if path.endswith(".gpkg") else path
        check(uri, os.path.basename(path).split(".")[0] + "_" + layer, expected)

app.exitQgis()
for f in failures:
    print("FAILED:", f)
sys.exit(1 if failures else 0)
