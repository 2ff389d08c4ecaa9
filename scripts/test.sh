#!/usr/bin/env bash
# README command 2: run every test of the project on a throwaway database.
#   1. install the three addons with demo data and their Odoo tests
#      (at_install and post_install, restricted to the project's addons);
#   2. check the Odoo log: any ERROR, CRITICAL, WARNING or traceback fails;
#   3. run the top-level tests/ with pytest and pytest-odoo (real server, XML-RPC).
# The last line printed is pytest's summary; the exit code is non-zero on any failure.
source "$(dirname "$0")/lib.sh"

check_odoo
"$PYTHON" -c "import pytest_odoo" 2>/dev/null || {
    info "Installing pytest-odoo from PyPI"
    "$PYTHON" -m pip install -q "pytest-odoo>=2.1" || die "could not install pytest-odoo."
}
ensure_postgresql
ensure_wkhtmltopdf
ensure_chromium

# The test module that proves the engines take new features by override alone
# (addons/sales_mgmt_seams_test) is installed on the test database only.
TEST_ADDONS=$ADDONS,sales_mgmt_seams_test
DB=${SALES_MGMT_TEST_DB:-sales_mgmt_test_$(date +%Y%m%d%H%M%S)_$$}
LOG=$LOCAL/log/$DB.odoo.log
export SALES_MGMT_TEST_DB=$DB
export SALES_MGMT_ADDONS_PATH
SALES_MGMT_ADDONS_PATH=$(addons_path)

cleanup() {
    [ "${KEEP_DB:-0}" = 1 ] && return 0
    drop_db "$DB"
    drop_db "${DB}_uninstall"
    drop_db "${DB}_upgrade"
}
trap cleanup EXIT
drop_db "$DB"
drop_db "${DB}_uninstall"

status=0
info "Installing $TEST_ADDONS with demo data and their tests on '$DB' (log: $LOG)"
start=$(date +%s)
tags=/${TEST_ADDONS//,/,/}
# --test-enable starts Odoo's HTTP server (for HttpCase): give it a free port,
# so that a server already on 8069 (say, scripts/run.sh) does not stop the run.
http_port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
odoo_cmd -d "$DB" -i "$TEST_ADDONS" --test-enable --test-tags="$tags" --stop-after-init \
    --http-port="$http_port" --log-level=info --logfile="$LOG" --max-cron-threads=0 || status=$?
info "Install and Odoo tests: $(($(date +%s) - start)) s, exit code $status"
installed=$("$PGBIN/psql" -d "$DB" -qAtc "SELECT count(*) FROM ir_module_module
    WHERE name = ANY(string_to_array('$TEST_ADDONS', ',')) AND state = 'installed'" 2>/dev/null || echo 0)
if [ "$installed" != 4 ]; then
    echo "FAILED: the addons did not install on '$DB'; the end of the Odoo log:" >&2
    tail -n 40 "$LOG" >&2
    exit 1
fi
grep -E "odoo\.tests\.stats|odoo\.tests\.result|tests when loading database|Ran [0-9]+ tests" "$LOG" | tail -n 5 || true

# Log check, as OCA's checklog: errors, warnings and tracebacks fail the run.
# scripts/checklog-ignore lists core messages known to be harmless, one regex a line.
bad=$(grep -nE "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL|WARNING) |^Traceback" "$LOG" |
    grep -vEf "$ROOT/scripts/checklog-ignore" || true)
if [ -n "$bad" ]; then
    echo "FAILED: the Odoo log has errors or warnings:" >&2
    echo "$bad" | head -n 60 >&2
    status=1
fi

# Copies for the uninstall and upgrade tests, made while nothing is connected to $DB.
"$PGBIN/createdb" -T "$DB" "${DB}_uninstall" || status=1
drop_db "${DB}_upgrade"
"$PGBIN/createdb" -T "$DB" "${DB}_upgrade" || status=1

info "Running tests/ with pytest against '$DB'"
"$PYTHON" -m pytest -p no:cacheprovider --odoo-config="$ROOT/odoo.conf" --odoo-database="$DB" \
    --odoo-addons-path="$SALES_MGMT_ADDONS_PATH" --odoo-extra="db_port=$PGPORT" --odoo-log-level=warn \
    tests/ "$@" || status=$?
exit $status
