"""``sendkit-tui doctor``: what the configured server accepts, and what the app does about it.

Read-only by default (GETs only): the key's type and workspace, which auth header works
alone, the list's shape and paging form, whether ``GET /v1/leads/{id}`` exists and the
error envelope (from a GET of an id that does not exist). ``--write-probe`` (confirmed,
or ``--yes``) also creates one throwaway lead, edits it and deletes it; see
``doctor_probe``. What was learnt is remembered in ``storage.server_traits``.

Output is plain text, like ``gh auth status``: every string from the server is
sanitised, and the key appears only masked. Exit codes: 0 when the key works and the
list can be read, 1 otherwise (or when the write probe failed), 2 when the write probe
was not confirmed.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping
from typing import Any, TextIO

from sendkit_tui.domain.text import one_line
from sendkit_tui.identity import ENV_WORKSPACE_ID

UNKNOWN_ID = "0" * 24
MARKS = {"ok": "✓", "bad": "✗", "warn": "!", "info": "-", "plan": "→"}


shown = one_line


def add_doctor_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "doctor", help="check what the configured SendKit server accepts (read-only)"
    )
    parser.add_argument(
        "--write-probe",
        action="store_true",
        help="also create one throwaway lead, edit it and delete it, to learn how this "
        "server applies edits (asks first)",
    )
    parser.add_argument("--yes", "-y", action="store_true", help="do not ask before --write-probe")
    return parser


class Report:
    """Prints as it goes; collects the traits learnt and what the app will do."""

    def __init__(self, out: TextIO, key: str = "", masked: str = "") -> None:
        self.out, self.key, self.masked = out, key, masked
        self.learnt: dict[str, Any] = {}
        self.plans: list[str] = []
        self.failed = False

    def say(self, text: str = "") -> None:
        if self.key:
            text = text.replace(self.key, self.masked)  # last line of defence
        print(text, file=self.out, flush=True)

    def section(self, title: str) -> None:
        self.say(title)

    def line(self, mark: str, text: str) -> None:
        self.say(f"  {MARKS[mark]} {text}")
        if mark == "bad":
            self.failed = True

    def plan(self, text: str) -> None:
        self.plans.append(text)


def run(
    args: argparse.Namespace,
    profile: str,
    base_url: str,
    *,
    env: Mapping[str, str] | None = None,
    out: TextIO | None = None,
    ask: Callable[[str], str] | None = None,
    transport: Any = None,
) -> int:
    from sendkit_tui.cli.doctor_http import DoctorHttp
    from sendkit_tui.domain.rules import key_kind, mask_key
    from sendkit_tui.storage.credentials import CredentialStore
    from sendkit_tui.storage.server_traits import TraitsStore

    env = os.environ if env is None else env
    out = out or sys.stdout
    report = Report(out)
    report.say(f"sendkit-tui doctor: {shown(base_url)} (profile {shown(profile)})")
    credential = CredentialStore(profile, env=env).resolve_sync()
    if credential is None:
        report.section("Key")
        report.line("bad", "Not logged in: no SENDKIT_API_KEY and no stored key.")
        report.line("plan", "Run: sendkit-tui auth login")
        return 1
    key = credential.key
    report.key, report.masked = key, mask_key(key)
    kind = key_kind(key) or "unknown"
    report.section("Key")
    where = credential.source.describe(credential.detail)
    report.line("ok", f"{shown(mask_key(key))} from {shown(where)}: a {kind} key")
    if not key.isascii() or not key.isprintable() or any(ch.isspace() for ch in key):
        report.line("bad", "The key holds spaces or characters an HTTP header cannot carry.")
        return 1
    workspace_id = env.get(ENV_WORKSPACE_ID) or _configured_workspace(profile)
    traits = TraitsStore()
    with DoctorHttp(base_url, key, workspace_id, transport=transport) as http:
        if not check_auth(http, report) or not check_workspace(http, report):
            _plans(report, "What to do")
            return 1
        sample = check_list(http, report)
        check_single_and_errors(http, report, sample)
        scope = http.workspace_id if http.kind == "platform" else None
        from sendkit_tui.cli.doctor_probe import confirm, report_known, write_probe

        if args.write_probe:
            if not args.yes and not confirm(http, report, ask):
                return 2
            write_probe(http, report)
        else:
            report_known(traits.load(http.base_url, scope), report)
    _plans(report)
    if report.learnt:
        if traits.update(base_url, scope, source=_source(args), **report.learnt):
            report.say(f"Remembered for this server in {traits.path}")
        else:
            report.line("warn", shown(traits.last_error or "Could not remember what was learnt."))
    return 1 if report.failed else 0


def _plans(report: Report, title: str = "What the app will do") -> None:
    report.section(title)
    for plan in report.plans:
        report.line("plan", plan)


def _source(args: argparse.Namespace) -> str:
    return "write-probe" if args.write_probe else "doctor"


def _configured_workspace(profile: str) -> str | None:
    from sendkit_tui.storage.config import load_config

    return load_config().profile(profile).workspace_id


def check_auth(http: Any, report: Report) -> bool:
    """GET /v1/workspaces with each header alone and with both; picks what to use next."""
    report.section("Authentication (GET /v1/workspaces)")
    names = {"x-api-key": "X-Api-Key alone", "bearer": "Authorization: Bearer alone",
             "both": "Both headers together (what the app sends)"}  # fmt: skip
    works = {}
    for mode in ("x-api-key", "bearer", "both"):
        answer = http.call("GET", "/v1/workspaces", auth=mode, scoped=False)
        works[mode] = answer
        if answer.ok:
            report.line("ok", f"{names[mode]}: accepted")
        else:
            report.line("warn" if mode != "both" else "bad", f"{names[mode]}: {answer.problem()}")
    alone = [m for m in ("x-api-key", "bearer") if works[m].ok]
    if not alone and not works["both"].ok:
        report.line("bad", "The key was not accepted in any form.")
        report.plan("Check the key, or run: sendkit-tui auth login")
        return False
    report.learnt["auth_headers"] = (
        "either" if len(alone) == 2 else alone[0] if alone else "both-only"
    )
    if works["both"].ok:
        http.auth = "both"
        used = " and ".join("X-Api-Key" if m == "x-api-key" else "Bearer" for m in alone)
        report.plan(f"Send both auth headers, as now; this server reads {used or 'both'}.")
    else:
        http.auth = alone[0]
        report.plan(
            "The app sends both auth headers together, which this server refuses; "
            f"it should send {'X-Api-Key' if alone[0] == 'x-api-key' else 'Bearer'} only."
        )
    http.workspaces = works[http.auth].data if isinstance(works[http.auth].data, list) else []
    return True


def check_workspace(http: Any, report: Report) -> bool:
    spaces = [w for w in http.workspaces if isinstance(w, dict) and isinstance(w.get("id"), str)]
    label = {
        w["id"]: f"{shown(w.get('name') or '(no name)', 60)} ({shown(w['id'])})" for w in spaces
    }
    report.section("Workspace")
    if http.kind != "platform":
        if spaces:
            report.line("ok", f"This key works in {label[spaces[0]['id']]}")
        else:
            report.line("warn", "GET /v1/workspaces named no workspace for this key.")
        return True
    if http.workspace_id in label:
        report.line("ok", f"Using {label[http.workspace_id]} (X-Workspace-Id)")
        return True
    if http.workspace_id:
        report.line("bad", f"Workspace {shown(http.workspace_id)} is not one of this key's.")
    elif len(spaces) == 1:
        http.workspace_id = spaces[0]["id"]
        report.line("ok", f"Using {label[http.workspace_id]}, the key's only workspace")
        return True
    else:
        report.line("bad", f"A platform key needs a workspace; it has {len(spaces)}.")
    report.plan("Choose a workspace: sendkit-tui auth login, or set SENDKIT_WORKSPACE_ID.")
    return False


def check_list(http: Any, report: Report) -> dict[str, Any] | None:
    """GET /v1/leads?limit=2 and the next page; returns one lead of the list, if any."""
    report.section("Lead list (GET /v1/leads)")
    answer = http.call("GET", "/v1/leads", params={"limit": 2})
    if not answer.ok or not isinstance(answer.data, list):
        report.line("bad", answer.problem() if not answer.ok else "'data' is not a list.")
        return None
    items = [i for i in answer.data if isinstance(i, dict)]
    pagination = answer.body.get("pagination")
    pagination = pagination if isinstance(pagination, dict) else {}
    total = pagination.get("total")
    report.line("ok", f"Answers; {shown(total)} leads in all" if total is not None else "Answers")
    if "hasMore" in pagination or "nextCursor" in pagination:
        report.learnt["list_paging"] = "cursor"
        following = _next_page(http, pagination, {"cursor": pagination.get("nextCursor")}, items)
        report.line("ok", f"Paging: cursor form (hasMore, nextCursor){following}")
        report.plan("Page through leads with nextCursor while hasMore is true.")
    elif "page" in pagination or "pages" in pagination:
        report.learnt["list_paging"] = "page"
        shown_page = pagination.get("page")
        page = shown_page if isinstance(shown_page, int) else 1
        following = _next_page(http, pagination, {"page": page + 1}, items)
        report.line("ok", f"Paging: page form (page, pages){following}")
        report.plan("Page through leads by page number while page < pages.")
    else:
        report.line("warn", "No pagination object: only the first page can be shown.")
    if not items:
        report.line("info", "The workspace has no leads, so list items could not be inspected.")
        return None
    full = all("customFields" in i and "phoneNumber" in i for i in items)
    report.learnt["list_projection"] = "full" if full else "partial"
    if full:
        report.line("ok", "List items carry every field, custom fields and phone included.")
    else:
        report.line("info", "List items omit the phone, LinkedIn URL or custom fields.")
    return items[0]


def _next_page(http: Any, pagination: dict, params: dict, items: list) -> str:
    more = pagination.get("hasMore") is True or (
        isinstance(pagination.get("pages"), int)
        and isinstance(pagination.get("page"), int)
        and pagination["page"] < pagination["pages"]
    )
    if not more or not items:
        return "; one page only"
    answer = http.call("GET", "/v1/leads", params={"limit": 2, **params})
    if not answer.ok or not isinstance(answer.data, list):
        return f"; the next page failed ({answer.problem()})"
    before = {i.get("_id") for i in items if isinstance(i, dict)}
    after = {i.get("_id") for i in answer.data if isinstance(i, dict)}
    return (
        "; the next page follows on" if after and not after & before else "; the next page repeats"
    )


def check_single_and_errors(http: Any, report: Report, sample: dict[str, Any] | None) -> None:
    from sendkit_tui.api.errors import NotFound

    report.section("Single lead (GET /v1/leads/{id})")
    missing = http.call("GET", http.lead_path(UNKNOWN_ID))
    route_missing = isinstance(missing.error, NotFound) and missing.error.route_missing
    lead_id = sample.get("_id") if sample else None
    available: bool | None = None
    if isinstance(lead_id, str):
        found = http.call("GET", http.lead_path(lead_id))
        available = True if found.ok else False if found.status == 404 else None
        problem = found.problem()
    else:
        available = False if route_missing else True if missing.status == 404 else None
        problem = missing.problem()
    if available:
        report.line("ok", "Available")
        report.plan("Read each lead with GET /v1/leads/{id} before editing it.")
        report.plan("Check every save in SendKit's answer, and re-read fields it leaves out.")
    elif available is False:
        report.line("info", f"Not available: {problem}")
        report.plan("Edit from the list's copy of a lead; fields the list omits are not shown.")
        report.plan("Check every save in SendKit's answer (there is nothing to re-read it with).")
    else:
        report.line("warn", f"Could not tell: {problem}")
    if available is not None:
        report.learnt["single_lead_get"] = available
    report.section(f"Errors (GET /v1/leads/{UNKNOWN_ID})")
    if missing.status is None or missing.ok:
        report.line("warn", "No error to inspect: " + missing.problem())
        return
    shape = missing.envelope()
    report.learnt["error_shape"] = shape
    code = missing.error.code if missing.error is not None else None
    what = {"A": 'shape A {"error": "...", "message": "...", "code": N}',
            "B": 'shape B {"success": false, "error": {"code", "message"}}',
            "other": "not a SendKit envelope"}[shape]  # fmt: skip
    detail = f" ({shown(code, 40)})" if code else ""
    report.line("ok" if shape != "other" else "warn", f"HTTP {missing.status}, {what}{detail}")
    report.line("info", f"Message: {missing.problem()}")
