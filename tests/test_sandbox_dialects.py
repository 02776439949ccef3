"""Sandbox dialects over real HTTP: each plays its own reading of the docs and nothing else."""

from __future__ import annotations

import httpx
import pytest

from sendkit_tui.cli.entry import build_parser
from sendkit_tui.sandbox import DIALECTS, SandboxServer
from sendkit_tui.sandbox.dialects import parse_dialects
from tests.conftest import TEST_PLATFORM_KEY, TEST_WORKSPACE_KEY

DEFAULT = {
    "create_status": 201,
    "null": "deletes",
    "empty": "stored",
    "phone": "applied",
    "phoneNumber": "rejected",
    "tags": "replace",
    "bearer_only": 200,
    "x_api_key_only": 200,
    "single_get": 200,
    "list_has_custom_fields": True,
}
DIFFERENCES = {
    "null-ignored": {"null": "ignored"},
    "null-stored": {"null": "stored"},
    "empty-deletes": {"null": "ignored", "empty": "deletes"},
    "phone-number-only": {"phone": "ignored", "phoneNumber": "applied"},
    "tags-merge": {"tags": "merge"},
    "create-200": {"create_status": 200},
    "x-api-key-only": {"bearer_only": 401},
    "docs-only": {"single_get": 404, "list_has_custom_fields": False},
}


def observe(url: str) -> dict[str, object]:
    """What a client sees doing one of each thing the dialects differ on."""
    seen: dict[str, object] = {}
    api = httpx.Client(base_url=url, headers={"X-Api-Key": TEST_WORKSPACE_KEY}, timeout=10)
    with api:
        created = api.post(
            "/v1/leads",
            json={
                "email": "probe@example.com",
                "phone": "+1 555 0100",
                "tags": ["a", "b"],
                "customFields": {"gone": "1", "blank": "2", "kept": "3"},
            },
        )
        seen["create_status"] = created.status_code
        lead_id = created.json()["data"]["_id"]
        path = f"/v1/leads/{lead_id}"

        def patch(body: dict[str, object]) -> httpx.Response:
            return api.patch(path, json=body)

        custom = patch({"customFields": {"gone": None}}).json()["data"]["customFields"]
        seen["null"] = (
            "deletes" if "gone" not in custom else "stored" if custom["gone"] is None else "ignored"
        )
        custom = patch({"customFields": {"blank": ""}}).json()["data"]["customFields"]
        seen["empty"] = "deletes" if "blank" not in custom else "stored"
        assert custom["kept"] == "3"
        for key, number in (("phone", "+1 555 0101"), ("phoneNumber", "+1 555 0102")):
            answer = patch({key: number})
            if answer.status_code == 400:
                seen[key] = "rejected"
            else:
                applied = answer.json()["data"]["phoneNumber"] == number
                seen[key] = "applied" if applied else "ignored"
        tags = patch({"tags": ["c"]}).json()["data"]["tags"]
        seen["tags"] = "replace" if tags == ["c"] else "merge" if tags == ["a", "b", "c"] else tags
        seen["single_get"] = api.get(path).status_code
        items = api.get("/v1/leads", params={"limit": 1}).json()["data"]
        seen["list_has_custom_fields"] = "customFields" in items[0]
    bearer = {"Authorization": f"Bearer {TEST_WORKSPACE_KEY}"}
    seen["bearer_only"] = httpx.get(f"{url}/v1/leads", headers=bearer).status_code
    only_key = {"X-Api-Key": TEST_WORKSPACE_KEY}
    seen["x_api_key_only"] = httpx.get(f"{url}/v1/leads", headers=only_key).status_code
    return seen


def test_the_default_sandbox_plays_the_default_reading(sandbox):
    assert sandbox.dialects == frozenset()
    assert observe(sandbox.url) == DEFAULT


@pytest.mark.parametrize("sandbox", DIALECTS, indirect=True)
def test_each_dialect_changes_exactly_its_own_behaviour(sandbox):
    (name,) = sandbox.dialects
    assert observe(sandbox.url) == {**DEFAULT, **DIFFERENCES[name]}


def test_every_dialect_is_described_and_tested():
    assert set(DIFFERENCES) == set(DIALECTS)


@pytest.mark.parametrize("sandbox", [("null-ignored", "tags-merge", "create-200")], indirect=True)
def test_dialects_combine(sandbox):
    expected = {**DEFAULT, "null": "ignored", "tags": "merge", "create_status": 200}
    assert observe(sandbox.url) == expected


def test_reset_plays_the_constructor_dialects_again(sandbox):
    sandbox.set_dialects(["tags-merge"])
    assert sandbox.dialects == {"tags-merge"}
    sandbox.reset(seed=1)
    assert sandbox.dialects == frozenset()


