"""Import resume is keyed on the server and workspace; the summary counts only confirmed rows.

Regression tests for issue 13 item 1, through ``sendkit-tui import`` against real sandboxes:
an import interrupted against one server, run again against another, must send every row there.
"""

from __future__ import annotations

import argparse
import csv
import io

import pytest

from sendkit_tui.api import SendKitClient
from sendkit_tui.bulk import runner
from sendkit_tui.cli import import_cmd
from tests.conftest import TEST_PLATFORM_KEY, TEST_SEED, TEST_WORKSPACE_KEY

BULK = "/v1/leads/bulk"
ROWS = 10_000  # two chunks of 5,000 (the bulk limit the CLI uses)


@pytest.fixture(scope="module")
def other_server():
    """A second sandbox on another port: another server with the same keys."""
    from sendkit_tui.sandbox import SandboxServer

    server = SandboxServer(
        api_key=TEST_WORKSPACE_KEY, platform_key=TEST_PLATFORM_KEY, seed=TEST_SEED
    ).start()
    yield server
    server.stop()


@pytest.fixture
def other(other_server):
    other_server.reset(seed=TEST_SEED)
    return other_server


@pytest.fixture
def state_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    monkeypatch.setattr(runner, "RESEND_DELAY", 0.0)
    return tmp_path / "xdg-state"


def big_csv(path, n=ROWS):
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Email", "First Name"])
    for i in range(n):
        writer.writerow([f"r{i:05d}@resume.example", f"Row{i}"])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def parse(argv):
    parser = argparse.ArgumentParser(prog="sendkit-tui")
    import_cmd.add_import_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["import", *argv])


def run_cli(server, argv, *, key=None, workspace=None):
    env = {"SENDKIT_API_KEY": key or server.api_key}
    if workspace:
        env["SENDKIT_WORKSPACE_ID"] = workspace
    return import_cmd.run(parse([*argv, "--yes"]), "default", server.url, env=env)


def lose_answers_from_chunk_2(monkeypatch, server):
    """Chunk 1 is confirmed; every attempt at chunk 2 is carried out but its answer is lost."""
    original = SendKitClient.bulk_create
    calls = {"n": 0}

    async def bulk_create(self, leads, **kw):
        calls["n"] += 1
        if calls["n"] == 2:
            server.inject("drop_after", count=10, method="POST", path=BULK)
        return await original(self, leads, **kw)

    monkeypatch.setattr(SendKitClient, "bulk_create", bulk_create)
    return lambda: monkeypatch.setattr(SendKitClient, "bulk_create", original)


def bulk_posts(server):
    return [r for r in server.requests if r.path == BULK]


def test_interrupted_import_run_against_another_server_sends_every_row_there(
    sandbox, other, tmp_path, state_home, monkeypatch, capsys
):
    path = big_csv(tmp_path / "big.csv")
    restore = lose_answers_from_chunk_2(monkeypatch, sandbox)
    assert run_cli(sandbox, [str(path)]) == 1  # interrupted after chunk 1
    restore()
    first = capsys.readouterr()
    assert "NOT COMPLETE" in first.out and "5,000 sent but not confirmed" in first.out
    assert list((state_home / "sendkit-tui" / "imports").glob("*.json"))  # progress was saved

    sandbox.clear_faults()
    assert run_cli(other, [str(path)]) == 0
    out = capsys.readouterr().out
    assert other.count_leads() == TEST_SEED + ROWS  # every row landed on the second server
    assert [len(r.body["leads"]) for r in bulk_posts(other)] == [5000, 5000]
    assert "Resumed" not in out
    assert "starts from the first row" in out and sandbox.url in out
    assert "Imported 10,000 · updated 0 · skipped 0 · failed 0" in out
    confirmed = f"counts confirmed by the API key's workspace at {other.url}"
    assert f"All 10,000 rows accounted for ({confirmed})" in out

    # The first server's progress was kept: resuming there re-sends chunk 2 only, no duplicates.
    sandbox.clear_requests()
    assert run_cli(sandbox, [str(path)]) == 0
    out = capsys.readouterr().out
    assert "Resumed after 1 of 2 chunks" in out
    assert [len(r.body["leads"]) for r in bulk_posts(sandbox)] == [5000]
    assert sandbox.count_leads() == TEST_SEED + ROWS
    assert "Imported 5,000 · updated 0 · skipped 5,000 · failed 0" in out


def test_interrupted_import_run_against_another_workspace_sends_every_row_there(
    sandbox, tmp_path, state_home, monkeypatch, capsys
):
    first_ws, second_ws = (w["id"] for w in sandbox.workspaces)
    path = big_csv(tmp_path / "big.csv")
    restore = lose_answers_from_chunk_2(monkeypatch, sandbox)
    assert run_cli(sandbox, [str(path)], key=sandbox.platform_key, workspace=first_ws) == 1
    restore()
    sandbox.clear_faults()
    capsys.readouterr()
    before = sandbox.count_leads(second_ws)
    assert run_cli(sandbox, [str(path)], key=sandbox.platform_key, workspace=second_ws) == 0
    out = capsys.readouterr().out
    assert sandbox.count_leads(second_ws) == before + ROWS
    assert f"workspace {first_ws}" in out and "starts from the first row" in out


def test_an_answer_that_does_not_confirm_every_row_is_not_success(sandbox, tmp_path, state_home,
                                                                  capsys):  # fmt: skip
    path = tmp_path / "few.csv"
    path.write_text("email\na@short.example\nb@short.example\nc@short.example\n")
    body = {"success": True, "data": {"imported": 1, "updated": 0, "skipped": 0, "failed": 0,
                                      "importedLeadIds": [], "errors": []}}  # fmt: skip
    sandbox.inject("json", method="POST", path=BULK, body=body)
    assert run_cli(sandbox, [str(path)]) == 1
    captured = capsys.readouterr()
    assert "accounted for (counts" not in captured.out
    assert "NOT COMPLETE: 3 of 3 rows are not accounted for" in captured.out
    assert "accounts for 1 of its 3 rows" in captured.out + captured.err
    # Run again: the chunk is re-sent, and this time every row is confirmed.
    assert run_cli(sandbox, [str(path)]) == 0
    out = capsys.readouterr().out
    assert "All 3 rows accounted for" in out
    assert sandbox.find_leads("b@short.example")


def test_target_identity_and_state_names(tmp_path, state_home):
    from sendkit_tui.bulk.resume import Target, state_path_for

    a = Target.of("http://127.0.0.1:8765/", None, TEST_WORKSPACE_KEY)
    assert a == Target.of(
        "HTTP://127.0.0.1:8765", "ignored for a workspace key", TEST_WORKSPACE_KEY
    )
    assert a.ident != Target.of("http://127.0.0.1:8766", None, TEST_WORKSPACE_KEY).ident
    assert a.ident != Target.of("http://127.0.0.1:8765", None, "sk_" + "1" * 48).ident
    p1 = Target.of("https://api.sendkit.ai", "ws1", TEST_PLATFORM_KEY)
    p2 = Target.of("https://api.sendkit.ai", "ws2", TEST_PLATFORM_KEY)
    assert p1.ident != p2.ident and p1.describe() == "workspace ws1 at https://api.sendkit.ai"
    assert TEST_WORKSPACE_KEY not in repr(a) + str(a.as_state())
    one = state_path_for("f" * 64, {0: "email"}, "default", p1)
    two = state_path_for("f" * 64, {0: "email"}, "default", p2)
    assert one.parent == two.parent and one != two
    assert one.name.split("-")[0] == two.name.split("-")[0]  # same file key, other target
