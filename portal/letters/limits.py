"""Time and memory limits on rendering one letter (LETTER_RENDER_TIMEOUT,
LETTER_RENDER_MAX_MEMORY): a letter whose rendering runs too long or grows too big is
stopped and fails alone, with a reason; the rest goes on.

- A letter rendered on request (WeasyPrint, the whole document) is rendered in a child
  forked for it: the child's address space is capped (RLIMIT_AS) and the parent kills it
  at the deadline. Forking costs a few milliseconds next to a render's hundreds.
- In a letter run each letter is only composed into the run's laid-out template, a few
  milliseconds each: a fork per letter would double a run's time. There the limits act in
  the process that renders: a timer interrupts the letter (SIGALRM in a process's main
  thread, as in letter workers and RQ workers; an asynchronous exception in a thread), and
  the address space of dedicated letter worker processes is capped once at their start,
  so that an oversized letter ends in a MemoryError that fails that letter only.
"""
from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import pickle
import resource
import select
import signal
import socket
import stat
import threading
import time

from flask import current_app
from flask_babel import gettext as _

from portal.extensions import db
from portal.refusals import Refusal

log = logging.getLogger(__name__)
MB = 1024 * 1024


class RenderLimitExceeded(Refusal):
    """A letter's rendering was stopped: `limit` is "time" or "memory". str() is the
    reason a run report prints; `message` the translated text a user reads."""

    def __init__(self, limit: str, detail: str):
        super().__init__(_("This letter could not be made: its rendering was stopped "
                           "because it took too long or needed too much memory. Nothing "
                           "was saved; please tell the service desk."))
        self.limit = limit
        self.detail = detail

    def __str__(self) -> str:
        return self.detail

    def __reduce__(self):
        return type(self), (self.limit, self.detail)


class _Interrupted(BaseException):
    """Raised inside a letter whose time is up; BaseException, so nothing swallows it."""


def timeout() -> float:
    return float(current_app.config.get("LETTER_RENDER_TIMEOUT") or 0)


def max_memory() -> int:
    return int(current_app.config.get("LETTER_RENDER_MAX_MEMORY") or 0) * MB


def _too_long(seconds: float) -> RenderLimitExceeded:
    return RenderLimitExceeded("time", f"rendering stopped after {seconds:g} s "
                                       "(LETTER_RENDER_TIMEOUT)")


def _too_big(limit: int) -> RenderLimitExceeded:
    return RenderLimitExceeded("memory", f"rendering stopped: it needed more than "
                                         f"{limit // MB} MB (LETTER_RENDER_MAX_MEMORY)")


def _address_space() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[0]) * resource.getpagesize()


def cap_memory(extra: int) -> None:
    """Cap this process's address space at its present size plus `extra` bytes."""
    if extra > 0:
        limit = _address_space() + extra
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(
            resource.RLIMIT_AS)[1]))


_dedicated = False


def mark_dedicated() -> None:
    """This process does nothing but render letters (a run's pool worker, `flask jobs
    worker`): its address space may be capped for each batch."""
    global _dedicated
    _dedicated = True


def cap_worker_memory() -> None:
    """Cap a dedicated letter worker's address space; a process that does other work too
    (the web process, a test run that works the queue in-process) is left alone, since a
    cap there would also stop its threads and requests."""
    if _dedicated:
        cap_memory(max_memory())


# --- on request: in a forked child -------------------------------------------------------

def isolated(fn, *args, **kwargs):
    """`fn(*args, **kwargs)` in a forked child under the limits; its result (pickled) or
    its exception comes back. Without limits configured it simply runs here."""
    seconds, memory = timeout(), max_memory()
    if not seconds and not memory:
        return fn(*args, **kwargs)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(write_end, memory, fn, args, kwargs)
    os.close(write_end)
    try:
        data = _read_until(read_end, pid, seconds)
    finally:
        os.close(read_end)
    _pid, status = os.waitpid(pid, 0)
    if not data:  # the child died without an answer: killed by the kernel or a library
        log.warning("letter render child ended without a result (status %s)", status)
        raise _too_big(memory)
    outcome, value = pickle.loads(data)  # noqa: S301 (our own child's answer)
    if outcome == "memory":
        raise _too_big(memory)
    if outcome == "error":
        raise value
    return value


