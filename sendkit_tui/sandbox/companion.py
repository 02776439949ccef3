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
import signal
import socket
import subprocess
import sys
import threading
import time

# A fixed, obviously fake workspace key for `sendkit-tui --demo`.
DEMO_WORKSPACE_KEY = "sk_demo_" + "0123456789abcdef" * 2 + "01234567"
SEED_ENV = "SENDKIT_DEMO_SEED"


class DemoSandbox:
    """The parent's side: ``start()``, ``url``, ``pid``, ``stop()``; a context manager too.

    On Linux the child is a fork of this process, made before it has loaded anything but
    the command line (no threads yet): it skips Python's own start and the imports both
    need, and answers the first page about 150 ms after launch instead of 230 (the list is
    ready at about 240). Elsewhere (forking once system libraries are loaded is unsafe on
    macOS) it is a new interpreter: ``python -m sendkit_tui.sandbox.companion``.
    """

    def __init__(self, seed: int, *, fork: bool | None = None) -> None:
        """``fork``: True or False to choose how the child is made (tests); None: fork on
        Linux while this process has one thread (a fork copies only the calling thread,
        and a lock another thread held would stay locked in the child forever)."""
        self.seed = seed
        self.fork = fork
        self._sock: socket.socket | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._pid: int | None = None  # a forked child
        self._pipe: int | None = None  # our end of its pipe (closed: it stops)
        self.url = ""

    def start(self) -> DemoSandbox:
        from sendkit_tui.sandbox.listen import bind

        sock = bind("127.0.0.1", 0)
        try:
            fork = self.fork
            if fork is None:
                fork = sys.platform.startswith("linux") and threading.active_count() == 1
            if fork:
                self._fork(sock)
            else:
                self._spawn(sock)
        except OSError:
            sock.close()
            raise
        self._sock = sock
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        return self

    def _spawn(self, sock: socket.socket) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "sendkit_tui.sandbox.companion", str(sock.fileno())],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(sock.fileno(),),
            env={**os.environ, SEED_ENV: str(self.seed)},
            start_new_session=True,  # ctrl+c in the terminal is the app's, not the child's
        )

    def _fork(self, sock: socket.socket) -> None:
        read_end, write_end = os.pipe()  # not inherited by programs this app runs later
        pid = os.fork()
        if pid == 0:  # the child: never returns
            status = 1
            try:
                os.setsid()  # ctrl+c in the terminal is the app's, not the child's
                null = os.open(os.devnull, os.O_RDWR)
                os.dup2(read_end, 0)
                os.dup2(null, 1)
                os.dup2(null, 2)
                keep = sock.fileno()
                os.closerange(3, keep)  # the terminal and anything else the app holds
                os.closerange(keep + 1, MAX_FD)
                os.environ[SEED_ENV] = str(self.seed)
                import gc

                gc.enable()  # the app pauses it for its own start
                status = serve(keep)
            finally:
                os._exit(status)
        os.close(read_end)
        self._pid, self._pipe = pid, write_end

    @property
    def pid(self) -> int | None:
        if self._proc is not None:
            return self._proc.pid
        return self._pid

    @property
    def running(self) -> bool:
        if self._proc is not None:
            return self._proc.poll() is None
        if self._pid is None:
            return False
        with contextlib.suppress(ChildProcessError):
            if os.waitpid(self._pid, os.WNOHANG)[0] == 0:
                return True
        self._pid = None  # reaped
        return False

    def stop(self) -> None:
        proc, sock, pid, pipe = self._proc, self._sock, self._pid, self._pipe
        self._proc = self._sock = self._pid = self._pipe = None
        if proc is not None:
            with contextlib.suppress(OSError):
                if proc.stdin is not None:
                    proc.stdin.close()  # the child's signal to stop
            try:
                proc.wait(3)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(3)
        if pipe is not None:
            with contextlib.suppress(OSError):
                os.close(pipe)  # the child's signal to stop
        if pid is not None:
            _reap(pid, 3)
        if sock is not None:
            sock.close()

    def __enter__(self) -> DemoSandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


MAX_FD = 65536  # file descriptors above this are not looked at when the child closes them


def _reap(pid: int, timeout: float) -> None:
    """Wait for a forked child to exit, ``timeout`` seconds at most, then kill it."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return  # reaped already
        if done:
            return
        if time.monotonic() > deadline:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            return
        time.sleep(0.01)


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
