#!/usr/bin/env bash
# The whole benchmark suite in one command:
#
#   benchmarks/run.sh [--smoke]
#
# 1. builds the Api, the Silo, the load tool and the Orleans floor in Release (the last two by path: they are not in the solution),
# 2. runs the AgentOrleans scenarios (benchmarks/agentorleans, S1-S6) -> benchmarks/results/agentorleans.json,
#    then S8 (kill -9 of a silo mid-drain: two Silo processes + the Api as client, on Redis and PostgreSQL
#    started by scripts/redis.sh and scripts/postgres.sh) -> benchmarks/results/agentorleans-s8.json,
#    then the raw Orleans floor (benchmarks/orleans-floor: one bare silo tuned as the product, a grain-call loop
#    and a memory-stream hop) -> benchmarks/results/orleans-floor.json,
#    then S10 (schedules: fire lateness of N schedules at one period, memory per idle schedule) in a fresh Api ->
#    benchmarks/results/agentorleans-s10.json, and its floor F10 (grain timers, bare .NET timers) -> orleans-floor-f10.json,
# 3. runs the peers (benchmarks/peers/run-peers.sh: Celery, Hangfire) -> benchmarks/results/peers.json, and their
#    S10 (Celery beat, Hangfire recurring jobs) -> benchmarks/results/peers-s10.json,
# 4. runs benchmarks/report.py, which rewrites docs/benchmarks.md and writes benchmarks/results/summary.json.
# --smoke: tiny sizes, one repetition, *-smoke.json results; the report goes to
# benchmarks/results/report-smoke.md and summary-smoke.json (docs/benchmarks.md is left alone).
# --schedules-only: S10, F10 and the peers' S10 alone (~7 min), then the report (the other results are the committed ones).
# --agent-only: S11, the agent workload (issue 24's S9), alone: AgentOrleans (embedded, in memory and on PostgreSQL) and
# the LangGraph JS peer on the LLM simulator, then the report (the other results are the committed ones).
# Every step runs under a timeout in its own process group; the trap kills whatever is left and stops the
# Redis and PostgreSQL servers this script started (servers already running are left running).
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
SMOKE=0
PEERS=1
SCHEDULES_ONLY=0
AGENT_ONLY=0
for a in "$@"; do
  case "$a" in
    --smoke) SMOKE=1 ;;
    --no-peers) PEERS=0 ;;   # reuse the committed peers results
    --schedules-only) SCHEDULES_ONLY=1 ;;
    --agent-only) AGENT_ONLY=1 ;;
    *) echo "usage: benchmarks/run.sh [--smoke] [--no-peers] [--schedules-only] [--agent-only]" >&2; exit 2 ;;
  esac
done

