"""The walkshed Processing provider in real QGIS (PyQGIS, headless): its algorithms give the same layers
and counts as the command line, take selected features of a memory layer, run in a graphical model,
and a cancelled run leaves nothing behind.
   QT_QPA_PLATFORM=offscreen WALKSHED_BIN=... /usr/bin/python3 check_plugin.py PLUGIN_DIR DATA_DIR OUT_DIR
PLUGIN_DIR holds the plugin folder `walkshed`; OUT_DIR has the command line's outputs (cli_*.gpkg, made
by plugin.sh). Exit 0 when all holds."""
import os
import sys
import threading
import time

plugin_dir, data, out = sys.argv[1:4]
sys.path.insert(0, '/usr/share/qgis/python/plugins')
sys.path.insert(0, plugin_dir)

from qgis.core import (QgsApplication, QgsFeatureRequest, QgsProcessingContext, QgsProcessingFeedback,  # noqa: E402
                       QgsProcessingFeatureSourceDefinition, QgsProcessingModelAlgorithm, QgsProject, QgsVectorLayer)

app = QgsApplication([], False)
app.initQgis()
import processing  # noqa: E402
from osgeo import ogr  # noqa: E402
from processing.core.Processing import Processing  # noqa: E402

Processing.initialize()
from walkshed.provider import WalkshedProvider  # noqa: E402

provider = WalkshedProvider()
QgsApplication.processingRegistry().addProvider(provider)
failures = []


def counts(gpkg):
    from osgeo import ogr
    ds = ogr.Open(gpkg)
    return {ds.GetLayer(i).GetName(): ds.GetLayer(i).GetFeatureCount() for i in range(ds.GetLayerCount())
            if ds.GetLayer(i).GetName() != 'layer_styles'}


ids = sorted(a.id() for a in provider.algorithms())
expected = sorted('walkshed:' + n for n in ('graph', 'catchment', 'coverage', 'check', 'site', 'study'))
if ids != expected:
    failures.append(f'algorithms {ids}')

roads = os.path.join(data, 'beijing_cau.osm.pbf') + '|layername=lines'
facilities = os.path.join(data, 'beijing_cau_facilities.geojson')
communities = os.path.join(data, 'beijing_cau_communities.geojson')
context = QgsProcessingContext()
context.setProject(QgsProject.instance())
feedback = QgsProcessingFeedback()

# The same layers and counts as the command line.
runs = {
    'catchment': ({'ROADS': roads, 'FACILITIES': facilities, 'DISTANCES': '300,500,1000', 'MODE': 1,
                   'OUTPUT': os.path.join(out, 'qgis_catchment.gpkg')}, 'cli_catchment.gpkg'),
    'coverage': ({'ROADS': roads, 'COMMUNITIES': communities, 'FACILITIES': facilities, 'CITY': 1,
                  'OUTPUT': os.path.join(out, 'qgis_coverage.gpkg')}, 'cli_coverage.gpkg'),
}
for name, (params, cli) in runs.items():
    result = processing.run('walkshed:' + name, params, context=context, feedback=feedback)
    got, want = counts(result['OUTPUT']), counts(os.path.join(out, cli))
    if got != want:
        failures.append(f'{name}: {got} against the command line {want}')
# Loaded styled: each output layer, as the project gets it, has walkshed's renderer and aliases.
loaded = [context.temporaryLayerStore().mapLayer(i) for i in context.layersToLoadOnCompletion()]
styled = [l for l in loaded if l and l.renderer() and l.renderer().type() in ('categorizedSymbol', 'graduatedSymbol')]
if len(loaded) < 8 or not styled:
    failures.append(f'{len(loaded)} layers to load, {len(styled)} drawn by class')

# Selected features of a memory layer: exported for walkshed, only those used.
memory = QgsVectorLayer(facilities, 'facilities', 'ogr').materialize(QgsFeatureRequest())
QgsProject.instance().addMapLayer(memory)
memory.selectByIds([f.id() for f in memory.getFeatures()][:5])
result = processing.run('walkshed:catchment', {
    'ROADS': roads, 'FACILITIES': QgsProcessingFeatureSourceDefinition(memory.id(), True), 'DISTANCES': '500',
    'OUTPUT': os.path.join(out, 'qgis_selected.gpkg')}, context=context, feedback=feedback)
