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
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sendkit_tui.bulk import csv_read, failed_rows
from sendkit_tui.bulk import mapping as bulk_mapping
from sendkit_tui.bulk import rows as bulk_rows
from sendkit_tui.bulk.csv_read import ImportProblem
from sendkit_tui.bulk.headers_known import OWN_EXPORT
from sendkit_tui.bulk.resume import Target, state_path_for
from sendkit_tui.cli.import_progress import ImportProgress
from sendkit_tui.cli.import_view import (
    err,
    print_file,
    print_mapping,
    print_preview,
    print_report,
    say,
)
from sendkit_tui.domain.rules import check_tag
from sendkit_tui.identity import ENV_API_KEY, ENV_WORKSPACE_ID


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
        "--keep-column",
        dest="keep",
        action="append",
        default=[],
        metavar="NAME",
        help="import a column the preview lists as not lead data (a record id, owner or date) "
        "as a custom field (repeatable)",
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


def run(
    args: argparse.Namespace, profile: str, base_url: str, env: Mapping[str, str] | None = None
) -> int:
    env = os.environ if env is None else env
    path = Path(args.file)
    if not path.is_file():
        err(f"sendkit-tui import: there is no file {str(path)!r}.")
        return 2
    try:
        data = csv_read.read_csv(path)
    except ImportProblem as problem:
        err(f"sendkit-tui import: {problem}")
        return 1
    try:
        guess = bulk_mapping.guess(data.headers, keep=args.keep or [])
        mapping = bulk_mapping.apply_overrides(data.headers, guess.mapping, args.maps or [])
    except ImportProblem as problem:
        err(f"sendkit-tui import: {problem}")
        return 2
    if args.tag is not None:
        bad_tag = check_tag(args.tag)
        if bad_tag:
            err(f"sendkit-tui import: --tag: {bad_tag}")
            return 2
    own_export = guess.layout == OWN_EXPORT
    if args.cleanup is None:  # values exported by sendkit-tui are already as SendKit stores them
        args.cleanup = not own_export
    from sendkit_tui.domain.clean import DEFAULT_REGION
    from sendkit_tui.storage.config import load_config

    region = load_config().default_region or DEFAULT_REGION  # how phones without +code are read
    rows = bulk_rows.build_rows(data, mapping, clean=args.cleanup, default_region=region)
    bad = [r for r in rows if not r.ok]
    print_file(path.name, data, guess)
    print_mapping(data.headers, guess, mapping)
    print_preview(rows)
    say(f"{len(rows) - len(bad):,} rows ready to send, {len(bad):,} with errors (not sent).")
    say(
        f"Options: duplicates: {'skip' if args.skip_duplicates else 'update existing'}, "
        f"clean-up: {'on' if args.cleanup else 'off'}"
        + (" (a sendkit-tui export: values as SendKit stored them)" if own_export else "")
        + (f", tag: {args.tag}" if args.tag else "")
    )
    failed_out = Path(args.failed_out) if args.failed_out else path.with_suffix(".failed.csv")
    if args.dry_run:
        say("Dry run: nothing was sent.")
        return 0
    if len(rows) == len(bad):
        _write_failures(failed_out, data, rows, [(r.line_no, "; ".join(r.errors)) for r in bad])
        say(f"No valid rows to send. Failed rows written to {failed_out}")
        return 0
    if not args.yes and sys.stdin.isatty():
        answer = input(f"Import {len(rows) - len(bad):,} rows? [y/N] ").strip().lower()
        if answer not in ("y", "yes"):
            say("Cancelled; nothing was sent.")
            return 0
    key = resolve_key(profile, env)
    if not key:
        err("sendkit-tui import: no API key. Set SENDKIT_API_KEY or run "
            "`sendkit-tui auth login` first.")  # fmt: skip
        return 1
    workspace_id = resolve_workspace(profile, env)
    target = Target.of(base_url, workspace_id, key)
    job = _Job(key, base_url, workspace_id, rows, args, data, mapping, target,
               state_path_for(data.sha256, mapping, profile, target))  # fmt: skip
    return _send(job, failed_out)


@dataclass
class _Job:
    key: str
    base_url: str
    workspace_id: str | None
    rows: list[bulk_rows.PreparedRow]
    args: argparse.Namespace
    data: csv_read.CsvData
    mapping: dict[int, str]
    target: Target
    state_path: Path


def _send(job: _Job, failed_out: Path) -> int:
    from sendkit_tui.bulk.report import ImportAborted

    bar = ImportProgress(Path(job.args.file).name)
    try:
        report = asyncio.run(_import(job, bar))
    except KeyboardInterrupt:
        bar.finish()
        err("Interrupted. Run the same command again to resume; nothing will be duplicated.")
        return 1
    except Exception as error:
        bar.finish()
        report = error.report if isinstance(error, ImportAborted) else None
        err(f"sendkit-tui import: {_explain(getattr(error, 'error', error))}")
        if report is not None:
            print_report(report)
            err("Fix the problem, then run the same command again to resume.")
        return 1
    bar.finish()
    print_report(report)
    if report.failures:
        _write_failures(failed_out, job.data, job.rows, report.failures)
        say(f"Failed rows written to {failed_out} (fix them and import that file).")
    if not report.complete or report.unaccounted:
        err(f"The import did not complete: {report.stopped_reason} Run the same command again "
            "to resume; rows already imported will not be duplicated.")  # fmt: skip
        return 1
    return 0


async def _import(job: _Job, bar: ImportProgress) -> Any:
    from sendkit_tui.api import SendKitClient
    from sendkit_tui.bulk.runner import run_import

    async with SendKitClient(job.key, base_url=job.base_url,
                             workspace_id=job.workspace_id) as client:  # fmt: skip
        return await run_import(
            client,
            job.rows,
            skip_duplicates=job.args.skip_duplicates,
            data_cleanup=job.args.cleanup,
            tag=job.args.tag,
            progress=bar,
            state_path=job.state_path,
            source_sha256=job.data.sha256,
            mapping=job.mapping,
            target=job.target,
        )


def _explain(error: BaseException) -> str:
    try:
        from sendkit_tui.domain.wording import explain

        return explain(error)
    except Exception:
        return str(error)


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
        say(f"  (row not identified) {reason}")
