"""One Processing algorithm per walkshed command. Each builds the command line from its parameters
(layers of the project are passed by path; selected features and memory layers are first written to a
temporary GeoPackage), runs walkshed (runner.py) and loads what it wrote, styled by walkshed."""
import os
import shlex

from qgis.core import (QgsProcessing, QgsProcessingAlgorithm, QgsProcessingContext, QgsProcessingException,
                       QgsProcessingParameterBoolean, QgsProcessingParameterEnum, QgsProcessingParameterFeatureSource,
                       QgsProcessingParameterField, QgsProcessingParameterFile, QgsProcessingParameterFileDestination,
                       QgsProcessingParameterFolderDestination, QgsProcessingParameterNumber,
                       QgsProcessingParameterString, QgsProcessingOutputFile, QgsVectorLayer)

from . import runner

FUNCTIONS = ['elderly_care', 'infant_care', 'child_care', 'community_canteen', 'housekeeping_convenience', 'health',
             'fitness', 'culture_leisure', 'children_play']
FUNCTION_LABELS = ['养老服务', '婴幼儿托育', '儿童托管', '社区助餐', '家政便民', '健康服务', '体育健身', '文化休闲', '儿童游憩']
PROFILES = ['national', 'baotou', 'beijing', 'wuhan']
CITIES = ['national', 'beijing', 'wuhan', 'baotou']
MODES = ['per-facility', 'nearest']
LANGUAGES = ['both', 'zh', 'en']
# Formats walkshed reads directly; a layer in any other (or a selection, a memory layer) is exported.
READABLE = ['gpkg', 'shp', 'geojson', 'json', 'fgb', 'pbf', 'osm']


def _t(zh, en):
    return zh + ' ' + en


