#!/usr/bin/python3
"""Turn the JSON lines written by the peer drivers (one line per measurement
and repetition) into benchmarks/results/peers.json: one figure per
(scenario, system, variant, metric) with median, min, max and every run.

usage: aggregate.py OUT.json MODE LINES.jsonl [...]
"""
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=20).stdout.strip()
    except Exception:  # noqa: BLE001 - informational only
        return ""


def machine():
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem_kb = int(line.split()[1])
    osname = ""
    if os.path.exists("/etc/os-release"):
        with open("/etc/os-release") as f:
            m = re.search(r'^PRETTY_NAME="?([^"\n]*)', f.read(), re.M)
            osname = m.group(1) if m else ""
    return {"cpu_model": cpu, "cores": os.cpu_count(), "memory_gb": round(mem_kb / 1024 / 1024, 1),
            "os": osname, "kernel": platform.release(),
            "loadavg_at_end": os.getloadavg()[0],
            "note": "shared machine: other builds may have run at the same time"}


def versions():
    def dpkg(p):
        return sh(f"dpkg-query -W -f='${{Version}}' {p} 2>/dev/null")

    v = {"python": platform.python_version(),
         "celery": sh("/usr/bin/python3 -c 'import celery;print(celery.__version__)'"),
         "kombu": sh("/usr/bin/python3 -c 'import kombu;print(kombu.__version__)'"),
         "redis_py": sh("/usr/bin/python3 -c 'import redis;print(redis.__version__)'"),
         "redis": (re.search(r"v=(\S+)", sh("redis-server --version")) or [None, ""])[1],
         "postgresql": dpkg("postgresql-15") or dpkg("postgresql"),
         "dotnet": sh("dotnet --version")}
    props = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Directory.Packages.props")
    if os.path.exists(props):
        text = open(props).read()
        for pkg, key in (("Hangfire.Core", "hangfire"), ("Hangfire.InMemory", "hangfire_inmemory"),
                         ("Hangfire.PostgreSql", "hangfire_postgresql"), ("Npgsql", "npgsql")):
            m = re.search(rf'Include="{re.escape(pkg)}" Version="([^"]+)"', text)
            if m:
                v[key] = m.group(1)
    # S11's LangGraph JS peer: node and the packages pinned in langgraph/package.json (package-lock.json holds the rest).
    lg = os.path.join(os.path.dirname(os.path.abspath(__file__)), "langgraph", "package.json")
    if os.path.exists(lg):
        v["node"] = sh("node --version")
        for pkg, ver in json.load(open(lg)).get("dependencies", {}).items():
            if pkg.startswith("@langchain/"):
                v[pkg.replace("@langchain/", "langchain_").replace("-", "_")] = ver
    return v


def main():
    out, mode, inputs = sys.argv[1], sys.argv[2], sys.argv[3:]
    groups, order = {}, []
    for path in inputs:
        if not os.path.exists(path):
            continue
        with open(path) as f:
            for line in f:
                line = line.strip()
                if not line.startswith("{"):
                    continue
                d = json.loads(line)
                key = (d["scenario"], d["system"], d["variant"], d["metric"])
                if key not in groups:
                    groups[key] = {"unit": d["unit"], "values": [], "settings": d.get("settings", {})}
                    order.append(key)
                groups[key]["values"].append(d["value"])
    figures = []
    for key in sorted(order, key=lambda k: (k[0], k[1], k[2], order.index(k))):
        g = groups[key]
        vals = [v for v in g["values"] if v is not None]
        fig = {"scenario": key[0], "system": key[1], "variant": key[2], "metric": key[3], "unit": g["unit"],
               "median": statistics.median(vals) if vals else None,
               "min": min(vals) if vals else None, "max": max(vals) if vals else None,
               "runs": g["values"], "settings": g["settings"]}
        if len(vals) < len(g["values"]):
            fig["note"] = "null runs: the event did not happen within the deadline"
        figures.append(fig)
    doc = {"generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "mode": mode,
           "machine": machine(), "versions": versions(), "figures": figures}
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"wrote {out}: {len(figures)} figures")


if __name__ == "__main__":
    main()
