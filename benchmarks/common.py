"""Shared helpers: settings, the result row, a NullDriver with frame hooks, sandboxes."""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual import events
from textual.drivers.headless_driver import HeadlessDriver
from textual.keys import _character_to_key

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SIZE = (120, 40)
MiB = 1024 * 1024


@dataclass
class Settings:
    quick: bool = False

    def runs(self, full: int, quick: int = 3) -> int:
        return quick if self.quick else full


@dataclass
class Row:
    figure: str
    ours: float | None  # None: not run (``note`` says why)
    baseline: float | None
    unit: str
    goal: str = "—"
    met: bool | None = None
    ratio: float | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if self.ratio is None and self.baseline and self.ours is not None:
            self.ratio = self.ours / self.baseline


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        print(f"  {row.figure}: {fmt(row.ours)} {row.unit}", file=sys.stderr, flush=True)
        return row


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def fmt(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def render(report: Report) -> str:
    header = ("figure", "ours", "baseline", "ratio", "goal", "met?")
    lines = []
    for r in report.rows:
        met = "—" if r.met is None else ("yes" if r.met else "NO")
        ratio = "—" if r.ratio is None else f"{r.ratio:.2f}x"
        base = "—" if r.baseline is None else f"{fmt(r.baseline)} {r.unit}"
        ours = r.note if r.ours is None else f"{fmt(r.ours)} {r.unit}"
        lines.append((r.figure, ours, base, ratio, r.goal, met))
    widths = [max(len(x[i]) for x in [header, *lines]) for i in range(len(header))]
    out = [" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    out.append("-+-".join("-" * w for w in widths))
    out += [" | ".join(c.ljust(w) for c, w in zip(x, widths, strict=True)) for x in lines]
    return "\n".join([*out, "", *report.notes])


class NullDriver(HeadlessDriver):
    """Headless input, but Textual renders the full frame (escape codes) and we drop it.

    ``on_frame`` is called with the time of every write (the frame and its sync codes).
    Each app's driver is kept in ``of`` so keys can enter through it, as typed keys do.
    """

    on_frame: Callable[[float], None] | None = None
    of: weakref.WeakKeyDictionary[Any, NullDriver] = weakref.WeakKeyDictionary()

    def __init__(self, app: Any, **options: Any) -> None:
        super().__init__(app, **options)
        NullDriver.of[app] = self

    @property
    def is_headless(self) -> bool:
        return False

    def write(self, data: str) -> None:
        hook = NullDriver.on_frame
        if hook is not None:
            hook(time.perf_counter())


async def key_to_frame(app, key: str, done: Callable[[], bool], timeout: float = 5.0) -> float:
    """Post ``key`` to the driver; ms until the first frame written once ``done()`` holds."""
    return (await key_to_frames(app, key, {"done": done}, timeout))["done"]


async def key_to_frames(
    app, key: str, checks: dict[str, Callable[[], bool]], timeout: float = 5.0
) -> dict[str, float]:
    """Post ``key`` to the driver; for each check, ms until the first frame written once
    it holds (one key, several moments: e.g. the form ready, then the answer shown)."""
    loop = asyncio.get_running_loop()
    seen: dict[str, float] = {}
    all_seen: asyncio.Future[None] = loop.create_future()

    def hook(at: float) -> None:
        for name, check in checks.items():
            if name not in seen and check():
                seen[name] = at
        if len(seen) == len(checks) and not all_seen.done():
            all_seen.set_result(None)

    NullDriver.on_frame = hook
    try:
        char = key if len(key) == 1 else None
        name = _character_to_key(key) if char else key
        start = time.perf_counter()
        NullDriver.of[app].process_message(events.Key(name, char))
        await asyncio.wait_for(all_seen, timeout)
    finally:
        NullDriver.on_frame = None
    return {name: (at - start) * 1000 for name, at in seen.items()}


async def next_frame_when(done: Callable[[], bool], timeout: float = 30.0) -> float:
    """perf_counter() of the first frame written while ``done()`` holds."""
    loop = asyncio.get_running_loop()
    seen: asyncio.Future[float] = loop.create_future()

    def hook(at: float) -> None:
        if not seen.done() and done():
            seen.set_result(at)

    NullDriver.on_frame = hook
    try:
        return await asyncio.wait_for(seen, timeout)
    finally:
        NullDriver.on_frame = None


async def until(check: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not check():
        if time.perf_counter() > deadline:
            raise TimeoutError("condition not reached")
        await asyncio.sleep(0.002)


def compile_app() -> None:
    """PYTHONDONTWRITEBYTECODE is set here: byte-compile our package once."""
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "sendkit_tui")], check=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SandboxProcess:
    """``sendkit-tui sandbox`` in its own process, so its work and memory are not ours."""

    def __init__(self, seed: int, key: str) -> None:
        self.seed, self.api_key, self.port = seed, key, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [PY, "-m", "sendkit_tui", "sandbox", "--port", str(self.port)]
        args += ["--seed", str(seed), "--api-key", key]
        self.proc = subprocess.Popen(
            args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def wait(self) -> SandboxProcess:
        import httpx

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                r = httpx.get(f"{self.url}/v1/leads", params={"limit": 1}, headers=self.headers)
                if r.status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(f"sandbox (seed {self.seed}) exited")
            time.sleep(0.05)
        raise RuntimeError("sandbox did not start")

    @property
    def headers(self) -> dict[str, str]:
        return {"X-Api-Key": self.api_key}

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def make_app(url: str, key: str, drafts: Path, **client_options):
    """The app on the NullDriver, with text cursors that never blink (no blink frames
    between keys), through Textual's public ``cursor_blink``."""
    import inspect

    from textual.widgets import Input

    from sendkit_tui.storage.config import Config
    from sendkit_tui.storage.credentials import Credential, CredentialStore, KeySource
    from sendkit_tui.storage.drafts import DraftStore
    from sendkit_tui.ui.app import Connection, SendKitApp

    class SteadyCursorApp(SendKitApp):
        # Textual reads a relative CSS_PATH next to the subclass's module: the app's.
        CSS_PATH = Path(inspect.getfile(SendKitApp)).parent / str(SendKitApp.CSS_PATH)

        def on_descendant_focus(self, event: events.DescendantFocus) -> None:
            if isinstance(event.widget, Input):
                event.widget.cursor_blink = False

    conn = Connection(base_url=url, profile="bench")
    conn.credential = Credential(key=key, source=KeySource.SESSION, profile="bench")
    app = SteadyCursorApp(
        conn,
        config=Config(),
        credentials=CredentialStore("bench", env={}),
        drafts=DraftStore(drafts),
        client_options=client_options,
    )
    app.driver_class = NullDriver
    return app


def env_flag(name: str) -> bool:
    return os.environ.get(name, "") not in ("", "0")
