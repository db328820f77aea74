#!/bin/bash
# LAB ONLY: the official image's entrypoint, as odoo/docker 17.0/entrypoint.sh and 18.0/entrypoint.sh
# run it: database settings missing from ODOO_RC become command-line arguments (visible in `ps`),
# then wait-for-psql.py must reach the database `postgres` within 30 s, or the container exits 1.
set -e

if [ -v PASSWORD_FILE ]; then
    PASSWORD="$(< "$PASSWORD_FILE")"
fi

: "${HOST:=${DB_PORT_5432_TCP_ADDR:=${PGHOST:=db}}}"
: "${PORT:=${DB_PORT_5432_TCP_PORT:=${PGPORT:=5432}}}"
: "${USER:=${DB_ENV_POSTGRES_USER:=${POSTGRES_USER:=${PGUSER:=odoo}}}}"
: "${PASSWORD:=${DB_ENV_POSTGRES_PASSWORD:=${POSTGRES_PASSWORD:=${PGPASSWORD:=odoo}}}}"

DB_ARGS=()
check_config() {
    if ! grep -q -E "^\s*\b$1\b\s*=" "$ODOO_RC"; then
        DB_ARGS+=("--$1" "$2")
    fi
}
check_config db_host "$HOST"
check_config db_port "$PORT"
check_config db_user "$USER"
check_config db_password "$PASSWORD"

case "$1" in
    -- | odoo)
        shift
        if [[ "$1" == "scaffold" ]]; then
            exec odoo "$@"
        fi
        wait-for-psql.py "${DB_ARGS[@]}" --timeout=30
        exec odoo "$@" "${DB_ARGS[@]}"
        ;;
    -*)
        wait-for-psql.py "${DB_ARGS[@]}" --timeout=30
        exec odoo "$@" "${DB_ARGS[@]}"
        ;;
    *)
        exec "$@"
esac
exit 1
