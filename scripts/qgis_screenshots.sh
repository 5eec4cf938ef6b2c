#!/usr/bin/env bash
# Screenshots of the QGIS plugin for docs/images: the Processing toolbox and three algorithm dialogs,
# taken in real QGIS under Xvfb (Debian qgis, xvfb) with the plugin installed from its zip.
#   scripts/qgis_screenshots.sh [DIR]     (default docs/images)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(realpath "${1:-docs/images}")
tmp=$(mktemp -d /tmp/walkshed-shots-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
scripts/install_packages.sh qgis python3-qgis xvfb xauth
scripts/qgis_plugin.sh "$tmp/walkshed.zip" > /dev/null
mkdir -p "$tmp/profiles/default/python/plugins" "$tmp/profiles/default/QGIS" "$tmp/run"
chmod 700 "$tmp/run"
/usr/bin/python3 -m zipfile -e "$tmp/walkshed.zip" "$tmp/profiles/default/python/plugins/"
printf '[PythonPlugins]\nwalkshed=true\n' > "$tmp/profiles/default/QGIS/QGIS3.ini"
cat > "$tmp/grab.py" <<PY
import os
from qgis.utils import iface
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QApplication, QDockWidget
import processing
def shoot():
    window = iface.mainWindow()
    window.resize(1280, 800)
    for dock in window.findChildren(QDockWidget):
        if dock.objectName() == 'ProcessingToolbox':
            dock.show()
            dock.searchBox.setText('walkshed')
    QApplication.processEvents()
    window.grab().save('$dir/qgis_toolbox.png')
    for name in ('catchment', 'coverage', 'study'):
        dialog = processing.createAlgorithmDialog('walkshed:' + name)
        dialog.resize(900, 700)
        dialog.show()
        QApplication.processEvents()
        dialog.grab().save('$dir/qgis_' + name + '.png')
        dialog.close()
    QTimer.singleShot(200, QApplication.instance().quit)
QTimer.singleShot(3000, shoot)
PY
XDG_RUNTIME_DIR=$tmp/run WALKSHED_BIN=$(realpath build/walkshed) timeout 120 \
  xvfb-run -a -s "-screen 0 1280x800x24" qgis --nologo --noversioncheck --profiles-path "$tmp" --code "$tmp/grab.py" \
  > "$tmp/qgis.log" 2>&1
ls "$dir"/qgis_*.png
