#!/usr/bin/env bash
# Runs a project-local PostgreSQL 15 (Debian's binaries) for Orleans grain state
# and reminders: listens on 127.0.0.1 only, unix socket inside the run dir (not
# /var/run/postgresql), cluster owned by and run as the `postgres` OS user
# (initdb and pg_ctl refuse to run as root).
#
#   scripts/postgres.sh start|stop|restart|status|reset
#
#   start    initdb if needed, start, wait until ready, create role + database if
#            missing, apply deploy/postgres/*.sql where not applied yet, print the
#            Npgsql connection string as the last stdout line.
#   stop     fast shutdown, waits until stopped.
#   restart  stop, then start.
#   status   prints running/stopped (exit 3 when stopped).
#   reset    (starting if needed) drop and recreate the database with the schema.
#
# Env: AO_PG_PORT (5433, so a system PostgreSQL on 5432 is left alone),
#      AO_PG_DB / AO_PG_USER / AO_PG_PASSWORD (all "agentorleans": local-dev
#      defaults, not secrets), AO_RUN_DIR (<repo>/.run), AO_PG_DIR (see below).
#
# Authentication (pg_hba.conf, written by this script):
#   local (unix socket)  peer           only the `postgres` OS user, for admin.
#   host 127.0.0.1/32    scram-sha-256  every role, password required.
# No other addresses are accepted or listened on.
#
# Where the cluster lives: $AO_RUN_DIR/postgres (data/, socket/, postgres.log),
# chowned to postgres. The repo may sit under a root-owned path the postgres
# user cannot traverse (e.g. /root/...), and a unix socket path must stay under
# ~107 bytes; in either case the cluster goes to
# /tmp/agentorleans-run-<uid>/postgres-<hash of run dir> instead (logged), so one
# checkout still maps to one cluster. AO_PG_DIR overrides the choice outright.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pg_bin="${AO_PG_BIN:-/usr/lib/postgresql/15/bin}"
port="${AO_PG_PORT:-5433}"
db="${AO_PG_DB:-agentorleans}"
db_user="${AO_PG_USER:-agentorleans}"
db_password="${AO_PG_PASSWORD:-agentorleans}"
run_dir="${AO_RUN_DIR:-$repo_root/.run}"
schema_dir="$repo_root/deploy/postgres"
timeout_s="${AO_PG_TIMEOUT:-60}"

log() { echo "postgres.sh: $*" >&2; }
die() { log "$*"; exit 1; }

[[ -x "$pg_bin/pg_ctl" ]] || die "PostgreSQL 15 not found in $pg_bin: run scripts/install-services.sh"

# Run a command as the postgres OS user. From / so that tools don't complain
# about a working directory postgres cannot read. fd 9 (our lock, below) is
# closed for the child: the server daemonized by pg_ctl would otherwise inherit
# it and hold the lock for its whole life.
if [[ $EUID -eq 0 ]]; then
    as_pg() { (cd / && runuser -u postgres -- "$@" 9>&-); }
elif [[ "$(id -un)" == postgres ]]; then
    as_pg() { (cd / && "$@" 9>&-); }
else
    die "run as root (the cluster is run as the postgres user) or as postgres"
fi

mkdir -p "$run_dir"

