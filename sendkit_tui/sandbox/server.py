"""Serving the sandbox: uvicorn in a daemon thread (tests, --demo) or in the foreground."""

from __future__ import annotations

import contextlib
import logging
import secrets
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any

import uvicorn

from sendkit_tui.sandbox.app import create_app
from sendkit_tui.sandbox.auth import Keys
from sendkit_tui.sandbox.dialects import describe
from sendkit_tui.sandbox.faults import RecordedRequest, make_fault
from sendkit_tui.sandbox.listen import bind
from sendkit_tui.sandbox.seed import WORKSPACES
from sendkit_tui.sandbox.state import SandboxState
from sendkit_tui.sandbox.wire import Clock

UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")


def quiet_uvicorn() -> None:
    """No access log, no tracebacks on the terminal (a TUI may be running on top)."""
    for name in UVICORN_LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers = [logging.NullHandler()]
        logger.propagate = False


class SandboxServer:
    """The SendKit stand-in on a real loopback port; see the package docstring."""

    def __init__(
        self,
        api_key: str | None = None,
        platform_key: str | None = None,
        db: str = ":memory:",
        seed: int = 0,
        docs_only: bool = False,
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Clock | None = None,
        dialects: Iterable[str] | None = None,
        rate_limit: float | None = None,
    ) -> None:
        api_key = api_key or "sk_test_" + secrets.token_hex(24)
        platform_key = platform_key or "sk_user_" + secrets.token_hex(24)
        if api_key.startswith("sk_user_"):
            raise ValueError("api_key must be a workspace key; pass sk_user_ keys as platform_key")
        if not platform_key.startswith("sk_user_"):
            raise ValueError("platform_key must start with sk_user_")
        keys = Keys(api_key, platform_key, tuple(w["id"] for w in WORKSPACES))
        self.state = SandboxState(
            keys=keys, db=db, seed=seed, docs_only=docs_only, clock=clock, dialects=dialects,
            rate_limit=rate_limit,
        )  # fmt: skip
        self.app = create_app(self.state)
        self.host = host
        self.port = port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()

    # --- lifecycle -----------------------------------------------------------------------

    def start(self, sock: socket.socket | None = None) -> SandboxServer:
        """Serve in a daemon thread; returns once connections are accepted.

        ``sock``: a socket already bound and listening (see ``companion``)."""
        with self._lock:
            if self._server is not None:
                return self
            quiet_uvicorn()
            if sock is None:
                sock = bind(self.host, self.port)
                self.port = sock.getsockname()[1]
            else:
                self.host, self.port = sock.getsockname()[:2]
            config = uvicorn.Config(
                self.app,
                log_config=None,
                log_level="critical",
                access_log=False,
                lifespan="off",
                http="h11",
                loop="asyncio",
                proxy_headers=False,
                server_header=False,
                timeout_graceful_shutdown=1,
            )
            server = uvicorn.Server(config)
            thread = threading.Thread(
                target=server.run, kwargs={"sockets": [sock]}, name="sendkit-sandbox", daemon=True
            )
            thread.start()
            deadline = time.monotonic() + 15
            while not server.started:
                if not thread.is_alive() or time.monotonic() > deadline:
                    server.should_exit = True
                    sock.close()
                    raise RuntimeError("the sandbox server did not start")
                time.sleep(0.005)
            self._server, self._thread, self._sock = server, thread, sock
        return self

    def stop(self) -> None:
        """Graceful and idempotent."""
        with self._lock:
            server, thread, sock = self._server, self._thread, self._sock
            self._server = self._thread = self._sock = None
        if server is None or thread is None:
            return
        server.should_exit = True
        thread.join(5)
        if thread.is_alive():
            server.force_exit = True
            thread.join(5)
        if sock is not None:
            sock.close()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:  # fmt: skip
        self.stop()

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    # --- state for tests -------------------------------------------------------------------

    @property
    def api_key(self) -> str:
        return self.state.keys.workspace_key

    @property
    def platform_key(self) -> str:
        return self.state.keys.platform_key

    @property
    def workspaces(self) -> list[dict[str, str]]:
        return self.state.workspaces

    @property
    def docs_only(self) -> bool:
        return self.state.docs_only

    @property
    def dialects(self) -> frozenset[str]:
        """The dialects being played now (``sandbox.dialects.NAMES``)."""
        return self.state.dialects

    def set_dialects(self, names: Iterable[str] | None) -> None:
        """Play these dialects (replacing the current ones) until the next ``reset()``."""
        self.state.set_dialects(names)

    @property
    def requests(self) -> list[RecordedRequest]:
        return self.state.log.snapshot()

    def clear_requests(self) -> None:
        self.state.log.clear()

    def inject(self, kind: str, *, count: int = 1, rate: float | None = None,
               method: str | None = None, path: str | None = None, status: int | None = None,
               retry_after: float | None = None, delay: float | None = None,
               body: Any = None) -> None:  # fmt: skip
        """Queue a fault for the next ``count`` matching /v1 requests (or a ``rate``)."""
        self.state.faults.add(
            make_fault(
                kind,
                count=count,
                rate=rate,
                method=method,
                path=path,
                status=status,
                retry_after=retry_after,
                delay=delay,
                body=body,
            )
        )

    def set_rate_limit(self, rate: float | None) -> None:
        """Answer 429 above ``rate`` requests a second (until the next ``reset()``)."""
        self.state.set_rate_limit(rate)

    @property
    def rate_limited(self) -> int:
        """How many requests the rate limit refused since it was set."""
        limiter = self.state.limiter
        return limiter.refused if limiter is not None else 0

    def clear_faults(self) -> None:
        self.state.faults.clear()

    def reset(self, seed: int | None = None) -> None:
        """Wipe everything back to a fresh seeded state (default: the constructor's seed)."""
        self.state.reset(seed)

    def set_docs_only(self, flag: bool) -> None:
        self.state.docs_only = bool(flag)

    def get_lead(self, lead_id: str) -> dict[str, Any] | None:
        return self.state.get_lead(lead_id)

    def find_leads(self, email: str) -> list[dict[str, Any]]:
        return self.state.find_leads(email)

    def add_leads(self, leads: list[Mapping[str, Any]],
                  workspace_id: str | None = None) -> list[str]:  # fmt: skip
        return self.state.add_leads(leads, workspace_id)

    def count_leads(self, workspace_id: str | None = None) -> int:
        return self.state.store.count(workspace_id or self.state.keys.key_workspace)

    def campaign_lead_ids(self, workspace_id: str | None = None) -> list[str]:
        """Ids of leads in the active campaign ("Q4 Outbound"), newest first."""
        return self.state.store.campaign_lead_ids(workspace_id or self.state.keys.key_workspace)


