"""Bulk CSV import against the real sandbox: run_import (chunks, faults, resume) and the CLI."""

from __future__ import annotations

import argparse
import csv
import io
import json
import time

import pytest

from sendkit_tui.api import SendKitClient
from sendkit_tui.bulk import csv_read
from sendkit_tui.bulk import mapping as bulk_mapping
from sendkit_tui.bulk import rows as bulk_rows
from sendkit_tui.bulk.runner import ImportReport, run_import
from sendkit_tui.cli import import_cmd as import_cli
from tests.conftest import TEST_SEED

BAD_EVERY = 67
BULK = "/v1/leads/bulk"


async def seeded_emails(sandbox, n=3):
    async with SendKitClient(sandbox.api_key, base_url=sandbox.url) as client:
        page = await client.list_leads(limit=n)
    return [lead.email for lead in page.items]


def make_csv(path, n, *, dup_emails=(), delimiter=","):
    """``n`` rows; every 67th has a bad email; the first rows reuse ``dup_emails``."""
    bad_lines = []
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["Email", "First Name", "Company", "Tags", "Plan"])
    for i in range(n):
        email = f"user{i:05d}@bulk.example"
        if i < len(dup_emails):
            email = dup_emails[i].upper()
        elif i % BAD_EVERY == BAD_EVERY - 1:
            email = f"bad-email-{i}"
            bad_lines.append(i + 2)
        writer.writerow([email, f"Name{i}", f"Co {i}, Ltd", "csv;bulk", "pro" if i % 2 else ""])
    path.write_text(out.getvalue(), encoding="utf-8")
    return bad_lines


def prepare(path):
    data = csv_read.read_csv(path)
    mapping = bulk_mapping.guess_mapping(data.headers)
    return data, mapping, bulk_rows.build_rows(data, mapping)


async def do_import(sandbox, rows, **kw) -> ImportReport:
    async with SendKitClient(sandbox.api_key, base_url=sandbox.url) as client:
        return await run_import(client, rows, **kw)


def bulk_requests(sandbox):
    return [r for r in sandbox.requests if r.path == BULK]


# --- run_import ------------------------------------------------------------------------------


@pytest.mark.timed
async def test_20k_rows_in_four_chunks(sandbox, tmp_path):
    dups = await seeded_emails(sandbox, 3)
    bad_lines = make_csv(tmp_path / "big.csv", 20_000, dup_emails=dups)
    data, mapping, rows = prepare(tmp_path / "big.csv")
    valid = 20_000 - len(bad_lines)
    assert 250 < len(bad_lines) < 400
    seen: list[tuple[int, int]] = []
    started = time.monotonic()
    report = await do_import(
        sandbox,
        rows,
        progress=lambda sent, total: seen.append((sent, total)),
        state_path=tmp_path / "state.json",
        source_sha256=data.sha256,
        mapping=mapping,
    )
    assert time.monotonic() - started < 15
    assert report.complete and report.chunks_total == 4 and report.chunks_done == 4
    assert len(bulk_requests(sandbox)) == 4
    assert report.imported == valid - 3
    assert report.skipped == 3 and report.updated == 0
    assert report.failed == len(bad_lines)
    assert sorted(line for line, _ in report.failures) == bad_lines
    assert {reason for _, reason in report.failures} == {
        "Enter an email address like name@example.com."
    }
    assert seen == [(0, valid), (5000, valid), (10_000, valid), (15_000, valid), (valid, valid)]
    assert sandbox.count_leads() == TEST_SEED + valid - 3
    assert not (tmp_path / "state.json").exists()  # deleted after a complete run
    lead = sandbox.find_leads("user00011@bulk.example")[0]
    assert lead["tags"] == ["csv", "bulk"] and lead["companyName"] == "Co 11, Ltd"
    assert lead["customFields"] == {"Plan": "pro"}


async def test_server_side_errors_map_back_to_lines(sandbox, tmp_path):
    # The client accepts it; the sandbox refuses a custom field named like a request key.
    data = csv_read.CsvData(
        headers=["email", "first"],
        rows=[["a@x.io", "A"], ["b@x.io", "B"], ["A@X.io", "again"]],
        delimiter=",",
        encoding_note="UTF-8",
        line_nos=[2, 3, 4],
    )
    rows = bulk_rows.build_rows(data, bulk_mapping.guess_mapping(data.headers))
    rows[1].lead["customFields"] = "not an object"  # forces a per-row server error
    report = await do_import(sandbox, rows)
    assert report.imported == 1 and report.skipped == 1 and report.failed == 1
    assert report.failures == [(3, "Custom fields must be an object of text values.")]


