"""Figure 3: key → frame in the create form's email field vs a bare Input (NullDriver)."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from textual.app import App
from textual.widgets import Input

from benchmarks.common import (
    SIZE,
    NullDriver,
    Report,
    Row,
    SandboxProcess,
    Settings,
    key_to_frame,
    make_app,
    median,
    p95,
    until,
)

TEXT = "someone.with.a.long.name@subdomain.example-corp.io"


class BareInput(App):
    def compose(self):
        yield Input(id="field")

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.cursor_blink = False  # as in make_app: no blink frames between keys
        field.focus()


async def type_into(app, field: Input) -> list[float]:
    latencies = []
    for i, ch in enumerate(TEXT):
        want = TEXT[: i + 1]
        latencies.append(await key_to_frame(app, ch, lambda w=want: field.value == w))
        await asyncio.sleep(0.02)  # let the app go idle between keys
    return latencies


async def bare_run() -> list[float]:
    app = BareInput(driver_class=NullDriver)
    async with app.run_test(headless=False, size=SIZE) as pilot:
        await pilot.pause()
        return await type_into(app, app.query_one(Input))


async def form_run(sandbox: SandboxProcess) -> list[float]:
    from sendkit_tui.ui.screens.create_lead import CreateLeadScreen

    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(sandbox.url, sandbox.api_key, Path(tmp))
        async with app.run_test(headless=False, size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await app.open_new_lead()
            await until(lambda: isinstance(app.screen, CreateLeadScreen))
            await pilot.pause()
            field = app.screen.form.box("email").input
            await until(lambda: app.focused is field)
            result = await type_into(app, field)
            assert field.value == TEXT
            return result


def run(settings: Settings, report: Report, sandbox: SandboxProcess) -> None:
    asyncio.run(_run(settings, report, sandbox))


async def _run(settings: Settings, report: Report, sandbox: SandboxProcess) -> None:
    await bare_run()  # warm-up
    await form_run(sandbox)
    ours: list[list[float]] = []
    base: list[list[float]] = []
    for _ in range(settings.runs(9, 3)):
        base.append(await bare_run())
        ours.append(await form_run(sandbox))
    per_run_o, per_run_b = [median(r) for r in ours], [median(r) for r in base]
    o, b = median(per_run_o), median(per_run_b)
    report.add(Row("keystroke → frame, create form email", o, b, "ms", "≤ 1.1x", o / b <= 1.1))
    o95, b95 = p95([x for r in ours for x in r]), p95([x for r in base for x in r])
    report.add(Row("  p95 keystroke → frame", o95, b95, "ms", "(info)"))
    report.notes.append(
        f"keystroke ms (median of each run's {len(TEXT)} keys) min-max over {len(ours)} runs: "
        f"form [{min(per_run_o):.1f}-{max(per_run_o):.1f}], "
        f"bare Input [{min(per_run_b):.1f}-{max(per_run_b):.1f}]"
    )
