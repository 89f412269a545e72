"""Races, one way: several people doing the same thing at the same moment.

`at_once` runs each attempt in a thread of its own, with its own app context, database
session and connection, as separate requests would. An attempt first loads what its person
had open (the page, the version they saw) and returns its move; every move starts at the
same moment (a barrier). A move that returns is committed and counts as what it returned;
one refused (a `Refusal`, or the exceptions given) is rolled back and counts as its
message. Anything else fails the test where it is raised, not as a missing outcome.

`requests_at_once` does the same with test clients: each attempt prepares its browser (a
form's token) and returns the request to send, all sent at the same moment.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import contextmanager

from portal import i18n
from portal.extensions import db
from portal.refusals import Refusal

Move = Callable[[], object]


def at_once(app, attempts: list[Callable[[], Move]], *, refused: tuple = (),
            timeout: float = 60, context: Callable | None = None) -> list:
    """The outcomes of the attempts' moves, sorted: what each move returned ("done" for
    None) or the message of its refusal. `context()` wraps each thread (default: an app
    context in English)."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list = []
    errors: list[BaseException] = []
    refusals = (Refusal, *refused)

    def run(attempt: Callable[[], Move]) -> None:
        with context() if context else _english(app):
            try:
                move = attempt()
                barrier.wait(timeout)
                try:
                    result = move()
                    db.session.commit()
                    outcomes.append("done" if result is None else result)
                except refusals as refusal:
                    db.session.rollback()
                    outcomes.append(getattr(refusal, "message", None) or str(refusal))
            except threading.BrokenBarrierError:
                pass  # another attempt failed first: its error is reported
            except BaseException as exc:  # reported in the test's thread
                errors.append(exc)
                barrier.abort()
            finally:
                db.session.remove()

    _join([threading.Thread(target=run, args=(attempt,)) for attempt in attempts], timeout)
    if errors:
        raise errors[0]
    return sorted(outcomes, key=str)


def requests_at_once(app, attempts: list[Callable], *, timeout: float = 60) -> list:
    """Each attempt is `attempt(client)`: it prepares a fresh test client and returns the
    request to send; all are sent at the same moment. Returns the responses in the
    attempts' order."""
    barrier = threading.Barrier(len(attempts))
    responses: list = [None] * len(attempts)
    errors: list[BaseException] = []

    def run(index: int, attempt: Callable) -> None:
        try:
            send = attempt(app.test_client())
            barrier.wait(timeout)
            responses[index] = send()
        except threading.BrokenBarrierError:
            pass
        except BaseException as exc:  # reported in the test's thread
            errors.append(exc)
            barrier.abort()

    _join([threading.Thread(target=run, args=pair) for pair in enumerate(attempts)],
          timeout)
    if errors:
        raise errors[0]
    return responses


@contextmanager
def _english(app):
    with app.app_context(), i18n.locale("en"):
        yield


def _join(threads: list[threading.Thread], timeout: float) -> None:
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout * 2)
        assert not thread.is_alive(), "an attempt did not finish"
