"""walkshed in the QGIS Processing toolbox: a provider whose algorithms run the walkshed program."""


def classFactory(iface):  # noqa: N802 (QGIS's name)
    from .plugin import WalkshedPlugin
    return WalkshedPlugin(iface)
