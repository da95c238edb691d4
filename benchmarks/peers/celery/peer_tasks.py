"""Celery app and the no-op step task used by bench_celery.py.

Configuration comes from environment variables so that the driver and the
worker subprocess (started with `celery -A peer_tasks worker`) agree:
  PEERS_REDIS_URL   redis://127.0.0.1:6380/9  (broker and result backend)
  PEERS_CRASH=1     at-least-once settings for S8 (acks_late,
                    task_reject_on_worker_lost, short visibility_timeout) and
                    per-step execution counters
  PEERS_VISIBILITY  visibility_timeout in seconds for S8 (default 5)
"""
import os

import redis
from celery import Celery

REDIS_URL = os.environ.get("PEERS_REDIS_URL", "redis://127.0.0.1:6380/9")
CRASH = os.environ.get("PEERS_CRASH") == "1"
QUEUE = "bench"
DONE_KEY = "peers:done"  # INCR by the last step of every run
STEPS_KEY = "peers:steps"  # HINCRBY "<run>:<step>" in crash mode
EXECS_KEY = "peers:execs"  # INCR by every step execution in crash mode
DONESET_KEY = "peers:doneset"  # SADD run id by the last step in crash mode

app = Celery("peers", broker=REDIS_URL, backend=REDIS_URL)
app.conf.update(
    task_default_queue=QUEUE,
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    worker_hijack_root_logger=False,
    broker_connection_retry_on_startup=True,
)
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
