"""Figure 6: bytes of the PATCH body for a one-key edit vs the whole lead JSON."""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path

import httpx

from benchmarks.common import SIZE, Report, Row, SandboxProcess, Settings, make_app, until


class Recorder(httpx.AsyncHTTPTransport):
    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[str, str, bytes]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((request.method, request.url.path, request.content))
        return await super().handle_async_request(request)


async def one_key_edit(sandbox: SandboxProcess) -> tuple[bytes, dict, bytes]:
    from sendkit_tui.domain.patch import build_patch
    from sendkit_tui.ui.screens.edit_lead import EditLeadScreen

    recorder = Recorder()
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(sandbox.url, sandbox.api_key, Path(tmp), transport=recorder)
        async with app.run_test(headless=False, size=SIZE) as pilot:
            await until(lambda: bool(getattr(app.screen, "rows", None)))
            lead = app.screen.rows[0].to_lead()
            whole = httpx.get(f"{sandbox.url}/v1/leads/{lead.id}", headers=sandbox.headers)
            whole_bytes = json.dumps(whole.json()["data"], separators=(",", ":")).encode()
            await app.open_lead(lead)
            await until(lambda: isinstance(app.screen, EditLeadScreen))
            screen = app.screen
            await until(lambda: screen.baseline is not None)
            await pilot.pause()
            screen.form.box("jobTitle").value = "Chief Benchmark Officer"
            await pilot.pause()
            values = screen.form.sync().values()
            values.pop("email", None)
            expected = build_patch(screen.baseline, values)
            screen.save()
            await until(lambda: any(m == "PATCH" for m, _p, _b in recorder.sent))
            sent = next(b for m, _p, b in recorder.sent if m == "PATCH")
            await app.workers.wait_for_complete()
    return sent, expected, whole_bytes


def run(settings: Settings, report: Report, sandbox: SandboxProcess) -> None:
    sent, expected, whole = asyncio.run(one_key_edit(sandbox))
    assert json.loads(sent) == expected, (sent, expected)
    assert expected == {"jobTitle": "Chief Benchmark Officer"}, expected
    report.add(
        Row("PATCH body for a one-key edit vs whole lead", len(sent), len(whole), "B", "(report)")
    )
    report.notes.append(f"PATCH body sent: {sent.decode()} (== build_patch output)")
