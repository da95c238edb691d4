#!/usr/bin/env bash
# Installs the servers the distributed mode and its tests need: Redis (cluster
# membership) and PostgreSQL 15 (grain state, reminders), and the browser the
# explorer's tests drive (Chromium, headless), from Debian packages.
#
# Idempotent and fast when everything is present: `apt-get update` runs only when
# a package is missing. Services are NOT started here (these machines have no
# systemd); scripts/redis.sh and scripts/postgres.sh run them on 127.0.0.1 with
# project-local data directories.
set -euo pipefail

packages=(redis-server postgresql chromium)

missing=()
for pkg in "${packages[@]}"; do
    # dpkg-query prints "install ok installed" only for a fully installed package.
    if [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)" != "install ok installed" ]]; then
        missing+=("$pkg")
    fi
done

if ((${#missing[@]} == 0)); then
    echo "install-services: already installed: ${packages[*]}"
    exit 0
fi

if [[ $EUID -ne 0 ]]; then
    echo "install-services: need root to install: ${missing[*]}" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "install-services: installing ${missing[*]}" >&2
# Another apt client may hold the dpkg lock (parallel sessions, CI): wait for it.
apt_opts=(-o DPkg::Lock::Timeout=300)
apt-get "${apt_opts[@]}" update -qq
apt-get "${apt_opts[@]}" install -y -qq --no-install-recommends "${missing[@]}" >&2

# PostgreSQL's Debian package may create a default cluster (15/main) under
# /var/lib/postgresql; we don't use it. scripts/postgres.sh runs its own cluster.
echo "install-services: installed ${missing[*]}"
