"""The walkshed Processing provider: one algorithm per walkshed command, and the program's location."""
import os

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from . import algorithms, runner

try:  # Processing's own settings dialog (Settings > Options > Processing > Providers)
    from processing.core.ProcessingConfig import ProcessingConfig, Setting
except ImportError:  # pragma: no cover - Processing is a core plugin
    ProcessingConfig = Setting = None


class WalkshedProvider(QgsProcessingProvider):
    def load(self):
        if ProcessingConfig is not None:
            ProcessingConfig.settingIcons[self.name()] = self.icon()
            ProcessingConfig.addSetting(Setting(self.name(), runner.SETTING, self.tr('walkshed program (empty: PATH)'),
                                                '', valuetype=Setting.FILE))
            ProcessingConfig.readSettings()
        self.refreshAlgorithms()
        return True

    def unload(self):
        if ProcessingConfig is not None:
            ProcessingConfig.removeSetting(runner.SETTING)

    def loadAlgorithms(self):  # noqa: N802
        for algorithm in algorithms.ALL:
            self.addAlgorithm(algorithm())

    def id(self):
        return 'walkshed'

    def name(self):
        return 'walkshed'

    def longName(self):  # noqa: N802
        return 'walkshed: community embedded service facilities (社区嵌入式服务设施)'

    def icon(self):
        return QIcon(os.path.join(os.path.dirname(__file__), 'icon.svg'))
