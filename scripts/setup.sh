#!/usr/bin/env bash
# Set up a new machine for cscperf: a virtual environment in .venv installed
# from the lock file, the project itself, and (for the PDF report and the
# browser tests) Debian's Chromium. Safe to run again: it only does what is
# missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "cscperf needs Python 3.11 or newer ($PYTHON is $("$PYTHON" --version 2>&1))" >&2
  exit 1
fi

stamp=.venv/.cscperf-installed
want="$(sha256sum requirements.lock pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "==> installing Python dependencies from requirements.lock into .venv"
  if ! command -v uv >/dev/null 2>&1; then
    "$PYTHON" -m pip install --quiet --disable-pip-version-check "uv==0.13.8"
  fi
  uv venv --quiet --allow-existing --python "$PYTHON" .venv
  uv pip sync --quiet --python .venv/bin/python requirements.lock
  uv pip install --quiet --python .venv/bin/python --no-deps -e .
  echo "$want" > "$stamp"
fi

if [ "${1:-}" = "--with-browser" ] && { ! command -v chromium >/dev/null 2>&1 \
    || ! command -v pdftotext >/dev/null 2>&1; }; then
  echo "==> installing Debian's chromium (PDF rendering, browser tests) and poppler-utils"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core poppler-utils \
    >/dev/null
fi
