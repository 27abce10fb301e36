#!/usr/bin/env bash
# Render report.xlsx as LibreOffice Calc prints it, for a person to look at:
# every sheet to PDF, then PNGs of the Summary sheet and of one indicator's
# sheet (its fields and native charts).
#
#   scripts/screenshot_xlsx.sh demo/report/report.xlsx [OUT_DIR] [CODE]
#
# Needs LibreOffice Calc (Debian: apt-get install -y --no-install-recommends
# libreoffice-calc-nogui) and poppler-utils (installed with Chromium by
# scripts/setup.sh --with-browser). Not run by the tests: tests/test_xlsx.py
# reads the workbook back with openpyxl and keeps a Chromium screenshot of the
# first sheet's cells.
set -euo pipefail
xlsx=${1:?usage: scripts/screenshot_xlsx.sh REPORT.xlsx [OUT_DIR] [CODE]}
out=${2:-/tmp/xlsx-screenshots}
code=${3:-11}
command -v soffice >/dev/null || {
  echo "LibreOffice is not installed: apt-get install -y --no-install-recommends libreoffice-calc-nogui" >&2
  exit 1
}
mkdir -p "$out"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
soffice --headless --norestore "-env:UserInstallation=file://$profile" \
  --convert-to pdf --outdir "$out" "$xlsx" >/dev/null 2>&1
pdf="$out/$(basename "${xlsx%.*}").pdf"
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
pdftoppm -f 1 -l 1 -r 80 -png "$pdf" "$out/summary"
for ((p = 2; p <= pages; p++)); do
  if pdftotext -f "$p" -l "$p" "$pdf" - | head -3 | grep -q "^$code\. "; then
    pdftoppm -f "$p" -l "$((p + 1))" -r 80 -png "$pdf" "$out/code-$code"
    break
  fi
done
ls "$out"/*.png
