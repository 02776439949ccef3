"""The OS keyring, called off the event loop with a timeout; every failure made an outcome.

``keyring`` is imported lazily, inside a worker thread: importing it and detecting a backend
cost a quarter of a second, and on a broken D-Bus either can hang. Every keyring call runs in
its own daemon thread with a timeout (3 s by default, like gh), so a hung call never blocks the
event loop nor the interpreter's exit. An unavailable keyring (fail/null backend, an empty
chainer, any keyring error or ``RuntimeError``, a timeout) never raises out of this module: it
is an ``Outcome`` that says which it was (``absent``: no keyring here at all; ``locked``: a
keyring that is there but locked), with a reason that never quotes the backend's message
(it might hold the key).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

NONE_HERE = "No system keyring is available here"
LOCKED = "The system keyring is locked"


@dataclass(frozen=True)
class Outcome:
    """What one keyring call came to; ``reason`` is a clause without a final period."""

    available: bool
    backend: str
    reason: str | None = None
    value: Any = field(default=None, repr=False)  # may be the key itself
    absent: bool = False  # no keyring at all here (as opposed to one that failed)
    locked: bool = False  # a keyring that is there, but locked (nothing could be read)


class KeyringCaller:
    """Runs keyring operations one at a time in daemon threads, each within ``timeout``."""

    def __init__(self) -> None:
        self._stuck: threading.Thread | None = None  # a keyring call that timed out

    async def call(self, op: Callable[[Any], Any] | None, timeout: float) -> Outcome:
        """Run ``op(backend)`` (None: only find the backend) in a daemon thread, waiting at
        most ``timeout`` seconds; while an earlier call hangs, no new thread is started."""
        if self._stuck is not None and self._stuck.is_alive():
            return Outcome(False, "unknown", timeout_reason(timeout))
        self._stuck = None
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Outcome] = loop.create_future()

        def deliver(outcome: Outcome) -> None:
            if not future.done():
                future.set_result(outcome)

        def target() -> None:
            outcome = call_keyring(op)
            with contextlib.suppress(RuntimeError):  # the loop may be closed by now
                loop.call_soon_threadsafe(deliver, outcome)

        thread = threading.Thread(target=target, name="sendkit-keyring", daemon=True)
        thread.start()
        try:
            outcome = await asyncio.wait_for(future, timeout)
        except TimeoutError:
            self._stuck = thread
            outcome = Outcome(False, "unknown", timeout_reason(timeout))
        if not outcome.available:
            log.info("keyring unavailable: %s", outcome.reason)
        return outcome


def timeout_reason(timeout: float) -> str:
    return f"The system keyring did not answer within {timeout:g} seconds"


def call_keyring(op: Callable[[Any], Any] | None) -> Outcome:
    """In the worker thread: import keyring, find the backend, run ``op``. Never raises."""
    try:
        import keyring
        from keyring.backends import chainer, fail, null
    except Exception as error:
        return Outcome(False, "none", f"The keyring package could not load ({_kind(error)})")
    try:
        backend = keyring.get_keyring()
        name = str(getattr(backend, "name", type(backend).__name__))
        if isinstance(backend, fail.Keyring):
            return Outcome(False, name, NONE_HERE, absent=True)
        if isinstance(backend, null.Keyring):
            return Outcome(False, name, "The system keyring is turned off here", absent=True)
        if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
            return Outcome(False, name, NONE_HERE, absent=True)
    except Exception as error:
        return failure(error, "unknown")
    if op is None:
        return Outcome(True, name)
    try:
        return Outcome(True, name, value=op(backend))
    except Exception as error:
        return failure(error, name)


def failure(error: Exception, backend: str) -> Outcome:
    """The outcome of a keyring exception; its text is never used (it might quote the key)."""
    from keyring.errors import InitError, KeyringLocked, NoKeyringError

    if isinstance(error, NoKeyringError):
        return Outcome(False, backend, NONE_HERE, absent=True)
    if isinstance(error, KeyringLocked):
        return Outcome(False, backend, LOCKED, locked=True)
    if isinstance(error, InitError):
        return Outcome(False, backend, f"The system keyring ({backend}) could not start")
    return Outcome(False, backend, f"The system keyring ({backend}) failed ({_kind(error)})")


def _kind(error: BaseException) -> str:
    return type(error).__name__
