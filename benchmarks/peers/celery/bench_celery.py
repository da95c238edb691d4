#!/usr/bin/python3
"""Celery peer benchmark: a chain of 3 no-op tasks per run, Redis as broker
and result backend, one prefork worker (--concurrency 2) started and killed by
this driver.

Scenarios (see ../README.md):
  S1  start latency at fixed offered rates, open loop, measured from the
      intended send time (coordinated-omission free)
  S2  highest sustained start rate, closed loop
  S3  drain N pre-enqueued runs: runs/s and worker CPU-seconds per run
  S8  kill -9 the worker mid-drain (at-least-once settings), restart, count
      lost runs / steps run twice / time to first progress
  S10 periodic tasks: celery beat with N beat_schedule entries at one period
      (timedelta), one worker; lateness of each fire (task start - the time
      beat held it due) and beat's memory per entry (asked for with --scenarios S10)

Every measurement is printed as one JSON line to stdout (and appended to
--out); aggregate.py turns the lines of all repetitions into peers.json.
Use Debian's interpreter (/usr/bin/python3): python3-celery lives there.
"""
import argparse
import json
import math
import os
import signal
import subprocess
import sys
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------- helpers


def percentile(sorted_values, p):
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, math.ceil(p / 100.0 * len(sorted_values)) - 1))
    return sorted_values[k]


def proc_cpu_seconds(pid):
    """utime+stime of one process, and cutime+cstime of its reaped children, in seconds."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0, 0.0
    tck = os.sysconf("SC_CLK_TCK")
    # fields[0] is state (field 3); utime=14, stime=15, cutime=16, cstime=17
    own = (int(fields[11]) + int(fields[12])) / tck
    reaped = (int(fields[13]) + int(fields[14])) / tck
    return own, reaped


def descendants(pid):
    """All live descendants of pid (scan /proc for ppid links)."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (FileNotFoundError, ProcessLookupError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, stack = [], [pid]
    while stack:
        for c in children.get(stack.pop(), []):
            out.append(c)
            stack.append(c)
    return out


def tree_cpu_seconds(pid):
    """CPU-seconds of pid, its live descendants and the children it has reaped."""
    own, reaped = proc_cpu_seconds(pid)
    total = own + reaped
    for c in descendants(pid):
        o, _ = proc_cpu_seconds(c)
        total += o
    return total


