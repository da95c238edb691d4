#!/usr/bin/env bash
# The execution index's figures (issue 20): builds benchmarks/index and runs it against PostgreSQL (AO_POSTGRES, or
# scripts/postgres.sh started here and stopped after).
#
#   benchmarks/index/run-index.sh [--smoke]    -> benchmarks/results/index.json (index-smoke.json with --smoke)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SUFFIX=""
SMOKE=()
if [[ "${1:-}" == "--smoke" ]]; then SUFFIX="-smoke"; SMOKE=(--smoke); fi
STARTED=0
if [[ -z "${AO_POSTGRES:-}" ]]; then
  AO_POSTGRES="$(bash "$ROOT/scripts/postgres.sh" start | tail -1)"
  STARTED=1
fi
trap '[[ $STARTED == 1 ]] && bash "$ROOT/scripts/postgres.sh" stop >/dev/null 2>&1 || true' EXIT
dotnet build "$HERE/IndexBench.csproj" -c Release 2>&1 | grep -E "error|Elapsed" >&2 || true
cd "$ROOT"
timeout -k 10 900 dotnet "$HERE/bin/Release/net10.0/IndexBench.dll" --postgres "$AO_POSTGRES" "${SMOKE[@]}" --out "$ROOT/benchmarks/results/index$SUFFIX.json"