def test_docs_only_flag_is_the_docs_only_dialect(sandbox):
    sandbox.set_docs_only(True)
    assert sandbox.dialects == {"docs-only"} and sandbox.docs_only
    sandbox.set_dialects(["null-stored", "docs-only"])
    assert sandbox.docs_only
    sandbox.set_docs_only(False)
    assert sandbox.dialects == {"null-stored"}


def test_constructor_takes_dialects_and_docs_only_alias():
    server = SandboxServer(
        api_key=TEST_WORKSPACE_KEY,
        platform_key=TEST_PLATFORM_KEY,
        docs_only=True,
        dialects=["x-api-key-only"],
    )
    assert server.dialects == {"docs-only", "x-api-key-only"}
    server.set_dialects(None)
    server.reset(seed=0)
    assert server.dialects == {"docs-only", "x-api-key-only"}
    server.state.store.close()


@pytest.mark.parametrize(
    ("names", "problem"),
    [
        (["nul-ignored"], "Unknown sandbox dialect nul-ignored"),
        (["null-ignored", "null-stored"], "Choose one of null-ignored, null-stored"),
        (["empty-deletes", "null-stored"], "Choose one of empty-deletes, null-stored"),
    ],
)
def test_unknown_and_clashing_dialects_are_refused(names, problem):
    with pytest.raises(ValueError, match=problem):
        parse_dialects(names)


def test_names_are_trimmed_and_case_folded():
    assert parse_dialects([" Tags-Merge ", "create-200"]) == {"tags-merge", "create-200"}
    assert parse_dialects("docs-only") == {"docs-only"}
    assert parse_dialects(None) == frozenset()


@pytest.mark.parametrize("sandbox", ["null-stored"], indirect=True)
def test_null_stored_keeps_the_key_in_list_and_get(sandbox):
    api = httpx.Client(base_url=sandbox.url, headers={"X-Api-Key": TEST_WORKSPACE_KEY})
    with api:
        lead = api.post("/v1/leads", json={"email": "n@example.com"}).json()["data"]
        answer = api.patch(f"/v1/leads/{lead['_id']}", json={"customFields": {"new": None}})
        assert answer.json()["data"]["customFields"] == {"new": None}
        assert api.get(f"/v1/leads/{lead['_id']}").json()["data"]["customFields"] == {"new": None}
        # A whole null object is not "clear all" in this dialect either.
        api.patch(f"/v1/leads/{lead['_id']}", json={"customFields": {"k": "v"}})
        answer = api.patch(f"/v1/leads/{lead['_id']}", json={"customFields": None})
        assert answer.json()["data"]["customFields"] == {"new": None, "k": "v"}


@pytest.mark.parametrize("sandbox", ["x-api-key-only"], indirect=True)
def test_x_api_key_only_ignores_a_mismatching_bearer(sandbox):
    headers = {"X-Api-Key": TEST_WORKSPACE_KEY, "Authorization": "Bearer sk_other_0000000000000"}
    assert httpx.get(f"{sandbox.url}/v1/leads", headers=headers).status_code == 200
    only_bearer = {"Authorization": f"Bearer {TEST_WORKSPACE_KEY}"}
    response = httpx.get(f"{sandbox.url}/v1/leads", headers=only_bearer)
    assert response.json()["message"].startswith("Missing API key")


def test_cli_takes_repeated_dialects_and_the_docs_only_alias():
    args = build_parser().parse_args(
        ["sandbox", "--dialect", "null-ignored", "--dialect", "tags-merge", "--docs-only"]
    )
    assert args.dialect == ["null-ignored", "tags-merge"] and args.docs_only
    with pytest.raises(SystemExit):
        build_parser().parse_args(["sandbox", "--dialect", "klingon"])


def test_run_sandbox_announces_its_dialects(capsys, monkeypatch):
    from sendkit_tui.sandbox import server as server_module

    started: list[SandboxServer] = []

    class Stopping(SandboxServer):
        def start(self) -> SandboxServer:
            started.append(self)
            super().start()
            self.stop()  # the foreground loop then ends at once
            return self

    monkeypatch.setattr(server_module, "SandboxServer", Stopping)
    assert server_module.run_sandbox(port=0, seed=0, dialects=["create-200"], docs_only=True) == 0
    out = capsys.readouterr().out
    assert "Dialect create-200: POST /v1/leads answers 200 instead of 201" in out
    assert "Dialect docs-only: no GET /v1/leads/{id}" in out
    assert started[0].dialects == {"create-200", "docs-only"}