def _child(write_end: int, memory: int, fn, args, kwargs) -> None:
    code = 0
    try:
        _close_sockets()
        _own_pool()
        try:
            cap_memory(memory)
            answer = ("ok", fn(*args, **kwargs))
        except MemoryError:
            answer = ("memory", None)
        except BaseException as exc:  # handed to the parent, which raises it
            answer = ("error", exc)
        if answer[0] == "error":
            answer = ("error", _portable(answer[1]))
        data = pickle.dumps(answer)
        with os.fdopen(write_end, "wb") as out:
            out.write(data)
    except BaseException:
        code = 1
    finally:
        # No atexit handlers, no flushing of buffers or connections the parent owns.
        os._exit(code)


def _own_pool() -> None:
    """Give the child a database pool of its own: a connection it needs beyond the one its
    request holds (which the parent leaves alone while it waits) is a new one, never a
    pooled connection another thread of the parent may be using at this moment."""
    with contextlib.suppress(RuntimeError):  # no application context: no database here
        db.engine.dispose(close=False)


def _close_sockets() -> None:
    """Close the child's copies of the server's sockets: the listening ones and the
    clients' connections (those with a listening socket's address). A client's
    connection kept alive by a threaded server, still open here when the parent closes
    its own copy, would stay half alive, and this child's exit would then reset the
    client's next request. Other sockets (the database's) stay: the render may read
    through its request's connection while the parent waits."""
    found = {}
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        with contextlib.suppress(OSError):
            if not stat.S_ISSOCK(os.fstat(fd).st_mode):
                continue
            probe = socket.socket(fileno=os.dup(fd))
            try:
                listening = probe.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
                found[fd] = (bool(listening), probe.getsockname())
            finally:
                probe.close()
    addresses = {address for listening, address in found.values() if listening}
    for fd, (listening, address) in found.items():
        if listening or address in addresses:
            with contextlib.suppress(OSError):
                os.close(fd)


def _portable(exc: BaseException) -> BaseException:
    """`exc`, or the nearest of its classes (the portal's first) that survives pickling
    with its message: a class defined inside a function cannot travel."""
    classes = sorted(type(exc).__mro__, key=lambda c: not c.__module__.startswith("portal"))
    for cls in classes:
        if not issubclass(cls, BaseException):
            continue
        try:
            candidate = exc if cls is type(exc) else cls(str(exc))
            pickle.loads(pickle.dumps(candidate))  # noqa: S301 (our own object)
        except Exception:  # noqa: S112 (try the next class)
            continue
        return candidate
    return RuntimeError(f"{type(exc).__name__}: {exc}")


def _read_until(fd: int, pid: int, seconds: float) -> bytes:
    deadline = time.monotonic() + seconds if seconds else None
    chunks = []
    while True:
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise _too_long(seconds)
        ready, _w, _x = select.select([fd], [], [], remaining)
        if ready:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


# --- in a letter run: in the rendering process ---------------------------------------------

@contextlib.contextmanager
def guarded():
    """Limits around one letter of a run: time by a timer, memory by the process's cap
    (a MemoryError). Raises RenderLimitExceeded; other errors pass unchanged."""
    seconds = timeout()
    try:
        with _timer(seconds):
            yield
    except _Interrupted:
        raise _too_long(seconds) from None
    except MemoryError:
        raise _too_big(max_memory()) from None


@contextlib.contextmanager
def _timer(seconds: float):
    if not seconds:
        yield
        return
    if threading.current_thread() is threading.main_thread():
        # An RQ worker times its job with the same timer: keep its deadline.
        outer, outer_interval = signal.getitimer(signal.ITIMER_REAL)
        if outer and outer <= seconds:  # the outer deadline comes first anyway
            yield
            return

        def ring(_signum, _frame):
            raise _Interrupted

        previous = signal.signal(signal.SIGALRM, ring)
        started = time.monotonic()
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            if outer:
                signal.setitimer(signal.ITIMER_REAL,
                                 max(outer - (time.monotonic() - started), 0.001),
                                 outer_interval)
        return
    # A thread cannot receive a signal of its own: a watchdog raises in it instead, at
    # its next Python instruction.
    target = ctypes.c_ulong(threading.get_ident())
    done = threading.Event()
    lock = threading.Lock()

    def ring():
        with lock:
            if not done.is_set():
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target,
                                                           ctypes.py_object(_Interrupted))

    watchdog = threading.Timer(seconds, ring)
    watchdog.daemon = True
    watchdog.start()
    try:
        yield
    finally:
        with lock:
            done.set()
            watchdog.cancel()
        # An exception set at the very end and not yet raised is taken back.
        ctypes.pythonapi.PyThreadState_SetAsyncExc(target, None)
