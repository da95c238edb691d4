#!/usr/bin/env bash
# Runs the peer benchmarks (Celery on Redis; Hangfire on InMemory and PostgreSQL)
# and writes benchmarks/results/peers.json (--smoke: peers-smoke.json), then S10
# (Celery beat's periodic tasks, Hangfire's recurring jobs), once, into
# benchmarks/results/peers-s10.json (--smoke: peers-s10-smoke.json).
#
#   benchmarks/peers/run-peers.sh [--smoke] [--reps N] [--out FILE] [--schedules-only] [--agent-only]
#
# --schedules-only: S10 only (peers.json is left alone).
# --agent-only: S11 only, the agent workload on LangGraph JS (langgraph/: `npm ci`, then its dev server and
# PostgresSaver on the LLM simulator) -> benchmarks/results/peers-s11.json (--smoke: peers-s11-smoke.json). S11 also
# runs after S10 otherwise; a failed `npm ci` (a slow registry) skips it with a message and does not fail the run.
# Installs what it needs from Debian (python3-celery python3-redis python3-psutil
# redis-server postgresql) if missing, builds the Hangfire peer in Release, starts
# Redis and PostgreSQL (scripts/redis.sh and scripts/postgres.sh when the repo has
# them, else private throw-away servers under a temp dir), runs every scenario
# --reps times (default 3; smoke 1) and aggregates median/min/max.
# Every step has a timeout; a trap stops everything this script started.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SMOKE=0
REPS=""
OUT=""
SCHEDULES_ONLY=0
AGENT_ONLY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) SMOKE=1 ;;
    --reps) REPS="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    --schedules-only) SCHEDULES_ONLY=1 ;;
    --agent-only) AGENT_ONLY=1 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

if [ "$SMOKE" = 1 ]; then
  REPS="${REPS:-1}"
  OUT="${OUT:-$ROOT/benchmarks/results/peers-smoke.json}"
  CELERY_ARGS=(--rates 500,1000 --duration 1 --s2-seconds 1 --n 200 --s8-n 100 --s8-deadline 5 --timeout 60)
  HF_MEM_ARGS=(--rates 500,1000 --duration 1 --s2-seconds 1 --n 200 --warmup 50 --timeout 60)
  HF_PG_ARGS=(--rates 100 --duration 1 --s2-seconds 1 --n 30 --s8-n 30 --s8-deadline 10 --warmup 5 --timeout 60
              --invisibility-timeout 3 --lock-timeout 4)
  HF_PG_DEFERRED_SCENARIOS=S2
  S10_ARGS=(--s10-n 20 --s10-period 2 --s10-fires 2)
  S10_HF_STORAGES=(inmemory)   # PostgreSQL's S10 only in full runs: smoke adds at most ~1 min to CI
  S11_SIZES=(10); S11_TOKENS=50; S11_WARMUP=10   # 3 turns of 50 tokens: ~3 s a run, so S11 stays well inside a minute
  NPM_TIMEOUT="${NPM_TIMEOUT:-120}"                # CI's smoke has 900 s in all: a slow registry skips S11's peer instead
  STEP_TIMEOUT=150
else
  REPS="${REPS:-3}"
  OUT="${OUT:-$ROOT/benchmarks/results/peers.json}"
  # S1 at the rates AgentOrleans is measured at (500, 1,000, 2,000/s), 4 producers each (see README).
  CELERY_ARGS=(--rates 500,1000,2000 --duration 5 --s2-seconds 5 --n "${PEERS_CELERY_N:-3000}" --s8-n 600 --s8-deadline 20 --timeout 240)
  HF_MEM_ARGS=(--rates 500,1000,2000 --duration 5 --s2-seconds 5 --n "${PEERS_HF_N:-10000}" --timeout 240)
  HF_PG_ARGS=(--rates 500,1000,2000 --duration 5 --s2-seconds 5 --n "${PEERS_HF_PG_N:-200}" --s8-n 150 --s8-deadline 20 --warmup 20 --timeout 240)
  HF_PG_DEFERRED_SCENARIOS=S1,S2
  S10_ARGS=(--s10-n "${PEERS_S10_N:-1000}" --s10-period 10 --s10-fires "${PEERS_S10_FIRES:-7}")
  S10_HF_STORAGES=(inmemory postgres)
  read -r -a S11_SIZES <<< "${PEERS_S11_N:-100 1000}"; S11_TOKENS=200; S11_WARMUP=50
  STEP_TIMEOUT=600