def run_sandbox(
    host: str = "127.0.0.1",
    port: int = 8765,
    db: str = ":memory:",
    seed: int = 50,
    api_key: str | None = None,
    docs_only: bool = False,
    dialects: Iterable[str] | None = None,
    rate_limit: float | None = None,
) -> int:
    """Serve in the foreground until Ctrl-C (or SIGTERM); returns 0."""
    platform_key = None
    if api_key and api_key.startswith("sk_user_"):
        api_key, platform_key = None, api_key

    def terminate(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    server: SandboxServer | None = None
    previous = signal.getsignal(signal.SIGTERM)
    try:
        with contextlib.suppress(ValueError):  # not in the main thread
            signal.signal(signal.SIGTERM, terminate)
        server = SandboxServer(api_key, platform_key, db=db, seed=seed, docs_only=docs_only,
                               host=host, port=port, dialects=dialects,
                               rate_limit=rate_limit).start()  # fmt: skip
        first, second = server.workspaces
        print(f"SendKit sandbox listening on {server.url}", flush=True)
        print(f"Workspace API key: {server.api_key}  ({first['name']}, {first['id']})")
        print(
            f"Platform API key: {server.platform_key}  (send X-Workspace-Id: "
            f"{first['id']} for {first['name']} or {second['id']} for {second['name']})"
        )
        for line in describe(server.dialects):
            print(f"Dialect {line}")
        if rate_limit is not None:
            print(f"Rate limit: {rate_limit:g} requests a second (429 with Retry-After above).")
        print(f"{server.count_leads()} sample leads. Press Ctrl-C to stop.", flush=True)
        while server._thread is not None and server._thread.is_alive():
            server._thread.join(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        with contextlib.suppress(KeyboardInterrupt):
            if server is not None:
                server.stop()
        with contextlib.suppress(ValueError, TypeError):
            signal.signal(signal.SIGTERM, previous)
    with contextlib.suppress(OSError, ValueError):
        print("Sandbox stopped.", file=sys.stderr, flush=True)
    return 0
