#!/usr/bin/env bash
# Lint: ruff (lint and format check) and pylint-odoo with OCA's mandatory checks.
# Installs the linters from PyPI when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
"$PYTHON" -m ruff --version >/dev/null 2>&1 || "$PYTHON" -m pip install -q "ruff>=0.6"
"$PYTHON" -c "import pylint_odoo" 2>/dev/null || "$PYTHON" -m pip install -q "pylint-odoo>=9"
echo "==> ruff check"
"$PYTHON" -m ruff check .
echo "==> ruff format --check"
"$PYTHON" -m ruff format --check .
"$PYTHON" scripts/gen_readme.py --check
echo "==> pylint-odoo (OCA mandatory checks)"
"$PYTHON" -m pylint --rcfile=.pylintrc-mandatory addons/*
echo "==> lint clean"
