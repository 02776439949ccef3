"""``sendkit-tui import FILE.csv``: bulk import from the shell, with a progress bar on stderr.

Exit codes: 0 when every row is accounted for (imported, updated, skipped or failed with a
reason; even with per-row failures), 1 when any row is not (a fatal error such as the key
refused, a chunk that kept failing, an answer that did not confirm every row) or the file is
unreadable, 2 on bad usage. The key is never printed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from sendkit_tui.bulk import csv_read, failed_rows
from sendkit_tui.bulk import mapping as bulk_mapping
from sendkit_tui.bulk import rows as bulk_rows
from sendkit_tui.bulk.csv_read import ImportProblem
from sendkit_tui.bulk.headers_known import is_own_export
from sendkit_tui.bulk.resume import Target, state_path_for
from sendkit_tui.bulk.summary import summary_lines
from sendkit_tui.domain.text import clip, sanitize
from sendkit_tui.identity import ENV_API_KEY, ENV_WORKSPACE_ID

PREVIEW_ROWS = 5
BAR_WIDTH = 20


def add_import_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``import`` subcommand to ``parser.add_subparsers(dest="command")``."""
    parser = subparsers.add_parser("import", help="import leads from a CSV file (bulk)")
    parser.add_argument("file", metavar="FILE.csv", help="UTF-8 CSV, comma or semicolon")
    dup = parser.add_mutually_exclusive_group()
    dup.add_argument(
        "--skip-duplicates",
        dest="skip_duplicates",
        action="store_true",
        default=True,
        help="leave leads whose email already exists untouched (default)",
    )
    dup.add_argument(
        "--update-existing",
        dest="skip_duplicates",
        action="store_false",
        help="update leads whose email already exists with the file's data",
    )
    cleanup = parser.add_mutually_exclusive_group()
    cleanup.add_argument(
        "--no-cleanup",
        dest="cleanup",
        action="store_false",
        default=None,
        help="send values as they are (no server-side clean-up of emails, phones, URLs, names; "
        "the default for a file exported by sendkit-tui)",
    )
    cleanup.add_argument(
        "--cleanup",
        dest="cleanup",
        action="store_true",
        default=None,
        help="ask the server to clean values up (the default, except for a sendkit-tui export)",
    )
    parser.add_argument("--tag", help="one tag added to every imported lead")
    parser.add_argument(
        "--map",
        dest="maps",
        action="append",
        default=[],
        metavar="HEADER=FIELD",
        help="map a column: email, firstName, …, tags, custom:<Name>, custom or skip (repeatable)",
    )
    parser.add_argument(
        "--failed-out",
        metavar="PATH",
        help="where to write the failed rows (default: FILE.failed.csv next to the file)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="show the mapping and preview; send nothing"
    )
    parser.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    return parser


def _err(text: str = "", stream: TextIO | None = None) -> None:
    print(sanitize(text), file=stream or sys.stderr, flush=True)


def _say(text: str = "") -> None:
    """Every line printed goes through ``sanitize``: file contents and server text are data,
    so an escape sequence in a CSV header or cell is shown (``\\x1b``), never run."""
    print(sanitize(text), flush=True)


def resolve_key(profile: str, env: Mapping[str, str]) -> str | None:
    key = env.get(ENV_API_KEY, "").strip()
    if key:
        return key
    from sendkit_tui.storage.credentials import CredentialStore

    credential = CredentialStore(profile).resolve_sync()
    return credential.key if credential else None


def resolve_workspace(profile: str, env: Mapping[str, str]) -> str | None:
    if env.get(ENV_WORKSPACE_ID):
        return env[ENV_WORKSPACE_ID]
    from sendkit_tui.storage.config import load_config

    return load_config().profile(profile).workspace_id


