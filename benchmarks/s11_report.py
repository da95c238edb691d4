"""S11, the agent workload (issue 24's S9): the note under its table in docs/benchmarks.md (report.py's helper).

What each system ran, the floor beside it, the load average, and per size a verdict on each compared figure:
AgentOrleans ahead, behind, or "not decided" when the two differ by less than the noise this machine shows.
"""

SYSTEMS = {
    ("agentorleans", "embedded-memory"): "AgentOrleans (embedded, in-memory)",
    ("agentorleans", "embedded-postgres"): "AgentOrleans (embedded, PostgreSQL)",
    ("agentorleans", "simulator-direct"): "Floor: simulator → .NET clients, no engine",
    ("floor", "simulator-direct-node"): "Floor: simulator → node clients, no engine",
    ("langgraph", "dev-server"): "LangGraph JS dev server (in-memory)",
    ("langgraph", "postgres"): "LangGraph JS + PostgresSaver",
}
# Ratios inside this band are not told apart on 2 shared cores at the load averages seen (the floor's own spread
# between the .NET and the node client, and run-to-run spread, are of this order).
UNDECIDED = 0.15
COMPARED = [("runs_per_second", "runs/s", "higher"), ("runs_failed", "runs failed", "lower"), ("cpu_ms_per_run", "CPU per run", "lower"),
            ("token_delivery_p99", "token delivery p99", "lower"), ("rss_bytes_per_active_run", "memory per active run", "lower"),
            ("storage_writes_per_run", "storage writes per run", "lower"), ("tokens_lost", "tokens lost", "lower"),
            ("reconnect_tokens_lost", "tokens lost on reconnect", "lower")]


def fmt_num(v):
    return "—" if v is None else (f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}")


def verdict(ours, theirs, better):
    if ours is None or theirs is None:
        return "not measured"
    if ours == theirs:
        return f"even ({fmt_num(ours)} each)"
    if max(abs(ours), abs(theirs)) > 0 and abs(ours - theirs) / max(abs(ours), abs(theirs)) < UNDECIDED:
        return f"not decided ({fmt_num(ours)} against {fmt_num(theirs)}, within {UNDECIDED:.0%})"
    ahead = ours > theirs if better == "higher" else ours < theirs
    return f"{'ahead' if ahead else 'behind'} ({fmt_num(ours)} against {fmt_num(theirs)})"


def note(rows, run, cores):
    def med(sysvar, q, metric):
        return ((rows.get((sysvar[0], sysvar[1], q)) or {}).get(metric) or {}).get("median")

    def st(sysvar, q):
        figs = rows.get((sysvar[0], sysvar[1], q)) or {}
        return (figs.get("runs_per_second") or next(iter(figs.values()), {})).get("settings", {})
    quals = sorted({q for (_, _, q) in rows}, key=lambda q: int(q) if q.isdigit() else 0)
    parts = []
    if run:
        parts.append(f"run: `benchmarks/run.sh --agent-only` from {run.get('started_at')} ({run.get('total_s')} s, each system one after the "
                     f"other under the build lock); load average {run.get('agentorleans_loadavg_at_start')} when AgentOrleans started, "
                     f"{run.get('peers_loadavg_at_start')} when LangGraph started, {run.get('loadavg_at_end')} at the end, on {cores} cores "
                     f"(`benchmarks/results/run-info-s11.json`)")
    ours = ("agentorleans", "embedded-memory")
    for q in quals:
        a = st(ours, q)
        if not a:
            continue
        loads = ", ".join(f"{SYSTEMS.get(k, k[0] + ' / ' + k[1])} {st(k, q).get('loadavg_at_start')}" for k in SYSTEMS if st(k, q))
        parts.append(f"N = {q}: {a.get('turns')} turns of {a.get('tokens_per_turn')} tokens at {a.get('token_interval_ms')} ms "
                     f"({a.get('turns', 3) * a.get('tokens_per_turn', 0) * a.get('token_interval_ms', 0) / 1000:g} s of streaming a run at the "
                     f"least, so runs/s is bound near N ÷ that), {a.get('tool_calls_per_run')} tool calls; load average at the start of each: {loads}")
        for peer in (("langgraph", "dev-server"), ("langgraph", "postgres")):
            if not rows.get((peer[0], peer[1], q)):
                continue
            ref = ours if peer[1] == "dev-server" else (("agentorleans", "embedded-postgres") if rows.get(("agentorleans", "embedded-postgres", q)) else ours)
            parts.append(f"N = {q}, {SYSTEMS[ref]} against {SYSTEMS[peer]}: "
                         + "; ".join(f"{label} {verdict(med(ref, q, m), med(peer, q, m), better)}" for m, label, better in COMPARED))
            if peer[1] == "postgres" and (med(peer, q, "runs_failed") or 0) > 0:
                parts.append(f"N = {q}, {SYSTEMS[peer]}: the {fmt_num(med(peer, q, 'runs_failed'))} failed runs are clients whose `fetch` "
                             "failed (undici's 10 s connect timeout) while the one node process served the rest; their tokens count as "
                             "lost, and the server is this harness' node:http one, so read that column as LangGraph JS behind a plain "
                             "node server, not as LangGraph alone")
        f1, f2 = med(("agentorleans", "simulator-direct"), q, "token_delivery_p99"), med(("floor", "simulator-direct-node"), q, "token_delivery_p99")
        if f1 is not None or f2 is not None:
            parts.append(f"N = {q}, the floor: token delivery p99 {fmt_num(f1)} ms straight from the simulator to the .NET clients, "
                         f"{fmt_num(f2)} ms to the node clients; whatever an engine shows below its floor plus its coalescing is this machine's")
    parts.append("AgentOrleans coalesces a run's tokens into one `node.progress` event per 50 ms flush (so p50 carries ~25 ms of "
                 "waiting by design); LangGraph sends one SSE event per token. CPU is the server process(es) only: the Api; the dev "
                 "server's process group; the node server with PostgresSaver (PostgreSQL's own processes are not counted for either "
                 "system). Memory per active run = (peak RSS during the run − RSS before) ÷ N, garbage included. Storage writes: "
                 "AgentOrleans, grain-state writes (the sum of row versions); LangGraph, rows added to `checkpoints`, "
                 "`checkpoint_blobs` and `checkpoint_writes`. Reconnect: the first max(1, N/100) clients (at most 10) drop their "
                 "connection after 1.5 turns of tokens and come back 0.5 s later: AgentOrleans with `Last-Event-ID`, the dev server "
                 "with `joinStream(lastEventId)` (`streamResumable: true`), LangGraph + PostgresSaver re-attaching to the live stream "
                 "(LangGraph JS keeps no stream history to replay)")
    return ("Settings and what the figures show:\n\n" + "\n".join(f"- {p[0].upper()}{p[1:]}." for p in parts)) if parts else ""
