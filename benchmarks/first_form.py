"""Figure: launch → leads shown → ``n`` → create form ready for typing, from outside.

Each run starts a fresh process on a 120x40 pseudo-terminal (``pty_run.Pty``): ours as a
user runs it (``--demo``, or ``SENDKIT_API_KEY`` against a sandbox process), and the bare
app of ``startup_child form`` (a label, then a 12-field form on ``n``). The moment the
leads (or the bare label) reach the terminal, ``n`` and a fresh email are written at once,
as a fast typist's burst. The clock stops when the terminal receives that email inside the
form: the form is up, focused, and has every key typed after ``n``.

Then every run CHECKS that nothing was lost or misrouted: ctrl+s, and the email box must
have held exactly what was typed (the bare app prints it as it exits; ours must show the
status line "Saved <email>." (after "Saving <email>…" for a slow save) and, against the
sandbox process, the lead must exist there with that email and none with a longer one
holding it, such as the ``n`` typed into the box).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import time

import httpx

from benchmarks.common import PY, Report, Row, SandboxProcess, Settings, median
from benchmarks.pty_run import CTRL_S, Pty
from benchmarks.startup import first_email
from benchmarks.startup_child import BARE_TEXT

COMMANDS = {
    "bare": [PY, "-m", "benchmarks.startup_child", "form"],
    "demo": [PY, "-m", "sendkit_tui", "--demo"],
    "env": [PY, "-m", "sendkit_tui"],
}
_serial = itertools.count()


class KeyLost(AssertionError):
    """What the form held is not what was typed."""


def fresh_email() -> str:
    return f"bench.first.{time.time_ns()}.{next(_serial)}@example.com"


def screen_tail(term: Pty, size: int = 600) -> str:
    return bytes(term.output[-size:]).decode(errors="replace")


def one_run(mode: str, env: dict[str, str], leads: bytes, box: SandboxProcess | None) -> dict:
    """ms: spawn → leads shown, leads shown → typed email drawn in the form, and the sum."""
    email = fresh_email()
    with Pty(COMMANDS[mode], env) as term:
        shown = term.wait_for(leads)
        mark = len(term.output)
        sent = term.type(b"n" + email.encode())
        try:
            ready = term.wait_for(email.encode(), 15, after=mark)
        except TimeoutError:
            raise KeyLost(f"{mode}: typed {email!r}, never drawn: {screen_tail(term)!r}") from None
        check(mode, term, email, mark, box)
    return {
        "leads": (shown - term.started) * 1000,
        "form": (ready - sent) * 1000,
        "total": (ready - term.started) * 1000,
    }


def check(mode: str, term: Pty, email: str, mark: int, box: SandboxProcess | None) -> None:
    """ctrl+s; the email box must have held exactly ``email``."""
    term.type(CTRL_S)
    if mode == "bare":
        try:
            term.wait_for(b"TYPED<<", 10, after=mark)
        except TimeoutError:
            raise KeyLost(
                f"bare: ctrl+s after {email!r}: not saved: {screen_tail(term)!r}"
            ) from None
        start = term.output.find(b"TYPED<<", mark) + len(b"TYPED<<")
        term.wait_for(b">>", 10, after=start)
        held = bytes(term.output[start : term.output.find(b">>", start)]).decode()
        if held != email:
            raise KeyLost(f"bare: typed {email!r}, the form held {held!r}")
        return
    try:
        term.wait_for(b"Saved ", 15, after=mark)  # the status line: "Saved <email>."
    except TimeoutError:
        raise KeyLost(f"{mode}: typed {email!r}, not saved: {screen_tail(term)!r}") from None
    # What was sent, as the status line says it: "Saving <email>…" (a save slower than
    # 0.1 s) or "Saved <email>." -- delimited both sides, so a stray key in the box shows.
    # "Saved " may be the end of one read: the rest of its frame comes in the next ones.
    saving, saved = f"Saving {email}…".encode(), f"Saved {email}.".encode()
    with contextlib.suppress(TimeoutError):
        term.wait_for(saved, 2, after=mark)
    said = bytes(term.output[mark:])
    if saving not in said and saved not in said:
        raise KeyLost(f"{mode}: typed {email!r}, sent something else: {screen_tail(term)!r}")
    if box is not None:
        found = httpx.get(
            f"{box.url}/v1/leads", params={"search": email, "limit": 10}, headers=box.headers
        ).json()["data"]
        emails = sorted(lead["email"] for lead in found)
        if emails != [email]:
            raise KeyLost(f"{mode}: typed {email!r}; the sandbox holds {emails!r}")


def run(settings: Settings, report: Report, demo: SandboxProcess, box: SandboxProcess) -> None:
    """``demo``: a sandbox seeded as ``--demo`` is (for the first lead's email); ``box``: a
    sandbox process of the same seed for the env-key runs (they create leads in it)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="bench-home-") as home:
        env = {**os.environ, "XDG_CONFIG_HOME": f"{home}/config", "XDG_DATA_HOME": f"{home}/data"}
        for name in ("SENDKIT_API_KEY", "SENDKIT_BASE_URL", "SENDKIT_WORKSPACE_ID"):
            env.pop(name, None)
        env_key = {**env, "SENDKIT_API_KEY": box.api_key, "SENDKIT_BASE_URL": box.url}
        demo_leads = first_email(demo)

        def go(mode: str) -> dict:
            if mode == "bare":
                return one_run(mode, env, BARE_TEXT.encode(), None)
            if mode == "demo":
                return one_run(mode, env, demo_leads, None)
            return one_run(mode, env_key, first_email(box), box)  # newest: the last one made

        times: dict[str, list[dict]] = {m: [] for m in COMMANDS}
        for mode in COMMANDS:  # warm-up: page cache
            go(mode)
        for _ in range(settings.runs(11, 3)):
            for mode in COMMANDS:  # interleaved: drift hits all alike
                times[mode].append(go(mode))
    add_rows(report, times)


def add_rows(report: Report, times: dict[str, list[dict]]) -> None:
    def med(mode: str, key: str) -> float:
        return median([t[key] for t in times[mode]])

    bare = med("bare", "total")
    for mode, label in (("demo", "--demo"), ("env", "env key")):
        ours = med(mode, "total")
        report.add(
            Row(
                f"launch → leads → n → form ready for typing, {label}",
                ours,
                bare,
                "ms",
                "≤ 1.2x",
                ours / bare <= 1.2,
            )
        )
        report.add(
            Row(
                f"  of which n → form with the email ({label})",
                med(mode, "form"),
                med("bare", "form"),
                "ms",
                "(info)",
            )
        )
    spread = ", ".join(
        f"{m} [{min(t['total'] for t in v):.0f}-{max(t['total'] for t in v):.0f}]"
        for m, v in times.items()
    )
    leads = ", ".join(f"{m} {med(m, 'leads'):.0f}" for m in times)
    report.notes.append(
        f"launch → form ms (spawn → typed email drawn in the form; n + email sent when the "
        f"leads show; every run checked after ctrl+s) min-max over {len(times['bare'])} runs: "
        f"{spread}; of which spawn → leads shown (median): {leads}"
    )
