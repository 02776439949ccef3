"""The sandbox of ``sendkit-tui --demo`` in a process of its own, beside the app.

In the app's process the sandbox (starlette, uvicorn, 250 sample leads) was started before
the app, and then shared the interpreter with it: every start paid for both, one after the
other. Here the app binds the listening socket itself (so its URL is known at once and the
first page can be asked for straight away: the request waits in the socket's queue), hands
it to a child process that serves it, and goes on loading Textual on the other core.

The child stops when the app closes its end of a pipe (the app quit, or was killed: the
operating system closes the pipe either way), so no server outlives the demo.

Light on purpose: the app imports this module, so it must not import starlette or uvicorn.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading

# A fixed, obviously fake workspace key for `sendkit-tui --demo`.
DEMO_WORKSPACE_KEY = "sk_demo_" + "0123456789abcdef" * 2 + "01234567"
SEED_ENV = "SENDKIT_DEMO_SEED"


class DemoSandbox:
    """The parent's side: ``start()``, ``url``, ``stop()``; a context manager too."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._sock: socket.socket | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self) -> DemoSandbox:
        from sendkit_tui.sandbox.listen import bind

        sock = bind("127.0.0.1", 0)
        env = {**os.environ, SEED_ENV: str(self.seed)}
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "sendkit_tui.sandbox.companion", str(sock.fileno())],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                pass_fds=(sock.fileno(),),
                env=env,
                start_new_session=True,  # ctrl+c in the terminal is the app's, not the child's
            )
        except OSError:
            sock.close()
            raise
        self._sock = sock
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        return self

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stop(self) -> None:
        proc, sock = self._proc, self._sock
        self._proc = self._sock = None
        if proc is not None:
            with contextlib.suppress(OSError):
                if proc.stdin is not None:
                    proc.stdin.close()  # the child's signal to stop
            try:
                proc.wait(3)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(3)
        if sock is not None:
            sock.close()

    def __enter__(self) -> DemoSandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(fd: int) -> int:
    """The child: serve the demo workspace on the inherited socket until stdin closes."""
    from sendkit_tui.sandbox.server import SandboxServer

    sock = socket.socket(fileno=fd)
    seed = int(os.environ.get(SEED_ENV, "250"))
    server = SandboxServer(api_key=DEMO_WORKSPACE_KEY, seed=seed).start(sock=sock)
    done = threading.Event()

    def watch() -> None:
        with contextlib.suppress(OSError):
            while sys.stdin.buffer.read(4096):
                pass
        done.set()

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    done.wait()
    server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(serve(int(sys.argv[1])))