class ProgressBar:
    """``[#####.....] 12,000/20,000 rows  ETA 4s`` on stderr: ``\\r`` on a TTY, else lines."""

    def __init__(self, stream: TextIO | None = None, clock: Any = time.monotonic) -> None:
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.clock = clock
        self.started: float | None = None
        self.first_sent = 0
        self.last_width = 0

    def render(self, sent: int, total: int) -> str:
        filled = BAR_WIDTH if total <= 0 else int(BAR_WIDTH * sent / total)
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        text = f"[{bar}] {sent:,}/{total:,} rows"
        eta = self.eta(sent, total)
        if eta is not None:
            text += f"  ETA {eta}"
        return text

    def eta(self, sent: int, total: int) -> str | None:
        if self.started is None or sent <= self.first_sent or sent >= total:
            return None
        elapsed = self.clock() - self.started
        rate = (sent - self.first_sent) / elapsed if elapsed > 0 else 0
        if rate <= 0:
            return None
        seconds = int((total - sent) / rate + 0.999)
        return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"

    def __call__(self, sent: int, total: int) -> None:
        if self.started is None:
            self.started = self.clock()
            self.first_sent = sent
        text = self.render(sent, total)
        if self.tty:
            pad = " " * max(0, self.last_width - len(text))
            self.stream.write("\r" + text + pad)
            self.last_width = len(text)
            if sent >= total:
                self.stream.write("\n")
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.tty and self.last_width:
            self.stream.write("\n")
            self.stream.flush()
            self.last_width = 0


def print_mapping(headers: list[str], mapping: dict[int, str]) -> None:
    _say("Columns:")
    names = [_cell(h) for h in headers]
    width = max(len(n) for n in names)
    for index, name in enumerate(names):
        target = bulk_mapping.describe_target(mapping.get(index, bulk_mapping.SKIP))
        _say(f"  {name:<{width}}  →  {_cell(target, 60)}")


def print_preview(rows: list[bulk_rows.PreparedRow]) -> None:
    _say(f"Preview (first {min(PREVIEW_ROWS, len(rows))} rows):")
    for row in rows[:PREVIEW_ROWS]:
        fields = ", ".join(f"{_cell(k, 30)}={_cell(v)}" for k, v in row.lead.items())
        mark = "ok " if row.ok else "ERR"
        _say(f"  {mark} line {row.line_no}: {fields or '(empty)'}")
        for problem in row.errors:
            _say(f"        ! {_cell(problem, 200)}")


def _cell(value: Any, limit: int = 40) -> str:
    """One CSV-derived value on one line: controls made visible, then clipped."""
    text = ";".join(map(str, value)) if isinstance(value, list) else str(value)
    return clip(sanitize(text, single_line=True), limit)