fi

WORK="$(mktemp -d /tmp/peers.XXXXXX)"
PIDFILE="$WORK/pids"   # process groups to kill on exit (drivers and Celery workers)
: > "$PIDFILE"
export PEERS_PIDFILE="$PIDFILE"
STOP_CMDS=()
FAILED=0
log() { echo "[peers $(date -u +%H:%M:%S)] $*" >&2; }

cleanup() {
  local pid
  while read -r pid; do
    [ -n "$pid" ] && kill -KILL -- "-$pid" 2>/dev/null
  done < "$PIDFILE"
  for c in "${STOP_CMDS[@]}"; do
    eval "$c" >/dev/null 2>&1 || true
  done
  [ "${KEEP_WORK:-0}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Runs "$@" in its own process group with a timeout; the group is killed on exit.
run_step() {
  local t="$1"; shift
  setsid timeout -k 10 "$t" "$@" &
  local pid=$!
  echo "$pid" >> "$PIDFILE"
  wait "$pid"
  local rc=$?
  if [ $rc -ne 0 ]; then
    log "step failed (rc=$rc): $*"; FAILED=1
    while read -r pid; do [ -n "$pid" ] && kill -KILL -- "-$pid" 2>/dev/null; done < "$PIDFILE"
  fi
  : > "$PIDFILE"   # everything listed is gone now
  return 0
}

# ---------------------------------------------------------------- install
need=()
/usr/bin/python3 -c 'import celery, redis' 2>/dev/null || need+=(python3-celery python3-redis)
/usr/bin/python3 -c 'import psutil' 2>/dev/null || need+=(python3-psutil)
command -v redis-server >/dev/null || need+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  log "apt-get install ${need[*]}"
  timeout 300 apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq "${need[@]}" >/dev/null || { log "apt-get install failed"; exit 1; }
fi

# ---------------------------------------------------------------- build
if [ "$AGENT_ONLY" = 0 ]; then
  log "building the Hangfire peer (Release)"
  timeout 600 dotnet build -c Release -v q -nologo "$HERE/hangfire/HangfirePeer.csproj" >"$WORK/build.log" 2>&1 \
    || { tail -30 "$WORK/build.log" >&2; log "build failed"; exit 1; }
fi
HF_DLL="$HERE/hangfire/bin/Release/net10.0/HangfirePeer.dll"

# ---------------------------------------------------------------- servers
start_redis() {
  if [ -x "$ROOT/scripts/redis.sh" ] || [ -f "$ROOT/scripts/redis.sh" ]; then
    local before=1 line
    redis-cli -p "${AO_REDIS_PORT:-6380}" ping >/dev/null 2>&1 || before=0
    line="$(timeout 60 bash "$ROOT/scripts/redis.sh" start | tail -n 1)" || return 1
    if [ "$before" = 0 ]; then STOP_CMDS+=("timeout 30 bash '$ROOT/scripts/redis.sh' stop"); fi
    case "$line" in
      redis://*) REDIS_URL="$line" ;;
      *) REDIS_URL="redis://$line" ;;
    esac
    [[ "$REDIS_URL" =~ ^redis://[^/]+$ ]] && REDIS_URL="$REDIS_URL/9"
  else
    local port="${PEERS_REDIS_PORT:-6390}"
    mkdir -p "$WORK/redis"
    redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --dir "$WORK/redis" --save "" \
      --appendonly no --pidfile "$WORK/redis/redis.pid" --logfile "$WORK/redis/log" || return 1
    STOP_CMDS+=("redis-cli -p $port shutdown nosave")
    for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    REDIS_URL="redis://127.0.0.1:$port/9"
  fi
}

start_postgres() {
  if [ -f "$ROOT/scripts/postgres.sh" ]; then
    local before=1
    pg_isready -h 127.0.0.1 -p "${AO_PG_PORT:-5433}" >/dev/null 2>&1 || before=0
    AO_PG_CONNECTION="$(timeout 120 bash "$ROOT/scripts/postgres.sh" start | tail -n 1)" || return 1
    # (an if, not `[ … ] && …`: as the function's last command that would return 1 when the server was already up)
    if [ "$before" = 0 ]; then STOP_CMDS+=("timeout 60 bash '$ROOT/scripts/postgres.sh' stop"); fi
  else
    local port="${PEERS_PG_PORT:-5440}" bin
    bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
    mkdir -p "$WORK/pg" && chown postgres "$WORK/pg" && chmod 755 "$WORK"
    su postgres -c "$bin/initdb -D $WORK/pg/data -A trust -U postgres" >"$WORK/pg-init.log" 2>&1 || return 1
    su postgres -c "$bin/pg_ctl -D $WORK/pg/data -l $WORK/pg/log -o '-p $port -k $WORK/pg -c listen_addresses=127.0.0.1' -w -t 60 start" >/dev/null || return 1
    STOP_CMDS+=("su postgres -c '$bin/pg_ctl -D $WORK/pg/data -m immediate stop'")
    su postgres -c "$bin/psql -h 127.0.0.1 -p $port -U postgres -qc \"create role agentorleans login password 'agentorleans'\" -c 'create database agentorleans owner agentorleans'" >/dev/null || return 1
    AO_PG_CONNECTION="Host=127.0.0.1;Port=$port;Database=agentorleans;Username=agentorleans;Password=agentorleans"
  fi
}

start_redis || { log "could not start Redis"; exit 1; }
start_postgres || { log "could not start PostgreSQL"; exit 1; }
export AO_PG_CONNECTION
log "redis: $REDIS_URL"
log "postgres: $(echo "$AO_PG_CONNECTION" | sed 's/Password=[^;]*/Password=***/')"

# ---------------------------------------------------------------- runs
LINES="$WORK/lines.jsonl"
: > "$LINES"
T0=$(date +%s)
[ "$SCHEDULES_ONLY" = 1 ] || [ "$AGENT_ONLY" = 1 ] && REPS=0
for rep in $(seq "$REPS"); do
  log "repetition $rep/$REPS: celery (redis)"
  run_step "$STEP_TIMEOUT" /usr/bin/python3 "$HERE/celery/bench_celery.py" --redis-url "$REDIS_URL" \
    "${CELERY_ARGS[@]}" --out "$LINES" --log-dir "$WORK" >/dev/null
  log "repetition $rep/$REPS: hangfire (inmemory)"
  run_step "$STEP_TIMEOUT" dotnet "$HF_DLL" bench --storage inmemory --scenarios S1,S2,S3 \
    "${HF_MEM_ARGS[@]}" --out "$LINES" >/dev/null
  log "repetition $rep/$REPS: hangfire (postgres)"
  run_step "$STEP_TIMEOUT" dotnet "$HF_DLL" bench --storage postgres --scenarios S1,S2,S3,S8 \
    "${HF_PG_ARGS[@]}" --out "$LINES" >/dev/null
  log "repetition $rep/$REPS: hangfire (postgres, deferred chain)"
  run_step "$STEP_TIMEOUT" dotnet "$HF_DLL" bench --storage postgres --chain deferred --scenarios "$HF_PG_DEFERRED_SCENARIOS" \
    "${HF_PG_ARGS[@]}" --out "$LINES" >/dev/null
done
log "runs took $(( $(date +%s) - T0 )) s"
MODE="$([ "$SMOKE" = 1 ] && echo smoke || echo full)"
if [ "$SCHEDULES_ONLY" = 0 ] && [ "$AGENT_ONLY" = 0 ]; then
  /usr/bin/python3 "$HERE/aggregate.py" "$OUT" "$MODE" "$LINES" || FAILED=1
  cp "$LINES" "${OUT%.json}.lines.jsonl" 2>/dev/null || true
fi

# S11, the agent workload, once: LangGraph JS (its in-memory dev server; PostgresSaver behind node:http) and the
# node client's floor (the same streams straight from the simulator), on the repo's LLM simulator.
run_agent() {
  local lg="$HERE/langgraph" sim_dll="$ROOT/tools/LlmSimulator/bin/Release/net10.0/LlmSimulator.dll"
  local s11_lines="$WORK/s11.lines.jsonl" s11_out
  s11_out="$(dirname "$OUT")/peers-s11$([ "$SMOKE" = 1 ] && echo -smoke).json"
  command -v node >/dev/null && command -v npm >/dev/null || { log "S11 skipped: node/npm not installed"; return 0; }
  if [ ! -f "$lg/node_modules/.package-lock.json" ] || [ "$lg/package-lock.json" -nt "$lg/node_modules/.package-lock.json" ]; then
    log "S11: npm ci (langgraph)"
    (cd "$lg" && timeout "${NPM_TIMEOUT:-300}" npm ci --no-audit --no-fund >"$WORK/npm.log" 2>&1) \
      || { tail -5 "$WORK/npm.log" >&2; log "S11 skipped: npm ci failed or took more than ${NPM_TIMEOUT:-300} s (the registry may be slow)"; return 0; }
  fi
  if [ ! -f "$sim_dll" ]; then
    timeout 600 dotnet build -c Release -v q -nologo "$ROOT/tools/LlmSimulator/LlmSimulator.csproj" >"$WORK/sim-build.log" 2>&1 \
      || { tail -30 "$WORK/sim-build.log" >&2; log "S11: simulator build failed"; FAILED=1; return 0; }
  fi
  local port sim_pid pg_url
  port="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  setsid dotnet "$sim_dll" --urls "http://127.0.0.1:$port" --Logging:LogLevel:Default=Warning >"$WORK/simulator.log" 2>&1 &
  sim_pid=$!
  echo "$sim_pid" >> "$PIDFILE"
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/v1/models" >/dev/null && break; sleep 0.1; done
  # The Npgsql connection string of scripts/postgres.sh as the libpq URL node-postgres takes.
  pg_url="$(/usr/bin/python3 -c 'import sys, urllib.parse as u; d = dict(kv.split("=", 1) for kv in sys.argv[1].split(";") if kv)
print("postgres://%s:%s@%s:%s/%s" % (u.quote(d["Username"]), u.quote(d["Password"]), d["Host"], d["Port"], d["Database"]))' "$AO_PG_CONNECTION")"
  : > "$s11_lines"
  for variant in simulator-direct-node dev-server postgres; do
    for n in "${S11_SIZES[@]}"; do
      log "S11: $variant N=$n (load average $(cut -d' ' -f1 /proc/loadavg))"
      # Not run_step: its failure kills every group in the pid file, the simulator too.
      setsid timeout -k 10 "$STEP_TIMEOUT" node "$lg/bench.mjs" --variant "$variant" --n "$n" --tokens "$S11_TOKENS" --token-ms 20 \
        --warmup "$S11_WARMUP" --simulator "http://127.0.0.1:$port" --simulator-pid "$sim_pid" --pg "$pg_url" \
        --out "$s11_lines" --log-dir "$WORK" --timeout "$((STEP_TIMEOUT - 30))" >/dev/null || { log "S11: $variant N=$n failed"; FAILED=1; }
    done
  done
  kill -KILL -- "-$sim_pid" 2>/dev/null
  /usr/bin/python3 "$HERE/aggregate.py" "$s11_out" "$MODE" "$s11_lines" || FAILED=1
  cp "$s11_lines" "${s11_out%.json}.lines.jsonl" 2>/dev/null || true
}

if [ "$AGENT_ONLY" = 0 ]; then
  # S10, once: N periodic tasks / recurring jobs at one period, their fire lateness and memory per schedule.
  S10_LINES="$WORK/s10.lines.jsonl"
  : > "$S10_LINES"
  S10_OUT="$(dirname "$OUT")/peers-s10$([ "$SMOKE" = 1 ] && echo -smoke).json"
  log "S10: celery beat (redis)"
  run_step "$STEP_TIMEOUT" /usr/bin/python3 "$HERE/celery/bench_celery.py" --redis-url "$REDIS_URL" --scenarios S10 \
    "${S10_ARGS[@]}" --out "$S10_LINES" --log-dir "$WORK" >/dev/null
  for storage in "${S10_HF_STORAGES[@]}"; do
    log "S10: hangfire recurring jobs ($storage)"
    run_step "$STEP_TIMEOUT" dotnet "$HF_DLL" bench --storage "$storage" --scenarios S10 "${S10_ARGS[@]}" --out "$S10_LINES" >/dev/null
  done
  /usr/bin/python3 "$HERE/aggregate.py" "$S10_OUT" "$MODE" "$S10_LINES" || FAILED=1
  cp "$S10_LINES" "${S10_OUT%.json}.lines.jsonl" 2>/dev/null || true
fi
[ "$SCHEDULES_ONLY" = 1 ] || run_agent
[ "$FAILED" = 0 ] || { log "some steps failed (see above)"; exit 1; }
log "done: $OUT"
