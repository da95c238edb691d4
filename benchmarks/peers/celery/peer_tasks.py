"""Celery app and the no-op step task used by bench_celery.py.

Configuration comes from environment variables so that the driver and the
worker subprocess (started with `celery -A peer_tasks worker`) agree:
  PEERS_REDIS_URL   redis://127.0.0.1:6380/9  (broker and result backend)
  PEERS_CRASH=1     at-least-once settings for S8 (acks_late,
                    task_reject_on_worker_lost, short visibility_timeout) and
                    per-step execution counters
  PEERS_VISIBILITY  visibility_timeout in seconds for S8 (default 5)
  PEERS_BEAT_N      S10: beat_schedule holds this many entries (peers.beat_tick)
  PEERS_BEAT_PERIOD S10: each entry's period in seconds (default 10)
"""
import os
import time
from datetime import timedelta

import redis
from celery import Celery
from celery.beat import PersistentScheduler
from celery.utils.time import maybe_make_aware

REDIS_URL = os.environ.get("PEERS_REDIS_URL", "redis://127.0.0.1:6380/9")
CRASH = os.environ.get("PEERS_CRASH") == "1"
QUEUE = "bench"
DONE_KEY = "peers:done"  # INCR by the last step of every run
STEPS_KEY = "peers:steps"  # HINCRBY "<run>:<step>" in crash mode
EXECS_KEY = "peers:execs"  # INCR by every step execution in crash mode
DONESET_KEY = "peers:doneset"  # SADD run id by the last step in crash mode
BEAT_KEY = "peers:beat"  # RPUSH "<entry> <nominal> <sent> <started>" by every S10 fire

app = Celery("peers", broker=REDIS_URL, backend=REDIS_URL)
app.conf.update(
    task_default_queue=QUEUE,
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    worker_hijack_root_logger=False,
    broker_connection_retry_on_startup=True,
)
# S10: N periodic tasks, as Celery users declare them (beat_schedule, a timedelta period).
BEAT_N = int(os.environ.get("PEERS_BEAT_N", "0"))
BEAT_PERIOD = float(os.environ.get("PEERS_BEAT_PERIOD", "10"))
app.conf.beat_schedule = {
    f"tick-{i:05d}": {"task": "peers.beat_tick", "schedule": timedelta(seconds=BEAT_PERIOD), "args": (f"tick-{i:05d}",)}
    for i in range(BEAT_N)
}
if CRASH:
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        broker_transport_options={
            "visibility_timeout": float(os.environ.get("PEERS_VISIBILITY", "5")),
        },
    )

_r = None


def _redis():
    global _r
    if _r is None:
        _r = redis.Redis.from_url(REDIS_URL)
    return _r


@app.task(name="peers.step")
def step(run_id, n):
    """A no-op step. Bookkeeping only: the last step counts the run as done;
    in crash mode every step counts its own executions."""
    r = _redis()
    if CRASH:
        p = r.pipeline(transaction=False)
        p.hincrby(STEPS_KEY, f"{run_id}:{n}", 1)
        p.incr(EXECS_KEY)
        if n == 3:
            p.sadd(DONESET_KEY, run_id)
        p.execute()
    if n == 3:
        r.incr(DONE_KEY)
    return None


class MeasuredScheduler(PersistentScheduler):
    """Celery's default scheduler, unchanged but for one thing: each fire carries its nominal time (the entry's last
    run + its period, which is when beat holds it due) and beat's send time, so the task can measure its lateness."""

    def apply_async(self, entry, producer=None, advance=True, **kwargs):
        if entry.task == "peers.beat_tick" and not advance:
            nominal = maybe_make_aware(entry.last_run_at).timestamp() + entry.schedule.run_every.total_seconds()
            entry = entry._next_instance(entry.last_run_at)
            entry.kwargs = {"nominal": nominal, "sent": time.time()}
        return super().apply_async(entry, producer=producer, advance=advance, **kwargs)


@app.task(name="peers.beat_tick")
def beat_tick(name, nominal=None, sent=None):
    """S10's periodic task: records when it started beside its nominal time and beat's send time."""
    _redis().rpush(BEAT_KEY, f"{name} {nominal} {sent} {time.time()}")
