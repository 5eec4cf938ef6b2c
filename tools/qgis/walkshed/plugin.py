"""The plugin: registers the walkshed Processing provider (also under qgis_process, without a GUI)."""
from qgis.core import QgsApplication

from .provider import WalkshedProvider


class WalkshedPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.provider = None

    def initProcessing(self):  # noqa: N802
        self.provider = WalkshedProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802
        self.initProcessing()

    def unload(self):
        if self.provider:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