class Worker:
    """A `celery worker` subprocess in its own session, killed as a group."""

    def __init__(self, args, queues, crash, tag):
        self.name = f"peer-{tag}-{uuid.uuid4().hex[:6]}@bench"
        env = dict(os.environ)
        env["PEERS_REDIS_URL"] = args.redis_url
        env["PEERS_CRASH"] = "1" if crash else "0"
        env["PEERS_VISIBILITY"] = str(args.visibility_timeout)
        cmd = [sys.executable, "-m", "celery", "-A", "peer_tasks", "worker",
               "--concurrency", str(args.concurrency), "--pool", "prefork",
               "-Q", queues, "-n", self.name, "--loglevel", "WARNING",
               "--without-gossip", "--without-mingle", "--without-heartbeat"]
        self.log = open(os.path.join(args.log_dir, f"celery-worker-{tag}.log"), "ab")
        self.proc = subprocess.Popen(cmd, cwd=HERE, env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        _CHILDREN.append(self)
        pidfile = os.environ.get("PEERS_PIDFILE")
        if pidfile:  # run-peers.sh kills these process groups if this driver is killed
            with open(pidfile, "a") as f:
                f.write(f"{self.proc.pid}\n")

    def wait_ready(self, app, timeout=30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"celery worker exited with {self.proc.returncode}")
            if app.control.ping(destination=[self.name], timeout=0.3):
                return
        raise RuntimeError("celery worker did not answer ping in time")

    def cpu(self):
        return tree_cpu_seconds(self.proc.pid)

    def kill(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        self.log.close()
        if self in _CHILDREN:
            _CHILDREN.remove(self)


_CHILDREN = []


def _cleanup(*_):
    for w in list(_CHILDREN):
        w.kill()
    sys.exit(3)


# ---------------------------------------------------------------- scenarios


def emit(args, scenario, metric, unit, value, settings):
    line = {"scenario": scenario, "system": "celery", "variant": "redis",
            "metric": metric, "unit": unit, "value": value, "settings": settings}
    text = json.dumps(line)
    print(text, flush=True)
    if args.out:
        with open(args.out, "a") as f:
            f.write(text + "\n")


def base_settings(args):
    return {"pool": "prefork", "concurrency": args.concurrency, "broker": "redis",
            "result_backend": "redis", "steps_per_run": 3, "producer_threads": 1,
            "worker_flags": "--without-gossip --without-mingle --without-heartbeat"}


def start_run(pt, run_id):
    from celery import chain
    return chain(pt.step.si(run_id, 1), pt.step.si(run_id, 2), pt.step.si(run_id, 3)).apply_async()


def fresh(r):
    r.flushdb()


def _producer(k, producers, redis_url, conn):
    """S1 producer process k of P: sends requests i = k, k+P, ... at t0 + i/rate and reports
    each one's latency from its due time. Its own interpreter (spawn) and Celery connections."""
    os.environ["PEERS_REDIS_URL"] = redis_url
    os.environ["PEERS_CRASH"] = "0"
    sys.path.insert(0, HERE)
    import peer_tasks as pt
    for i in range(10):  # connections, code paths
        start_run(pt, f"w{k}-{i}")
    conn.send("ready")
    while True:
        job = conn.recv()
        if job is None:
            return
        t0, rate, n, cutoff, tag = job
        lat, sent, last = {}, 0, t0
        for i in range(k, n, producers):
            intended = t0 + i / rate
            now = time.monotonic()
            if now > cutoff:
                # Stop offering load; unsent requests get the latency they have accumulated so far (a lower bound).
                for j in range(i, n, producers):
                    lat[j] = max(0.0, now - (t0 + j / rate)) * 1000.0
                break
            if now < intended:
                time.sleep(intended - now)
            start_run(pt, f"{tag}{i}")
            last = time.monotonic()
            lat[i] = (last - intended) * 1000.0
            sent += 1
        conn.send((lat, sent, last))


def s1(args, pt, r):
    """Open loop with P producer processes (request i by producer i mod P): the client is synchronous, one
    start in flight per producer, and one Python process cannot start more than ~1,000 chains/s; with P
    processes the offered rate holds while a start takes less than P/rate. Latency from the due time."""
    import multiprocessing as mp
    ctx = mp.get_context("spawn")
    producers = []
    try:
        for k in range(args.producers):
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_producer, args=(k, args.producers, args.redis_url, child), daemon=True)
            proc.start()
            producers.append((proc, parent))
        for proc, conn in producers:
            if not conn.poll(60) or conn.recv() != "ready":
                raise RuntimeError("S1 producer did not start")
        for rate in args.rates:
            fresh(r)
            w = Worker(args, pt.QUEUE, False, "s1")
            try:
                w.wait_ready(pt.app)
                for i in range(50):  # warm-up: the worker's code paths
                    start_run(pt, f"w{i}")
                time.sleep(0.2)
                n = int(rate * args.duration)
                t0 = time.monotonic() + 0.1
                cutoff = t0 + 2 * args.duration + 1.0
                for _, conn in producers:
                    conn.send((t0, rate, n, cutoff, f"r{rate:g}-"))
                lat, sent, last = [0.0] * n, 0, t0
                for _, conn in producers:
                    if not conn.poll(4 * args.duration + 60):
                        raise RuntimeError("S1 producer did not answer")
                    part, s, l = conn.recv()
                    for i, v in part.items():
                        lat[i] = v
                    sent += s
                    last = max(last, l)
            finally:
                w.kill()
            wall = last - t0
            lat.sort()
            # Saturated, as for AgentOrleans: requests left unsent, or answers trailing the schedule by more than half its length.
            st = dict(base_settings(args), producer_threads=args.producers, producer_kind="processes (spawn), one synchronous Celery client each",
                      offered_rate=rate, duration_s=args.duration, requests=n, sent=sent, wall_s=round(wall, 3),
                      saturated=sent < n or wall > 1.5 * args.duration, achieved_rate=round(sent / wall, 1),
                      method="open loop: request i due at t0 + i/rate, sent by producer i mod P; latency from the due time")
            for p, name in ((50, "p50"), (99, "p99"), (99.9, "p99.9")):
                emit(args, "S1", f"start_latency_{name}@{rate:g}/s", "ms",
                     round(percentile(lat, p), 3), st)
    finally:
        for proc, conn in producers:
            try:
                conn.send(None)
            except (BrokenPipeError, OSError):
                pass
        for proc, _ in producers:
            proc.join(2)
            if proc.is_alive():
                proc.kill()


def s2(args, pt, r):
    fresh(r)
    w = Worker(args, pt.QUEUE, False, "s2")
    try:
        w.wait_ready(pt.app)
        for i in range(50):
            start_run(pt, f"w{i}")
        count = 0
        t0 = time.perf_counter()
        end = t0 + args.s2_seconds
        while time.perf_counter() < end:
            start_run(pt, f"r{count}")
            count += 1
        elapsed = time.perf_counter() - t0
    finally:
        w.kill()
    emit(args, "S2", "max_start_rate", "starts/s", round(count / elapsed, 1),
         dict(base_settings(args), duration_s=args.s2_seconds, starts=count,
              method="closed loop, one producer thread, worker consuming"))


def wait_until(pred, timeout, interval=0.01):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(interval)
    return pred()


def redis_pid(r):
    try:
        pid = int(r.info("server")["process_id"])
        return pid if os.path.exists(f"/proc/{pid}/stat") else None
    except Exception:  # noqa: BLE001 - informational only
        return None


def s3(args, pt, r):
    fresh(r)
    n = args.n
    # The worker listens to an idle queue while the backlog is built, then is
    # told to consume the bench queue: the clock starts at that command.
    w = Worker(args, "idle", False, "s3")
    try:
        w.wait_ready(pt.app)
        te = time.perf_counter()
        for i in range(n):
            start_run(pt, f"r{i}")
        enqueue_s = time.perf_counter() - te
        rpid = redis_pid(r)
        cpu0 = w.cpu()
        rcpu0 = tree_cpu_seconds(rpid) if rpid else 0.0
        t0 = time.perf_counter()
        pt.app.control.add_consumer(pt.QUEUE, destination=[w.name], reply=False)
        ok = wait_until(lambda: int(r.get(pt.DONE_KEY) or 0) >= n, args.timeout)
        t1 = time.perf_counter()
        cpu1 = w.cpu()
        rcpu1 = tree_cpu_seconds(rpid) if rpid else 0.0
        done = int(r.get(pt.DONE_KEY) or 0)
    finally:
        w.kill()
    if not ok:
        print(f"S3: only {done}/{n} runs completed within {args.timeout}s", file=sys.stderr)
    wall = t1 - t0
    st = dict(base_settings(args), n=n, completed=done, wall_s=round(wall, 3),
              enqueue_s=round(enqueue_s, 3),
              method="backlog of n runs enqueued first; clock from add_consumer to last run done")
    emit(args, "S3", "runs_per_second", "runs/s", round(done / wall, 1), st)
    emit(args, "S3", "worker_cpu_ms_per_run", "ms", round((cpu1 - cpu0) / max(done, 1) * 1000, 3),
         dict(st, cpu_accounting="worker main process + prefork children (/proc/<pid>/stat utime+stime)"))
    if rpid:
        emit(args, "S3", "broker_cpu_ms_per_run", "ms",
             round((rcpu1 - rcpu0) / max(done, 1) * 1000, 3),
             dict(st, cpu_accounting="redis-server process (/proc/<pid>/stat)"))


def s8(args, pt, r):
    fresh(r)
    n = args.s8_n
    for i in range(n):
        start_run(pt, f"r{i}")
    w1 = Worker(args, pt.QUEUE, True, "s8a")
    w2 = None
    try:
        w1.wait_ready(pt.app)
        ok = wait_until(lambda: r.scard(pt.DONESET_KEY) >= n // 2, args.timeout, 0.002)
        if not ok:
            raise RuntimeError("S8: drain did not reach the halfway mark")
        os.killpg(w1.proc.pid, signal.SIGKILL)
        t_kill = time.perf_counter()
        w1.kill()
        done_at_kill = r.scard(pt.DONESET_KEY)
        execs_at_kill = int(r.get(pt.EXECS_KEY) or 0)
        w2 = Worker(args, pt.QUEUE, True, "s8b")
        if done_at_kill >= n:
            # A starved driver polled too late: nothing was left to resume, so there is no first progress to wait for.
            print(f"S8: all {n} runs were done before the kill; the crash was not measured", file=sys.stderr)
            progressed = False
        else:
            progressed = wait_until(lambda: int(r.get(pt.EXECS_KEY) or 0) > execs_at_kill, args.s8_deadline, 0.002)
        t_first = time.perf_counter()
        ok = wait_until(lambda: r.scard(pt.DONESET_KEY) >= n, max(0.0, args.s8_deadline - (t_first - t_kill)), 0.01)
        t_all = time.perf_counter()
    finally:
        for w in (w1, w2):
            if w is not None:
                w.kill()
    steps = r.hgetall(pt.STEPS_KEY)
    counts = {k.decode(): int(v) for k, v in steps.items()}
    lost = sum(1 for i in range(n) if counts.get(f"r{i}:3", 0) == 0)
    twice = sum(1 for v in counts.values() if v > 1)
    st = dict(base_settings(args), n=n, acks_late=True, task_reject_on_worker_lost=True,
              visibility_timeout_s=args.visibility_timeout, runs_done_at_kill=done_at_kill,
              deadline_s=args.s8_deadline, all_done=ok,
              kill="SIGKILL to the worker's process group (main + prefork children)",
              method="backlog of n runs; kill -9 at n/2 runs done; restart at once")
    emit(args, "S8", "runs_lost", "runs", lost, st)
    emit(args, "S8", "steps_run_twice", "steps", twice, st)
    emit(args, "S8", "time_to_first_progress", "s", round(t_first - t_kill, 3) if progressed else None,
         dict(st, note="kill to first step executed by the restarted worker (includes its boot)"))
    emit(args, "S8", "time_to_all_runs_done", "s", round(t_all - t_kill, 3) if ok else None,
         dict(st, note="kill to every run completed (includes waiting for the visibility timeout)"))


def rss_bytes(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


class Beat(Worker):
    """`celery beat` with N entries (PEERS_BEAT_N) and its own schedule file, in its own session; killed as a worker is."""

    def __init__(self, args, n, tag):
        env = dict(os.environ, PEERS_REDIS_URL=args.redis_url, PEERS_CRASH="0",
                   PEERS_BEAT_N=str(n), PEERS_BEAT_PERIOD=str(args.s10_period))
        schedule_file = os.path.join(args.log_dir, f"celerybeat-{tag}-{uuid.uuid4().hex[:6]}")
        cmd = [sys.executable, "-m", "celery", "-A", "peer_tasks", "beat", "-S", "peer_tasks:MeasuredScheduler",
               "-s", schedule_file, "--loglevel", "WARNING", "--pidfile", ""]
        self.log = open(os.path.join(args.log_dir, f"celery-beat-{tag}.log"), "ab")
        self.proc = subprocess.Popen(cmd, cwd=HERE, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        _CHILDREN.append(self)
        pidfile = os.environ.get("PEERS_PIDFILE")
        if pidfile:
            with open(pidfile, "a") as f:
                f.write(f"{self.proc.pid}\n")


def s10(args, pt, r):
    """Beat's memory per entry (a beat with none beside one with N) and the lateness of every fire of N entries."""
    fresh(r)
    load = os.getloadavg()[0]
    n, period, fires = args.s10_n, args.s10_period, args.s10_fires
    w = Worker(args, pt.QUEUE, False, "s10")
    try:
        w.wait_ready(pt.app)
        empty = Beat(args, 0, "s10-empty")
        try:
            time.sleep(max(3.0, period / 2))
            rss_empty = rss_bytes(empty.proc.pid)
        finally:
            empty.kill()
        beat = Beat(args, n, "s10")
        t_start = time.time()
        try:
            # The entries' first fires are a period after beat has loaded them; run for the fires measured, and half a
            # period more for beat's drift (each next fire is a period after the previous one was sent).
            time.sleep(fires * period + period / 2 + 2)
            rss_full = rss_bytes(beat.proc.pid)
            beat_cpu = tree_cpu_seconds(beat.proc.pid)
        finally:
            beat.kill()
        # The worker's last tasks: until the fire log stops growing.
        seen = [-1]

        def settled():
            now_len = r.llen(pt.BEAT_KEY)
            done = now_len == seen[0]
            seen[0] = now_len
            return done
        wait_until(settled, 15, 0.5)
    finally:
        w.kill()
    per_entry = {}
    for raw in r.lrange(pt.BEAT_KEY, 0, -1):
        name, nominal, sent, started = raw.decode().split()
        per_entry.setdefault(name, []).append((float(nominal), float(sent), float(started)))
    lateness, beat_lateness, grid_lateness = [], [], []
    for rows in per_entry.values():
        rows = sorted(rows)[:fires]
        for k, (nominal, sent, started) in enumerate(rows):
            lateness.append((started - nominal) * 1000.0)
            beat_lateness.append((sent - nominal) * 1000.0)
            # Beat times each next fire from the previous one's send: against the entry's first due time + k periods
            # (the fixed times a cron or AgentOrleans' `every` keeps) its lateness adds up.
            grid_lateness.append((started - (rows[0][0] + k * period)) * 1000.0)
    lateness.sort()
    beat_lateness.sort()
    grid_lateness.sort()
    wall = time.time() - t_start
    st = dict(base_settings(args), steps_per_run=1, loadavg_at_start=round(load, 2), schedules=n, period_s=period, fires_per_schedule=fires, fires_expected=n * fires,
              fires_measured=len(lateness), entries_that_fired=len(per_entry), beat_cpu_share_of_a_core=round(beat_cpu / wall, 3),
              beat_send_lateness_p50_ms=round(percentile(beat_lateness, 50), 3), beat_send_lateness_p99_ms=round(percentile(beat_lateness, 99), 3),
              lateness_vs_fixed_times_p50_ms=round(percentile(grid_lateness, 50), 3), lateness_vs_fixed_times_p99_ms=round(percentile(grid_lateness, 99), 3),
              lateness_vs_fixed_times_max_ms=round(grid_lateness[-1], 3) if grid_lateness else None,
              rss_beat_empty_mb=round(rss_empty / 1048576, 1), rss_beat_full_mb=round(rss_full / 1048576, 1),
              scheduler="celery.beat.PersistentScheduler (the default), subclassed only to pass each fire's nominal time and send time to the task",
              method="beat_schedule of N entries {task, schedule: timedelta(seconds=period)}; one beat, one prefork worker (concurrency 2); "
                     "lateness = task start (time.time() in the worker) - nominal (the entry's last_run_at + period, when beat holds it due), "
                     "first fires_per_schedule fires of each entry; memory = VmRSS of the beat with N entries at the end - a beat with none")
    emit(args, "S10", f"fire_lateness_p50@{n}", "ms", round(percentile(lateness, 50), 3), st)
    emit(args, "S10", f"fire_lateness_p99@{n}", "ms", round(percentile(lateness, 99), 3), st)
    emit(args, "S10", f"fire_lateness_max@{n}", "ms", round(lateness[-1], 3) if lateness else None, st)
    emit(args, "S10", f"fires_missing@{n}", "fires", n * fires - len(lateness), st)
    emit(args, "S10", f"rss_bytes_per_idle_schedule@{n}", "bytes", round((rss_full - rss_empty) / max(n, 1), 1),
         dict(st, note="Python has no compacting collection to read after: VmRSS of the beat process as it runs"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--redis-url", default=os.environ.get("PEERS_REDIS_URL", "redis://127.0.0.1:6380/9"))
    ap.add_argument("--scenarios", default="S1,S2,S3,S8")
    ap.add_argument("--rates", default="500,1000,2000", help="S1 offered rates, starts/s")
    ap.add_argument("--producers", type=int, default=4, help="S1 producer processes (S2 stays one)")
    ap.add_argument("--duration", type=float, default=5.0, help="S1 seconds per rate")
    ap.add_argument("--s2-seconds", type=float, default=5.0)
    ap.add_argument("--n", type=int, default=10000, help="S3 runs")
    ap.add_argument("--s8-n", type=int, default=2000, help="S8 runs")
    ap.add_argument("--s8-deadline", type=float, default=60.0, help="S8: seconds after the kill before unfinished runs count as lost")
    ap.add_argument("--visibility-timeout", type=float, default=5.0)
    ap.add_argument("--concurrency", type=int, default=2)
    ap.add_argument("--s10-n", type=int, default=1000, help="S10 beat entries")
    ap.add_argument("--s10-period", type=float, default=10.0, help="S10 period of every entry, s")
    ap.add_argument("--s10-fires", type=int, default=7, help="S10 fires measured per entry")
    ap.add_argument("--timeout", type=float, default=300.0, help="per-phase timeout, s")
    ap.add_argument("--out", help="append JSON lines here")
    ap.add_argument("--log-dir", default="/tmp")
    ap.add_argument("--keep-data", action="store_true", help="leave the Redis db as it is at the end (debugging)")
    args = ap.parse_args()
    args.rates = [float(x) for x in args.rates.split(",") if x]

    signal.signal(signal.SIGTERM, _cleanup)
    signal.signal(signal.SIGINT, _cleanup)
    os.environ["PEERS_REDIS_URL"] = args.redis_url
    scenarios = [s.strip().upper() for s in args.scenarios.split(",") if s.strip()]
    # Crash mode changes the app's configuration at import time.
    os.environ["PEERS_CRASH"] = "0"
    sys.path.insert(0, HERE)
    import redis
    import peer_tasks as pt
    r = redis.Redis.from_url(args.redis_url)
    try:
        for s in scenarios:
            {"S1": s1, "S2": s2, "S3": s3, "S8": s8, "S10": s10}[s](args, pt, r)
    finally:
        for w in list(_CHILDREN):
            w.kill()
        if not args.keep_data:
            r.flushdb()


if __name__ == "__main__":
    main()
