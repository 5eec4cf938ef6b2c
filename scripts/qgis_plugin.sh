#!/usr/bin/env bash
# Builds the QGIS plugin's zip for Plugins > Manage and Install Plugins > Install from ZIP.
#   scripts/qgis_plugin.sh [ZIP]     (default build/walkshed-qgis-plugin.zip)
set -euo pipefail
cd "$(dirname "$0")/.."
zip=${1:-build/walkshed-qgis-plugin.zip}
mkdir -p "$(dirname "$zip")"
/usr/bin/python3 - "$zip" <<'PY'
import os, sys, zipfile
target = sys.argv[1]
with zipfile.ZipFile(target + '.tmp', 'w', zipfile.ZIP_DEFLATED) as z:
    for root, dirs, files in os.walk('tools/qgis/walkshed'):
        dirs[:] = sorted(d for d in dirs if d != '__pycache__')
        for f in sorted(files):
            if not f.endswith('.pyc'):
                path = os.path.join(root, f)
                z.write(path, os.path.relpath(path, 'tools/qgis'))
os.replace(target + '.tmp', target)
print(target)
PY
