"""A local stand-in for the SendKit lead API: a real HTTP server on SQLite.

It serves ``sendkit-tui --demo``, the tests (over loopback sockets) and anyone trying the
app without an account. Never imports Textual.

    with SandboxServer(seed=25) as server:
        httpx.get(f"{server.url}/v1/leads", headers={"X-Api-Key": server.api_key})

Modules: ``server`` (SandboxServer, run_sandbox), ``app`` (routes), ``state`` (lead rules),
``store`` + ``records`` (SQLite), ``bulk``, ``validate``, ``auth``, ``faults`` +
``middleware`` (fault injection, request log), ``seed`` (sample data), ``wire`` (envelopes,
ids, timestamps).

Choices beyond DESIGN.md §3 (the real API documents none of these):
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

from sendkit_tui.sandbox.faults import KINDS as FAULT_KINDS
from sendkit_tui.sandbox.faults import RecordedRequest
from sendkit_tui.sandbox.server import DEMO_WORKSPACE_KEY, SandboxServer, run_sandbox

__all__ = ["DEMO_WORKSPACE_KEY", "FAULT_KINDS", "RecordedRequest", "SandboxServer", "run_sandbox"]