class WalkshedAlgorithm(QgsProcessingAlgorithm):
    """A walkshed command. Subclasses set NAME, TITLE, HELP and define params() and command()."""
    NAME = TITLE = HELP = ''

    def name(self):
        return self.NAME

    def displayName(self):  # noqa: N802
        return self.TITLE

    def group(self):
        return _t('社区嵌入式服务设施', 'Community service facilities')

    def groupId(self):  # noqa: N802
        return 'walkshed'

    def shortHelpString(self):  # noqa: N802
        return self.HELP + '<p>walkshed ' + self.NAME + ' --help: ' + _t('全部选项', 'every option') + '.</p>'

    def createInstance(self):  # noqa: N802
        return type(self)()

    # Parameters shared by the commands.
    def add_roads(self, graph=True):
        self.addParameter(QgsProcessingParameterFeatureSource(
            'ROADS', _t('道路(OSM 或线图层)', 'Roads (OSM or a line layer)'), [QgsProcessing.TypeVectorLine],
            optional=graph))
        if graph:
            self.addParameter(QgsProcessingParameterFile(
                'GRAPH', _t('或：已保存的步行网络(.wsg)', 'Or: a saved walking graph (.wsg)'), extension='wsg',
                optional=True))

    def roads_args(self, parameters, context, feedback):
        """--roads: the saved graph when given, else the road layer."""
        graph = self.parameterAsFile(parameters, 'GRAPH', context) if 'GRAPH' in parameters else ''
        if graph:
            return ['--roads', graph]
        args = self.layer_args(parameters, context, feedback, 'ROADS', '--roads', '--layer')
        if not args:
            raise QgsProcessingException(_t('请给出道路或步行网络', 'give the roads or a saved graph'))
        return args

    # The community and facility inputs with their fields, as in coverage and site: parameter names and
    # their command-line flags.
    LAYERS = {'COMMUNITIES': ('--communities', '--communities-layer'), 'FACILITIES': ('--facilities', '--facilities-layer'),
              'BUILDINGS': ('--buildings', '--buildings-layer'), 'CANDIDATES': ('--candidates', '--candidates-layer'),
              'LANDUSE': ('--landuse', '--landuse-layer')}
    FIELDS = {'HOUSEHOLDS_FIELD': '--households-field', 'POPULATION_FIELD': '--population-field',
              'FUNCTIONS_FIELD': '--functions-field', 'AREA_FIELD': '--area-field', 'ID_FIELD': '--id-field'}

    def add_communities(self, population=True):
        self.add_source('COMMUNITIES', _t('社区', 'Communities'), [QgsProcessing.TypeVectorPolygon])
        self.add_field('HOUSEHOLDS_FIELD', _t('户数字段', 'Households field'), 'COMMUNITIES', numeric=True)
        if population:
            self.add_field('POPULATION_FIELD', _t('人口字段(无户数时)', 'Population field (without households)'),
                           'COMMUNITIES', numeric=True)

    def add_facilities(self, label=_t('设施', 'Facilities'), area=True):
        self.add_source('FACILITIES', label, [QgsProcessing.TypeVectorPoint, QgsProcessing.TypeVectorPolygon])
        self.add_field('FUNCTIONS_FIELD', _t('服务功能字段', 'Functions field'), 'FACILITIES')
        if area:
            self.add_field('AREA_FIELD', _t('建筑面积字段', 'Floor area field'), 'FACILITIES', numeric=True)

    def inputs_args(self, parameters, context, feedback):
        """The flags of every layer and field parameter this algorithm has and was given."""
        names = {d.name() for d in self.parameterDefinitions()}
        args = []
        for name, (flag, layer_flag) in self.LAYERS.items():
            if name in names:
                args += self.layer_args(parameters, context, feedback, name, flag, layer_flag)
        for name, flag in self.FIELDS.items():
            if name in names:
                args += self.field_args(parameters, context, name, flag)
        return args

    def add_source(self, name, label, types, optional=False):
        self.addParameter(QgsProcessingParameterFeatureSource(name, label, types, optional=optional))

    def add_field(self, name, label, parent, numeric=False):
        self.addParameter(QgsProcessingParameterField(
            name, label, parentLayerParameterName=parent, optional=True,
            type=QgsProcessingParameterField.Numeric if numeric else QgsProcessingParameterField.Any))

    def add_distances(self, default='300,500,1000'):
        self.addParameter(QgsProcessingParameterString(
            'DISTANCES', _t('步行距离(米，逗号分隔)', 'Walking distances, metres, comma-separated'), default))

    def add_extra(self):
        p = QgsProcessingParameterString(
            'OPTIONS', _t('其他命令行选项', 'Further command-line options (e.g. --max-snap 150)'), optional=True)
        p.setFlags(p.flags() | p.FlagAdvanced)
        self.addParameter(p)

    def add_gpkg_output(self, label=_t('输出 GeoPackage', 'Output GeoPackage'), optional=False):
        self.addParameter(QgsProcessingParameterFileDestination('OUTPUT', label, 'GeoPackage (*.gpkg)', optional=optional,
                                                                createByDefault=not optional))

    def layer_args(self, parameters, context, feedback, name, flag, layer_flag):
        """[flag, path, layer_flag, layer] for a source parameter, or [] when it is not given."""
        if parameters.get(name) in (None, ''):
            return []
        path, layer = self.parameterAsCompatibleSourceLayerPathAndLayerName(parameters, name, context, READABLE,
                                                                            'gpkg', feedback)
        if not path:
            raise QgsProcessingException(self.invalidSourceError(parameters, name))
        args = [flag, path] if flag else [path]
        if layer:
            args += [layer_flag, layer]
        return args

    def field_args(self, parameters, context, name, flag):
        value = self.parameterAsString(parameters, name, context)
        return [flag, value] if value else []

    def network_command(self, name, parameters, context, feedback):
        """The output path, and the command `name` with the roads and input layers' arguments."""
        out = self.parameterAsFileOutput(parameters, 'OUTPUT', context)
        return out, [name] + self.roads_args(parameters, context, feedback) + self.inputs_args(parameters, context, feedback)

    def extra_args(self, parameters, context):
        return shlex.split(self.parameterAsString(parameters, 'OPTIONS', context) or '')

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        arguments, outputs = self.command(parameters, context, feedback)
        code = runner.run(arguments + ['--overwrite'] + self.extra_args(parameters, context), feedback)
        if code is None:  # cancelled
            return {}
        for key, path in outputs.items():
            if path.endswith('.gpkg') and os.path.exists(path):
                load_layers(path, context, self.TITLE)
        return outputs


def load_layers(gpkg, context, title, skip=('layer_styles',)):
    """Adds every layer of a GeoPackage to the project when the algorithm finishes; each opens with the
    style walkshed stored as its default (and its Chinese field aliases)."""
    from osgeo import ogr
    ds = ogr.Open(gpkg)
    names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())] if ds else []
    ds = None
    for name in names:
        if name in skip:
            continue
        layer = QgsVectorLayer(f'{gpkg}|layername={name}', name, 'ogr')
        if not layer.isValid():
            continue
        context.temporaryLayerStore().addMapLayer(layer)
        context.addLayerToLoadOnCompletion(layer.id(), QgsProcessingContext.LayerDetails(name, context.project(), name))


