"""The execution index's section of docs/benchmarks.md, from benchmarks/results/index.json (benchmarks/index)."""
import json
import os


def index_section(results_dir, smoke):
    path = os.path.join(results_dir, "index-smoke.json" if smoke else "index.json")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        r = json.load(f)
    l, s = r["list"], r["runs"]
    goal = "meets" if l["list_p99_ms"] < l["goal_p99_ms"] else "misses"
    return [
        "## Execution index", "",
        f"`benchmarks/index` (issue 20), measured {r['at']} on {r['processors']} cores, PostgreSQL on 127.0.0.1; "
        "each figure beside its floor, in the same run ([listing](listing.md)).", "",
        "| figure | AgentOrleans | floor |", "| --- | --- | --- |",
        f"| list p99, page of 50 filtered by status and workflow, {l['rows']:,} rows ({l['iterations']} pages, half deep by cursor) | "
        f"{l['list_p99_ms']} ms (p50 {l['list_p50_ms']}) — {goal} the {l['goal_p99_ms']} ms goal | same SQL sent raw with Npgsql: p99 {l['raw_sql_p99_ms']} ms (p50 {l['raw_sql_p50_ms']}) |",
        f"| storage per finished 3-step run ({s['runs']} runs, {s['events_per_run']} events each) | grain-state table {s['state_table_bytes_per_run']:.0f} B"
        + (f" (payload {s['state_payload_bytes_per_run']:.0f} B)" if s['state_payload_bytes_per_run'] else "")
        + f" + index table {s['index_table_bytes_per_run']:.0f} B (table growth with its indexes) | its events as JSON: {s['events_json_bytes_per_run']} B |",
        f"| sweeper deletions per second ({s['sweeper_deleted']} runs, batch 500, no pause) | {s['sweeper_deletions_per_s']}/s | "
        f"the same three writes per run sent raw, four at a time: {s['raw_sql_deletions_per_s']}/s |", "",
    ]
