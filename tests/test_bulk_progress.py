"""The CLI import's progress: rich bar with rate and ETA on a TTY, plain lines otherwise."""

from __future__ import annotations

import io

from rich.console import Console

from sendkit_tui.cli.import_progress import ImportProgress


def clock_from(*times):
    values = iter(times)
    last = [0.0]

    def now():
        last[0] = next(values, last[0])
        return last[0]

    return now


def test_plain_lines_when_not_a_tty():
    stream = io.StringIO()
    progress = ImportProgress("leads.csv", stream, clock=clock_from(0.0, 2.0, 4.0))
    assert not progress.tty
    progress(0, 20_000)
    progress(12_000, 20_000)
    progress(20_000, 20_000)
    progress.finish()
    assert stream.getvalue().splitlines() == [
        "[....................] 0/20,000 rows",
        "[############........] 12,000/20,000 rows  6,000 rows/s  ETA 2s",
        "[####################] 20,000/20,000 rows  5,000 rows/s",
    ]


def test_a_rich_bar_with_rate_and_time_left_on_a_tty():
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120, color_system=None)
    clock = clock_from(*[float(t) for t in range(0, 100)])
    progress = ImportProgress("leads.csv", console=console, clock=clock)
    assert progress.tty
    progress(0, 20_000)
    progress(5_000, 20_000)
    progress(10_000, 20_000)
    progress.finish()
    text = out.getvalue()
    assert "Importing leads.csv" in text
    assert "10,000/20,000 rows" in text
    assert "rows/s" in text and "… rows/s" not in text.split("10,000/20,000 rows")[-1]
    assert "0:00:" in text  # the time left column


def test_a_hostile_file_name_is_text_on_the_tty():
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120, color_system=None)
    progress = ImportProgress("[bold]x\x1b]2;pwned\x07.csv", console=console)
    progress(0, 10)
    progress(10, 10)
    progress.finish()
    text = out.getvalue()
    assert "[bold]x\\x1b]2;pwned\\x07.csv" in text
    assert "\x1b]2;pwned" not in text and "\x07" not in text
