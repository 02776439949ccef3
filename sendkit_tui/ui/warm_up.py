"""Start-up work that waits for the first frame with leads, off the event loop.

``SendKitApp._after_first_page`` hands it here: the form screens, httpx and the models are
imported on a thread (about 300 ms that would otherwise hold up the keys typed after that
frame), the deferred API client is made there too, and the result comes back to the app.
Then the start-up objects are frozen out of the garbage collector's full passes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import suppress
from typing import Any

API_MODULES = ("sendkit_tui.api.client", "sendkit_tui.api.models")
FORM_MODULES = ("sendkit_tui.ui.screens.create_lead", "sendkit_tui.ui.screens.edit_lead")
# What httpx's first request on the event loop imports (httpcore's async path runs on anyio,
# which loads its asyncio backend on first use): 24 ms of imports in a search typed at once.
REQUEST_MODULES = (
    "sniffio",
    "anyio.lowlevel",
    "anyio._backends._asyncio",
    "anyio.streams.memory",
    "anyio.streams.stapled",
    "anyio.streams.tls",
    "anyio.to_thread",
)


def warm_up(
    make: Callable[[], Any],
    done: Callable[[Any], object],
    busy: Callable[[], bool] = lambda: False,
) -> None:
    """Start-up work on a thread once the list is shown, so a key typed meanwhile is handled
    at once: import the form screens (so the first ``n`` or enter only composes its form)
    and the API modules, call ``make`` and hand its result to ``done``.

    Python runs one thread at a time: while ``busy()`` (a form is being opened) the thread
    waits between two imports, so that form does not share the processor with it (a form
    composed beside the imports took twice as long). It does not wait for typing: a search
    typed at once needs the API client these imports make."""
    import importlib
    import threading
    import time

    give_up_at = time.monotonic() + MAX_WAIT

    def imports(names: Iterable[str]) -> None:
        for name in names:
            while busy() and time.monotonic() < give_up_at:
                time.sleep(YIELD)
            with suppress(Exception):  # a head start only: the code imports it anyway
                importlib.import_module(name)

    def run() -> None:
        imports(FORM_MODULES)  # first: `n` or enter is the likeliest first key
        imports(API_MODULES)
        result = make()
        imports(REQUEST_MODULES)
        with suppress(Exception):  # the app has quit meanwhile
            done(result)

    threading.Thread(target=run, name="warm-up", daemon=True).start()


YIELD = 0.01
"""Seconds the warm-up thread sleeps at a time while a form is being opened."""
MAX_WAIT = 1.0
"""Seconds it waits in all (forms opened one after another do not hold the client off)."""


_frozen = False
LATEST = 3.0
"""Seconds after the app mounts by which start-up counts as over, first page or not (a
login screen, a server that does not answer): the collector is back on by then."""


def settled_start() -> None:
    """Start-up is over: keep what it made out of the garbage collector's full passes (a
    full pass over the start-up objects held up a keystroke by 24-57 ms), and turn the
    collector back on if the command line paused it. Once per process: no collection first
    (that would be the same pause), and only the first app's objects (an app made later in
    the same process, as in tests, could never be collected)."""
    global _frozen
    if not _frozen:
        import gc

        _frozen = True
        gc.freeze()
        gc.enable()
