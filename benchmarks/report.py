#!/usr/bin/python3
"""Builds the benchmark report from benchmarks/results/*.json (Python 3 standard library only).

    /usr/bin/python3 benchmarks/report.py [--smoke]

Full mode reads agentorleans*.json, peers.json, orleans-floor.json and run-info.json, REWRITES docs/benchmarks.md and
writes benchmarks/results/summary.json. --smoke reads the *-smoke.json files and writes
benchmarks/results/report-smoke.md and summary-smoke.json instead (docs are left alone).
The compilation micro-benchmarks (cold compile, cache hit) live in docs/benchmarks-compilation.md; if the current
docs/benchmarks.md still holds a "## Compilation" section, it is moved there first.
"""
import index_report
import s11_report
import json
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RESULTS = os.path.join(HERE, "results")
DOC = os.path.join(ROOT, "docs", "benchmarks.md")
COMPILATION_DOC = os.path.join(ROOT, "docs", "benchmarks-compilation.md")
AO = ("agentorleans", "embedded-memory")
AO_S8 = ("agentorleans", "distributed-redis-postgres")
# The AgentOrleans row each scenario's ratios are taken against: the embedded default, except S8 (a crash
# needs a second silo), measured in the distributed mode with the tuned failure detection — the peers' S8 is
# tuned for the crash too (5 s visibility / invisibility timeouts instead of 1 h / 30 min).
REFERENCE = {"S8": AO_S8}


def reference(sid):
    return REFERENCE.get(sid, AO)


SYSTEM_NAMES = {
    ("agentorleans", "embedded-memory"): "AgentOrleans (embedded, in-memory)",
    ("agentorleans", "embedded-postgres"): "AgentOrleans (embedded, PostgreSQL)",
    ("agentorleans", "distributed-redis-postgres"): "AgentOrleans (2 silos + Api, Redis / PostgreSQL, tuned membership)",
    ("agentorleans", "distributed-redis-postgres-default-membership"): "AgentOrleans (2 silos + Api, Redis / PostgreSQL, default membership)",
    ("celery", "redis"): "Celery / Redis",
    ("hangfire", "inmemory"): "Hangfire / InMemory",
    ("hangfire", "postgres"): "Hangfire / PostgreSQL",
    ("hangfire", "postgres-deferred"): "Hangfire / PostgreSQL, deferred chain",
    ("agentorleans", "embedded-postgres-after-reminder-refresh"): "AgentOrleans (embedded, PostgreSQL), read 40 s later, after the reminder refresh",
    ("agentorleans", "embedded-memory-after-reminder-refresh"): "AgentOrleans (embedded, in-memory), read 40 s later, after the reminder refresh",
    ("orleans", "raw-floor-with_reminder"): "Raw Orleans floor: deactivated grain with a reminder (F6)",
    ("orleans", "raw-floor-plain"): "Raw Orleans floor: deactivated grain, no reminder (F6)",
    ("orleans", "raw-floor-grain-timer"): "Floor: Orleans grain timers, no work per fire (F10)",
    ("orleans", "raw-floor-dotnet-timer"): "Floor: bare .NET timers, `Task.Delay` (F10)",
    ("langgraph", "dev-server"): "LangGraph JS dev server (in-memory; langgraph-cli / langgraph-api 2.0.0)",
    ("langgraph", "postgres"): "LangGraph JS 1.7.3 + PostgresSaver (checkpoint-postgres 1.0.5), node:http",
    ("agentorleans", "simulator-direct"): "Floor: simulator → .NET raw clients, no engine",
    ("floor", "simulator-direct-node"): "Floor: simulator → node clients, no engine",
}
# Names that say more in one scenario's table.
SCENARIO_SYSTEM_NAMES = {
    "S10": {("celery", "redis"): "Celery beat + 1 worker / Redis", ("hangfire", "inmemory"): "Hangfire recurring jobs / InMemory",
            ("hangfire", "postgres"): "Hangfire recurring jobs / PostgreSQL"},
}
ORDER = list(SYSTEM_NAMES)

