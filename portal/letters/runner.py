"""Where a letter run's batches are rendered: in this process, in a pool of spawned
processes (LETTER_WORKERS), or on RQ workers when REDIS_URL is set."""
from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
from collections.abc import Callable

from flask import current_app
from redis.exceptions import RedisError

from portal import audit, jobs
from portal.extensions import db
from portal.jobs import Job
from portal.letters import limits, runs

log = logging.getLogger(__name__)
_threads: dict[int, threading.Thread] = {}
_worker_app = None
_claims = None  # in a pool worker: (the next batch's index, batches to do, batches done)


def execute(job_id: int, progress: Callable[[], None] | None = None,
            take_part: bool = True) -> None:
    """Start or resume a run. In-process it returns when the run is over; with RQ, once the
    pending batches are queued. With LETTER_WORKERS processes, this process is one of them
    (`take_part`, not in a web process): it has the portal loaded already, while a spawned
    worker first spends seconds importing it, so it renders batches from the start and
    spares the start-up of one worker."""
    job = db.session.get(Job, job_id)
    todo = runs.prepare(job)
    if not todo:
        if runs.claim_finish(job_id):
            runs.finish(job_id)
        return
    if jobs.use_rq():
        try:
            if not jobs.rq_reachable():
                raise RedisError("no answer")
            queue = jobs.queue()
            for number in todo:
                queue.enqueue(runs.rq_batch, job_id, number, job_timeout=3600,
                              description=f"letter run {job_id}, batch {number + 1}")
            return
        except RedisError as exc:
            # Batches already queued and rendered here too are archived once (one letter
            # per run and person); the rest simply run here.
            _falling_back(job_id, exc)
    progress = progress or (lambda: None)
    workers = min(current_app.config["LETTER_WORKERS"], len(todo))
    if workers <= 1:
        for number in todo:
            runs.run_batch(job_id, number)
            progress()
        return
    context = multiprocessing.get_context("spawn")  # never fork a process holding WeasyPrint
    if not take_part:
        with context.Pool(workers, initializer=current_app.extensions["start_worker"],
                          initargs=(jobs.picklable_config(current_app), _init_worker)) as pool:
            for _ in pool.imap_unordered(_pool_batch, [(job_id, n) for n in todo]):
                progress()
        return
    # Batches are claimed one at a time from a shared counter, by this process and by the
    # spawned ones alike, in print order.
    claims = (context.Value("i", 0), list(todo), context.Queue())
    with context.Pool(workers - 1, initializer=current_app.extensions["start_worker"],
                      initargs=(jobs.picklable_config(current_app), _init_worker,
                                claims)) as pool:
        drained = pool.map_async(_pool_drain, [job_id] * (workers - 1))
        while (number := _claim(claims)) is not None:
            runs.run_batch(job_id, number)
            progress()
            _reported(claims, progress, wait=0)
        while not drained.ready():
            _reported(claims, progress, wait=0.2)
        drained.get()  # a worker's own failure (not a batch's: those are recorded)
        _reported(claims, progress, wait=0)


def _claim(claims) -> int | None:
    counter, todo, _done = claims
    with counter.get_lock():
        index = counter.value
        if index >= len(todo):
            return None
        counter.value = index + 1
    return todo[index]


def _reported(claims, progress: Callable[[], None], wait: float) -> None:
    """Calls `progress` for every batch the workers finished since the last call."""
    done = claims[2]
    try:
        done.get(timeout=wait) if wait else done.get_nowait()
    except queue.Empty:
        return
    progress()
    while True:
        try:
            done.get_nowait()
        except queue.Empty:
            return
        progress()


def _pool_drain(job_id: int) -> None:
    while (number := _claim(_claims)) is not None:
        limits.cap_worker_memory()  # for each batch, as _pool_batch
        try:
            runs.run_batch(job_id, number)
        finally:
            db.session.remove()
        _claims[2].put(number)


def _falling_back(job_id: int, exc: BaseException) -> None:
    log.warning("letter run %s: job queue unreachable (%s); running in this process",
                job_id, type(exc).__name__)
    audit.record(None, "letters.run_fallback", ("Job", job_id),
                 reason=f"job queue unreachable: {type(exc).__name__}")
    db.session.commit()


def _init_worker(app, claims=None) -> None:
    """A pool worker's own set-up, once its app is built (portal.start_worker)."""
    global _worker_app, _claims
    _claims = claims
    _worker_app = app
    limits.mark_dedicated()


def _pool_batch(args: tuple[int, int]) -> None:
    limits.cap_worker_memory()
    try:
        runs.run_batch(*args)
    finally:
        db.session.remove()


def launch(job_id: int) -> str:
    """Start a run from a web request: queued on RQ ("queued"), or in a thread of this
    process ("here"; "fallback" when RQ is configured but its Redis does not answer)."""
    fallback = False
    if jobs.use_rq():
        if jobs.rq_reachable():
            execute(job_id)
            return "queued"
        fallback = True
    app = current_app._get_current_object()

    def main():
        with app.app_context():
            execute(job_id, take_part=False)  # the web process renders nothing itself

    thread = threading.Thread(target=main, name=f"letter-run-{job_id}", daemon=True)
    _threads[job_id] = thread
    thread.start()
    return "fallback" if fallback else "here"


def running_here(job_id: int) -> bool:
    thread = _threads.get(job_id)
    return thread is not None and thread.is_alive()


def wait_here(job_id: int, timeout: float | None = None) -> None:
    thread = _threads.get(job_id)
    if thread is not None:
        thread.join(timeout)