def run(
    args: argparse.Namespace, profile: str, base_url: str, env: Mapping[str, str] | None = None
) -> int:
    env = os.environ if env is None else env
    path = Path(args.file)
    if not path.is_file():
        _err(f"sendkit-tui import: there is no file {str(path)!r}.")
        return 2
    try:
        data = csv_read.read_csv(path)
    except ImportProblem as problem:
        _err(f"sendkit-tui import: {problem}")
        return 1
    try:
        mapping = bulk_mapping.guess_mapping(data.headers)
        mapping = bulk_mapping.apply_overrides(data.headers, mapping, args.maps or [])
    except ImportProblem as problem:
        _err(f"sendkit-tui import: {problem}")
        return 2
    if args.tag is not None:
        from sendkit_tui.domain.rules import check_tag

        problem = check_tag(args.tag)
        if problem:
            _err(f"sendkit-tui import: --tag: {problem}")
            return 2
    own_export = is_own_export(data.headers)
    if args.cleanup is None:  # values exported by sendkit-tui are already as SendKit stores them
        args.cleanup = not own_export
    rows = bulk_rows.build_rows(data, mapping)
    bad = [r for r in rows if not r.ok]
    name = _cell(path.name, 80)
    _say(f"{name}: {len(rows):,} rows, {data.encoding_note}, delimiter {data.delimiter!r}")
    print_mapping(data.headers, mapping)
    print_preview(rows)
    _say(f"{len(rows) - len(bad):,} rows ready to send, {len(bad):,} with errors (not sent).")
    options = (
        f"duplicates: {'skip' if args.skip_duplicates else 'update existing'}, "
        f"clean-up: {'on' if args.cleanup else 'off'}"
        + (" (a sendkit-tui export: values as SendKit stored them)" if own_export else "")
        + (f", tag: {args.tag}" if args.tag else "")
    )
    _say(f"Options: {options}")
    failed_out = Path(args.failed_out) if args.failed_out else path.with_suffix(".failed.csv")
    if args.dry_run:
        _say("Dry run: nothing was sent.")
        return 0
    if len(rows) == len(bad):
        _write_failures(failed_out, data, rows, [(r.line_no, "; ".join(r.errors)) for r in bad])
        _say(f"No valid rows to send. Failed rows written to {failed_out}")
        return 0
    if not args.yes and sys.stdin.isatty():
        answer = input(f"Import {len(rows) - len(bad):,} rows? [y/N] ").strip().lower()
        if answer not in ("y", "yes"):
            _say("Cancelled; nothing was sent.")
            return 0

    key = resolve_key(profile, env)
    if not key:
        _err(
            "sendkit-tui import: no API key. Set SENDKIT_API_KEY or run "
            "`sendkit-tui auth login` first."
        )
        return 1
    workspace_id = resolve_workspace(profile, env)
    target = Target.of(base_url, workspace_id, key)
    state_path = state_path_for(data.sha256, mapping, profile, target)
    bar = ProgressBar()
    try:
        report = asyncio.run(
            _import(key, base_url, workspace_id, rows, args, bar, state_path, data, mapping, target)
        )
    except KeyboardInterrupt:
        bar.finish()
        _err("Interrupted. Run the same command again to resume; nothing will be duplicated.")
        return 1
    except Exception as error:
        bar.finish()
        from sendkit_tui.bulk.runner import ImportAborted

        report = getattr(error, "report", None) if isinstance(error, ImportAborted) else None
        _err(f"sendkit-tui import: {_explain(getattr(error, 'error', error))}")
        if report is not None:
            _print_report(report)
            _err("Fix the problem, then run the same command again to resume.")
        return 1
    bar.finish()
    _print_report(report)
    failures = report.failures
    if failures:
        _write_failures(failed_out, data, rows, failures)
        _say(f"Failed rows written to {failed_out} (fix them and import that file).")
    if not report.complete or report.unaccounted:
        _err(
            f"The import did not complete: {report.stopped_reason} Run the same command again "
            "to resume; rows already imported will not be duplicated."
        )
        return 1
    return 0


async def _import(
    key: str,
    base_url: str,
    workspace_id: str | None,
    rows: list[bulk_rows.PreparedRow],
    args: argparse.Namespace,
    bar: ProgressBar,
    state_path: Path,
    data: csv_read.CsvData,
    mapping: dict[int, str],
    target: Target,
) -> Any:
    from sendkit_tui.api import SendKitClient
    from sendkit_tui.bulk.runner import run_import

    async with SendKitClient(key, base_url=base_url, workspace_id=workspace_id) as client:
        return await run_import(
            client,
            rows,
            skip_duplicates=args.skip_duplicates,
            data_cleanup=args.cleanup,
            tag=args.tag,
            progress=bar,
            state_path=state_path,
            source_sha256=data.sha256,
            mapping=mapping,
            target=target,
        )


def _explain(error: BaseException) -> str:
    try:
        from sendkit_tui.ui.wording import explain

        return explain(error)
    except Exception:
        return str(error)


def _print_report(report: Any) -> None:
    for line in summary_lines(report):
        _say(line)


def _write_failures(
    out: Path,
    data: csv_read.CsvData,
    rows: list[bulk_rows.PreparedRow],
    failures: list[tuple[int | None, str]],
) -> None:
    cells = {row.line_no: row.cells for row in rows}
    unknown = failed_rows.write_failures(
        out, data.headers, cells, failures, delimiter=data.delimiter, bom=data.bom
    )
    for reason in unknown:
        _say(f"  (row not identified) {reason}")
