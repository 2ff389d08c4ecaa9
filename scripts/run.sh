#!/usr/bin/env bash
# README command 1: run the product with demo data on http://127.0.0.1:8069.
# Creates the database 'sales_mgmt' (demo data, the three addons) on first use,
# upgrades the addons on later runs. Extra arguments go to Odoo.
source "$(dirname "$0")/lib.sh"

check_odoo
ensure_postgresql
ensure_wkhtmltopdf
DB=${SALES_MGMT_DB:-sales_mgmt}
if db_exists "$DB"; then
    info "Database '$DB' exists on this cluster (perhaps made by another clone): upgrading its addons; SALES_MGMT_DB=<name> ./scripts/run.sh uses another"
    mode=(-u "$ADDONS")
else
    info "Creating database '$DB' with demo data and the addons (first run: a few minutes)"
    mode=(-i "$ADDONS")
fi
info "Serving http://127.0.0.1:8069 (demo login: admin / admin). Stop with Ctrl+C."
exec "$PYTHON" -m odoo -c "$ROOT/odoo.conf" --addons-path="$(addons_path)" --db_port="$PGPORT" -d "$DB" "${mode[@]}" "$@"
