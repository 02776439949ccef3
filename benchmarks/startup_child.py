"""One cold start, in a fresh process: ``python -m benchmarks.startup_child MODE``.

Prints ms from the parent's spawn (``BENCH_SPAWN``, perf_counter, CLOCK_MONOTONIC) to the
first frame that shows what MODE waits for:
- ``bare``: a Textual app with one Label, its first frame;
- ``demo``: as ``sendkit-tui --demo`` (in-process sandbox, seed 250), first page of leads drawn;
- ``env``: the TUI on a running sandbox with ``SENDKIT_API_KEY``, first page drawn.
"""

from __future__ import annotations

import os
import sys
import tempfile


def _spawned() -> float:
    return float(os.environ["BENCH_SPAWN"])


def _run(app, ready) -> None:
    from benchmarks.common import SIZE, NullDriver

    def hook(at: float) -> None:
        if ready(app):
            NullDriver.on_frame = None
            os.write(1, f"{(at - _spawned()) * 1000:.2f}\n".encode())
            app.exit()

    NullDriver.on_frame = hook
    app.driver_class = NullDriver
    app.run(size=SIZE)


def _has_rows(app) -> bool:
    screen = app.screen
    pages = getattr(screen, "pages", None)
    return pages is not None and pages.row(0) is not None


def bare() -> None:
    from textual.app import App
    from textual.widgets import Label

    class Bare(App):
        def compose(self):
            yield Label("Hello")

    _run(Bare(), lambda app: True)


def sendkit(mode: str) -> None:
    from sendkit_tui.app import Connection, SendKitApp
    from sendkit_tui.config import Config
    from sendkit_tui.credentials import CredentialStore
    from sendkit_tui.drafts import DraftStore

    drafts = DraftStore(tempfile.mkdtemp(prefix="bench-drafts-"))
    server = None
    if mode == "demo":  # what cli.run_demo does
        from sendkit_tui.cli import DEMO_SEED
        from sendkit_tui.credentials import Credential, KeySource
        from sendkit_tui.sandbox import DEMO_WORKSPACE_KEY, SandboxServer

        server = SandboxServer(api_key=DEMO_WORKSPACE_KEY, seed=DEMO_SEED).start()
        cred = Credential(key=DEMO_WORKSPACE_KEY, source=KeySource.DEMO, profile="demo")
        conn = Connection(base_url=server.url, profile="demo", demo=True, credential=cred)
    else:  # what cli.run_tui does with SENDKIT_API_KEY set
        from sendkit_tui.cli import connection_from_env

        conn = connection_from_env(os.environ["SENDKIT_BASE_URL"], "bench", os.environ)
    app = SendKitApp(
        conn, config=Config(), credentials=CredentialStore(conn.profile, env={}), drafts=drafts
    )
    try:
        _run(app, _has_rows)
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "bare":
        bare()
    else:
        sendkit(mode)
    # exit time is not part of the figure
    sys.stdout.flush()
    os._exit(0)
