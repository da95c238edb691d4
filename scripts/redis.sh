#!/usr/bin/env bash
# Runs a throw-away Redis for Orleans cluster membership (distributed mode and its
# tests): bound to 127.0.0.1 only, no background persistence (--save "", no AOF),
# data and pidfile under the run dir.
#
#   scripts/redis.sh start|stop|restart|status
#
#   stop     shuts down WITHOUT saving and deletes any snapshot: the next start is
#            empty, so a new cluster never waits on stale silo entries.
#   restart  shuts down WITH a snapshot (SHUTDOWN SAVE works even with --save "")
#            and starts again from it, like a restart of a persistent Redis. This
#            matters: Orleans' Redis membership does not re-register a running
#            silo whose entry vanished (its heartbeats then fail and a new silo
#            forms a second, split cluster), so an empty restart would break a
#            running cluster rather than test its resilience.
#
# Env: AO_REDIS_PORT (default 6380, so a system Redis on 6379 is left alone)
#      AO_RUN_DIR    (default <repo>/.run)
# `start` prints the connection string (127.0.0.1:PORT) as the last stdout line;
# all progress messages go to stderr so callers can do conn=$(scripts/redis.sh start | tail -n1).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port="${AO_REDIS_PORT:-6380}"
run_dir="${AO_RUN_DIR:-$repo_root/.run}"
data_dir="$run_dir/redis"
pid_file="$run_dir/redis-$port.pid"
log_file="$data_dir/redis-$port.log"
dump_file="$data_dir/dump-$port.rdb"
timeout_s="${AO_REDIS_TIMEOUT:-20}"

log() { echo "redis.sh: $*" >&2; }

mkdir -p "$run_dir"
# Serialize concurrent invocations for one port (parallel test fixtures).
exec 9>"$run_dir/redis-$port.lock"
flock -w "$timeout_s" 9 || { log "another redis.sh holds $run_dir/redis-$port.lock"; exit 1; }

ping() { redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; }

pid_alive() { [[ -f "$pid_file" ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null; }

start() {
    command -v redis-server >/dev/null || { log "redis-server not installed: run scripts/install-services.sh"; exit 1; }
    if ping; then
        log "already running on 127.0.0.1:$port"
    else
        mkdir -p "$data_dir"
        # 9>&-: the daemon must not inherit (and hold forever) our lock.
        redis-server --port "$port" --bind 127.0.0.1 --protected-mode yes \
            --daemonize yes --pidfile "$pid_file" --dir "$data_dir" \
            --logfile "$log_file" --dbfilename "$(basename "$dump_file")" \
            --save "" --appendonly no 9>&-
        # Poll with a deadline rather than sleep a fixed time: ready in ~50 ms normally.
        local deadline=$((SECONDS + timeout_s))
        until ping; do
            if ((SECONDS >= deadline)); then
                log "not ready after ${timeout_s}s; log tail:"
                tail -n 20 "$log_file" >&2 || true
                exit 1
            fi
            sleep 0.1
        done
        log "started on 127.0.0.1:$port (pid $(cat "$pid_file" 2>/dev/null || echo '?'))"
    fi
    echo "127.0.0.1:$port"
}

stop() {
    local mode="${1:-nosave}"  # nosave (stop) | save (restart)
    [[ "$mode" == save ]] || rm -f "$dump_file"
    if ping; then
        redis-cli -h 127.0.0.1 -p "$port" shutdown "$mode" >/dev/null 2>&1 || true
    elif pid_alive; then
        # Running but not answering (hung?): fall back to a signal to our own pid.
        kill "$(cat "$pid_file")" 2>/dev/null || true
    else
        log "not running on 127.0.0.1:$port"
        rm -f "$pid_file"
        return 0
    fi
    local deadline=$((SECONDS + timeout_s))
    while ping || pid_alive; do
        if ((SECONDS >= deadline)); then
            if pid_alive; then
                log "still running after ${timeout_s}s; sending SIGKILL"
                kill -9 "$(cat "$pid_file")" 2>/dev/null || true
                sleep 0.2
            fi
            ping && { log "port $port still answers; not ours?"; exit 1; }
            break
        fi
        sleep 0.1
    done
    rm -f "$pid_file"
    [[ "$mode" == save ]] || rm -f "$dump_file"
    if [[ "$mode" == save ]]; then log "stopped (port $port), snapshot kept for the next start"; else log "stopped (port $port)"; fi
}

status() {
    if ping; then
        echo "running 127.0.0.1:$port"
    else
        echo "stopped"
        return 3
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    restart) stop save; start ;;
    status) status ;;
    *) echo "usage: $0 start|stop|restart|status" >&2; exit 2 ;;
esac