# Per scenario: title, what it measures, the columns (metric base name, label, better direction).
SCENARIOS = [
    ("S1", "Start latency at a fixed offered rate (open loop)",
     "Requests due on a fixed schedule; latency from the intended send time to the answer, so "
     "queueing is charged (no coordinated omission). Start = AgentOrleans `POST /v1/executions`; "
     "Celery `chain.apply_async()`; Hangfire `Enqueue` + 2 × `ContinueJobWith`. AgentOrleans' load tool "
     "runs its thread pool without spinning for work (since 2026-11-23): on 2 shared cores its spinning took "
     "~0.4 of a core from the Api; its own wake-ups now count in the latency (S1 p50 +0.25 ms, HTTP floor p99 +~1 ms "
     "in an A/B on this machine). Each AgentOrleans repetition starts a fresh Api and warms it up with 2,000 runs "
     "and 45 s of steady starts (15 s until 2026-11-23, when its JIT was still compiling ~1,000 methods in S1's first 20 s).",
     [("start_latency_p50", "p50 (ms)", "lower"), ("start_latency_p99", "p99 (ms)", "lower"),
      ("start_latency_p99.9", "p99.9 (ms)", "lower")]),
    ("S1f", "HTTP floor under S1: the same open loop against `GET /healthz`",
     "AgentOrleans only, same Api process and rates as S1, measured just before each S1 rate: the endpoint answers "
     "without Orleans, storage or a run, so this is Kestrel, the load tool and this machine. S1 above it is "
     "AgentOrleans' own cost.",
     [("healthz_latency_p50", "p50 (ms)", "lower"), ("healthz_latency_p99", "p99 (ms)", "lower"),
      ("healthz_latency_p99.9", "p99.9 (ms)", "lower")]),
    ("S2", "Highest sustained start rate (closed loop)",
     "Senders start runs back to back for a fixed time; successful starts per second. The peers' "
     "figure is one synchronous producer thread; AgentOrleans is given for 1 sender (comparable) "
     "and 32 concurrent senders.",
     [("max_start_rate_1_sender", "1 sender (starts/s)", "higher"),
      ("max_start_rate", "32 senders (starts/s)", "higher")]),
    ("S3", "Drain of three-step runs",
     "N runs of 3 no-op steps; runs/s until the last is done, and CPU per run. Peers: backlog "
     "enqueued first, then the consumer switched on; CPU = consumer + broker/store processes. "
     "AgentOrleans: no separate consumer to hold back, so the clock runs from the first start to the "
     "latest `completedAt`; CPU = the whole Api process (HTTP start + 3 steps + events + "
     "one status read per run; also given without the status read).",
     [("runs_per_second", "runs/s", "higher"), ("total_cpu_ms_per_run", "CPU per run, all processes (ms)", "lower"),
      ("api_cpu_ms_per_run_excl_status_read", "Api CPU per run excl. status read (ms)", "lower"),
      ("worker_cpu_ms_per_run", "consumer CPU per run (ms)", "lower"),
      ("broker_cpu_ms_per_run", "broker/store CPU per run (ms)", "lower"),
      ("storage_writes_per_run", "storage writes per run", "lower")]),
    ("S3b", "Status reads while a step is running",
     "Executions parked in a 1 h `delay` node; one reader issues sequential "
     "`GET /v1/executions/{id}`. Target: p99 < 5 ms. The peers have no equivalent call measured.",
     [("status_latency_p50", "p50 (ms)", "lower"), ("status_latency_p99", "p99 (ms)", "lower")]),
    ("S3c", "Start to completed, one run at a time",
     "Three-step no-op runs one after another (nothing queues): POST, then one `GET ?wait=10s` that "
     "returns when the run ends; client-side time from sending the POST. No peer equivalent measured.",
     [("start_to_completed_p50", "p50 (ms)", "lower"), ("start_to_completed_p99", "p99 (ms)", "lower")]),
    ("S4", "Event delivery latency (SSE)",
     "Workflows of 50 short `delay` steps, one SSE client each; client receive time − event `at` "
     "(same machine clock). No peer equivalent (neither peer streams run events).",
     [("delivery_latency_p50", "p50 (ms)", "lower"), ("delivery_latency_p99", "p99 (ms)", "lower"),
      ("delivery_latency_max", "max (ms)", "lower")]),
    ("S5", "SSE fan-out: time until the last client has an event",
     "One execution, K SSE clients; per event the latest client's receive time − event `at`, after one unmeasured round "
     "with the same K. The clients run in one process on the same 2 cores as the Api, each a raw socket with its own "
     "chunked/SSE decoder (an `HttpClient` and `StreamReader` per client took as much CPU as the Api); *server write* is the Api's own record of when it wrote each `node.completed` "
     "event to each connection (its delivery-lag histogram, interpolated in its buckets), which leaves the clients' receiving "
     "and parsing out.",
     [("last_client_latency_p50", "p50 (ms)", "lower"), ("last_client_latency_p99", "p99 (ms)", "lower"),
      ("server_write_lag_p50", "server write p50 (ms)", "lower"), ("server_write_lag_p99", "server write p99 (ms)", "lower")]),
    ("S6", "Memory per idle execution",
     "K executions parked in a 1 h `delay` node in a fresh, warmed-up Api; (VmRSS after − before) / K. A delay longer "
     "than `ParkAfter` sleeps out of memory. With the GC probe (`benchmarks/gc-probe`, a startup hook in the Api) the "
     "baseline is read after a full compacting collection, and two more figures after another one: VmRSS, and the GC's own "
     "count of live managed bytes. *Raw* includes garbage not yet collected and heap headroom; *after GC* is what the "
     "executions really hold. The embedded default keeps grain state (with each execution's event log) and reminders in "
     "the process: that is storage. The raw Orleans floor rows (F6, `benchmarks/orleans-floor`) are a bare silo's grain "
     "that registers a reminder (in-memory reminder service, as the embedded default) and deactivates, K of them, measured "
     "the same way in its own process; their ratio is floor ÷ AgentOrleans. The in-memory K = 10,000 row is the last full run's (measured before runs parked, without the probe); rows marked *earlier session* are the figures this table showed before the probe. What holds the memory: "
     "[decisions](decisions.md#what-a-parked-execution-keeps-in-memory).",
     [("rss_bytes_per_idle_execution", "raw (bytes)", "lower"), ("rss_bytes_per_idle_execution_after_gc", "after GC (bytes)", "lower"),
      ("gc_heap_bytes_per_idle_execution", "live managed (bytes)", "lower")]),
    ("S6w", "Memory per waiting execution",
     "K executions waiting on a `wait` node for a signal that never comes, in a fresh, warmed-up Api with `ParkAfter` 2 s; "
     "(VmRSS after − before) / K, read once they have left memory; the GC probe's figures and the floor as in S6.",
     [("rss_bytes_per_waiting_execution", "raw (bytes)", "lower"), ("rss_bytes_per_waiting_execution_after_gc", "after GC (bytes)", "lower"),
      ("gc_heap_bytes_per_waiting_execution", "live managed (bytes)", "lower")]),
    ("S7", "Signal to the next node's start",
     "N executions waiting on a `wait` node, signalled one at a time over HTTP; latency from just before the POST to the "
     "next node's `node.started` (its `at`, the Api's clock on the same machine). *In memory*: signalled as soon as all "
     "wait; *parked*: after they have left memory (`ParkAfter` 5 s in this Api), so each signal first activates the "
     "execution from storage.",
     [("signal_to_next_node_p50_in_memory", "in memory p50 (ms)", "lower"), ("signal_to_next_node_p99_in_memory", "in memory p99 (ms)", "lower"),
      ("signal_to_next_node_p50_parked", "parked p50 (ms)", "lower"), ("signal_to_next_node_p99_parked", "parked p99 (ms)", "lower")]),
    ("W1", "Webhook delivery lag at 500 events/s",
     "One webhook subscribed to every event of three-step no-op runs (9 events each), runs started open loop at 500/9 per "
     "second, the receiver (Kestrel on 127.0.0.1 in the load tool) recording each webhook-id's first arrival; lag = receive "
     "time - the event's `at` (same machine clock): the checkpoint, the hand-over from the execution's outbox to the "
     "webhook's grain (a storage write), then the signed POST. Floor: a bare POST from the load tool to the same receiver "
     "at the same rate, send to answer. No peer equivalent measured (`benchmarks/run.sh` does not run it: "
     "`LoadBench --scenarios W1`, see benchmarks/README.md).",
     [("webhook_lag_p50", "lag p50 (ms)", "lower"), ("webhook_lag_p99", "lag p99 (ms)", "lower"),
      ("post_floor_p50", "bare POST p50 (ms)", "lower"), ("post_floor_p99", "bare POST p99 (ms)", "lower")]),
    ("S8", "Crash (kill -9) mid-drain",
     "A backlog of runs of 3 steps, each step counting its own executions; SIGKILL once half the runs are done. "
     "Peers: one consumer, killed and restarted at once (Celery: `acks_late`, visibility timeout 5 s; Hangfire / "
     "PostgreSQL: a separate worker process, invisibility timeout 5 s). AgentOrleans: two Silo processes "
     "(Redis membership, PostgreSQL state and reminders) and the Api as their client; one silo is killed and not "
     "restarted, the survivor takes over; its runs are held at a first node until every start is accepted, each "
     "of the 3 steps is an `http` POST the load tool counts, one client per run long-polls its status. "
     "**Runs lost**: not done within the deadline after the kill (20 s; smoke 15 s AgentOrleans, 5–10 s peers). "
     "**Steps run twice**: (run, step) pairs executed more than once. **Kill → first progress**: peers, the first "
     "step run by the restarted consumer; AgentOrleans, the first `node.started {\"resumed\": true}` of a run the "
     "killed silo hosted. **Kill → all done**: until the last run completed (none within bound: some run was lost). "
     "AgentOrleans has no worker slots: every run of the dead silo is in flight at once (the peers have 2 or 10 steps in "
     "flight), and each whose current step had run but was not yet checkpointed re-runs it (at-least-once, same "
     "idempotency key) — so more steps can run twice. "
     "Ratios are to AgentOrleans with tuned failure detection (probe 1 s × 2 missed, 1 vote).",
     [("runs_lost", "runs lost", "lower"), ("steps_run_twice", "steps run twice", "lower"),
      ("time_to_first_progress", "kill → first progress (s)", "lower"),
      ("time_to_all_runs_done", "kill → all done (s)", "lower")]),
    ("S10", "Schedules: fire lateness and memory per idle schedule",
     "N schedules with the same period, every fire on the same moments (all N due at once, as N Hangfire jobs on one "
     "seconds cron and N Celery beat entries loaded together are), a few periods measured, once; each fire starts one "
     "no-op run. **Lateness** = when the fire's run started − its nominal time, nearest-rank over every fire. "
     "AgentOrleans (embedded default, fresh Api): `PUT /v1/schedules/{id}` with `every` and a whole-period `startAt`; the "
     "run's start is its execution's `createdAt` (the execution grain accepted the start and recorded "
     "`execution.queued`), the nominal time the fire's `at` (also in the id `sched:{id}:{at}`). Celery: `beat_schedule` "
     "entries with a `timedelta` period, one `celery beat` (its default `PersistentScheduler`, subclassed only to hand "
     "each fire its nominal time — the entry's last run + period, when beat holds it due — and beat's send time) and one "
     "prefork worker (concurrency 2) on Redis; start = `time.time()` in the task. Hangfire: `RecurringJob.AddOrUpdate` "
     "with `*/P * * * * *` (6 fields, seconds) and a `BackgroundJobServer` in the same process (10 workers), on the "
     "harness' storages; start = `DateTime.UtcNow` in the job, nominal = the cron time at or before the job's `CreatedAt`. "
     "**Changed from the default**: Hangfire's `SchedulePollingInterval` 15 s → 1 s, since the recurring job scheduler only "
     "looks for due jobs that often (at 15 s a 10 s cron fires up to 15 s late and skips occurrences; sub-minute crons "
     "need it lowered, and 1 s is the finest it takes). The like-for-like row for AgentOrleans' embedded default (state and "
     "reminders in memory) is Hangfire / InMemory; Hangfire / PostgreSQL commits every fire to a durable database (the repo's "
     "`scripts/postgres.sh` server, fsync on), as AgentOrleans' distributed mode would (not measured here). **Missing**: fires expected (N × fires measured) without a run. "
     "**Memory per idle schedule**: N schedules that do not fire while measured (AgentOrleans `every: 1h`: armed timer, "
     "recovery reminder, activation and state; Hangfire a yearly cron in the InMemory storage, in the process) against none, "
     "in the same process after a warm-up: VmRSS, then VmRSS and the GC's live heap after a full compacting collection "
     "(AgentOrleans through the GC probe). Celery: VmRSS of a beat with N entries (at the end of the run) − a beat with none; "
     "Python has no compacting collection to read after. With PostgreSQL Hangfire keeps recurring jobs in the database, "
     "so its process figure is not what a job costs. **Floor** rows (F10, `benchmarks/orleans-floor`): the same N and "
     "fire times in a bare silo, one-shot grain timers re-armed on each tick as the schedule grain does, beside N bare "
     "`Task.Delay`s to each fire time half a period later, with no work per fire: what this machine and Orleans allow.",
     [("fire_lateness_p50", "lateness p50 (ms)", "lower"), ("fire_lateness_p99", "lateness p99 (ms)", "lower"),
      ("fire_lateness_max", "lateness max (ms)", "lower"), ("fires_missing", "fires missing", "lower"),
      ("rss_bytes_per_idle_schedule", "memory, raw (bytes)", "lower"),
      ("rss_bytes_per_idle_schedule_after_gc", "memory after GC (bytes)", "lower"),
      ("gc_heap_bytes_per_idle_schedule", "live managed (bytes)", "lower")]),
]


