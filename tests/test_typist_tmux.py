"""A fast typist on a real terminal: 20 keys a second from the moment the first lead shows.

``python -m sendkit_tui`` runs under tmux against the session sandbox; as soon as the
newest lead's email is on the pane, a whole lead is typed at one key every 50 ms (tags,
a custom field, ctrl+s), and the lead SendKit stored must be exactly what was typed.
The 50 ms gaps are the typist's pace, not waits for a result: every wait is a bounded
poll of the pane or of the sandbox.
"""

from __future__ import annotations

import time

import httpx
import pytest

from tests.test_crash_recovery import LIMIT, TMUX, Tmux, app_command, wait_for

pytestmark = pytest.mark.slow

PACE = 0.05  # seconds between keys: 20 keys a second

EMAIL = "fast.typer@example.com"
KEYS: list[tuple[str, str]] = [
    ("key", "n"),
    ("text", EMAIL),
    ("key", "Tab"),
    ("text", "Fay"),
    ("key", "Tab"),
    ("text", "Typer"),
    ("key", "C-t"),
    ("text", "hot, q4"),
    ("key", "Enter"),
    ("text", "vip"),
    ("key", "Enter"),
    ("key", "C-g"),
    ("text", "source"),
    ("key", "Enter"),
    ("text", "booth 12"),
    ("key", "Enter"),
    ("key", "C-s"),
]


def type_like_a_person(tmux: Tmux, session: str) -> None:
    for kind, token in KEYS:
        if kind == "key":
            tmux.keys(session, token)
            time.sleep(PACE)
            continue
        for char in token:
            tmux.type(session, char)
            time.sleep(PACE)


def stored(sandbox) -> dict | None:
    response = httpx.get(
        f"{sandbox.url}/v1/leads",
        params={"search": EMAIL, "limit": 5},
        headers={"X-Api-Key": sandbox.api_key},
    )
    found = [lead for lead in response.json()["data"] if lead["email"] == EMAIL]
    return found[0] if found else None


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_a_lead_typed_at_20_keys_a_second_from_the_first_frame_is_stored_exactly(sandbox, tmp_path):
    newest = sandbox.add_leads([{"email": "newest@first.frame", "firstName": "First"}])
    assert newest
    data_home, config_home = tmp_path / "data", tmp_path / "config"
    data_home.mkdir()
    config_home.mkdir()
    tmux = Tmux()
    try:
        tmux.start("typist", app_command(sandbox, data_home, config_home))
        show = lambda: tmux.screen("typist")  # noqa: E731
        deadline = time.monotonic() + LIMIT
        while "newest@first.frame" not in show():  # type the moment the lead is drawn
            assert time.monotonic() < deadline, f"the list never showed:\n{show()}"
            time.sleep(0.01)
        type_like_a_person(tmux, "typist")
        lead = wait_for(lambda: stored(sandbox), "the lead on the server", show)
        assert lead["email"] == EMAIL
        assert (lead.get("firstName"), lead.get("lastName")) == ("Fay", "Typer")
        assert lead.get("tags") == ["hot", "q4", "vip"]
        assert lead.get("customFields") == {"source": "booth 12"}
        wait_for(lambda: "Saved fast.typer" in show(), "the saved status", show)
    finally:
        tmux.kill()