class Graph(WalkshedAlgorithm):
    NAME, TITLE = 'graph', _t('步行网络', 'Walking graph')
    HELP = _t('<p>由道路建立步行网络(打断、连通分量、检查)，保存为 .wsg 供其他算法直接使用，并可导出路段与节点。</p>',
              '<p>Builds the walking graph from roads (noded, components, checks), saves it as a .wsg file the '
              'other algorithms read directly, and optionally exports its edges and nodes.</p>')

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_roads(graph=False)
        self.addParameter(QgsProcessingParameterFileDestination(
            'GRAPH', _t('网络文件', 'Graph file'), 'walkshed graph (*.wsg)'))
        self.add_extra()
        self.add_gpkg_output(_t('路段与节点(可选)', 'Edges and nodes (optional)'), optional=True)

    def command(self, parameters, context, feedback):
        graph = self.parameterAsFileOutput(parameters, 'GRAPH', context)
        edges = self.parameterAsFileOutput(parameters, 'OUTPUT', context)
        args = ['graph'] + self.layer_args(parameters, context, feedback, 'ROADS', '', '--layer') + ['-o', graph]
        if edges:
            args += ['--export-edges', edges]
        return args, {'GRAPH': graph, 'OUTPUT': edges}


class Catchment(WalkshedAlgorithm):
    NAME, TITLE = 'catchment', _t('步行范围', 'Walking catchments')
    HELP = _t('<p>各设施(或最近设施)的步行范围：按距离分段的路段与多边形。</p>',
              '<p>Walking-distance catchments of each facility (or of the nearest one everywhere): the reached '
              'network by band, and polygons.</p>')

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_roads()
        self.add_source('FACILITIES', _t('设施', 'Facilities'), [QgsProcessing.TypeVectorPoint, QgsProcessing.TypeVectorPolygon])
        self.add_field('ID_FIELD', _t('设施编号字段', 'Facility id field'), 'FACILITIES')
        self.add_distances()
        self.addParameter(QgsProcessingParameterEnum('MODE', _t('方式', 'Mode'), MODES, defaultValue=0))
        self.addParameter(QgsProcessingParameterBoolean('POLYGONS', _t('生成多边形', 'Polygons'), True))
        self.add_extra()
        self.add_gpkg_output()

    def command(self, parameters, context, feedback):
        out, args = self.network_command('catchment', parameters, context, feedback)
        args += ['--distances', self.parameterAsString(parameters, 'DISTANCES', context),
                 '--mode', MODES[self.parameterAsEnum(parameters, 'MODE', context)], '-o', out]
        if not self.parameterAsBool(parameters, 'POLYGONS', context):
            args.append('--no-polygons')
        return args, {'OUTPUT': out}


class Coverage(WalkshedAlgorithm):
    NAME, TITLE = 'coverage', _t('覆盖户数', 'Household coverage')
    HELP = _t('<p>各社区步行可达各服务功能的户数与比例，每百户服务面积与达标缺口(30/80 平方米)。</p>',
              '<p>Households within walking distance of each service function per community, street and the whole '
              'area, and the floor area per 100 households against the 30 m² (80 m² on a qualified street) target.</p>')

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_roads()
        self.add_communities()
        self.add_facilities()
        self.add_source('BUILDINGS', _t('住宅建筑(可选)', 'Residential buildings (optional)'), [QgsProcessing.TypeVectorPolygon], True)
        self.addParameter(QgsProcessingParameterEnum('CITY', _t('城市', 'City'), CITIES, defaultValue=0))
        self.add_distances()
        self.add_extra()
        self.add_gpkg_output()

    def command(self, parameters, context, feedback):
        out, args = self.network_command('coverage', parameters, context, feedback)
        args += ['--city', CITIES[self.parameterAsEnum(parameters, 'CITY', context)],
                 '--distances', self.parameterAsString(parameters, 'DISTANCES', context), '-o', out]
        return args, {'OUTPUT': out}


class Check(WalkshedAlgorithm):
    NAME, TITLE = 'check', _t('规则检查', 'Rule check')
    HELP = _t('<p>按城市规则(包头、北京、武汉或国家)检查设施或候选地点，每条规则给出合格/不合格/缺数据及条文依据。</p>',
              '<p>Checks facilities or candidate sites against a city\'s rules (Baotou, Beijing, Wuhan or national): '
              'each rule passes, fails or lacks data, with its article.</p>')

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_facilities(_t('设施或候选地点', 'Facilities or candidate sites'))
        self.addParameter(QgsProcessingParameterEnum('PROFILE', _t('规则集', 'Profile'), PROFILES, defaultValue=0))
        self.add_source('LANDUSE', _t('用地(可选)', 'Land use (optional)'), [QgsProcessing.TypeVectorPolygon], True)
        self.addParameter(QgsProcessingParameterString(
            'AS_OF', _t('判定基准日(YYYY-MM-DD，默认今天)', 'Judge reporting duties as of (YYYY-MM-DD, default today)'),
            '', optional=True))
        self.add_extra()
        self.add_gpkg_output()

    def command(self, parameters, context, feedback):
        out = self.parameterAsFileOutput(parameters, 'OUTPUT', context)
        args = ['check', '--profile', PROFILES[self.parameterAsEnum(parameters, 'PROFILE', context)]]
        args += self.inputs_args(parameters, context, feedback)
        as_of = self.parameterAsString(parameters, 'AS_OF', context).strip()
        if as_of:
            args += ['--as-of', as_of]
        return args + ['-o', out], {'OUTPUT': out}