S11 = ("S11", "The agent workload (issue 24's S9): N concurrent agent runs, one SSE client each",
       "Each run: an `agent` of 3 model turns on the LLM simulator (`sim-stream-200-20ms`: 200 streamed tokens a turn, one "
       "every 20 ms, each stamped with its emit time), the first two calling one tool each — `lookup` (a step) and `research` "
       "(a child workflow) — started together, each read by one SSE client from its start. **Token delivery** = client receive "
       "time − the simulator's emit time (one clock). AgentOrleans coalesces tokens per 50 ms progress flush. The peer is LangGraph "
       "JS running the same graph (`@langchain/openai` on the same simulator, `research` a child graph), as its users run it: its "
       "in-memory dev server read with the SDK's `runs.stream`, and LangGraph JS on PostgresSaver behind a plain node:http SSE "
       "server. **Floor** rows: the same N × 3 streams read straight from the simulator, no engine between (what this machine "
       "and the simulator allow). **lost / dup.**: tokens a client never got / got twice, over all runs; **on reconnect**: the same "
       "over the clients that dropped mid-run and came back. ×r is to AgentOrleans in memory.",
       [("runs_per_second", "runs/s", "higher"), ("tokens_per_second", "tokens/s", "higher"),
        ("token_delivery_p50", "token p50 (ms)", "lower"), ("token_delivery_p99", "token p99 (ms)", "lower"),
        ("cpu_ms_per_1000_tokens", "CPU / 1,000 tokens (ms)", "lower"), ("cpu_ms_per_run", "CPU / run (ms)", "lower"),
        ("rss_bytes_per_active_run", "memory / active run (bytes)", "lower"), ("storage_writes_per_run", "storage writes / run", "lower"),
        ("runs_failed", "runs failed", "lower"), ("tokens_lost", "lost", "lower"), ("tokens_duplicated", "dup.", "lower"),
        ("reconnect_tokens_lost", "lost on reconnect", "lower"), ("reconnect_tokens_duplicated", "dup. on reconnect", "lower")])
SCENARIOS.append(S11)


def load(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def fmt(v):
    if v is None:
        return "—"
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer() and abs(v) < 1000):
        return f"{int(v):,}"
    a = abs(v)
    if a >= 1000:
        return f"{v:,.0f}"
    if a >= 100:
        return f"{v:.0f}"
    if a >= 10:
        return f"{v:.1f}"
    if a >= 1:
        return f"{v:.2f}"
    return f"{v:.3g}"


def split_metric(m):
    base, _, qual = m.partition("@")
    return base, qual


def add_memory_floor(data, floor):
    """F6, Orleans' own cost per deactivated grain with a reminder, as floor rows of the S6 and S6w tables."""
    if not floor:
        return
    for f in floor["figures"]:
        base, qual = split_metric(f["metric"])
        kind = "with_reminder" if "with_reminder" in base else "plain"
        what = base.replace("rss_bytes_per_deactivated_grain_" + kind, "rss").replace("gc_heap_bytes_per_deactivated_grain_" + kind, "gc_heap")
        for sid, noun in (("S6", "idle"), ("S6w", "waiting")):
            metric = {"rss": f"rss_bytes_per_{noun}_execution", "rss_after_gc": f"rss_bytes_per_{noun}_execution_after_gc",
                      "gc_heap": f"gc_heap_bytes_per_{noun}_execution"}[what]
            data.setdefault(sid, {}).setdefault(("orleans", f"raw-floor-{kind}", qual), {})[metric] = f


def add_timer_floor(data, floor):
    """F10, grain timers and bare .NET timers at S10's sizes and fire times, as floor rows of the S10 table."""
    for f in (floor or {}).get("figures", []):
        if f["scenario"] == "F10":
            base, qual = split_metric(f["metric"])
            data.setdefault("S10", {}).setdefault((f["system"], f["variant"], qual), {})[base] = f


