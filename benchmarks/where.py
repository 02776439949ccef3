"""Where the time of a figure goes: ``python -m benchmarks.where SCENARIO [--all]``.

Runs one scenario of ``probe_child`` in this (fresh) process under pyinstrument and prints
the call tree (``--all``: Textual's own frames too). pyinstrument is not a dependency:
``.venv/bin/pip install pyinstrument`` first. It slows Python code several times over, so
read the shares, not the milliseconds. Scenarios:

- ``new`` / ``open``: ``n`` / enter on a lead → form ready, once the app has settled
- ``early``: ``n`` at the first frame with leads → create form ready
- ``after``: the 0.6 s after the first frame with leads (Footer, deferred start-up work)
- ``save``: ctrl+s in a filled create form → saved drawn

Needs ``SENDKIT_API_KEY`` and a sandbox URL: ``python -m benchmarks.where new URL``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time

from benchmarks import probe_child as child


async def scenario(name: str, url: str, profiler) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = child.ours(url, tmp)
        from benchmarks.common import SIZE, key_to_frame, next_frame_when

        waiter = asyncio.ensure_future(next_frame_when(lambda: child.has_rows(app)))
        async with app.run_test(headless=False, size=SIZE, notifications=True):
            await waiter
            create = child.ready(app, "create-screen", "field-email")
            if name == "early":
                with profiler:
                    await key_to_frame(app, "n", create)
                return
            if name == "after":
                with profiler:
                    await asyncio.sleep(0.6)
                return
            await child.settle(app)
            if name == "new":
                with profiler:
                    await key_to_frame(app, "n", create)
            elif name == "open":
                edit = child.ready(app, "edit-screen", "field-firstName")
                with profiler:
                    await key_to_frame(app, "enter", edit)
            elif name == "save":
                await key_to_frame(app, "n", create)
                form = app.screen.form
                form.box("email").value = f"where.{time.time_ns()}@example.com"
                form.box("firstName").value = "Ada"
                await child.settle(app)
                with profiler:
                    # saved: the form starts the next lead, its email box empty again
                    await key_to_frame(app, "ctrl+s", lambda: form.box("email").value == "")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.where")
    parser.add_argument("scenario", choices=("new", "open", "early", "after", "save"))
    parser.add_argument("url", help="a sandbox (SENDKIT_API_KEY is its key)")
    parser.add_argument("--all", action="store_true", help="show Textual's frames too")
    args = parser.parse_args()
    if "SENDKIT_API_KEY" not in os.environ:
        parser.error("set SENDKIT_API_KEY to the sandbox's key")
    try:
        from pyinstrument import Profiler
    except ImportError:
        parser.error("pyinstrument is not installed: .venv/bin/pip install pyinstrument")
    profiler = Profiler(interval=0.0005, async_mode="disabled")
    asyncio.run(scenario(args.scenario, args.url, profiler))
    print(profiler.output_text(unicode=True, color=False, show_all=args.all))


if __name__ == "__main__":
    main()
