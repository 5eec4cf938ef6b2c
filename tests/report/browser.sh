#!/usr/bin/env bash
# The sample study's report in a real headless Chromium (Debian chromium): no console errors, a
# screenshot that is not blank; and report.pdf: several pages, none blank (pdftoppm).
#   tests/report/browser.sh WALKSHED DATA_DIR
set -euo pipefail
bin=$1 data=$2
out=$(mktemp -d /tmp/walkshed-report-XXXXXX)
trap 'rm -rf "$out"' EXIT
"$bin" study -q "$data/beijing_cau_study.yaml" -o "$out/study" 2>/dev/null
test -s "$out/study/report.pdf" || { echo "FAILED: no report.pdf"; exit 1; }
chromium --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 --window-size=1100,1600 \
  --screenshot="$out/shot.png" "file://$out/study/report.html" >"$out/chromium.log" 2>&1
if grep -q "CONSOLE" "$out/chromium.log"; then echo "FAILED: console messages:"; grep CONSOLE "$out/chromium.log"; exit 1; fi
pages=$(pdfinfo "$out/study/report.pdf" | awk '/^Pages:/ {print $2}')
[ "$pages" -ge 3 ] || { echo "FAILED: report.pdf has $pages pages"; exit 1; }
pdftoppm -r 40 -png "$out/study/report.pdf" "$out/page"
QT_QPA_PLATFORM=offscreen /usr/bin/python3 - "$out"/shot.png "$out"/page-*.png <<'PY'
import sys
from qgis.PyQt.QtGui import QImage
for path in sys.argv[1:]:
    image = QImage(path)
    first = image.pixel(0, 0)
    drawn = sum(1 for x in range(0, image.width(), 5) for y in range(0, image.height(), 5) if image.pixel(x, y) != first)
    if image.isNull() or drawn < 20:
        sys.exit(f"FAILED: {path} is blank")
print(f"report: {len(sys.argv) - 2} PDF pages and the screenshot drawn")
PY