def collect(docs):
    """{scenario: {(system, variant, qualifier): {base: figure}}} with derived metrics added."""
    out = {}
    for doc in docs:
        if not doc:
            continue
        for f in doc["figures"]:
            base, qual = split_metric(f["metric"])
            key = (f["system"], f["variant"])
            if f["scenario"] == "S2" and key != AO and base == "max_start_rate":
                base = "max_start_rate_1_sender"   # the peers' S2 is one producer thread
            out.setdefault(f["scenario"], {}).setdefault((f["system"], f["variant"], qual), {})[base] = f
    # S3: CPU of every process per run.
    for row, figs in out.get("S3", {}).items():
        if (row[0], row[1]) == AO and "api_cpu_ms_per_run" in figs:
            figs["total_cpu_ms_per_run"] = dict(figs["api_cpu_ms_per_run"])
        elif "worker_cpu_ms_per_run" in figs:
            w, b = figs["worker_cpu_ms_per_run"], figs.get("broker_cpu_ms_per_run")
            if b is None:  # Hangfire.InMemory: the store is in the consumer process
                figs["total_cpu_ms_per_run"] = dict(w)
            else:
                def add(x, y):
                    return None if x is None or y is None else x + y
                runs = [add(x, y) for x, y in zip(w.get("runs", []), b.get("runs", []))]
                vals = sorted(r for r in runs if r is not None)
                figs["total_cpu_ms_per_run"] = dict(w, median=(vals[len(vals) // 2] if len(vals) % 2 else
                                                                (vals[len(vals) // 2 - 1] + vals[len(vals) // 2]) / 2) if vals else None,
                                                    min=min(vals) if vals else None, max=max(vals) if vals else None, runs=runs)
    return out


def noisy(fig, system, cores, peers_load):
    own = fig.get("settings", {}).get("loadavg_at_start")
    if system not in ("agentorleans", "orleans") and own is not None:
        return own > cores   # a peer figure measured apart from the peers' run (S10)
    if system in ("agentorleans", "orleans"):
        loads = fig.get("settings", {}).get("loadavg_at_start_runs") or [fig.get("settings", {}).get("loadavg_at_start")]
        loads = [x for x in loads if x is not None]
        return bool(loads) and max(loads) > cores
    return peers_load is not None and peers_load > cores


def qual_sort(q):
    m = re.match(r"(\d+)", q or "")
    return (int(m.group(1)) if m else -1, q)


def saturated(fig):
    """An open-loop figure whose rate was not sustained (first repetition): the driver said so, or the
    answers kept coming for more than 1.5 x the sending time (AgentOrleans' wall_s covers send + answers)."""
    st = fig.get("settings", {})
    if st.get("saturated"):
        return True
    return bool(st.get("wall_s") and st.get("duration_s") and st["wall_s"] > 1.5 * st["duration_s"] + 0.5)


def cell(fig, ao_fig, is_noisy):
    if fig is None or fig.get("median") is None:
        return "—" if fig is None else "none within bound"
    s = fmt(fig["median"])
    if fig.get("min") is not None and fig.get("max") is not None and len([r for r in fig.get("runs", []) if r is not None]) > 1:
        s += f" ({fmt(fig['min'])}–{fmt(fig['max'])})"
    if saturated(fig):
        s += " sat."
    if is_noisy:
        s += " †"
    if ao_fig is not None and ao_fig is not fig and ao_fig.get("median") not in (None, 0):
        s += f" **×{fig['median'] / ao_fig['median']:.2g}**"
    return s


def build(smoke):
    suffix = "-smoke" if smoke else ""
    ao = load(os.path.join(RESULTS, f"agentorleans{suffix}.json"))
    peers = load(os.path.join(RESULTS, f"peers{suffix}.json"))
    info = load(os.path.join(RESULTS, f"run-info{suffix}.json")) or {}
    cores = (ao or peers or {}).get("machine", {}).get("cores") or os.cpu_count()
    peers_load = info.get("peers_loadavg_at_start") if info.get("peers_run", True) else None
    if peers_load is None and peers:
        peers_load = peers.get("machine", {}).get("loadavg_at_end")
    # More AgentOrleans results in their own files: S8 (agentorleans-s8.json), the PostgreSQL variant, and extra
    # runs such as agentorleans-s6-100k.json (one repetition of S6 at K = 100,000). Smoke: only *-smoke.json ones.
    extras = [load(os.path.join(RESULTS, n)) for n in sorted(os.listdir(RESULTS))
              if n.startswith("agentorleans-") and n.endswith(".json") and ("smoke" in n) == smoke and n != f"agentorleans{suffix}.json"]
    data = collect([ao, peers, load(os.path.join(RESULTS, f"peers-s10{suffix}.json")),
                    load(os.path.join(RESULTS, f"peers-s11{suffix}.json"))] + extras)
    add_memory_floor(data, load(os.path.join(RESULTS, f"orleans-floor-f6{suffix}.json")))
    add_timer_floor(data, load(os.path.join(RESULTS, f"orleans-floor-f10{suffix}.json")))

    lines, summary_scen = [], {}
    for sid, title, what, cols in SCENARIOS:
        rows = data.get(sid)
        if not rows:
            continue
        present = [c for c in cols if any(c[0] in figs for figs in rows.values())]
        if not present:
            continue
        quals = sorted({r[2] for r in rows}, key=qual_sort)
        lines += [f"### {sid} — {title}", "", what, ""]
        qual_label = {"S1": "offered rate", "S1f": "offered rate", "S5": "clients", "S6": "executions", "S6w": "executions", "S10": "schedules", "S11": "concurrent runs"}.get(sid)
        head = ([qual_label] if qual_label else []) + ["system"] + [f"{c[1]}" for c in present]
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "|".join([" --- "] * (len(head) - len(present)) + [" ---: "] * len(present)) + "|")
        summary_rows = []
        for q in quals:
            ref = reference(sid)
            ao_figs = rows.get((ref[0], ref[1], q), {})
            for sysvar in ORDER + sorted({(r[0], r[1]) for r in rows} - set(ORDER)):
                figs = rows.get((sysvar[0], sysvar[1], q))
                if not figs:
                    continue
                cells = [cell(figs.get(c[0]), ao_figs.get(c[0]), figs.get(c[0]) is not None and noisy(figs[c[0]], sysvar[0], cores, peers_load))
                         for c in present]
                name = SCENARIO_SYSTEM_NAMES.get(sid, {}).get(sysvar) or SYSTEM_NAMES.get(sysvar, f"{sysvar[0]} / {sysvar[1]}")
                lines.append("| " + " | ".join(([q or "—"] if qual_label else []) + [name] + cells) + " |")
                srow = {"system": sysvar[0], "variant": sysvar[1], "qualifier": q or None, "metrics": {}}
                for c in present:
                    f = figs.get(c[0])
                    if f is None:
                        continue
                    a = ao_figs.get(c[0])
                    srow["metrics"][c[0]] = {
                        "unit": f.get("unit"), "median": f.get("median"), "min": f.get("min"), "max": f.get("max"),
                        "runs": f.get("runs"), "better": c[2],
                        "ratio_to_agentorleans": (f["median"] / a["median"]) if a and a.get("median") and f.get("median") is not None else None,
                        "noisy": noisy(f, sysvar[0], cores, peers_load),
                        "saturated": saturated(f),
                    }
                summary_rows.append(srow)
        settings_note = scenario_settings_note(sid, rows, smoke)
        if sid == "S1":
            shares = []
            for (sy, va, q), figs in sorted(rows.items(), key=lambda kv: qual_sort(kv[0][2])):
                f = figs.get("start_latency_p50")
                if (sy, va) == AO and f and f["settings"].get("wall_s") and f["settings"].get("api_cpu_s") is not None:
                    st = f["settings"]
                    gc = (f", GC pauses {st['gc_pause_s'] * 1000:.0f} ms in {st['wall_s']:.0f} s (gen0/gen1/gen2 collections "
                          f"{st['gc_collections_gen0_gen1_gen2']}), {st['allocated_kb_per_run']:.0f} KB allocated per start"
                          if st.get("gc_pause_s") is not None and st.get("allocated_kb_per_run") is not None else "")
                    api_cores, tool_cores = st['api_cpu_s'] / st['wall_s'], st['load_tool_cpu_s'] / st['wall_s']
                    # Both processes share the machine: near 100% busy, any extra work (a GC, a JIT burst) queues requests.
                    shares.append(f"{q}: {api_cores:.2f} cores for the Api, {tool_cores:.2f} for the load tool "
                                  f"({(api_cores + tool_cores) / cores:.0%} of the machine), achieved {st.get('achieved_rate')}/s{gc}")
            if shares:
                settings_note = (settings_note + " " if settings_note else "") + \
                    f"CPU the AgentOrleans processes got during S1 (first repetition; {cores} would be all cores): " + "; ".join(shares) + "."
        lines += ["", settings_note, ""] if settings_note else [""]
        summary_scen[sid] = {"title": title, "rows": summary_rows}
    return ao, peers, info, cores, peers_load, lines, summary_scen


def scenario_settings_note(sid, rows, smoke=False):
    if sid == "S8":
        return s8_note(rows)
    if sid == "S10":
        return s10_note(rows, load(os.path.join(RESULTS, f"run-info-s10{'-smoke' if smoke else ''}.json")))
    if sid == "S11":
        return s11_report.note(rows, load(os.path.join(RESULTS, f"run-info-s11{'-smoke' if smoke else ''}.json")),
                               (load(os.path.join(RESULTS, "agentorleans.json")) or {}).get("machine", {}).get("cores") or os.cpu_count())
    f = next((figs for (s, v, q), figs in rows.items() if (s, v) == reference(sid)), None)
    if not f:
        return ""
    fig = next(iter(f.values()))
    st = fig.get("settings", {})
    keys = {"S1": ["duration_s", "connections_max"], "S2": ["duration_s", "api_cpu_s", "load_tool_cpu_s"], "S3": ["n", "senders", "drain_s", "status_read_cpu_ms_per_run"],
            "S3b": ["running_executions", "calls"], "S4": ["executions", "nodes", "step", "events_measured"],
            "S5": ["nodes", "step"], "S6": ["senders"]}.get(sid, [])
    parts = [f"{k} = {st[k]}" for k in keys if k in st]
    return ("AgentOrleans settings (first repetition): " + ", ".join(parts) + ".") if parts else ""


def s8_note(rows):
    """Sizes on both sides, and what the AgentOrleans runs did around the kill (first repetition)."""
    sizes = []
    for (sy, va, q), figs in sorted(rows.items(), key=lambda kv: ORDER.index((kv[0][0], kv[0][1])) if (kv[0][0], kv[0][1]) in ORDER else 99):
        fig = figs.get("runs_lost") or next(iter(figs.values()))
        st = fig.get("settings", {})
        name = SYSTEM_NAMES.get((sy, va), f"{sy} / {va}")
        reps = len(fig.get("runs") or [])
        twice = (figs.get("steps_run_twice") or {}).get("runs") or [None]
        if sy == "agentorleans":
            sizes.append(f"{name}: {reps} repetition(s), n = {st.get('n')}, deadline {st.get('deadline_s'):g} s; first repetition: "
                         f"{st.get('runs_done_at_kill')} runs done at the kill, {st.get('runs_resumed')} resumed on the survivor "
                         f"(median {st.get('resumed_after_s_median')} s, last {st.get('resumed_after_s_last')} s after the kill), "
                         f"{st.get('steps_started_twice_by_log')} steps started again by the event log of which {twice[0]} had really run "
                         f"before (counted by the load tool), cluster up in {st.get('cluster_start_s')} s"
                         + (f"; the {st.get('n') - st.get('runs_done_by_deadline')} runs late for the deadline were done "
                            f"{st.get('last_run_done_after_kill_s')} s after the kill"
                            if st.get("runs_done_by_deadline") is not None and st.get("runs_done_by_deadline") < st.get("n")
                            and st.get("runs_done_at_all") == st.get("n") else ""))
        elif st.get("n") is not None:
            sizes.append(f"{name}: {reps} repetition(s), n = {st.get('n')}, deadline {st.get('deadline_s', '?')} s")
    return ("Settings: " + "; ".join(sizes) + ".") if sizes else ""


def s10_note(rows, run):
    """What each system did around the fires (first figure's settings), and what the figures show against the floor."""
    def st(system, variant):
        figs = next((f for (s, v, q), f in rows.items() if (s, v) == (system, variant)), None)
        return (figs or {}).get("fire_lateness_p99", {}).get("settings", {}), figs or {}

    def med(figs, metric):
        return (figs.get(metric) or {}).get("median")
    parts = []
    if run:
        parts.append(f"run: `benchmarks/run.sh --schedules-only` from {run.get('started_at')} ({run.get('total_s')} s, every system one after "
                     f"the other, other builds held off by the build lock) on the machine above ({run.get('cores')} cores); load average "
                     f"{run.get('agentorleans_loadavg_at_start')} when AgentOrleans started (the 1-minute average of the work just before), "
                     f"{run.get('peers_loadavg_at_start')} when the peers started, {run.get('loadavg_at_end')} at the end "
                     f"(`benchmarks/results/run-info-s10.json`)")
    a, af = st("agentorleans", "embedded-memory")
    if a:
        parts.append(f"AgentOrleans: {a.get('schedules')} schedules every {a.get('period_s'):g} s, {a.get('fires_per_schedule')} fires each "
                     f"({fmt(a.get('executions_measured'))} of {fmt(a.get('fires_expected'))} started a run; outcomes: "
                     f"{', '.join(f'{fmt(v)} {k}' for k, v in (a.get('outcomes') or {}).items())}); the "
                     f"schedule grain had handled the fire (its `firedAt`) p50 {fmt(a.get('handled_p50_ms'))} ms, p99 {fmt(a.get('handled_p99_ms'))} ms "
                     f"after its time; the Api used {a.get('api_cpu_share_of_a_core')} of a core while they fired; load average "
                     f"{a.get('loadavg_at_start')} at the start")
    c, cf = st("celery", "redis")
    if c:
        parts.append(f"Celery: beat sent each fire p50 {fmt(c.get('beat_send_lateness_p50_ms'))} ms, p99 {fmt(c.get('beat_send_lateness_p99_ms'))} ms "
                     f"after it held it due (one thread sends every due entry in turn), the rest is the worker's queue; beat times each "
                     f"next fire from the previous one's send, so the entries drift"
                     + (f": against each entry's first due time + k periods (the fixed times a cron keeps) the runs started p50 "
                        f"{fmt(c.get('lateness_vs_fixed_times_p50_ms'))} ms, p99 {fmt(c.get('lateness_vs_fixed_times_p99_ms'))} ms, max "
                        f"{fmt(c.get('lateness_vs_fixed_times_max_ms'))} ms late" if c.get("lateness_vs_fixed_times_p99_ms") is not None else
                        " by beat's own lateness each period (not measured in this run)")
                     + f"; beat used "
                     f"{c.get('beat_cpu_share_of_a_core')} of a core; beat's RSS {c.get('rss_beat_empty_mb')} MB empty, {c.get('rss_beat_full_mb')} MB with the entries")
    for variant in ("inmemory", "postgres"):
        h, hf = st("hangfire", variant)
        if h:
            parts.append(f"Hangfire / {'InMemory' if variant == 'inmemory' else 'PostgreSQL'}: each job was created p50 {fmt(h.get('created_p50_ms'))} ms, "
                         f"p99 {fmt(h.get('created_p99_ms'))} ms after its occurrence (the scheduler polls every {h.get('schedule_polling_interval_s')} s); "
                         f"the process used {h.get('process_cpu_share_of_a_core')} of a core; {fmt(h.get('fires_measured'))} of "
                         f"{fmt(h.get('fires_expected'))} occurrences ran"
                         + (f" ({fmt((h.get('fires_measured') or 0) / max(1, h.get('fires_per_schedule') or 1))} per period: the scheduler did not "
                            f"get through the {fmt(h.get('schedules'))} jobs within a period, and an occurrence it reaches after the next one is due is "
                            f"dropped, Relaxed misfire handling running only the latest)" if (h.get('fires_measured') or 0) < (h.get('fires_expected') or 0) else "")
                         + f", {h.get('duplicate_fires')} ran twice")
    g, gf = st("orleans", "raw-floor-grain-timer")
    d, df = st("orleans", "raw-floor-dotnet-timer")
    if a.get("api_cpu_share_of_a_core") is not None and a.get("schedules"):
        per_fire = a["api_cpu_share_of_a_core"] * a["period_s"] / a["schedules"] * 1000
        parts.append(f"AgentOrleans used {fmt(per_fire)} ms of Api CPU per fire (its run included); each fire also reads the status of "
                     f"the schedule's previous run, which brings that finished execution back into memory (docs/schedules.md), and the "
                     f"last of the {fmt(a['schedules'])} fires of a moment started {fmt(med(af, 'fire_lateness_max'))} ms after it: "
                     f"the burst drained at ~{fmt(a['schedules'] / max(0.001, (med(af, 'fire_lateness_max') or 0) / 1000))} fires/s on "
                     f"{a.get('cores')} shared cores")
    if af and gf:
        parts.append(f"against the floor: AgentOrleans' p99 {fmt(med(af, 'fire_lateness_p99'))} ms is what {fmt(a.get('schedules'))} fires at one moment cost "
                     f"(a state write of the schedule, one execution start each, and its run, on {a.get('cores')} shared cores) above grain timers' "
                     f"own p99 of {fmt(med(gf, 'fire_lateness_p99'))} ms with no work per fire"
                     + (f" and bare .NET timers' {fmt(med(df, 'fire_lateness_p99'))} ms" if df else ""))
    return ("Settings and what the figures show (first repetition's settings):\n\n" + "\n".join(f"- {p[0].upper()}{p[1:]}." for p in parts)) if parts else ""


def ao_load_range(ao):
    loads = [x for f in (ao or {}).get("figures", []) for x in (f.get("settings", {}).get("loadavg_at_start_runs") or []) if x is not None]
    return f"{min(loads):.1f}–{max(loads):.1f}" if loads else "?"


def headline(summary_scen):
    def med(sid, metric, system="agentorleans", variant="embedded-memory", qual=None):
        for r in summary_scen.get(sid, {}).get("rows", []):
            if r["system"] == system and r["variant"] == variant and (qual is None or r["qualifier"] == qual):
                m = r["metrics"].get(metric)
                if m:
                    return m["median"]
        return None
    return {
        "start_p99_ms_at_1000_per_s": med("S1", "start_latency_p99", qual="1000/s"),
        "start_p99_ms_at_500_per_s": med("S1", "start_latency_p99", qual="500/s"),
        "http_floor_p99_ms_at_1000_per_s": med("S1f", "healthz_latency_p99", qual="1000/s"),
        "max_starts_per_s_32_senders": med("S2", "max_start_rate"),
        "max_starts_per_s_1_sender": med("S2", "max_start_rate_1_sender"),
        "s3_runs_per_s": med("S3", "runs_per_second"),
        "s3_cpu_ms_per_run": med("S3", "total_cpu_ms_per_run"),
        "status_p99_ms": med("S3b", "status_latency_p99"),
        "delivery_p99_ms": med("S4", "delivery_latency_p99"),
        "fanout_last_client_p99_ms_at_1000": med("S5", "last_client_latency_p99", qual="1000"),
        "bytes_per_idle_execution": next((r["metrics"]["rss_bytes_per_idle_execution"]["median"] for r in summary_scen.get("S6", {}).get("rows", [])
                                          if "rss_bytes_per_idle_execution" in r["metrics"]), None),
        "s10_fire_lateness_p99_ms": next((r["metrics"]["fire_lateness_p99"]["median"] for r in summary_scen.get("S10", {}).get("rows", [])
                                          if (r["system"], r["variant"]) == AO and "fire_lateness_p99" in r["metrics"]), None),
        "s10_bytes_per_idle_schedule_after_gc": next((r["metrics"]["rss_bytes_per_idle_schedule_after_gc"]["median"] for r in summary_scen.get("S10", {}).get("rows", [])
                                                      if (r["system"], r["variant"]) == AO and "rss_bytes_per_idle_schedule_after_gc" in r["metrics"]), None),
        "s8_runs_lost": med("S8", "runs_lost", variant=AO_S8[1]),
        "s8_time_to_first_progress_s": med("S8", "time_to_first_progress", variant=AO_S8[1]),
        "s8_time_to_all_runs_done_s": med("S8", "time_to_all_runs_done", variant=AO_S8[1]),
    }


FLOOR_ROWS = [
    ("F1", "call_latency_p50", "grain call, 1 sequential caller: latency p50"),
    ("F1", "call_latency_p99", "grain call, 1 sequential caller: latency p99"),
    ("F1", "calls_per_second", "grain calls, 1 sequential caller: throughput"),
    ("F2", "calls_per_second", "grain calls, 32 concurrent callers over 32 grains: throughput"),
    ("F3", "hop_latency_p50", "memory-stream hop at ~200 events/s: latency p50"),
    ("F3", "hop_latency_p99", "memory-stream hop at ~200 events/s: latency p99"),
    ("F3", "hop_latency_max", "memory-stream hop at ~200 events/s: latency max"),
]


def floor_figure(floor, scenario, metric):
    return next((f for f in (floor or {}).get("figures", []) if f["scenario"] == scenario and f["metric"] == metric), None)


def floor_section(floor, cores):
    """The raw Orleans floor (benchmarks/orleans-floor): what the substrate itself costs here, as a table."""
    if not floor:
        return [], {}
    lines = ["### Raw Orleans floor", "",
             "One bare in-process silo (Orleans " + str(floor.get("versions", {}).get("orleans", "?")) + ", localhost clustering, "
             "memory grain storage, memory streams tuned as the product: 4 queues polled every 2 ms in batches of 100) and "
             "nothing of AgentOrleans. F1: sequential `await grain.PingAsync()` on one grain from the in-process "
             "`IClusterClient`; F2: 32 such loops on 32 grains at once; F3: one stream, an explicit subscriber, events "
             "published on a fixed schedule at ~200/s, latency = receive − send (Stopwatch ticks in the event).", "",
             "Read it as the substrate's own cost on this machine: an AgentOrleans start (S1, S3c) is one HTTP request, "
             "one grain call, a storage write and a stream publish on top of F1, and an SSE delivery (S4, S5) is one "
             "F3 stream hop plus the Api's work and the HTTP connection, so AgentOrleans' figures cannot go below these.", "",
             "| scenario | measurement | median (min–max) |", "| --- | --- | ---: |"]
    summary = {}
    for sid, metric, label in FLOOR_ROWS:
        f = floor_figure(floor, sid, metric)
        if f is None:
            continue
        loads = [x for x in (f.get("settings", {}).get("loadavg_at_start_runs") or []) if x is not None]
        lines.append(f"| {sid} | {label} ({f.get('unit')}) | {cell(f, None, bool(loads) and max(loads) > cores)} |")
        summary[f"{sid}.{metric}"] = {k: f.get(k) for k in ("unit", "median", "min", "max", "runs")}
    st = (floor_figure(floor, "F1", "calls_per_second") or {}).get("settings", {})
    f3 = (floor_figure(floor, "F3", "hop_latency_p99") or {}).get("settings", {})
    loads = [x for f in floor.get("figures", []) for x in (f.get("settings", {}).get("loadavg_at_start_runs") or []) if x is not None]
    lines += ["", f"Settings: {st.get('reps', '?')} repetition(s); F1/F2 {st.get('duration_s', '?')} s each after a "
              f"{st.get('warmup_s', '?')} s warm-up; F3 {fmt(f3.get('events'))} events per repetition "
              f"({fmt(f3.get('received'))} of {fmt(f3.get('sent'))} received in the first); load average "
              f"{min(loads):.1f}–{max(loads):.1f} at the start of the measurements; measured {floor.get('generated_at', '—')} "
              f"at commit `{floor.get('versions', {}).get('agentorleans_commit', '?')}` (`benchmarks/results/orleans-floor"
              f"{'-smoke' if floor.get('mode') == 'smoke' else ''}.json`).", ""] if loads else [""]
    return lines, summary


def carry_compilation():
    """Moves an old '## Compilation' section of docs/benchmarks.md to docs/benchmarks-compilation.md."""
    if not os.path.exists(DOC):
        return
    text = open(DOC).read()
    m = re.search(r"^## Compilation.*?(?=^## (?!#)|\Z)", text, re.S | re.M)
    if m and "Micro-benchmarks" not in text[:200]:
        body = m.group(0).rstrip() + "\n"
        head = ("# Micro-benchmarks (BenchmarkDotNet)\n\nThe load and peer comparison is in [benchmarks.md](benchmarks.md); "
                "this page keeps the micro-benchmark figures, which `benchmarks/run.sh` does not regenerate.\n\n")
        if not os.path.exists(COMPILATION_DOC) or "## Compilation" not in open(COMPILATION_DOC).read():
            with open(COMPILATION_DOC, "w") as f:
                f.write(head + body)


def main():
    smoke = "--smoke" in sys.argv[1:]
    if not smoke:
        carry_compilation()
    ao, peers, info, cores, peers_load, tables, summary_scen = build(smoke)
    floor = load(os.path.join(RESULTS, f"orleans-floor{'-smoke' if smoke else ''}.json"))
    floor_lines, floor_summary = floor_section(floor, cores)
    if not ao and not peers:
        print("no results found", file=sys.stderr)
        return 1
    machine = (ao or peers)["machine"]
    versions = {"agentorleans": (ao or {}).get("versions", {}), "peers": (peers or {}).get("versions", {})}
    date = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    ao_load = (ao or {}).get("machine", {}).get("loadavg_at_start")

    def la(v):
        return "?" if v is None else f"{float(v):.1f}"
    av, pv = versions["agentorleans"], versions["peers"]
    s8_doc = load(os.path.join(RESULTS, f"agentorleans-s8{'-smoke' if smoke else ''}.json"))
    s8_date = f" (S8 {s8_doc.get('generated_at', '—')}, commit `{s8_doc.get('versions', {}).get('agentorleans_commit', '?')}`)" if s8_doc else ""
    hl = headline(summary_scen)

    lg = (load(os.path.join(RESULTS, f"peers-s11{'-smoke' if smoke else ''}.json")) or {}).get("versions", {})
    md = ["# Benchmarks: AgentOrleans, Celery, Hangfire and LangGraph JS on one machine", "",
          f"_Generated by `benchmarks/report.py` on {date} from `benchmarks/results/"
          f"{'*-smoke' if smoke else '{agentorleans,peers}'}.json`; do not edit by hand — rerun `benchmarks/run.sh`._", ""]
    if smoke:
        md += ["**Smoke run**: tiny sizes and one repetition. A health check of the suite, not a measurement.", ""]
    md += ["## Machine and versions", "",
           f"- Machine: {machine.get('cpu_model')}, {machine.get('cores')} cores, {machine.get('memory_gb')} GB, "
           f"{machine.get('os')}, kernel {machine.get('kernel')}. **Shared by every process of the run**: the load average was "
           f"{la(info.get('loadavg_at_start', ao_load))} when the suite started, {la(ao_load)} at the start of the AgentOrleans "
           f"scenarios, {la(peers_load)} at the start of the peers, {la((peers or {}).get('machine', {}).get('loadavg_at_end'))} at their end "
           f"(on {cores} cores). Load tool, server and stores share the cores.",
           f"- AgentOrleans: commit `{av.get('agentorleans_commit', '?')}`, Orleans {av.get('orleans', '?')}, "
           f".NET SDK {av.get('dotnet', '?')} ({av.get('dotnet_runtime', '?')}); the Api's embedded default (one process "
           "co-hosting a silo, in-memory grain storage and reminders, dashboard on), started by the load tool as a child process; "
           "for S8 the distributed mode: two `Silo` processes (Redis membership, PostgreSQL grain state and reminders) and the Api "
           "as their client, on the Redis and PostgreSQL the repo's scripts run.",
           f"- Peers: Celery {pv.get('celery', '?')} (kombu {pv.get('kombu', '?')}, Python {pv.get('python', '?')}) on Redis "
           f"{pv.get('redis', '?')}; Hangfire {pv.get('hangfire', '?')} on Hangfire.InMemory {pv.get('hangfire_inmemory', '?')} "
           f"and Hangfire.PostgreSql {pv.get('hangfire_postgresql', '?')} / PostgreSQL {pv.get('postgresql', '?')}.",
           *([f"- S11's peer: LangGraph JS `@langchain/langgraph` {lg.get('langchain_langgraph', '?')} with "
              f"`@langchain/langgraph-checkpoint-postgres` {lg.get('langchain_langgraph_checkpoint_postgres', '?')}, its dev server "
              f"`@langchain/langgraph-cli` / `-api` {lg.get('langchain_langgraph_cli', '?')}, `@langchain/openai` "
              f"{lg.get('langchain_openai', '?')}, on node {lg.get('node', '?')} (`benchmarks/peers/langgraph/package-lock.json`)."] if lg else []),
           f"- AgentOrleans scenarios started at load averages {ao_load_range(ao)} (every repetition of every scenario).",
           f"- Date: AgentOrleans results {(ao or {}).get('generated_at', '—')}{s8_date}, peers {(peers or {}).get('generated_at', '—')}.",
           ""]
    if info:
        s8 = f", AgentOrleans S8 {info['agentorleans_s8_s']} s" if info.get("agentorleans_s8_s") is not None else ""
        md += [f"Run time: {info.get('total_s')} s in all (build {info.get('build_s')} s, AgentOrleans {info.get('agentorleans_s')} s{s8}, "
               f"peers {info.get('peers_s')} s{'' if info.get('peers_run', True) else ', peers not rerun: committed results used'}).", ""]
    md += ["## How to run", "", "```sh",
           "benchmarks/run.sh            # full suite: build, AgentOrleans, peers, this page (see run time above)",
           "benchmarks/run.sh --smoke    # CI health check, tiny sizes (~2.5 min + build): results/*-smoke.json, results/report-smoke.md",
           "benchmarks/run.sh --no-peers # AgentOrleans only; the report reuses the committed peers results",
           "benchmarks/run.sh --agent-only # S11, the agent workload, AgentOrleans and LangGraph JS; the report reuses the other results",
           "```", "",
           "What each scenario does and how is in [benchmarks/README.md](../benchmarks/README.md) (AgentOrleans) and "
           "[benchmarks/peers/README.md](../benchmarks/peers/README.md) (peers).", "",
           "Also measured, on their own pages: AgentOrleans failover in the distributed test suite — time from `kill -9` of a "
           "silo to resumed progress with default and tuned membership, SIGTERM hand-over, a PostgreSQL restart mid-run — in "
           "[distributed.md](distributed.md) (S8 below is the suite's own crash measurement, beside the peers'); compilation and the "
           "compiled-workflow cache (S7) in [benchmarks-compilation.md](benchmarks-compilation.md).", "",
           "## Method", "",
           "The workload of S1–S3 is the same everywhere: **a run is a chain of 3 no-op steps** (AgentOrleans: three "
           "`transform` nodes with a literal `set`). Every scenario is repeated 3 times (smoke: once) and bounded by a "
           "timeout; each cell is the **median (min–max)** of the repetitions. **×r** is the ratio of that figure to "
           "AgentOrleans' same figure (value ÷ AgentOrleans): for latencies and CPU (lower is better) ×r > 1 means "
           "AgentOrleans is better; for rates (higher is better) ×r > 1 means the peer is better. "
           f"**†** marks figures measured while the load average exceeded the {cores} cores at the start (noisy machine). "
           "**sat.** marks a saturated open-loop run, judged on the first repetition: the offered rate was not sustained "
           "(requests unsent or unanswered within the bound, whose latency is then a lower bound, or answers still arriving "
           "more than 1.5 × the sending time after the first was due). — means not measured.", "",
           "## Headline (AgentOrleans, medians)", ""]
    labels = {"start_p99_ms_at_1000_per_s": "S1 start p99 at 1,000/s (ms)", "start_p99_ms_at_500_per_s": "S1 start p99 at 500/s (ms)",
              "http_floor_p99_ms_at_1000_per_s": "S1f HTTP floor (`GET /healthz`) p99 at 1,000/s (ms)",
              "max_starts_per_s_32_senders": "S2 max sustained starts/s (32 senders)", "max_starts_per_s_1_sender": "S2 max starts/s (1 sender)",
              "s3_runs_per_s": "S3 drain (runs/s)", "s3_cpu_ms_per_run": "S3 Api CPU per run (ms)",
              "status_p99_ms": "S3b status p99 while a step runs (ms)", "delivery_p99_ms": "S4 event delivery p99 (ms)",
              "fanout_last_client_p99_ms_at_1000": "S5 fan-out last-client p99 at 1,000 clients (ms)",
              "bytes_per_idle_execution": "S6 memory per idle execution (bytes)",
              "s10_fire_lateness_p99_ms": "S10 schedule fire lateness p99, N schedules due at once (1,000 every 10 s in full runs) (ms)",
              "s10_bytes_per_idle_schedule_after_gc": "S10 memory per idle schedule, after GC (bytes)",
              "s8_runs_lost": "S8 runs lost, kill -9 of 1 of 2 silos mid-drain (tuned membership)",
              "s8_time_to_first_progress_s": "S8 kill → first resumed progress (s)",
              "s8_time_to_all_runs_done_s": "S8 kill → all runs done (s)"}
    md += ["| figure | value |", "| --- | ---: |"] + [f"| {labels[k]} | {fmt(v)} |" for k, v in hl.items()]
    for key, label in (("F1.call_latency_p50", "Raw Orleans floor: one grain call p50 (µs)"),
                       ("F3.hop_latency_p99", "Raw Orleans floor: memory-stream hop p99 (ms)")):
        if floor_summary.get(key):
            md.append(f"| {label} | {fmt(floor_summary[key]['median'])} |")
    md += [""]
    noisy_all = all(m["noisy"] for sc in summary_scen.values() for r in sc["rows"] if r["system"] == "agentorleans" for m in r["metrics"].values())
    sat = [r["qualifier"] for r in summary_scen.get("S1", {}).get("rows", []) if r["system"] == "agentorleans"
           and any(m["saturated"] for m in r["metrics"].values())]
    notes = []
    if noisy_all:
        notes.append(f"every AgentOrleans figure was measured with the load average above the {cores} cores "
                     f"({ao_load_range(ao)}): the load tool, the server and the stores share the cores (and anything else "
                     f"running then), so these are pessimistic")
    if sat:
        notes.append("S1 was saturated at " + ", ".join(sat) + " (see the CPU the Api actually got, under the S1 table, "
                     "against its ~" + fmt(hl.get("s3_cpu_ms_per_run")) + " ms of CPU per run from S3)")
    if notes:
        md += ["Read with care: " + "; ".join(notes) + ".", ""]
    md += ["## Results", ""] + tables + floor_lines
    md += index_report.index_section(RESULTS, smoke)
    md += ["## Micro-benchmarks", "",
           "The compilation micro-benchmarks (cold compile of a definition, compiled-workflow cache hit; `benchmarks/micro/`) are BenchmarkDotNet figures, not part of this "
           "suite: see [benchmarks-compilation.md](benchmarks-compilation.md).", ""]
    text = "\n".join(md)

    summary = {"generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "mode": "smoke" if smoke else "full",
               "machine": machine, "versions": versions, "run": info, "cores": cores,
               "noisy_threshold_loadavg": cores, "headline_agentorleans": hl, "scenarios": summary_scen,
               "orleans_floor": floor_summary}
    out_md = os.path.join(RESULTS, "report-smoke.md") if smoke else DOC
    out_json = os.path.join(RESULTS, "summary-smoke.json" if smoke else "summary.json")
    with open(out_md, "w") as f:
        f.write(text)
    with open(out_json, "w") as f:
        json.dump(summary, f, indent=1)
        f.write("\n")
    print(f"wrote {out_md} and {out_json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