pick_pg_dir() {
    if [[ -n "${AO_PG_DIR:-}" ]]; then
        echo "$AO_PG_DIR"
        return
    fi
    local candidate="$run_dir/postgres"
    local socket_path="$candidate/socket/.s.PGSQL.$port"
    if ((${#socket_path} < 100)) && as_pg test -x "$run_dir" 2>/dev/null; then
        echo "$candidate"
    else
        local hash
        hash="$(printf '%s' "$(cd "$run_dir" && pwd)" | sha256sum | cut -c1-12)"
        echo "/tmp/agentorleans-run-$(id -u)/postgres-$hash"
    fi
}

pg_dir="$(pick_pg_dir)"
data_dir="$pg_dir/data"
socket_dir="$pg_dir/socket"
log_file="$pg_dir/postgres.log"
[[ "$pg_dir" == "$run_dir/postgres" ]] || log "cluster dir: $pg_dir (run dir not reachable by postgres, or path too long)"

conn_string="Host=127.0.0.1;Port=$port;Database=$db;Username=$db_user;Password=$db_password"

# Serialize concurrent invocations (parallel test fixtures): initdb/start/reset
# must not race each other.
exec 9>"$run_dir/postgres-$port.lock"
flock -w "$timeout_s" 9 || die "another postgres.sh holds $run_dir/postgres-$port.lock"

# Admin psql: as the postgres superuser over our own unix socket (peer auth).
admin_psql() {
    as_pg "$pg_bin/psql" -X -q -h "$socket_dir" -p "$port" -U postgres -v ON_ERROR_STOP=1 "$@"
}

# App psql: as the application role over TCP, exactly as the silos connect.
app_psql() {
    PGPASSWORD="$db_password" "$pg_bin/psql" -X -q -h 127.0.0.1 -p "$port" -U "$db_user" -d "$db" \
        -v ON_ERROR_STOP=1 "$@"
}

is_running() { as_pg "$pg_bin/pg_ctl" status -D "$data_dir" >/dev/null 2>&1; }
is_ready() { "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$port" -d postgres; }

init_cluster() {
    [[ -f "$data_dir/PG_VERSION" ]] && return 0
    log "initdb in $data_dir"
    mkdir -p "$pg_dir"
    # Every directory above pg_dir that we created must be traversable by postgres.
    chmod 755 "$pg_dir"
    [[ "$pg_dir" == /tmp/agentorleans-run-* ]] && chmod 755 "$(dirname "$pg_dir")"
    chown postgres:postgres "$pg_dir"
    as_pg mkdir -p "$data_dir" "$socket_dir"
    as_pg "$pg_bin/initdb" -D "$data_dir" -U postgres -E UTF8 --no-locale \
        --auth-local=peer --auth-host=scram-sha-256 >&2
    # Replace the generated pg_hba.conf: no ::1, no replication entries.
    as_pg tee "$data_dir/pg_hba.conf" >/dev/null <<'HBA'
# Written by scripts/postgres.sh — local test server.
# TYPE  DATABASE  USER  ADDRESS        METHOD
local   all       all                  peer
host    all       all   127.0.0.1/32   scram-sha-256
HBA
}

ensure_role_and_db() {
    # \gexec runs the generated statement only when the SELECT returns a row, so
    # creation is idempotent. The password is (re)set every start so the role always
    # matches AO_PG_PASSWORD.
    admin_psql -d postgres -v user="$db_user" -v pw="$db_password" -v db="$db" >&2 <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'user')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'user', :'pw') \gexec
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'db', :'user', 'UTF8')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL
}

apply_schema() {
    # Each script names the table it creates on a "-- marker: <table>" line; it is
    # applied (as the app role, in one transaction) only when that table is absent.
    # The scripts are re-runnable anyway; the marker just keeps start fast.
    local f marker present
    for f in "$schema_dir"/[0-9]*.sql; do
        marker="$(sed -n 's/^-- marker: *\([a-z_]*\).*/\1/p' "$f" | head -n1)"
        [[ -n "$marker" ]] || die "$f has no '-- marker: <table>' line"
        present="$(app_psql -tA -c "SELECT to_regclass('public.$marker') IS NOT NULL")"
        if [[ "$present" == t ]]; then
            continue
        fi
        log "applying $(basename "$f")"
        app_psql -1 -f "$f" >&2
    done
}

wait_ready() {
    local deadline=$((SECONDS + timeout_s))
    until is_ready; do
        ((SECONDS < deadline)) || { log "not ready after ${timeout_s}s; log tail:"; tail -n 30 "$log_file" >&2 || true; exit 1; }
        sleep 0.2
    done
}

start() {
    init_cluster
    if is_running; then
        log "already running (port $port)"
    else
        # Something else (another checkout, a system PostgreSQL) already owns the port.
        is_ready && die "port $port is in use by another server; set AO_PG_PORT"
        log "starting on 127.0.0.1:$port"
        # Port, address and socket dir are passed on every start (not baked into
        # postgresql.conf) so a changed AO_PG_PORT takes effect on the next start.
        as_pg "$pg_bin/pg_ctl" start -D "$data_dir" -l "$log_file" -w -t "$timeout_s" \
            -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$socket_dir'" >&2 \
            || { tail -n 30 "$log_file" >&2 || true; die "pg_ctl start failed"; }
    fi
    wait_ready
    ensure_role_and_db
    apply_schema
    echo "$conn_string"
}

stop() {
    if [[ -f "$data_dir/PG_VERSION" ]] && is_running; then
        as_pg "$pg_bin/pg_ctl" stop -D "$data_dir" -m fast -w -t "$timeout_s" >&2
        log "stopped"
    else
        log "not running"
    fi
}

status() {
    if [[ -f "$data_dir/PG_VERSION" ]] && is_running && is_ready; then
        echo "running 127.0.0.1:$port ($data_dir)"
    else
        echo "stopped"
        return 3
    fi
}

reset() {
    init_cluster
    is_running || start >/dev/null
    wait_ready
    log "dropping database $db"
    # WITH (FORCE) disconnects silos still attached (PostgreSQL 13+).
    admin_psql -d postgres -v db="$db" >&2 <<'SQL'
SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', :'db') \gexec
SQL
    ensure_role_and_db
    apply_schema
    echo "$conn_string"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    restart) stop; start ;;
    status) status ;;
    reset) reset ;;
    *) echo "usage: $0 start|stop|restart|status|reset" >&2; exit 2 ;;
esac
