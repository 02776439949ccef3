"""Figure 4: ctrl+s in the create form vs a raw httpx POST, same sandbox.

Two moments of the one key: the form ready for the next lead (blank, Email focused, drawn:
the keys typed on go there), and "Saved …" drawn once SendKit has answered. Textual draws at
most once per 1/60 s, so the second comes a frame slot after the first."""

from __future__ import annotations

import asyncio
import itertools
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks.common import (
    SIZE,
    Report,
    Row,
    SandboxProcess,
    Settings,
    key_to_frames,
    make_app,
    median,
    until,
)

_serial = itertools.count()


def body() -> dict[str, str]:
    n = next(_serial)
    return {
        "email": f"bench.save.{time.time_ns()}.{n}@example.com",
        "firstName": "Bench",
        "lastName": "Mark",
        "companyName": "Benchmarks Inc",
    }


def raw_posts(sandbox: SandboxProcess, count: int) -> list[float]:
    times = []
    with httpx.Client(base_url=sandbox.url, headers=sandbox.headers) as client:
        client.post("/v1/leads", json=body()).raise_for_status()  # open the connection
        for _ in range(count):
            payload = body()
            start = time.perf_counter()
            client.post("/v1/leads", json=payload).raise_for_status()
            times.append((time.perf_counter() - start) * 1000)
    return times


async def app_saves(sandbox: SandboxProcess, count: int) -> tuple[list[float], list[float]]:
    from sendkit_tui.ui.screens.create_lead import CreateLeadScreen

    times, ready = [], []
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(sandbox.url, sandbox.api_key, Path(tmp))
        # notifications on, as for a user (a create that went as expected shows no toast)
        async with app.run_test(headless=False, size=SIZE, notifications=True) as pilot:
            await app.workers.wait_for_complete()
            await app.open_new_lead()
            await until(lambda: isinstance(app.screen, CreateLeadScreen))
            screen = app.screen
            saved: list[object] = []
            created = screen._created
            screen._created = lambda lead, **kw: (saved.append(lead), created(lead, **kw))[1]
            for i in range(count + 1):  # the first one warms the connection
                for name, value in body().items():
                    screen.form.box(name).value = value
                await pilot.pause()
                await asyncio.sleep(0.05)
                before = len(saved)
                email = screen.form.box("email").input

                def next_form_up(box=email) -> bool:
                    return box.value == "" and app.focused is box

                got = await key_to_frames(
                    app,
                    "ctrl+s",
                    {"ready": next_form_up, "saved": lambda b=before: len(saved) > b},
                )
                if i:
                    times.append(got["saved"])
                    ready.append(got["ready"])
                await asyncio.sleep(0.05)
    return times, ready


def run(settings: Settings, report: Report, sandbox: SandboxProcess) -> None:
    count = settings.runs(15, 5)
    raw = raw_posts(sandbox, count)
    ours, ready = asyncio.run(app_saves(sandbox, count))
    raw += raw_posts(sandbox, count)  # before and after, for drift
    o, b = median(ours), median(raw)
    report.add(
        Row("save: ctrl+s → saved drawn (overhead)", o - b, None, "ms", "≤ 15 ms", o - b <= 15)
    )
    report.add(Row("  save: ctrl+s → saved drawn vs raw POST", o, b, "ms"))
    report.add(
        Row("  save: ctrl+s → next lead's form drawn, ready for keys", median(ready), None, "ms")
    )
    report.notes.append(
        f"save ms min-max over {len(ours)} saves: ctrl+s → saved drawn "
        f"[{min(ours):.1f}-{max(ours):.1f}], → next lead's form drawn "
        f"[{min(ready):.1f}-{max(ready):.1f}], raw POST [{min(raw):.2f}-{max(raw):.2f}]"
    )