async def test_drop_after_on_one_chunk_resends_without_duplicates(sandbox, tmp_path):
    make_csv(tmp_path / "d.csv", 3_000)
    _, _, rows = prepare(tmp_path / "d.csv")
    valid = sum(r.ok for r in rows)

    def progress(sent, total):
        if sent == 1000:  # chunk 1 done: the server will do chunk 2 but the answer is lost
            sandbox.inject("drop_after", count=1, method="POST", path=BULK)

    report = await do_import(sandbox, rows, chunk_size=1000, progress=progress, resend_delay=0)
    assert report.complete and report.chunks_done == 3
    assert [r.fault for r in bulk_requests(sandbox)] == [None, "drop_after", None, None]
    bodies = [r.body for r in bulk_requests(sandbox)]
    assert bodies[1]["leads"] == bodies[2]["leads"] and bodies[2]["skipDuplicates"] is True
    assert report.resent_chunks == [2]
    assert any("skipDuplicates" in note for note in report.notes)
    assert sandbox.count_leads() == TEST_SEED + valid  # nothing duplicated
    assert report.imported + report.skipped == valid
    assert report.skipped == 1000  # chunk 2, imported by the lost attempt
    assert len(sandbox.find_leads("user01500@bulk.example")) == 1


async def test_interrupted_import_resumes_without_duplicates(sandbox, tmp_path):
    make_csv(tmp_path / "r.csv", 4_000)
    data, mapping, rows = prepare(tmp_path / "r.csv")
    valid = sum(r.ok for r in rows)
    state = tmp_path / "state" / "import.json"

    def kill_chunk_2(sent, total):
        if sent == 1000:  # every attempt at chunk 2 is carried out but its answer is lost
            sandbox.inject("drop_after", count=10, method="POST", path=BULK)

    kw = {"chunk_size": 1000, "state_path": state, "source_sha256": data.sha256}
    first = await do_import(
        sandbox, rows, progress=kill_chunk_2, resend_attempts=2, resend_delay=0, mapping=mapping,
        **kw,
    )  # fmt: skip
    assert not first.complete and first.chunks_done == 1
    assert first.not_sent == valid - 2000
    assert sum("chunk 2 of 4 failed" in reason for _, reason in first.failures) == 1000
    assert len(bulk_requests(sandbox)) == 4  # chunk 1, then chunk 2 three times
    assert state.exists()
    saved = json.loads(state.read_text())
    assert saved["chunksDone"] == 1 and saved["inFlight"] == 2
    assert saved["sourceSha256"] == data.sha256

    # A different mapping does not pick up this state.
    other = dict(mapping)
    other[4] = "skip"
    from sendkit_tui.bulk.resume import fingerprint, load_state

    fp = fingerprint(rows, source_sha256=data.sha256, mapping=other, skip_duplicates=True,
                      data_cleanup=True, tag=None, chunk_size=1000)  # fmt: skip
    assert load_state(state, fp) == (None, [])

    sandbox.clear_faults()
    sandbox.clear_requests()
    second = await do_import(sandbox, rows, mapping=mapping, **kw)
    assert second.complete and second.resumed_from == 1 and second.chunks_done == 4
    assert len(bulk_requests(sandbox)) == 3  # chunk 1 is not sent again
    assert second.resent_chunks == [2]
    assert sandbox.count_leads() == TEST_SEED + valid  # no duplicates
    assert second.imported + second.skipped == valid
    assert second.failed == len(rows) - valid  # the earlier chunk-2 failure is gone
    assert not state.exists()
    for i in (0, 1500, 3999):
        assert len(sandbox.find_leads(f"user{i:05d}@bulk.example")) == 1


async def test_auth_error_aborts_and_keeps_nothing_silent(sandbox, tmp_path):
    from sendkit_tui.bulk.runner import ImportAborted

    make_csv(tmp_path / "a.csv", 50)
    _, _, rows = prepare(tmp_path / "a.csv")
    async with SendKitClient("sk_" + "0" * 48, base_url=sandbox.url) as client:
        with pytest.raises(ImportAborted) as info:
            await run_import(client, rows, chunk_size=20)
    assert not info.value.report.complete
    assert info.value.report.not_sent == sum(r.ok for r in rows)
    assert sandbox.count_leads() == TEST_SEED


# --- CLI -------------------------------------------------------------------------------------


