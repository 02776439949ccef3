"""The sandbox's data and rules, independent of HTTP: used by the routes and by tests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from sendkit_tui.domain.rules import normalize_email
from sendkit_tui.sandbox.auth import Keys
from sendkit_tui.sandbox.bulk import bulk_import
from sendkit_tui.sandbox.dialects import DOCS_ONLY, parse_dialects, patch_in_dialect
from sendkit_tui.sandbox.faults import FaultBook, RequestLog
from sendkit_tui.sandbox.rate_limit import TokenBucket
from sendkit_tui.sandbox.records import lead_of, list_item, tag_rows, to_row
from sendkit_tui.sandbox.seed import USER, WORKSPACES, seed_store
from sendkit_tui.sandbox.store import Store
from sendkit_tui.sandbox.validate import (
    EmailImmutable,
    apply_patch,
    parse_create,
    parse_filters,
    parse_list_query,
)
from sendkit_tui.sandbox.wire import (
    ApiError,
    Clock,
    Invalid,
    detail,
    error_b,
    is_id,
    not_found_lead,
    to_ms,
)

DUPLICATE = "A lead with this email already exists."
IMMUTABLE = "Email cannot be changed after a lead is created."
DELETE_KEYS = ("leadIds", "deleteAll", "filters", "excludeIds", "force")
TEST_ONLY_KEYS = ("emailVerified", "emailVerificationResult")


def _id_list(value: Any, field: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(i, str) for i in value):
        raise Invalid([detail(field, f"{field} must be a list of lead ids.")])
    return [i.strip().lower() for i in value]


def _campaign_message(count: int) -> str:
    if count == 1:
        return "1 lead is in an active campaign. Send force: true to delete it anyway."
    return f"{count} leads are in active campaigns. Send force: true to delete them anyway."


class SandboxState:
    def __init__(self, *, keys: Keys, db: str = ":memory:", seed: int = 0,
                 docs_only: bool = False, clock: Clock | None = None,
                 dialects: Iterable[str] | None = None,
                 rate_limit: float | None = None) -> None:  # fmt: skip
        self.keys = keys
        self.store = Store(db)
        self.faults = FaultBook()
        self.log = RequestLog()
        self.clock = clock
        self.default_seed = seed
        chosen = parse_dialects(dialects)
        self.default_dialects = chosen | {DOCS_ONLY} if docs_only else chosen
        self.dialects = self.default_dialects
        self.default_rate_limit = rate_limit
        self.limiter: TokenBucket | None = None
        self.set_rate_limit(rate_limit)
        self.generation = 0
        if self.store.is_empty():
            seed_store(self.store, seed)

    @property
    def docs_only(self) -> bool:
        """The ``docs-only`` dialect: no ``GET /v1/leads/{id}``, projected list items."""
        return DOCS_ONLY in self.dialects

    @docs_only.setter
    def docs_only(self, flag: bool) -> None:
        self.dialects = self.dialects | {DOCS_ONLY} if flag else self.dialects - {DOCS_ONLY}

    def set_dialects(self, names: Iterable[str] | None) -> None:
        self.dialects = parse_dialects(names)

    @property
    def workspaces(self) -> list[dict[str, str]]:
        return [dict(w) for w in WORKSPACES]

    def now_ms(self) -> int:
        return to_ms(self.clock() if self.clock else datetime.now(UTC))

    def set_rate_limit(self, rate: float | None) -> None:
        """Requests a second let through from now on (rate_limit.py); None: no limit."""
        self.limiter = TokenBucket(rate) if rate is not None else None

    def reset(self, seed: int | None = None) -> None:
        self.generation += 1
        self.faults.clear()
        self.log.clear()
        self.dialects = self.default_dialects
        self.set_rate_limit(self.default_rate_limit)
        self.store.wipe()
        seed_store(self.store, self.default_seed if seed is None else seed)

    # --- leads -------------------------------------------------------------------------

    def get_lead(self, lead_id: str, workspace_id: str | None = None) -> dict[str, Any] | None:
        if not is_id(lead_id):
            return None
        record = self.store.record(lead_id, workspace_id)
        return lead_of(record) if record else None

    def find_leads(self, email: str) -> list[dict[str, Any]]:
        return [lead_of(r) for r in self.store.records_by_email(normalize_email(email))]

    def create(self, workspace_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return self.insert(workspace_id, [parse_create(body)])[0]

    def insert(self, workspace_id: str, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Insert validated records as new leads (409 DUPLICATE_EMAIL on a clash)."""
        with self.store.tx() as db:
            ids = []
            for record in records:
                existing = self.store.id_by_email(workspace_id, record["email"])
                if existing:
                    raise ApiError(
                        error_b(
                            409,
                            "DUPLICATE_EMAIL",
                            DUPLICATE,
                            [detail("email", DUPLICATE)],
                            leadId=existing,
                        )
                    )
                now = self.now_ms()
                lead_id = self.store.ids.next(now)
                row = to_row(lead_id, workspace_id, USER["id"], record, now)
                self.store.insert(db, [row], tag_rows(workspace_id, lead_id, record["tags"]))
                ids.append(lead_id)
        return [lead_of(self.store.record(i)) for i in ids]

    def add_leads(
        self, leads: list[Mapping[str, Any]], workspace_id: str | None = None
    ) -> list[str]:
        """Test setup: validated like a create, plus emailVerified/emailVerificationResult."""
        records = []
        for lead in leads:
            body = {k: v for k, v in lead.items() if k not in TEST_ONLY_KEYS}
            try:
                record = parse_create(body)
            except Invalid as exc:
                raise ValueError(f"invalid lead {lead!r}: {exc.details}") from None
            record.update({k: lead[k] for k in TEST_ONLY_KEYS if k in lead})
            records.append(record)
        try:
            created = self.insert(workspace_id or self.keys.key_workspace, records)
        except ApiError as exc:
            raise ValueError(f"duplicate email in {leads!r}") from exc
        return [lead["_id"] for lead in created]

    def patch(self, workspace_id: str, lead_id: str, body: dict[str, Any]) -> dict[str, Any]:
        if not is_id(lead_id):
            raise not_found_lead()
        with self.store.tx() as db:
            current = self.store.record(lead_id, workspace_id)
            if current is None:
                raise not_found_lead()
            try:
                updated = patch_in_dialect(self.dialects, current, body, apply_patch)
            except EmailImmutable:
                raise ApiError(
                    error_b(400, "EMAIL_IMMUTABLE", IMMUTABLE, [detail("email", IMMUTABLE)])
                ) from None
            if updated != current:
                self.store.replace(db, updated, max(self.now_ms(), current["updatedMs"] + 1))
        return lead_of(self.store.record(lead_id))

    def list(self, workspace_id: str, query: Mapping[str, str]) -> dict[str, Any]:
        parsed = parse_list_query(dict(query))
        records, more = self.store.page(workspace_id, parsed.filters, parsed.limit, parsed.cursor)
        leads = [lead_of(r) for r in records]
        if self.docs_only:
            leads = [list_item(lead) for lead in leads]
        pagination = {
            "limit": parsed.limit,
            "total": self.store.count(workspace_id, parsed.filters),
            "hasMore": more,
            "nextCursor": leads[-1]["_id"] if leads else None,
        }
        return {"success": True, "data": leads, "pagination": pagination}

    def bulk(self, workspace_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return bulk_import(self.store, workspace_id, USER["id"], body, self.now_ms())

    def delete(self, workspace_id: str, body: dict[str, Any]) -> int:
        details = [detail(k, f"Unknown field {k!r}.") for k in body if k not in DELETE_KEYS]
        force = body.get("force", False)
        for name in ("force", "deleteAll"):
            if not isinstance(body.get(name, False), bool):
                details.append(detail(name, f"{name} must be true or false."))
        if details:
            raise Invalid(details)
        if body.get("deleteAll") is True:
            filters = body.get("filters") or {}
            if not isinstance(filters, dict):
                raise Invalid([detail("filters", "filters must be an object.")])
            deleted, campaigns, blocked = self.store.delete(
                workspace_id,
                filters=parse_filters(filters, "filters."),
                exclude=_id_list(body.get("excludeIds") or [], "excludeIds"),
                force=force,
            )
        elif "leadIds" in body:
            ids = _id_list(body["leadIds"], "leadIds")
            deleted, campaigns, blocked = self.store.delete(workspace_id, lead_ids=ids, force=force)
        else:
            raise Invalid(
                [detail("leadIds", "Send leadIds, or deleteAll: true with optional filters.")]
            )
        if campaigns:
            message = _campaign_message(blocked)
            raise ApiError(
                error_b(400, "LEADS_IN_ACTIVE_CAMPAIGNS", message, {"campaigns": campaigns})
            )
        return deleted

    # --- account -----------------------------------------------------------------------

    def account(self) -> dict[str, Any]:
        memberships = [
            {"workspaceId": w["id"], "role": "owner", "joinedAt": "2025-06-01T10:30:00.000Z"}
            for w in WORKSPACES
        ]
        return {**USER, "image": None, "tier": "starter", "workspaces": memberships}

    def workspace_items(self, ids: list[str]) -> list[dict[str, Any]]:
        items = []
        for workspace in WORKSPACES:
            if workspace["id"] not in ids:
                continue
            campaigns = self.store.campaign_count(workspace["id"])
            usage = {
                "totalCampaigns": campaigns,
                "totalLeads": self.store.count(workspace["id"]),
                "totalMailboxes": 2 if campaigns else 0,
                "totalEmailsSent": 1_250 * campaigns,
            }
            items.append(
                {
                    **workspace,
                    "ownerId": USER["id"],
                    "memberCount": 1,
                    "usage": usage,
                    "createdAt": "2025-06-01T10:30:00.000Z",
                }
            )
        return items
