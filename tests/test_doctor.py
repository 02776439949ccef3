"""sendkit-tui doctor against the real sandbox in every dialect: it reports what the server
does, remembers it, never writes without --write-probe, and never shows the key."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from sendkit_tui.cli import doctor
from sendkit_tui.cli.entry import build_parser, main
from sendkit_tui.sandbox import DIALECTS
from sendkit_tui.storage.server_traits import TraitsStore
from tests.conftest import TEST_PLATFORM_KEY, TEST_WORKSPACE_KEY

READ_ONLY = {
    "auth_headers": "either",
    "list_paging": "cursor",
    "list_projection": "full",
    "single_lead_get": True,
    "error_shape": "B",
}
PROBED = {
    "create_status": 201,
    "custom_null": "deletes",
    "custom_empty": "stored",
    "custom_field_delete": "null",
    "custom_fields_patch": "merge",
    "phone_key": "phone",
    "tags_patch": "replace",
}
DIFFERENCES: dict[str, dict[str, Any]] = {
    "null-ignored": {"custom_null": "ignored", "custom_field_delete": "unsupported"},
    "null-stored": {"custom_null": "stored", "custom_field_delete": "unsupported"},
    "empty-deletes": {
        "custom_null": "ignored",
        "custom_empty": "deletes",
        "custom_field_delete": "empty_string",
    },
    "phone-number-only": {"phone_key": "phoneNumber"},
    "tags-merge": {"tags_patch": "merge"},
    "create-200": {"create_status": 200},
    "x-api-key-only": {"auth_headers": "x-api-key"},
    "docs-only": {"single_lead_get": False, "list_projection": "partial", "error_shape": "A"},
}
# Lines the report must hold in each dialect (and must not hold in the default reading).
SAYS = {
    "null-ignored": [
        "! A custom field sent as null is ignored: it stays.",
        "→ Say that custom fields cannot be removed on this server, never that they were.",
    ],
    "null-stored": ["! A custom field sent as null stays, with no value."],
    "empty-deletes": [
        "! A custom field sent as an empty value is deleted.",
        "→ Remove custom fields by sending an empty value.",
    ],
    "phone-number-only": [
        "! Edits take the phone only as 'phoneNumber'.",
        "→ Send the phone as 'phoneNumber' in edits.",
    ],
    "tags-merge": [
        "! Tags in an edit are added to the old ones.",
        "→ Say when a tag could not be removed (this server merges tags).",
    ],
    "create-200": [
        "- A create answers HTTP 200, not 201.",
        "→ Accept 200 as well as 201 from a create.",
    ],
    "x-api-key-only": [
        "! Authorization: Bearer alone: HTTP 401: Missing API key.",
        "→ Send both auth headers, as now; this server reads X-Api-Key.",
    ],
    "docs-only": [
        "- Not available: HTTP 404: Route not found",
        "→ Edit from the list's copy of a lead; fields the list omits are not shown.",
        '✓ HTTP 404, shape A {"error": "...", "message": "...", "code": N} (Not Found)',
        "- List items omit the phone, LinkedIn URL or custom fields.",
    ],
}
DEFAULT_SAYS = [
    "✓ X-Api-Key alone: accepted",
    "✓ Authorization: Bearer alone: accepted",
    "✓ Paging: cursor form (hasMore, nextCursor); the next page follows on",
    "✓ A custom field sent as null is deleted.",
    "✓ Edits take the phone as 'phone'.",
    "✓ Tags in an edit replace the old ones.",
    "✓ Deleted the probe lead.",
    "→ Remove custom fields by sending null.",
]


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def run(url: str, *flags: str, env: dict | None = None, ask: Any = None,
        transport: Any = None) -> tuple[int, str]:  # fmt: skip
    args = build_parser().parse_args(["doctor", *flags])
    out = io.StringIO()
    env = {"SENDKIT_API_KEY": TEST_WORKSPACE_KEY} if env is None else env
    code = doctor.run(args, "default", url, env=env, out=out, ask=ask, transport=transport)
    return code, out.getvalue()


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


def has(text: str, expected: str) -> bool:
    return any(line.startswith(expected) for line in lines(text))


def methods(sandbox: Any) -> list[str]:
    return [r.method for r in sandbox.requests]


@pytest.mark.parametrize("sandbox", ["", *DIALECTS], indirect=True)
def test_write_probe_reports_and_remembers_each_dialect(sandbox):
    (name,) = sandbox.dialects or {""}
    before = sandbox.count_leads()
    code, out = run(sandbox.url, "--write-probe", "--yes")
    assert code == 0, out
    expected = {**READ_ONLY, **PROBED, **DIFFERENCES.get(name, {})}
    assert TraitsStore().load(sandbox.url).known == expected
    for line in SAYS.get(name, DEFAULT_SAYS):
        assert has(out, line), (line, out)
    if not name:  # the default reading says none of the dialects' lines
        assert not [line for said in SAYS.values() for line in said if has(out, line)]
    # The throwaway lead is gone; it was created once and deleted once.
    assert sandbox.count_leads() == before
    assert methods(sandbox).count("POST") == 1 and methods(sandbox).count("DELETE") == 1
    assert TEST_WORKSPACE_KEY not in out and "sk_5…1e57" in out


@pytest.mark.parametrize("sandbox", ["", *DIALECTS], indirect=True)
def test_read_only_doctor_sends_only_gets_and_learns_the_read_traits(sandbox):
    (name,) = sandbox.dialects or {""}
    code, out = run(sandbox.url)
    assert code == 0, out
    assert set(methods(sandbox)) == {"GET"}
    read_traits = {k: v for k, v in DIFFERENCES.get(name, {}).items() if k in READ_ONLY}
    assert TraitsStore().load(sandbox.url).known == {**READ_ONLY, **read_traits}
    assert has(out, "- Not probed yet: `sendkit-tui doctor --write-probe`")


def test_read_only_doctor_shows_what_a_probe_learnt_before(sandbox):
    sandbox.set_dialects(["phone-number-only"])
    run(sandbox.url, "--write-probe", "--yes")
    sandbox.clear_requests()
    code, out = run(sandbox.url)
    assert code == 0 and set(methods(sandbox)) == {"GET"}
    assert has(out, "Edits (learnt earlier on ")
    assert has(out, "- Edits take the phone only as 'phoneNumber'.")
    assert has(out, "→ Send the phone as 'phoneNumber' in edits.")
    assert TraitsStore().load(sandbox.url).phone_key == "phoneNumber"


@pytest.mark.parametrize("answer", ["n", "", "no thanks"])
def test_write_probe_asks_and_a_no_writes_nothing(sandbox, answer):
    asked: list[str] = []
    code, out = run(sandbox.url, "--write-probe", ask=lambda q: asked.append(q) or answer)
    assert code == 2
    assert "creates one lead" in asked[0] and asked[0].rstrip().endswith("[y/N]")
    assert set(methods(sandbox)) == {"GET"}
    assert has(out, "- Not run: nothing was created.")


def test_write_probe_yes_at_the_prompt_runs_it(sandbox):
    code, out = run(sandbox.url, "--write-probe", ask=lambda q: "y")
    assert code == 0 and methods(sandbox).count("POST") == 1


def test_write_probe_without_a_terminal_needs_yes(sandbox):
    code, out = run(sandbox.url, "--write-probe")  # pytest's stdin is not a terminal
    assert code == 2
    assert has(out, "✗ --write-probe changes data; with no terminal to ask on, add --yes.")
    assert "POST" not in methods(sandbox)


def test_platform_key_uses_the_chosen_workspace(sandbox):
    second = sandbox.workspaces[1]
    env = {"SENDKIT_API_KEY": TEST_PLATFORM_KEY, "SENDKIT_WORKSPACE_ID": second["id"]}
    code, out = run(sandbox.url, "--write-probe", "--yes", env=env)
    assert code == 0, out
    assert has(out, f"✓ Using {second['name']} ({second['id']}) (X-Workspace-Id)")
    assert has(out, "✓ sk_u…f00d from SENDKIT_API_KEY: a platform key")
    assert {r.workspace_id for r in sandbox.requests if r.path.startswith("/v1/leads")} == {
        second["id"]
    }
    assert TraitsStore().load(sandbox.url, second["id"]).phone_key == "phone"
    assert TraitsStore().load(sandbox.url).phone_key is None  # learnt for that workspace


def test_platform_key_without_a_workspace_stops(sandbox):
    code, out = run(sandbox.url, env={"SENDKIT_API_KEY": TEST_PLATFORM_KEY})
    assert code == 1
    assert has(out, "✗ A platform key needs a workspace; it has 2.")
    assert has(out, "→ Choose a workspace: sendkit-tui auth login, or set SENDKIT_WORKSPACE_ID.")
    assert not any(r.path.startswith("/v1/leads") for r in sandbox.requests)


def test_a_wrong_key_is_reported_masked(sandbox):
    wrong = "sk_" + "0bad" * 12
    code, out = run(sandbox.url, env={"SENDKIT_API_KEY": wrong})
    assert code == 1
    assert has(out, "✗ The key was not accepted in any form.")
    assert wrong not in out and "sk_0…0bad" in out


def test_a_key_no_header_can_carry_is_refused_before_sending(sandbox):
    code, out = run(sandbox.url, env={"SENDKIT_API_KEY": "sk_abc\u00e9def 0123456789"})
    assert code == 1 and sandbox.requests == []
    assert has(out, "✗ The key holds spaces or characters an HTTP header cannot carry.")


def test_not_logged_in(sandbox, memory_keyring):
    code, out = run(sandbox.url, env={})
    assert code == 1
    assert has(out, "✗ Not logged in: no SENDKIT_API_KEY and no stored key.")
    assert sandbox.requests == []


def test_hostile_server_text_is_sanitised_and_the_key_never_echoed():
    evil = "\x1b]52;c;aGk=\x07\u202eAcme " + TEST_WORKSPACE_KEY

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/workspaces":
            return httpx.Response(200, json={"success": True, "data": [{"id": evil, "name": evil}]})
        if request.url.path == "/v1/leads":
            page = {"total": evil, "hasMore": False, "nextCursor": None}
            lead = {"_id": evil, "email": "a@b.co"}
            return httpx.Response(200, json={"success": True, "data": [lead], "pagination": page})
        return httpx.Response(404, json={"error": evil, "message": evil, "code": 404})

    code, out = run("http://127.0.0.1:9", transport=httpx.MockTransport(handler))
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "\\x1b]52" in out and "<U+202E>" in out
    assert TEST_WORKSPACE_KEY not in out
    assert TEST_WORKSPACE_KEY not in TraitsStore().path.read_text()


def test_the_cli_runs_doctor(sandbox, monkeypatch, capsys):
    monkeypatch.setenv("SENDKIT_API_KEY", TEST_WORKSPACE_KEY)
    assert main(["--base-url", sandbox.url, "doctor"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"sendkit-tui doctor: {sandbox.url} (profile default)")
    assert has(out, "What the app will do")
    document = json.loads(TraitsStore().path.read_text())
    assert list(document["servers"]) == [sandbox.url]