class Site(WalkshedAlgorithm):
    NAME, TITLE = 'site', _t('选址', 'Siting')
    HELP = _t('<p>从候选地点(或可用用地)中为一项服务功能选出 K 处新设施，使新增覆盖户数最多(最大覆盖)。</p>',
              '<p>Chooses K new sites for a service function among candidate sites (or eligible land-use parcels) so '
              'that the most households not yet served are served (maximal coverage).</p>')

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_roads()
        self.add_communities(population=False)
        self.add_facilities(_t('现有设施', 'Existing facilities'), area=False)
        self.add_source('CANDIDATES', _t('候选地点', 'Candidate sites'), [QgsProcessing.TypeVectorPoint, QgsProcessing.TypeVectorPolygon], True)
        self.add_source('LANDUSE', _t('用地', 'Land use'), [QgsProcessing.TypeVectorPolygon], True)
        self.addParameter(QgsProcessingParameterBoolean(
            'FROM_LANDUSE', _t('以可用用地为候选地点', 'Candidates from eligible land-use parcels'), False))
        self.addParameter(QgsProcessingParameterEnum('PROFILE', _t('规则集', 'Profile'), PROFILES, defaultValue=0))
        self.addParameter(QgsProcessingParameterEnum(
            'FUNCTION', _t('服务功能', 'Service function'), [f'{z} {e}' for z, e in zip(FUNCTION_LABELS, FUNCTIONS)],
            allowMultiple=True, defaultValue=[0]))
        self.addParameter(QgsProcessingParameterNumber(
            'DISTANCE', _t('步行距离(米)', 'Walking distance, metres'), QgsProcessingParameterNumber.Double, 500, minValue=1))
        self.addParameter(QgsProcessingParameterNumber(
            'K', _t('新设施数', 'Sites to choose (k)'), QgsProcessingParameterNumber.Integer, 5, minValue=1))
        self.add_extra()
        self.add_gpkg_output()

    def command(self, parameters, context, feedback):
        out, args = self.network_command('site', parameters, context, feedback)
        if self.parameterAsBool(parameters, 'FROM_LANDUSE', context):
            args.append('--candidates-from-landuse')
        functions = [FUNCTIONS[i] for i in self.parameterAsEnums(parameters, 'FUNCTION', context)]
        if not functions:
            raise QgsProcessingException(_t('请选择服务功能', 'choose a service function'))
        args += ['--profile', PROFILES[self.parameterAsEnum(parameters, 'PROFILE', context)], '--function'] + functions
        args += ['--distance', str(self.parameterAsDouble(parameters, 'DISTANCE', context)),
                 '--k', str(self.parameterAsInt(parameters, 'K', context)), '-o', out]
        return args, {'OUTPUT': out}


class Study(WalkshedAlgorithm):
    NAME, TITLE = 'study', _t('规划研究', 'Planning study')
    HELP = _t('<p>由一个研究文件(YAML)一次完成：网络、步行范围、覆盖、规则检查、选址，输出 study.gpkg、study.qgs、'
              'report.html/pdf 与 tables/。</p>',
              '<p>A whole study from one YAML file: graph, catchments, coverage, rule check and siting, into one folder '
              '(study.gpkg with every layer styled, study.qgs, report.html and .pdf, tables/).</p>')

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile('STUDY', _t('研究文件', 'Study file'), extension='yaml'))
        self.addParameter(QgsProcessingParameterEnum('LANG', _t('报告语言', 'Report language'), LANGUAGES, defaultValue=0))
        self.addParameter(QgsProcessingParameterBoolean('PDF', _t('生成 PDF 报告', 'Print report.pdf'), True))
        self.add_extra()
        self.addParameter(QgsProcessingParameterFolderDestination('OUTPUT', _t('输出文件夹', 'Output folder')))
        self.addOutput(QgsProcessingOutputFile('STUDY_GPKG', 'study.gpkg'))
        self.addOutput(QgsProcessingOutputFile('REPORT', 'report.html'))

    def command(self, parameters, context, feedback):
        out = self.parameterAsString(parameters, 'OUTPUT', context)
        args = ['study', self.parameterAsFile(parameters, 'STUDY', context), '-o', out,
                '--lang', LANGUAGES[self.parameterAsEnum(parameters, 'LANG', context)]]
        if not self.parameterAsBool(parameters, 'PDF', context):
            args.append('--no-pdf')
        return args, {'OUTPUT': out, 'STUDY_GPKG': os.path.join(out, 'study.gpkg'),
                      'REPORT': os.path.join(out, 'report.html')}


ALL = [Graph, Catchment, Coverage, Check, Site, Study]
