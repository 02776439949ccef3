"""The CLI import prints CSV-derived text as data: no escape sequence reaches the terminal.

Regression tests for issue 13 item 15: a header with ``ESC ] 2 ; … BEL`` retitled the
terminal and ``ESC [ 31 m`` coloured the output of ``sendkit-tui import``.
"""

from __future__ import annotations

import argparse

import pytest

from sendkit_tui.cli import import_cmd

OSC_TITLE = "\x1b]2;pwned\x07"
RED = "\x1b[31m"
RESET = "\x1b[0m"
CONTROL_BYTES = ("\x1b", "\x07", "\x9b", "\r")


def parse(argv):
    parser = argparse.ArgumentParser(prog="sendkit-tui")
    import_cmd.add_import_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["import", *argv])


@pytest.fixture
def hostile_csv(tmp_path):
    path = tmp_path / "hostile.csv"
    header = f"email,{RED}First name{RESET},{OSC_TITLE}Plan,Tags"
    rows = [
        f"a@hostile.example,{RED}Ann{RESET},{OSC_TITLE}gold,{RED}vip",
        f"b@hostile.example,Bob,{'x' * 10_001},",  # an error that names the hostile column
        f"{RED}not-an-email,Cy,,",
    ]
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def assert_inert(text):
    for byte in CONTROL_BYTES:
        assert byte not in text, f"{byte!r} reached the terminal"


def test_preview_shows_escape_sequences_as_text(sandbox, hostile_csv, capsys):
    env = {"SENDKIT_API_KEY": sandbox.api_key}
    assert import_cmd.run(parse([str(hostile_csv), "--dry-run"]), "default", sandbox.url, env) == 0
    out, err = capsys.readouterr()
    assert_inert(out + err)
    assert "\\x1b]2;pwned\\x07Plan" in out  # the header, visible in the mapping table
    assert "custom field '\\x1b]2;pwned\\x07Plan'" in out
    assert "\\x1b[31mAnn\\x1b[0m" in out  # a cell in the preview
    assert "ERR line 3" in out and "A value is at most 10,000 characters" in out


def test_import_report_and_errors_are_inert(sandbox, hostile_csv, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    env = {"SENDKIT_API_KEY": sandbox.api_key}
    code = import_cmd.run(parse([str(hostile_csv), "--yes"]), "default", sandbox.url, env)
    out, err = capsys.readouterr()
    assert code == 0
    assert_inert(out + err)
    assert "Imported 1 · updated 0 · skipped 0 · failed 2" in out
    (lead,) = sandbox.find_leads("a@hostile.example")
    assert lead["customFields"] == {  # the data itself is kept as it was
        f"{RED}First name{RESET}": f"{RED}Ann{RESET}",
        f"{OSC_TITLE}Plan": f"{OSC_TITLE}gold",
    }


def test_a_mapping_problem_naming_a_hostile_header_is_inert(sandbox, tmp_path, capsys):
    path = tmp_path / "nomail.csv"
    path.write_text(f"{OSC_TITLE}Contact\nx@y.example\n", encoding="utf-8")
    env = {"SENDKIT_API_KEY": sandbox.api_key}
    argv = [str(path), "--map", f"{RED}Nope=email"]
    assert import_cmd.run(parse(argv), "default", sandbox.url, env) == 2
    out, err = capsys.readouterr()
    assert_inert(out + err)
    assert "no column" in err