def parse(argv):
    parser = argparse.ArgumentParser(prog="sendkit-tui")
    import_cli.add_import_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["import", *argv])


@pytest.fixture
def cli_env(sandbox, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    return {"SENDKIT_API_KEY": sandbox.api_key, "SENDKIT_BASE_URL": sandbox.url}


def run_cli(sandbox, env, argv):
    return import_cli.run(parse(argv), "default", sandbox.url, env=env)


def test_cli_imports_with_report_and_failed_rows(sandbox, tmp_path, cli_env, capsys):
    text = (
        "\ufeffE-mail;Given name;Organisation;Plan\n"
        "a@cli.example;Ann;Acme;pro\n"
        "not-an-email;Bob;Beta;free\n"
        'c@cli.example;Cy;"Gamma; Inc";\n'
    )
    path = tmp_path / "leads.csv"
    path.write_text(text, encoding="utf-8")
    code = run_cli(sandbox, cli_env, [str(path), "--tag", "from-cli", "--yes"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "UTF-8 with BOM" in out and "delimiter ';'" in out
    assert "E-mail" in out and "→  Email" in out and "custom field 'Plan'" in out
    assert "ERR line 3" in out and "Enter an email address" in out
    assert "Imported 2 · updated 0 · skipped 0 · failed 1" in out
    failed = tmp_path / "leads.failed.csv"
    assert str(failed) in out
    again = csv_read.read_csv(failed)
    assert again.bom and again.delimiter == ";"
    assert again.rows == [
        ["not-an-email", "Bob", "Beta", "free", "Enter an email address like name@example.com."]
    ]
    assert "[####################] 2/2 rows" in err  # not a TTY: one line per chunk
    assert sandbox.api_key not in out + err
    assert sandbox.find_leads("c@cli.example")[0]["tags"] == ["from-cli"]
    assert sandbox.count_leads() == TEST_SEED + 2


def test_cli_update_existing_and_map(sandbox, tmp_path, cli_env, capsys):
    path = tmp_path / "u.csv"
    path.write_text("Contact,Town\nupd@cli.example,Oslo\n", encoding="utf-8")
    assert run_cli(sandbox, cli_env, [str(path), "--map", "Contact=email", "--yes"]) == 0
    path.write_text("Contact,Town\nupd@cli.example,Bergen\n", encoding="utf-8")
    argv = [str(path), "--map", "Contact=email", "--update-existing", "--failed-out",
            str(tmp_path / "f.csv"), "--yes"]  # fmt: skip
    assert run_cli(sandbox, cli_env, argv) == 0
    out = capsys.readouterr().out
    assert "updated 1" in out
    assert sandbox.find_leads("upd@cli.example")[0]["city"] == "Bergen"
    assert not (tmp_path / "f.csv").exists()


def test_cli_dry_run_sends_nothing(sandbox, tmp_path, cli_env, capsys):
    path = tmp_path / "d.csv"
    path.write_text("email\nx@cli.example\n", encoding="utf-8")
    assert run_cli(sandbox, cli_env, [str(path), "--dry-run"]) == 0
    assert "Dry run" in capsys.readouterr().out
    assert bulk_requests(sandbox) == []


def test_cli_usage_and_fatal_errors(sandbox, tmp_path, cli_env, capsys):
    assert run_cli(sandbox, cli_env, [str(tmp_path / "missing.csv")]) == 2
    path = tmp_path / "x.csv"
    path.write_text("Contact\nx@cli.example\n", encoding="utf-8")
    assert run_cli(sandbox, cli_env, [str(path), "--yes"]) == 2  # no email column
    assert run_cli(sandbox, cli_env, [str(path), "--map", "Contact=nope"]) == 2
    latin = tmp_path / "latin.csv"
    latin.write_bytes("email,city\na@x.io,Malm\xf6\n".encode("latin-1"))
    assert run_cli(sandbox, cli_env, [str(latin)]) == 1
    err = capsys.readouterr().err
    assert "not UTF-8" in err and "no column" not in err and "No column is mapped" in err
    bad_key = {**cli_env, "SENDKIT_API_KEY": "sk_" + "0" * 48}
    path.write_text("email\nx@cli.example\n", encoding="utf-8")
    assert run_cli(sandbox, bad_key, [str(path), "--yes"]) == 1
    err = capsys.readouterr().err
    assert "0" * 48 not in err and "sendkit-tui import:" in err
    assert bulk_requests(sandbox)[-1].status == 401