log() { echo "[run $(date -u +%H:%M:%S)] $*" >&2; }
PGIDS=()
STOP_SERVERS=()
cleanup() {
  for g in "${PGIDS[@]}"; do kill -KILL -- "-$g" 2>/dev/null; done
  for srv in "${STOP_SERVERS[@]}"; do timeout 60 bash "$ROOT/scripts/$srv.sh" stop >/dev/null 2>&1 || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Runs "$@" under a timeout in its own process group (killed on exit).
step() {
  local t="$1"; shift
  setsid timeout -k 10 "$t" "$@" &
  local pid=$!
  PGIDS+=("$pid")
  wait "$pid"
}

if [ "$SMOKE" = 1 ]; then SUFFIX="-smoke"; AO_TIMEOUT=240; S8_TIMEOUT=150; FLOOR_TIMEOUT=60; PEERS_TIMEOUT=400; else SUFFIX=""; AO_TIMEOUT=1200; S8_TIMEOUT=1200; FLOOR_TIMEOUT=300; PEERS_TIMEOUT=1500; fi
RESULTS="$ROOT/benchmarks/results"
INFO="$RESULTS/run-info$SUFFIX.json"
mkdir -p "$RESULTS"
T0=$(date +%s)
LOAD0=$(cut -d' ' -f1 /proc/loadavg)
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
FAILED=0

# Builds a project in Release unless its output is newer than every source it depends on
# (saves ~30-60 s of msbuild on a busy 2-core machine when nothing changed).
build() {
  local proj="$1" dll="$2"; shift 2
  if [ -f "$dll" ] && [ -z "$(find "$@" "$ROOT/Directory.Build.props" "$ROOT/Directory.Packages.props" \
        \( -path '*/bin' -o -path '*/obj' \) -prune -o -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.json' -o -name '*.props' \) \
        -newer "$dll" -print -quit 2>/dev/null)" ]; then
    log "up to date: $(basename "$dll")"; return 0
  fi
  log "building $(basename "$proj") (Release)"
  step 900 dotnet build -c Release -v q -nologo "$proj"
}
BUILD_LOG="$(mktemp /tmp/bench-build.XXXXXX)"
if ! { build "$ROOT/Api/Api.csproj" "$ROOT/Api/bin/Release/net10.0/Api.dll" \
         "$ROOT/Api" "$ROOT/Grains" "$ROOT/Grains.Interfaces" "$ROOT/Client" \
       && build "$ROOT/Silo/Silo.csproj" "$ROOT/Silo/bin/Release/net10.0/Silo.dll" \
         "$ROOT/Silo" "$ROOT/Grains" "$ROOT/Grains.Interfaces" \
       && build "$ROOT/tools/LlmSimulator/LlmSimulator.csproj" "$ROOT/tools/LlmSimulator/bin/Release/net10.0/LlmSimulator.dll" \
         "$ROOT/tools/LlmSimulator" \
       && build "$ROOT/benchmarks/gc-probe/GcProbe.csproj" "$ROOT/benchmarks/gc-probe/bin/Release/net10.0/GcProbe.dll" \
         "$ROOT/benchmarks/gc-probe" \
       && build "$ROOT/benchmarks/agentorleans/LoadBench.csproj" "$ROOT/benchmarks/agentorleans/bin/Release/net10.0/LoadBench.dll" \
         "$ROOT/benchmarks/agentorleans" \
       && build "$ROOT/benchmarks/orleans-floor/OrleansFloor.csproj" "$ROOT/benchmarks/orleans-floor/bin/Release/net10.0/OrleansFloor.dll" \
         "$ROOT/benchmarks/orleans-floor" "$ROOT/benchmarks/agentorleans/Stats.cs"; } 2>"$BUILD_LOG.err" >"$BUILD_LOG"; then
  cat "$BUILD_LOG.err" >&2; tail -30 "$BUILD_LOG" >&2; log "build failed"; exit 1
fi
cat "$BUILD_LOG.err" >&2
rm -f "$BUILD_LOG" "$BUILD_LOG.err"
T_BUILD=$(date +%s)

# S10, schedules, once (AgentOrleans in a fresh Api with the GC probe; its floor F10 in a bare silo); smoke: 20 schedules
# every 2 s, 2 fires each (~35 s for both).
if [ "$SMOKE" = 1 ]; then S10_N=20; S10_PERIOD=2; S10_FIRES=2; else S10_N=1000; S10_PERIOD=10; S10_FIRES=7; fi
run_schedules() {
  log "AgentOrleans S10, schedules (load average $(cut -d' ' -f1 /proc/loadavg))"
  step 600 dotnet "$ROOT/benchmarks/agentorleans/bin/Release/net10.0/LoadBench.dll" "${AO_ARGS[@]}" --reps 1 \
    --root "$ROOT" --api-dll "$ROOT/Api/bin/Release/net10.0/Api.dll" --scenarios S10 \
    --s10-n "$S10_N" --s10-period "$S10_PERIOD" --s10-fires "$S10_FIRES" \
    --out "$ROOT/benchmarks/results/agentorleans-s10$SUFFIX.json" || { log "AgentOrleans S10 failed"; FAILED=1; }
  log "raw floor F10, timers (load average $(cut -d' ' -f1 /proc/loadavg))"
  step 300 dotnet "$ROOT/benchmarks/orleans-floor/bin/Release/net10.0/OrleansFloor.dll" "${FLOOR_ARGS[@]}" --scenarios F10 \
    --f10-n "$S10_N" --f10-period "$S10_PERIOD" --f10-fires "$S10_FIRES" \
    --root "$ROOT" --out "$ROOT/benchmarks/results/orleans-floor-f10$SUFFIX.json" || { log "raw floor F10 failed"; FAILED=1; }
}
AO_ARGS=()
[ "$SMOKE" = 1 ] && AO_ARGS+=(--smoke)
FLOOR_ARGS=()
[ "$SMOKE" = 1 ] && FLOOR_ARGS+=(--smoke)

# S11, the agent workload (issue 24's S9), once: N concurrent agent runs (3 turns of 200 tokens at 20 ms, 2 tool calls)
# on the embedded Api and the LLM simulator, with its floor; in memory, then on PostgreSQL (storage writes per run)
# when PG_CONN is set. Smoke: N = 10, 50 tokens a turn.
if [ "$SMOKE" = 1 ]; then S11_ARGS=(--s11-n 10 --s11-tokens 50); else S11_ARGS=(--s11-n "${AO_S11_N:-100,1000}" --s11-tokens 200); fi
run_agent_ao() {
  log "AgentOrleans S11, the agent workload (load average $(cut -d' ' -f1 /proc/loadavg))"
  step 1200 dotnet "$ROOT/benchmarks/agentorleans/bin/Release/net10.0/LoadBench.dll" "${AO_ARGS[@]}" --reps 1 \
    --root "$ROOT" --api-dll "$ROOT/Api/bin/Release/net10.0/Api.dll" --scenarios S11 "${S11_ARGS[@]}" --timeout 300 \
    --out "$ROOT/benchmarks/results/agentorleans-s11$SUFFIX.json" || { log "AgentOrleans S11 failed"; FAILED=1; }
  if [ -n "${PG_CONN:-}" ] && { [ "$SMOKE" = 0 ] || [ "$AGENT_ONLY" = 1 ]; }; then
    log "AgentOrleans S11 on PostgreSQL (load average $(cut -d' ' -f1 /proc/loadavg))"
    AgentOrleans__Cluster__Storage=Postgres AgentOrleans__Cluster__Reminders=Postgres \
    AgentOrleans__Cluster__PostgresConnectionString="$PG_CONN;Maximum Pool Size=40" AO_BENCH_VARIANT=embedded-postgres \
    AO_BENCH_PG="host=127.0.0.1 port=${AO_PG_PORT:-5433} dbname=${AO_PG_DB:-agentorleans} user=${AO_PG_USER:-agentorleans} password=${AO_PG_PASSWORD:-agentorleans}" \
    step 1200 dotnet "$ROOT/benchmarks/agentorleans/bin/Release/net10.0/LoadBench.dll" "${AO_ARGS[@]}" --reps 1 \
      --root "$ROOT" --api-dll "$ROOT/Api/bin/Release/net10.0/Api.dll" --scenarios S11 "${S11_ARGS[@]}" --timeout 300 \
      --out "$ROOT/benchmarks/results/agentorleans-s11-postgres$SUFFIX.json" || { log "AgentOrleans S11 on PostgreSQL failed"; FAILED=1; }
  fi
}

start_servers() {
  bash "$ROOT/scripts/install-services.sh" >/dev/null || { log "installing redis-server/postgresql failed"; exit 1; }
  for srv in redis postgres; do
    bash "$ROOT/scripts/$srv.sh" status >/dev/null 2>&1 || STOP_SERVERS+=("$srv")
  done
  REDIS_CONN="$(timeout 60 bash "$ROOT/scripts/redis.sh" start | tail -n 1)" || { log "could not start Redis"; exit 1; }
  PG_CONN="$(timeout 120 bash "$ROOT/scripts/postgres.sh" start | tail -n 1)" || { log "could not start PostgreSQL"; exit 1; }
}

# One scenario for both systems, then the report from the committed results plus the new ones:
# run_only NAME RUN_FUNCTION PEER_FLAG MODE AO_SECONDS_KEY WHAT
run_only() {
  local name=$1 run=$2 peer_flag=$3 mode=$4 ao_key=$5 what=$6
  local ao_load0 t_ao peers_load0 t_peers
  ao_load0=$(cut -d' ' -f1 /proc/loadavg)
  "$run"
  t_ao=$(date +%s)
  PEER_ARGS=("$peer_flag")
  [ "$SMOKE" = 1 ] && PEER_ARGS+=(--smoke)
  peers_load0=$(cut -d' ' -f1 /proc/loadavg)
  log "peers' $name (load average $peers_load0)"
  step "$PEERS_TIMEOUT" bash "$ROOT/benchmarks/peers/run-peers.sh" "${PEER_ARGS[@]}" || { log "peers' $name failed"; FAILED=1; }
  t_peers=$(date +%s)
  cat > "$RESULTS/run-info-$(echo "$name" | tr 'A-Z' 'a-z')$SUFFIX.json" <<JSON
{"started_at": "$STARTED", "mode": "$([ "$SMOKE" = 1 ] && echo smoke || echo full)-$mode", "cores": $(nproc),
 "loadavg_at_start": $LOAD0, "agentorleans_loadavg_at_start": $ao_load0, "peers_loadavg_at_start": $peers_load0,
 "loadavg_at_end": $(cut -d' ' -f1 /proc/loadavg), "build_s": $((T_BUILD - T0)), "$ao_key": $((t_ao - T_BUILD)),
 "peers_s": $((t_peers - t_ao)), "total_s": $((t_peers - T0))}
JSON
  REPORT_ARGS=()
  [ "$SMOKE" = 1 ] && REPORT_ARGS+=(--smoke)
  step 120 /usr/bin/python3 "$ROOT/benchmarks/report.py" "${REPORT_ARGS[@]}" || { log "report failed"; FAILED=1; }
  log "done in $(( $(date +%s) - T0 )) s (build $((T_BUILD - T0)) s, $what $((t_ao - T_BUILD)) s, peers' $name $((t_peers - t_ao)) s)"
  exit "$FAILED"
}

if [ "$AGENT_ONLY" = 1 ]; then
  start_servers
  run_only S11 run_agent_ao --agent-only agent-only agentorleans_s "AgentOrleans S11"
fi

if [ "$SCHEDULES_ONLY" = 1 ]; then
  run_only S10 run_schedules --schedules-only schedules-only agentorleans_and_floor_s "S10 and F10"
fi

log "AgentOrleans scenarios (load average $(cut -d' ' -f1 /proc/loadavg))"
AO_LOAD0=$(cut -d' ' -f1 /proc/loadavg)
step "$AO_TIMEOUT" dotnet "$ROOT/benchmarks/agentorleans/bin/Release/net10.0/LoadBench.dll" "${AO_ARGS[@]}" \
  --root "$ROOT" --api-dll "$ROOT/Api/bin/Release/net10.0/Api.dll" || { log "AgentOrleans scenarios failed"; FAILED=1; }

# Redis and PostgreSQL for S8 and the PostgreSQL variant, by the repo's own scripts (AO_REDIS_PORT, AO_PG_PORT
# and AO_RUN_DIR pass through to them); stopped at exit unless they were already running.
start_servers

# Start, drain and start-to-completed with grain state and reminders in PostgreSQL (full mode only), at
# offered rates this storage sustains here: the in-memory rates leave a backlog that skews what follows.
# The pool is capped below PostgreSQL's 100 connections (Npgsql's default pool of 100 exhausted them in
# the drain: "remaining connection slots are reserved"), as docs/deployment.md advises for production.
if [ "$SMOKE" = 0 ]; then
  log "AgentOrleans on PostgreSQL (load average $(cut -d' ' -f1 /proc/loadavg))"
  AgentOrleans__Cluster__Storage=Postgres AgentOrleans__Cluster__Reminders=Postgres \
  AgentOrleans__Cluster__PostgresConnectionString="$PG_CONN;Maximum Pool Size=40" AO_BENCH_VARIANT=embedded-postgres \
  AO_BENCH_PG="host=127.0.0.1 port=${AO_PG_PORT:-5433} dbname=${AO_PG_DB:-agentorleans} user=${AO_PG_USER:-agentorleans} password=${AO_PG_PASSWORD:-agentorleans}" \
  step "$AO_TIMEOUT" dotnet "$ROOT/benchmarks/agentorleans/bin/Release/net10.0/LoadBench.dll" \
    --root "$ROOT" --api-dll "$ROOT/Api/bin/Release/net10.0/Api.dll" --scenarios S1,S3,S3c --rates 50,100 --n 1000 \
    --out "$ROOT/benchmarks/results/agentorleans-postgres.json" || { log "AgentOrleans on PostgreSQL failed"; FAILED=1; }
fi
T_AO=$(date +%s)

# S8: kill -9 of one of two Silo processes mid-drain (the Api as their client); smoke: 100 runs, tuned membership only.
log "AgentOrleans S8, distributed (load average $(cut -d' ' -f1 /proc/loadavg))"
step "$S8_TIMEOUT" dotnet "$ROOT/benchmarks/agentorleans/bin/Release/net10.0/LoadBench.dll" "${AO_ARGS[@]}" \
  --root "$ROOT" --api-dll "$ROOT/Api/bin/Release/net10.0/Api.dll" --silo-dll "$ROOT/Silo/bin/Release/net10.0/Silo.dll" \
  --scenarios S8 --redis "$REDIS_CONN" --postgres "$PG_CONN" \
  --out "$ROOT/benchmarks/results/agentorleans-s8$SUFFIX.json" || { log "AgentOrleans S8 failed"; FAILED=1; }
T_S8=$(date +%s)

# The execution index (issue 20): list p99 over 1,000,000 rows, bytes per 3-step run, sweeper deletions/s, each beside
# its raw-SQL floor (smoke: 20,000 rows, 20 runs) -> index.json; on the PostgreSQL started above.
log "execution index (load average $(cut -d' ' -f1 /proc/loadavg))"
if [ "$SMOKE" = 1 ]; then INDEX_ARGS=(--smoke); else INDEX_ARGS=(); fi
AO_POSTGRES="$PG_CONN" step 900 bash "$ROOT/benchmarks/index/run-index.sh" "${INDEX_ARGS[@]}" || { log "execution index failed"; FAILED=1; }

# The raw Orleans floor: one bare in-process silo (memory streams tuned as the product), a grain-call loop and a
# memory-stream hop, 3 repetitions (smoke: 1, short) -> orleans-floor.json; what AgentOrleans' figures sit on.
log "raw Orleans floor (load average $(cut -d' ' -f1 /proc/loadavg))"
step "$FLOOR_TIMEOUT" dotnet "$ROOT/benchmarks/orleans-floor/bin/Release/net10.0/OrleansFloor.dll" "${FLOOR_ARGS[@]}" \
  --root "$ROOT" --out "$ROOT/benchmarks/results/orleans-floor$SUFFIX.json" || { log "raw Orleans floor failed"; FAILED=1; }
# F6, the floor under S6/S6w in a process of its own: K grains that register a reminder and deactivate (smoke: 5,000).
F6_N=100000
[ "$SMOKE" = 1 ] && F6_N=5000
step "$FLOOR_TIMEOUT" dotnet "$ROOT/benchmarks/orleans-floor/bin/Release/net10.0/OrleansFloor.dll" "${FLOOR_ARGS[@]}" \
  --scenarios F6 --f6-n "$F6_N" --root "$ROOT" --out "$ROOT/benchmarks/results/orleans-floor-f6$SUFFIX.json" \
  || { log "raw Orleans floor F6 failed"; FAILED=1; }
T_FLOOR=$(date +%s)
run_schedules
T_S10=$(date +%s)
run_agent_ao
T_S11=$(date +%s)

PEERS_LOAD0=$(cut -d' ' -f1 /proc/loadavg)
if [ "$PEERS" = 1 ]; then
  log "peers (load average $PEERS_LOAD0)"
  PEER_ARGS=()
  [ "$SMOKE" = 1 ] && PEER_ARGS+=(--smoke)
  step "$PEERS_TIMEOUT" bash "$ROOT/benchmarks/peers/run-peers.sh" "${PEER_ARGS[@]}" || { log "peers failed"; FAILED=1; }
else
  log "peers skipped (--no-peers): the report uses the committed peers results"
fi
T_PEERS=$(date +%s)
for srv in "${STOP_SERVERS[@]}"; do timeout 60 bash "$ROOT/scripts/$srv.sh" stop >/dev/null 2>&1 || true; done
STOP_SERVERS=()

cat > "$INFO" <<JSON
{"started_at": "$STARTED", "mode": "$([ "$SMOKE" = 1 ] && echo smoke || echo full)", "cores": $(nproc),
 "loadavg_at_start": $LOAD0, "agentorleans_loadavg_at_start": $AO_LOAD0, "peers_loadavg_at_start": $PEERS_LOAD0,
 "peers_run": $([ "$PEERS" = 1 ] && echo true || echo false),
 "build_s": $((T_BUILD - T0)), "agentorleans_s": $((T_AO - T_BUILD)), "agentorleans_s8_s": $((T_S8 - T_AO)),
 "orleans_floor_s": $((T_FLOOR - T_S8)), "schedules_s": $((T_S10 - T_FLOOR)), "agent_s": $((T_S11 - T_S10)), "peers_s": $((T_PEERS - T_S11)), "total_s": $((T_PEERS - T0))}
JSON

REPORT_ARGS=()
[ "$SMOKE" = 1 ] && REPORT_ARGS+=(--smoke)
step 120 /usr/bin/python3 "$ROOT/benchmarks/report.py" "${REPORT_ARGS[@]}" || { log "report failed"; FAILED=1; }
log "done in $(( $(date +%s) - T0 )) s (build $((T_BUILD - T0)) s, AgentOrleans $((T_AO - T_BUILD)) s, S8 $((T_S8 - T_AO)) s, floor $((T_FLOOR - T_S8)) s, S10 $((T_S10 - T_FLOOR)) s, S11 $((T_S11 - T_S10)) s, peers $((T_PEERS - T_S11)) s)"
exit "$FAILED"
