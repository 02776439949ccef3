"""A local stand-in for the SendKit lead API: a real HTTP server on SQLite.

It serves ``sendkit-tui --demo``, the tests (over loopback sockets) and anyone trying the
app without an account. Never imports Textual.

    with SandboxServer(seed=25) as server:
        httpx.get(f"{server.url}/v1/leads", headers={"X-Api-Key": server.api_key})

Modules: ``server`` (SandboxServer, run_sandbox), ``app`` (routes), ``state`` (lead rules),
``store`` + ``records`` (SQLite), ``bulk``, ``validate``, ``auth``, ``faults`` +
``middleware`` (fault injection, request log), ``seed`` (sample data), ``wire`` (envelopes,
ids, timestamps), ``dialects`` (other readings of the docs: ``SandboxServer(dialects=[...])``,
``sendkit-tui sandbox --dialect NAME``).

Choices beyond the wire decisions in docs/ARCHITECTURE.md (the real API documents none of these):
- ``customFields: null`` in a PATCH clears them all (JSON merge-patch); ``tags: null`` → [].
- Emails are always trimmed and lowercased, also in bulk with ``dataCleanup: false``.
- ``search`` also matches "first last" (the full name), besides each field on its own.
- Bulk rows accept ``tags`` as a list or a comma-separated string; ``phone`` wins over
  ``phoneNumber`` when a row has both; other non-string values become JSON-ish text
  (``true``, ``250``). With ``skipDuplicates: false`` a repeated row updates the lead
  imported earlier in the same batch (counted as ``updated``).
- DELETE rejects unknown top-level keys; ids of other workspaces or unknown ids are ignored.
- Bodies with NaN/Infinity or lone surrogates are ``INVALID_JSON``.
- A request held by a ``slow`` fault across a ``reset()`` is dropped, not handled, so it
  cannot write into the next test's fresh data.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# Names load their module on first use: ``sandbox.dialects`` (read by the CLI's --help)
# must not pull in starlette and uvicorn.
_WHERE = {
    "DEMO_WORKSPACE_KEY": ("companion", "DEMO_WORKSPACE_KEY"),
    "DIALECTS": ("dialects", "NAMES"),
    "FAULT_KINDS": ("faults", "KINDS"),
    "RecordedRequest": ("faults", "RecordedRequest"),
    "SandboxServer": ("server", "SandboxServer"),
    "run_sandbox": ("server", "run_sandbox"),
}
__all__ = ["DEMO_WORKSPACE_KEY", "DIALECTS", "FAULT_KINDS", "RecordedRequest", "SandboxServer",
           "run_sandbox"]  # fmt: skip

if TYPE_CHECKING:
    from sendkit_tui.sandbox.companion import DEMO_WORKSPACE_KEY
    from sendkit_tui.sandbox.dialects import NAMES as DIALECTS
    from sendkit_tui.sandbox.faults import KINDS as FAULT_KINDS
    from sendkit_tui.sandbox.faults import RecordedRequest
    from sendkit_tui.sandbox.server import SandboxServer, run_sandbox


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _WHERE[name]
    value = getattr(import_module(f".{module}", __name__), attribute)
    globals()[name] = value
    return value
