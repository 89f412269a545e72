"""Bulk work (letter runs, imports): run in-process or on RQ workers, report progress."""
from __future__ import annotations

from datetime import datetime

import click
from flask import current_app
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal import domains
from portal.extensions import db
from portal.models import TimestampMixin, UTCDateTime


class Job(TimestampMixin, db.Model):
    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(20), default="queued")  # queued|running|done|failed
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    params: Mapped[str] = mapped_column(Text, default="{}")
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def percent(self) -> int:
        return int(100 * (self.done + self.failed) / self.total) if self.total else 0


# --- Running bulk work -----------------------------------------------------------------
# In-process by default; on RQ workers (`flask jobs worker`) when REDIS_URL is set and
# JOBS_INLINE is off, so that workers on several machines share the work of one job.


def use_rq(app=None) -> bool:

    config = (app or current_app).config
    return bool(config.get("REDIS_URL")) and not config.get("JOBS_INLINE")


def rq_reachable(app=None) -> bool:
    """Whether the queue's Redis answers right now (within a second). When it does not,
    bulk work falls back to this process rather than waiting on a queue nobody reads."""
    # Imported here like the other RQ helpers: redis only matters when REDIS_URL is set.
    from flask import current_app
    from redis import Redis  # as above
    from redis.exceptions import RedisError  # as above

    try:
        return bool(Redis.from_url((app or current_app).config["REDIS_URL"],
                                   socket_connect_timeout=1, socket_timeout=1).ping())
    except (RedisError, OSError):
        return False


_clients: dict[str, object] = {}


def redis_connection(app=None):
    """The Redis client of REDIS_URL, one per process and address: its connection pool is
    reused by every request that queues a job (a new client would connect anew each time;
    redis-py starts a fresh pool in a forked child)."""
    # RQ and Redis are imported only when a deployment uses them (REDIS_URL): importing
    # rq costs every process ~0.35 s, letter workers and command-line runs included.
    from redis import Redis

    url = (app or current_app).config["REDIS_URL"]
    client = _clients.get(url)
    if client is None:
        client = _clients[url] = Redis.from_url(url)
    return client


def queue(app=None):
    from rq import Queue  # only with REDIS_URL, see redis_connection()

    app = app or current_app
    return Queue(app.config["RQ_QUEUE"], connection=redis_connection(app),
                 default_timeout=3600)


def picklable_config(app) -> dict:
    """The app's settings that a spawned process needs to build the same app."""
    return {k: v for k, v in app.config.items()
            if isinstance(v, str | int | float | bool | type(None))}


def add_counts(job_id: int, done: int = 0, failed: int = 0, error: str | None = None) -> None:
    """Progress of a job, added atomically: several workers may report at once."""
    values = {"done": Job.done + done, "failed": Job.failed + failed}
    if error:
        values["error"] = db.func.coalesce(Job.error, "") + error
    db.session.execute(db.update(Job).where(Job.id == job_id).values(**values))


def init_app(app) -> None:
    """The `flask jobs` commands."""
    @app.cli.group("jobs", help="Background job workers.")
    def jobs_group():
        pass

    @jobs_group.command("worker")
    @click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
    def worker(burst: bool):
        """Work on the RQ queue of this portal (REDIS_URL), in this process (as
        `python worker.py`)."""
        try:
            work(app, burst=burst)
        except NoQueue as exc:
            raise click.ClickException(str(exc)) from None


class NoQueue(RuntimeError):
    """REDIS_URL is not set: there is no queue to work on."""


def work(app, burst: bool = False) -> None:
    """Work on the portal's RQ queue in this process (an app context pushed), until stopped
    or, with `burst`, until the queue is empty. The worker entry point (worker.py) and
    `flask jobs worker` both run this."""
    from rq import SimpleWorker  # only with REDIS_URL, see redis_connection()

    if not app.config.get("REDIS_URL"):
        raise NoQueue("REDIS_URL is not set: jobs run in-process.")
    # SimpleWorker runs jobs in this process: no fork after WeasyPrint is loaded, and
    # the fonts and layouts a worker has cached serve every job it takes.
    if not app.testing:
        # What the domains do before a worker of its own takes its first job.
        for ready in domains.declared(app, "queue_worker_ready"):
            ready()
    SimpleWorker([queue(app)], connection=redis_connection(app)).work(
        burst=burst, with_scheduler=False)
