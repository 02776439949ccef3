"""One fresh process, one scenario: ``python -m benchmarks.probe_child SCENARIO [URL]``.

The app is made as ``sendkit-tui`` makes it (``make_tui``: the first page asked for before
Textual loads, the client made shortly after that page is drawn) with ``SENDKIT_API_KEY``
from the environment, and run on the ``NullDriver``: full frames are rendered and dropped,
and each key enters through the driver, as a typed key does. A fresh process each time, so
what a first ``n`` loads and composes is in the figure, as it is for a user. Nothing here
imports the app's screens before the app does. Prints one JSON line of milliseconds.

Scenarios: ``new`` (``n`` → create form ready, settled; then again), ``early`` (``n`` at
the first frame with leads → create form ready), ``open`` (enter on a
lead → edit form ready with the list's copy: the GET for the fresh copy is held back 2 s
and must still be pending; then again),
``bare-trivial`` / ``bare-form`` (``bare_apps.BareLeads`` opening its screen on ``n``),
``typing`` (keys into the search box from the first frame with leads, through the deferred
start-up work, then the same once settled).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SETTLE = 1.0  # s after the first frame: deferred start-up work done, nothing pending
TYPING_FOR = 1.2  # s of typing from the first frame with leads (the deferred work is in it)
EVERY = 0.02  # s between keys: a fast typist's burst (50 keys/s)
TEXT = "abcdefghijklmnopqrstuvwxyz"
GET_DELAY = 2.0  # s the edit form's GET is held back (see slow_single_gets)


def slow_single_gets(delay: float = GET_DELAY):
    """A transport that holds ``GET /v1/leads/{id}`` back: the edit form is then measured
    with the list's copy, the GET for the fresh copy excluded."""
    import httpx

    class SlowGets(httpx.AsyncHTTPTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            parts = request.url.path.strip("/").split("/")
            if request.method == "GET" and parts[-2:-1] == ["leads"]:
                await asyncio.sleep(delay)
            return await super().handle_async_request(request)

    return SlowGets()


def ours(url: str, tmp: str, **options: Any):
    from sendkit_tui.cli.entry import make_tui
    from sendkit_tui.identity import ENV_API_KEY
    from sendkit_tui.storage.config import Config
    from sendkit_tui.storage.credentials import CredentialStore
    from sendkit_tui.storage.drafts import DraftStore

    env = {ENV_API_KEY: os.environ[ENV_API_KEY]}
    app = make_tui(
        url,
        "bench",
        env,
        config=Config(),
        credentials=CredentialStore("bench", env={}),
        drafts=DraftStore(Path(tmp)),
        **options,
    )
    from benchmarks.common import NullDriver

    app.driver_class = NullDriver
    return app


def has_rows(app) -> bool:
    pages = getattr(app.screen, "pages", None)
    return pages is not None and pages.row(0) is not None


def ready(app, screen_id: str, field_id: str | None) -> Callable[[], bool]:
    """A form is ready when it is the screen and the field to type into has focus."""

    def check() -> bool:
        if app.screen.id != screen_id:
            return False
        return field_id is None or getattr(app.focused, "id", None) == field_id

    return check


async def settle(app) -> None:
    await asyncio.sleep(SETTLE)
    await app.workers.wait_for_complete()
    await asyncio.sleep(0.3)


async def open_twice(app, key: str, check: Callable[[], bool], back: Callable[[], bool]):
    from benchmarks.common import key_to_frame

    first = await key_to_frame(app, key, check)
    await key_to_frame(app, "escape", back)
    await settle(app)
    again = await key_to_frame(app, key, check)
    return {"first": first, "again": again}


def covered(app) -> bool:
    """Whether a loading indicator hides the screen (``Widget.loading`` set on it)."""
    return getattr(app.screen, "_cover_widget", None) is not None


async def open_edit(app, back: Callable[[], bool]) -> dict[str, Any]:
    """Enter → the edit form drawn, visible (not under a loading indicator) and focused,
    while the GET for the fresh copy is still held back: it shows the list's copy. Also
    whether a loading indicator hides the form 0.3 s later (the GET still on its way)."""
    from benchmarks.common import key_to_frame

    edit = ready(app, "edit-screen", "field-firstName")

    def visible() -> bool:
        return edit() and not covered(app)

    first = await key_to_frame(app, "enter", visible)
    await asyncio.sleep(0.3)
    hidden_later = covered(app)
    await key_to_frame(app, "escape", back)
    await settle(app)
    again = await key_to_frame(app, "enter", visible, timeout=GET_DELAY + 5)
    return {"first": first, "again": again, "covered": hidden_later}


async def run_ours(scenario: str, url: str) -> dict[str, Any]:
    options = {"client_options": {"transport": slow_single_gets()}} if scenario == "open" else {}
    with tempfile.TemporaryDirectory() as tmp:
        app = ours(url, tmp, **options)  # first: the first page is asked for before Textual
        from benchmarks.common import SIZE, key_to_frame, next_frame_when

        deferred = time_deferred_work(app)
        waiter = asyncio.ensure_future(next_frame_when(lambda: has_rows(app)))
        async with app.run_test(headless=False, size=SIZE, notifications=True):
            shown = await waiter
            if scenario == "typing":
                return await typing(app, shown, deferred)
            create = ready(app, "create-screen", "field-email")
            if scenario == "early":  # n at the first frame with leads, before anything settles
                return {"first": await key_to_frame(app, "n", create)}
            await settle(app)
            back = ready(app, "leads-screen", None)
            if scenario == "new":
                return await open_twice(app, "n", create, back)
            return await open_edit(app, back)


async def run_bare(scenario: str) -> dict[str, Any]:
    from benchmarks.bare_apps import BareLeads, FormScreen, TrivialScreen
    from benchmarks.common import SIZE, NullDriver, next_frame_when

    form = scenario == "bare-form"
    app = BareLeads(FormScreen if form else TrivialScreen, driver_class=NullDriver)
    waiter = asyncio.ensure_future(next_frame_when(lambda: True))
    async with app.run_test(headless=False, size=SIZE, notifications=True):
        await waiter
        await settle(app)

        def check() -> bool:
            if len(app.screen_stack) != 2:
                return False
            return not form or getattr(app.focused, "id", None) == "field-email"

        return await open_twice(app, "n", check, lambda: len(app.screen_stack) == 1)


class Typist:
    """Keys typed from another thread at a steady pace, as the terminal driver's input thread
    posts them: a key typed while the event loop is busy waits, as a user's would. Each key's
    latency is from its sending to the first frame written with it in ``box``."""

    def __init__(self, app, box, keys: str, every: float = EVERY) -> None:
        from benchmarks.common import NullDriver

        self.driver = NullDriver.of[app]
        self.box, self.keys, self.every = box, keys, every
        self.base = len(box.value)
        self.sent: list[float] = []
        self.drawn: list[float] = []
        self.done = asyncio.get_running_loop().create_future()

    def frame(self, at: float) -> None:
        shown = len(self.box.value) - self.base
        while len(self.drawn) < min(shown, len(self.sent)):
            self.drawn.append(at)
        if len(self.drawn) == len(self.keys) and not self.done.done():
            self.done.set_result(None)

    def _type(self, loop: asyncio.AbstractEventLoop) -> None:
        from textual import events
        from textual.keys import _character_to_key

        start = time.perf_counter()
        for i, char in enumerate(self.keys):
            time.sleep(max(0.0, start + i * self.every - time.perf_counter()))
            self.sent.append(time.perf_counter())
            self.driver.process_message(events.Key(_character_to_key(char), char))

    async def run(self, first: str = "") -> list[float]:
        """Type ``first`` (not timed: ``/``) and then the keys; each key's latency in ms."""
        import threading

        from benchmarks.common import NullDriver

        NullDriver.on_frame = self.frame
        loop = asyncio.get_running_loop()
        if first:
            self.driver.process_message(_key(first))
        threading.Thread(target=self._type, args=(loop,), daemon=True).start()
        try:
            await asyncio.wait_for(self.done, 30)
        finally:
            NullDriver.on_frame = None
        return [(d - s) * 1000 for s, d in zip(self.sent, self.drawn, strict=True)]


def _key(char: str):
    from textual import events
    from textual.keys import _character_to_key

    return events.Key(_character_to_key(char), char)


def time_deferred_work(app) -> list[float]:
    """perf_counter() before and after the app's deferred start-up step (attribution only;
    a private method: if it is renamed, the figure stays and the attribution is left out)."""
    times: list[float] = []
    after = getattr(app, "_after_first_page", None)
    if after is not None:

        def timed() -> None:
            times.append(time.perf_counter())
            after()
            times.append(time.perf_counter())

        app._after_first_page = timed
    return times


async def typing(app, shown: float, deferred: list[float]) -> dict[str, Any]:
    box = app.screen.query_one("#search")
    count = round(TYPING_FOR / EVERY)
    keys = (TEXT * (count // len(TEXT) + 1))[:count]
    early = Typist(app, box, keys)
    during = await early.run(first="/")
    await settle(app)
    await asyncio.sleep(0.5)  # the search typed above is answered
    settled = await Typist(app, box, keys).run()
    return {
        "during": during,
        "sent": [(t - shown) * 1000 for t in early.sent],
        "settled": settled,
        "deferred": [(t - shown) * 1000 for t in deferred],
    }


def main() -> None:
    scenario = sys.argv[1]
    if scenario.startswith("bare"):
        result = asyncio.run(run_bare(scenario))
    else:
        result = asyncio.run(run_ours(scenario, sys.argv[2]))
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
