#!/usr/bin/env bash
# Shared helpers of scripts/run.sh and scripts/test.sh: checks for Odoo 18 and a
# project-local PostgreSQL 15 cluster. Sourced, never run on its own.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

PYTHON=${PYTHON:-python3}
PG_MAJOR=15
PGBIN=/usr/lib/postgresql/$PG_MAJOR/bin
# Port and credentials must match odoo.conf.
export PGHOST=127.0.0.1
export PGPORT=${SALES_MGMT_PGPORT:-55432}
export PGUSER=odoo
export PGPASSWORD=odoo
export PGDATABASE=postgres
# Never wait forever on a port held by something that is not PostgreSQL.
export PGCONNECT_TIMEOUT=5
ADDONS=sales_team_mgmt,osb_credit,sales_kpi
LOCAL=$ROOT/.local
mkdir -p "$LOCAL/log"

die() {
    echo "ERROR: $*" >&2
    exit 1
}

info() {
    echo "==> $*"
}

# Odoo 18 must be importable: the project never installs it.
check_odoo() {
    local version
    version=$("$PYTHON" -c 'import odoo.release as r; print(r.version_info[0])' 2>/dev/null) ||
        die "Odoo is not importable by '$PYTHON'. Install Odoo 18.0 Community first (README, Prerequisites)."
    [ "$version" = 18 ] ||
        die "'$PYTHON' imports Odoo $version, this project needs Odoo 18.0."
}

# Odoo's own addons: a packaged Odoo keeps them inside odoo/addons; a source
# checkout keeps most of them in ../addons beside the odoo package.
addons_path() {
    local extra
    extra=$("$PYTHON" - <<'PY'
import os, odoo
root = os.path.dirname(os.path.abspath(odoo.__file__))
src = os.path.normpath(os.path.join(root, "..", "addons"))
print(src if os.path.isdir(os.path.join(src, "sale")) else "")
PY
)
    echo "$ROOT/addons${extra:+,$extra}"
}

odoo_cmd() {
    "$PYTHON" -m odoo -c "$ROOT/odoo.conf" --addons-path="$(addons_path)" --db_port="$PGPORT" "$@"
}

# The cluster runs as an unprivileged OS user: PostgreSQL refuses root.
pg_owner() {
    if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi
}

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_postgresql() {
    [ -x "$PGBIN/pg_ctl" ] && return 0
    info "PostgreSQL $PG_MAJOR is missing: installing Debian's postgresql-$PG_MAJOR"
    local sudo=
    [ "$(id -u)" = 0 ] || sudo="sudo -n"
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
        "postgresql-$PG_MAJOR" "postgresql-client-$PG_MAJOR"; } >"$LOCAL/log/apt.log" 2>&1 ||
        die "could not install postgresql-$PG_MAJOR (see $LOCAL/log/apt.log)."
    [ -x "$PGBIN/pg_ctl" ] || die "postgresql-$PG_MAJOR installed but $PGBIN/pg_ctl is missing."
}

# Odoo prints every PDF report through wkhtmltopdf; without it, it serves HTML.
# Without a Chinese font, Chinese names and labels print as boxes.
ensure_wkhtmltopdf() {
    local packages=()
    command -v wkhtmltopdf >/dev/null 2>&1 || packages+=(wkhtmltopdf)
    [ -n "$(fc-list :lang=zh 2>/dev/null)" ] || packages+=(fonts-wqy-microhei)
    [ ${#packages[@]} = 0 ] && return 0
    info "Installing Debian's ${packages[*]} (Odoo prints PDF reports with wkhtmltopdf, Chinese text needs a Chinese font)"
    local sudo=
    [ "$(id -u)" = 0 ] || sudo="sudo -n"
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}"; } \
        >"$LOCAL/log/apt-wkhtmltopdf.log" 2>&1 ||
        die "could not install ${packages[*]} (see $LOCAL/log/apt-wkhtmltopdf.log)."
}

# Odoo's browser tests (HttpCase.start_tour: the addons' web tours) drive a
# headless Chromium over its DevTools websocket (Python's websocket-client):
# without websocket-client Odoo skips them with a warning, without a browser
# they cannot start. Odoo starts Chromium with --no-sandbox, so it runs as root too.
ensure_chromium() {
    "$PYTHON" -c "import websocket" 2>/dev/null || {
        info "Installing websocket-client from PyPI (Odoo talks to the test browser through it)"
        "$PYTHON" -m pip install -q websocket-client || die "could not install websocket-client."
    }
    local browser
    for browser in google-chrome chromium chromium-browser google-chrome-stable; do
        command -v "$browser" >/dev/null 2>&1 && return 0
    done
    info "Installing Debian's chromium (Odoo runs the addons' browser tours in headless Chromium)"
    local sudo=
    [ "$(id -u)" = 0 ] || sudo="sudo -n"
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium; } \
        >"$LOCAL/log/apt-chromium.log" 2>&1 ||
        die "could not install chromium (see $LOCAL/log/apt-chromium.log)."
}

