#!/usr/bin/env bash
# Runs every test. Installs and starts what the tests need first (Redis and PostgreSQL for the
# distributed tests, from Debian packages, on 127.0.0.1 only; Chromium for the explorer's tests), and stops them afterwards.
set -euo pipefail
cd "$(dirname "$0")"
# The explorer's tests drive Debian's chromium; Playwright must not fetch a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

if [ -x scripts/install-services.sh ]; then
  scripts/install-services.sh
  export AO_REDIS="$(scripts/redis.sh start | tail -n 1)"
  export AO_POSTGRES="$(scripts/postgres.sh start | tail -n 1)"
  trap 'scripts/redis.sh stop >/dev/null 2>&1 || true; scripts/postgres.sh stop >/dev/null 2>&1 || true' EXIT
fi

# docker-compose.yml is checked with Debian's docker-compose (no engine needed to validate it).
if ! command -v docker-compose >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null 2>&1 ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null; }
fi
docker-compose -f docker-compose.yml config -q
echo "docker-compose.yml: valid"

# The failover figures (Category=Figures, minutes of kill -9 runs) are a benchmark, run on demand:
#   dotnet test AgentOrleans.sln -c Release --filter Category=Figures
dotnet test AgentOrleans.sln --configuration Release --filter "Category!=Figures" "$@"
