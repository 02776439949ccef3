"""A process on a pseudo-terminal of 120x40, read and typed into as a user's terminal would.

``Pty`` spawns a command (new session, so it can be killed with its children), keeps
everything it writes, and can wait for some text to arrive: ``wait_for`` returns the
``perf_counter()`` at which the chunk holding it was read. Keys are bytes written to the
terminal (``b"n"``, ``b"\\x13"`` for ctrl+s), parsed by Textual's own input driver.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Mapping, Sequence

from benchmarks.common import ROOT, SIZE

CTRL_S = b"\x13"
ESCAPE_TIMEOUT = 0.12  # s: Textual's wait after a lone escape before it is a key


class Pty:
    def __init__(self, command: Sequence[str], env: Mapping[str, str]) -> None:
        master, slave = pty.openpty()
        cols, rows = SIZE
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            list(command),
            cwd=ROOT,
            env={**env, "TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows)},
            stdin=slave,
            stdout=slave,
            stderr=slave,  # Textual draws on stderr
            start_new_session=True,
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self.last_read = self.started
        self.closed = False

    def _read(self, timeout: float) -> float | None:
        """Read one chunk (waiting at most ``timeout`` s); the time it was read, or None."""
        ready, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not ready:
            return None
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # the child exited
            chunk = b""
        if not chunk:
            self.closed = True
            raise ProcessExited(self.proc.args, bytes(self.output[-2000:]))
        self.output += chunk
        self.last_read = time.perf_counter()
        return self.last_read

    def wait_for(self, text: bytes, timeout: float = 30.0, *, after: int = 0) -> float:
        """``perf_counter()`` when ``text`` had reached the terminal (searched from byte
        ``after`` of the output); raises TimeoutError if it does not within ``timeout``."""
        deadline = time.perf_counter() + timeout
        while self.output.find(text, after) < 0:
            if self._read(deadline - time.perf_counter()) is None:
                raise TimeoutError(f"{text!r} not shown in {timeout} s")
        return self.last_read

    def drain(self, seconds: float) -> None:
        """Keep reading (so the child never blocks on a full terminal) for ``seconds``."""
        deadline = time.perf_counter() + seconds
        while (left := deadline - time.perf_counter()) > 0:
            self._read(left)

    def type(self, keys: bytes) -> float:
        """Write ``keys`` at once, as a fast typist's burst; the time they were written."""
        os.write(self.master, keys)
        return time.perf_counter()

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):  # exit time is not part of any figure
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        os.close(self.master)

    def __enter__(self) -> Pty:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ProcessExited(RuntimeError):
    def __init__(self, args: object, tail: bytes) -> None:
        super().__init__(f"{args} exited; its last output: {tail!r}")
