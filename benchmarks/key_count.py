"""Figure: keys to type the reference lead into the create form, with completion vs without.

The reference lead has every field of ``POST /v1/leads`` the form has, 3 tags of which 2 are
in the workspace and 3 custom fields of which 2 names are (the sandbox's seeded leads carry
the tags ``enterprise`` and ``decision-maker`` and the fields ``source`` and ``plan``).

The typist starts on the list and presses ``n``; in each box it types the text one key at a
time and, as soon as the completion offered (the grey text) is exactly what it wants, presses
→ instead of the rest; then tab (standard fields), enter (a tag, a field name, a value). From
the tags to the custom fields it presses tab, tab, enter (the chips, the table's add row), and
ctrl+s at the end. The saved lead is read back from the server and must be exactly the
reference lead. "Without completion" is the same typist in the same run with an empty cache
and no walk (nothing is ever offered): 219 keys, as measured before completion existed.
The sandbox's request log must show no request while the lead is typed.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path
from typing import Any

import httpx

from benchmarks.common import SIZE, Report, Row, SandboxProcess, Settings, make_app, until

BEFORE = 219  # keys for this lead before completion (issue 15)
GOAL = 150

STANDARD = {
    "email": "priya@northwind.example",
    "firstName": "Priya",
    "lastName": "Patel",
    "companyName": "Northwind Traders",
    "jobTitle": "Operations Director",
    "phone": "+1 415 555 0143",
    "linkedinUrl": "linkedin.com/in/ppatel",
    "city": "San Francisco",
    "state": "CA",
    "country": "US",
}
TAGS = ["enterprise", "decision-maker", "q4-upsell"]
CUSTOM = {"source": "conference", "plan": "enterprise", "budget": "40k"}
SAVED = {  # what the server must hold (the phone and the URL as the form cleans them)
    **{k: v for k, v in STANDARD.items() if k not in ("phone", "linkedinUrl")},
    "phoneNumber": "+14155550143",
    "linkedinUrl": "https://www.linkedin.com/in/ppatel",
    "tags": TAGS,
    "customFields": CUSTOM,
}


class Typist:
    """Presses keys one by one and counts them; takes a completion when it is the text."""

    def __init__(self, pilot: Any) -> None:
        self.pilot, self.keys = pilot, 0

    async def press(self, *keys: str) -> None:
        for key in keys:
            self.keys += 1
            await self.pilot.press(key)

    async def type(self, text: str) -> None:
        from sendkit_tui.ui.completion import FieldSuggester

        box = self.pilot.app.focused
        suggester = getattr(box, "suggester", None)
        for at, char in enumerate(text):
            await self.press(_key(char))
            offered = isinstance(suggester, FieldSuggester) and at + 1 < len(text)
            if offered and suggester.lookup(box.value) == text:
                await self.press("right")
                break
        assert box.value == text, (box.id, box.value, text)


def _key(char: str) -> str:
    from textual.keys import _character_to_key

    return _character_to_key(char)


async def enter_lead(app: Any, pilot: Any) -> int:
    """From the list: the reference lead typed and saved; returns the keys pressed."""
    from sendkit_tui.ui.screens.create_lead import CreateLeadScreen

    typist = Typist(pilot)
    await typist.press("n")
    await until(lambda: isinstance(app.screen, CreateLeadScreen))
    for value in STANDARD.values():
        await typist.type(value)
        await typist.press("tab")
    for tag in TAGS:
        await typist.type(tag)
        await typist.press("enter")
    await typist.press("tab", "tab", "enter")  # the chips, the table, its add row
    for key, value in CUSTOM.items():
        await typist.type(key)
        await typist.press("enter")
        await typist.type(value)
        await typist.press("enter")
    await typist.press("ctrl+s")
    return typist.keys


def saved_lead(sandbox: SandboxProcess) -> dict[str, Any]:
    with httpx.Client(base_url=sandbox.url, headers=sandbox.headers) as client:
        found = client.get("/v1/leads", params={"search": STANDARD["email"]}).json()["data"]
        assert len(found) == 1, found
        return client.get(f"/v1/leads/{found[0]['_id']}").json()["data"]


def delete_lead(sandbox: SandboxProcess, lead_id: str) -> None:
    with httpx.Client(base_url=sandbox.url, headers=sandbox.headers) as client:
        body = {"leadIds": [lead_id], "force": True}
        client.request("DELETE", "/v1/leads", json=body).raise_for_status()


def request_log(sandbox: SandboxProcess) -> list[dict[str, Any]]:
    with httpx.Client(base_url=sandbox.url) as client:
        return client.get("/_sandbox/requests").json()["data"]


def clear_log(sandbox: SandboxProcess) -> None:
    with httpx.Client(base_url=sandbox.url) as client:
        client.delete("/_sandbox/requests")


async def one_run(sandbox: SandboxProcess, *, completion: bool) -> tuple[int, int]:
    """Keys to enter the lead, and requests sent while it was typed (before ctrl+s)."""
    from sendkit_tui.ui import completion as service

    with tempfile.TemporaryDirectory(prefix="bench-keys-") as home:
        saved_env = {k: os.environ.get(k) for k in ("XDG_DATA_HOME", "SENDKIT_WORKSPACE_WALK")}
        os.environ["XDG_DATA_HOME"] = f"{home}/data"
        os.environ["SENDKIT_WORKSPACE_WALK"] = "1" if completion else "0"
        service.WALK_AFTER, service.PAUSE = 0.0, 0.0
        try:
            app = make_app(sandbox.url, sandbox.api_key, Path(home) / "drafts")
            async with app.run_test(headless=False, size=SIZE) as pilot:
                found = service.completion_for(app)
                await until(lambda: found.walked_pages > 0 or not completion)
                await until(lambda: not found.walking)
                await app.workers.wait_for_complete()
                await pilot.pause()
                clear_log(sandbox)
                typed = asyncio.create_task(enter_lead(app, pilot))
                keys = await typed
                sent = [r for r in request_log(sandbox) if r["path"].startswith("/v1/")]
                while_typing = len([r for r in sent if r["method"] != "POST"])
                await until(lambda: any(r["method"] == "POST" for r in request_log(sandbox)))
                await app.workers.wait_for_complete()
        finally:
            for name, value in saved_env.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
    lead = saved_lead(sandbox)
    wrong = {k: (lead.get(k), v) for k, v in SAVED.items() if lead.get(k) != v}
    assert not wrong, f"the saved lead differs (got, wanted): {wrong}"
    delete_lead(sandbox, lead["_id"])
    return keys, while_typing


def run(settings: Settings, report: Report, sandbox: SandboxProcess) -> None:
    without, _ = asyncio.run(one_run(sandbox, completion=False))
    ours, requests = asyncio.run(one_run(sandbox, completion=True))
    report.add(
        Row(
            "keys to enter the reference lead (completion)",
            ours,
            without,
            "keys",
            f"≤ {GOAL}",
            ours <= GOAL,
        )
    )
    report.notes.append(
        f"keys to enter the reference lead: {ours} today vs {BEFORE} before (goal ≤ {GOAL}); "
        f"{without} in this run without completion; requests sent while typing: {requests}"
    )
    print(f"keys today {ours} vs {BEFORE} before, goal ≤ {GOAL}", flush=True)