pg_dir() {
    # The data folder lives in the project (ignored by git) when the cluster
    # owner can reach it; otherwise in a private folder under /tmp.
    local dir=$LOCAL/pg
    if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$LOCAL" 2>/dev/null; then
        dir=/tmp/sales-mgmt-pg-$(echo "$ROOT" | cksum | cut -d' ' -f1)
    fi
    echo "$dir"
}

pg_answers() {
    "$PGBIN/psql" -qAtc "SELECT 1" >/dev/null 2>&1
}

ensure_postgresql() {
    install_postgresql
    # A project cluster already serving the port (this clone's, or another
    # clone's on the same machine) is reused as it is.
    if pg_answers; then
        info "Using the PostgreSQL cluster that already serves 127.0.0.1:$PGPORT (this clone's or another's: its databases are shared)"
        return 0
    fi
    local dir owner
    dir=$(pg_dir)
    owner=$(pg_owner)
    if [ "$(id -u)" = 0 ]; then chmod o+x "$LOCAL" 2>/dev/null || true; fi
    if [ ! -s "$dir/data/PG_VERSION" ]; then
        info "Creating the project-local PostgreSQL cluster in $dir"
        mkdir -p "$dir"
        [ "$(id -u)" = 0 ] && chown "$owner" "$dir"
        as_owner "$PGBIN/initdb" -D "$dir/data" -U "$owner" --auth-local=peer --auth-host=scram-sha-256 \
            -E UTF8 --locale=C.UTF-8 >"$LOCAL/log/initdb.log" 2>&1 ||
            die "initdb failed (see $LOCAL/log/initdb.log)."
        cat <<CONF | as_owner tee -a "$dir/data/postgresql.conf" >/dev/null
# sales-mgmt project-local cluster
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$dir'
max_connections = 200
shared_buffers = 512MB
synchronous_commit = off
CONF
    fi
    if ! as_owner "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        info "Starting PostgreSQL on 127.0.0.1:$PGPORT"
        as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgresql.log" -o "-p $PGPORT" -w -t 60 start >/dev/null ||
            die "PostgreSQL could not start (see $dir/postgresql.log; is port $PGPORT taken?)."
    fi
    # A non-root, non-superuser role for Odoo (Odoo refuses 'postgres').
    as_owner "$PGBIN/psql" -h "$dir" -p "$PGPORT" -U "$owner" -d postgres -qAtc \
        "SELECT 1 FROM pg_roles WHERE rolname = 'odoo'" | grep -q 1 ||
        as_owner "$PGBIN/psql" -h "$dir" -p "$PGPORT" -U "$owner" -d postgres -qc \
            "CREATE ROLE odoo LOGIN CREATEDB PASSWORD 'odoo'" >/dev/null ||
        die "could not create the database role 'odoo'."
    pg_answers || die "PostgreSQL does not accept the role 'odoo' on $PGHOST:$PGPORT."
}

db_exists() {
    [ "$("$PGBIN/psql" -qAtc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]
}

drop_db() {
    "$PGBIN/dropdb" --if-exists --force "$1" >/dev/null 2>&1 || true
    rm -rf "$LOCAL/odoo-data/filestore/$1"
}