if counts(result['OUTPUT']).get('facilities') != 5:
    failures.append(f'selected features: {counts(result["OUTPUT"])}')

# The rule check with operators, judged on a date: Wuhan after its text lapsed (WH 第十九条).
ops = os.path.join(out, 'operators.gpkg')
src = ogr.Open(facilities)
dst = ogr.GetDriverByName('GPKG').CreateDataSource(ops)
layer = dst.CopyLayer(src.GetLayer(0), 'facilities')  # the sample's, an operator for each three
layer.CreateField(ogr.FieldDefn('operator_id', ogr.OFTString))
layer.CreateField(ogr.FieldDefn('functions', ogr.OFTString))
for i, f in enumerate(list(layer)):
    f.SetField('operator_id', f'OP{i // 3}')
    f.SetField('functions', ('elderly_care', 'infant_care', 'health')[i % 3])
    layer.SetFeature(f)
dst = src = None
result = processing.run('walkshed:check', {'FACILITIES': ops, 'FUNCTIONS_FIELD': 'functions', 'PROFILE': 3,
                                           'AS_OF': '2026-09-01', 'OUTPUT': os.path.join(out, 'qgis_check.gpkg')},
                        context=context, feedback=feedback)
got = counts(result['OUTPUT'])
checked = ogr.Open(result['OUTPUT']).ExecuteSQL("SELECT COUNT(*) FROM checked WHERE as_of = '2026-09-01' AND "
                                                 "text_standing LIKE '%lapsed%' AND min_functions = 'pass'")
if got.get('operators') != 11 or checked.GetNextFeature().GetField(0) != 33:
    failures.append(f'check with operators: {got}')

# The study, as the command line's.
result = processing.run('walkshed:study', {'STUDY': os.path.join(data, 'beijing_cau_study.yaml'), 'PDF': False,
                                           'OUTPUT': os.path.join(out, 'qgis_study')}, context=context, feedback=feedback)
got, want = counts(result['STUDY_GPKG']), counts(os.path.join(out, 'cli_study', 'study.gpkg'))
if got != want:
    failures.append(f'study: {got} against {want}')

# A graphical model: graph, then catchment and coverage on the saved graph, coverage after catchment.
model = QgsProcessingModelAlgorithm()
if not model.fromFile(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'catchment_coverage.model3')):
    failures.append('the model does not load')
else:
    result = processing.run(model, {'roads': roads, 'facilities': facilities, 'communities': communities,
                                    'catchment_1:catchments': os.path.join(out, 'model_catchment.gpkg'),
                                    'coverage_1:coverage': os.path.join(out, 'model_coverage.gpkg')},
                            context=context, feedback=feedback)
    if counts(os.path.join(out, 'model_coverage.gpkg')) != counts(os.path.join(out, 'cli_coverage.gpkg')):
        failures.append(f'model: coverage {counts(os.path.join(out, "model_coverage.gpkg"))}')
    if counts(os.path.join(out, 'model_catchment.gpkg')).get('facilities') != 33:
        failures.append('model: catchment')

# Cancelled: the program stops and leaves neither its output nor temporaries (a ~30 s job on a grid).
cancel = QgsProcessingFeedback()
threading.Timer(1.5, cancel.cancel).start()
target = os.path.join(out, 'cancelled.gpkg')
start = time.time()
processing.run('walkshed:catchment', {'ROADS': os.path.join(out, 'grid.geojson'), 'FACILITIES': os.path.join(out, 'fac.geojson'),
                                      'DISTANCES': '2000,5000', 'OUTPUT': target}, context=context, feedback=cancel)
left = [f for f in os.listdir(out) if f.startswith('cancelled') or f.startswith('.walkshed-tmp')]
if time.time() - start > 20 or left:
    failures.append(f'cancel: {time.time() - start:.1f} s, left {left}')

for f in failures:
    print('FAILED:', f)
print(f'plugin: {len(ids)} algorithms; catchment, coverage, check, selection, study, model and cancel checked')
QgsProject.instance().clear()
app.exitQgis()
sys.exit(1 if failures else 0)
