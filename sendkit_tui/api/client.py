"""``SendKitClient``: the SendKit endpoints a lead manager needs.

See docs/ARCHITECTURE.md, "Wire decisions".

The transport, retries and error mapping are in ``base.py``; this module only says which
route each method calls, with which retry kind, and how its ``data`` is read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from sendkit_tui.identity import DEFAULT_BASE_URL

from .base import DEFAULT_TIMEOUT, BaseClient
from .errors import BadResponse
from .retry import OnRetry, OpKind
from .rows import RowPage, row_page

if TYPE_CHECKING:  # the pydantic models load on first use: the list's first page needs none
    from .models import Account, BulkResult, Lead, LeadInput, Page, Workspace

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_TIMEOUT", "MAX_BULK", "MAX_LIMIT", "SendKitClient"]

MAX_LIMIT = 100
MAX_BULK = 5_000


class SendKitClient(BaseClient):
    """Async client for the SendKit Platform API. Use ``async with`` or ``await aclose()``.

    ``SendKitClient(api_key, *, base_url, workspace_id, timeout, transport, max_retries,
    sleep, on_retry)``; see ``BaseClient.__init__``.
    """

    # -- leads ----------------------------------------------------------------------------

    async def create_lead(
        self, lead: LeadInput | Mapping[str, Any], *, on_retry: OnRetry | None = None
    ) -> Lead:
        from .models import LeadInput

        if not isinstance(lead, LeadInput):
            lead = LeadInput.from_request_dict(dict(lead))
        return await self._call(
            "POST", "/v1/leads", _lead, kind=OpKind.CREATE, body=lead.to_body(), on_retry=on_retry
        )

    async def update_lead(
        self, lead_id: str, patch: Mapping[str, Any], *, on_retry: OnRetry | None = None
    ) -> Lead:
        """PATCH exactly ``patch`` (the caller's minimal diff). An empty patch is refused."""
        if not isinstance(patch, Mapping):
            raise TypeError("patch must be a dict in the request shape.")
        if not patch:
            raise ValueError("Nothing to update: the patch is empty, so no request is sent.")
        return await self._call(
            "PATCH",
            _lead_path(lead_id),
            _lead,
            kind=OpKind.WRITE,
            body=dict(patch),
            on_retry=on_retry,
        )

    async def get_lead(self, lead_id: str, *, on_retry: OnRetry | None = None) -> Lead:
        """``GET /v1/leads/{id}``: an extension; ``NotFound.route_missing`` if it is absent."""
        return await self._call(
            "GET", _lead_path(lead_id), _lead, kind=OpKind.READ, on_retry=on_retry
        )

    async def list_leads(
        self,
        *,
        search: str | None = None,
        tags: list[str] | str | None = None,
        email_verified: bool | None = None,
        limit: int = 25,
        cursor: str | None = None,
        page: int | None = None,
        on_retry: OnRetry | None = None,
    ) -> Page:
        params = _list_params(search, tags, email_verified, limit, cursor, page)
        return await self._call(
            "GET", "/v1/leads", _page, kind=OpKind.READ, params=params, on_retry=on_retry
        )

    async def list_lead_rows(self, *, on_retry: OnRetry | None = None, **filters: Any) -> RowPage:
        """``list_leads`` (the same keyword arguments) read as light ``LeadRow``s."""
        params = _list_params(**filters)
        return await self._call(
            "GET", "/v1/leads", row_page, kind=OpKind.READ, params=params, on_retry=on_retry
        )

    async def iter_pages(
        self,
        *,
        search: str | None = None,
        tags: list[str] | str | None = None,
        email_verified: bool | None = None,
        limit: int = MAX_LIMIT,
        on_retry: OnRetry | None = None,
    ) -> AsyncIterator[Page]:
        """Every page, following ``nextCursor`` (or ``page`` + 1) while ``hasMore``."""
        cursor: str | None = None
        page_no: int | None = None
        seen_cursors: set[str] = set()
        while True:
            page = await self.list_leads(
                search=search,
                tags=tags,
                email_verified=email_verified,
                limit=limit,
                cursor=cursor,
                page=page_no,
                on_retry=on_retry,
            )
            yield page
            if not page.has_more:
                return
            if page.next_cursor is not None:
                if page.next_cursor in seen_cursors:
                    raise _stuck("the same cursor came back")
                seen_cursors.add(page.next_cursor)
                cursor, page_no = page.next_cursor, None
            elif page.page is not None:
                if page_no is not None and page.page < page_no:
                    raise _stuck(f"page {page_no} was asked for and page {page.page} came back")
                cursor, page_no = None, page.page + 1
            else:
                raise _stuck("it said more pages follow but gave no cursor")

    async def iter_leads(
        self,
        *,
        search: str | None = None,
        tags: list[str] | str | None = None,
        email_verified: bool | None = None,
        limit: int = MAX_LIMIT,
        on_retry: OnRetry | None = None,
    ) -> AsyncIterator[Lead]:
        """Every matching lead over all pages, each id at most once."""
        seen: set[str] = set()
        async for page in self.iter_pages(
            search=search, tags=tags, email_verified=email_verified, limit=limit, on_retry=on_retry
        ):
            for lead in page.items:
                if lead.id not in seen:
                    seen.add(lead.id)
                    yield lead

    async def find_lead_by_email(
        self, email: str, *, max_pages: int = 3, on_retry: OnRetry | None = None
    ) -> Lead | None:
        """The lead whose email equals ``email`` (case-insensitive), searching a few pages."""
        target = email.strip().casefold()
        if not target:
            return None
        pages = self.iter_pages(search=email.strip(), limit=MAX_LIMIT, on_retry=on_retry)
        try:
            count = 0
            async for page in pages:
                for lead in page.items:
                    if lead.email.strip().casefold() == target:
                        return lead
                count += 1
                if count >= max_pages:
                    return None
        finally:
            await pages.aclose()  # type: ignore[attr-defined]
        return None

    async def bulk_create(
        self,
        leads: list[dict[str, Any]],
        *,
        skip_duplicates: bool = True,
        data_cleanup: bool = True,
        tag: str | None = None,
        on_retry: OnRetry | None = None,
    ) -> BulkResult:
        if not leads:
            raise ValueError("Nothing to import: the list of leads is empty.")
        if len(leads) > MAX_BULK:
            raise ValueError(
                f"SendKit takes at most {MAX_BULK:,} leads per import; got {len(leads):,}."
            )
        body: dict[str, Any] = {
            "leads": list(leads),
            "skipDuplicates": skip_duplicates,
            "dataCleanup": data_cleanup,
        }
        if tag is not None:
            body["tag"] = tag
        return await self._call(
            "POST", "/v1/leads/bulk", _bulk, kind=OpKind.CREATE, body=body, on_retry=on_retry
        )

    async def delete_leads(
        self, lead_ids: list[str], *, force: bool = False, on_retry: OnRetry | None = None
    ) -> int:
        """Delete leads by id; returns ``deletedCount``. An empty list sends nothing."""
        if isinstance(lead_ids, str):
            raise TypeError("lead_ids must be a list of ids, not one string.")
        if not lead_ids:
            return 0
        body = {"leadIds": list(lead_ids), "force": force}
        return await self._call(
            "DELETE", "/v1/leads", _deleted, kind=OpKind.WRITE, body=body, on_retry=on_retry
        )

    # -- account --------------------------------------------------------------------------

    async def get_account(self, *, on_retry: OnRetry | None = None) -> Account:
        return await self._call(
            "GET", "/v1/account", _account, kind=OpKind.READ, scoped=False, on_retry=on_retry
        )

    async def list_workspaces(self, *, on_retry: OnRetry | None = None) -> list[Workspace]:
        return await self._call(
            "GET", "/v1/workspaces", _workspaces, kind=OpKind.READ, scoped=False, on_retry=on_retry
        )


def _list_params(
    search: str | None = None,
    tags: list[str] | str | None = None,
    email_verified: bool | None = None,
    limit: int = 25,
    cursor: str | None = None,
    page: int | None = None,
) -> dict[str, Any]:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_LIMIT}.")
    params: dict[str, Any] = {"limit": limit}
    if search:
        params["search"] = search
    if tags:
        params["tags"] = tags if isinstance(tags, str) else ",".join(tags)
    if email_verified is not None:
        params["emailVerified"] = "true" if email_verified else "false"
    if cursor:
        params["cursor"] = cursor
    if page is not None:
        params["page"] = page
    return params


def _lead_path(lead_id: str) -> str:
    if not isinstance(lead_id, str) or not lead_id.strip():
        raise ValueError("A lead id is required.")
    return "/v1/leads/" + quote(lead_id.strip(), safe="")


def _stuck(why: str) -> BadResponse:
    return BadResponse(
        f"The server's lead list did not advance ({why}); stopped paging to avoid a loop.",
        status=200,
    )


def _data(body: dict[str, Any], kind: type) -> Any:
    data = body.get("data")
    if not isinstance(data, kind):
        raise ValueError(f"'data' is not a JSON {'array' if kind is list else 'object'}")
    return data


def _lead(body: dict[str, Any]) -> Lead:
    from .models import Lead

    return Lead.model_validate(_data(body, dict))


def _pagination(body: dict[str, Any]) -> dict[str, Any] | None:
    pagination = body.get("pagination")
    if pagination is not None and not isinstance(pagination, dict):
        raise ValueError("'pagination' is not a JSON object")
    return pagination


def _page(body: dict[str, Any]) -> Page:
    from .models import Lead, Page

    items = [Lead.model_validate(item) for item in _data(body, list)]
    return Page.from_parts(items, _pagination(body))


def _bulk(body: dict[str, Any]) -> BulkResult:
    from .models import BulkResult

    return BulkResult.model_validate(_data(body, dict))


def _deleted(body: dict[str, Any]) -> int:
    count = _data(body, dict).get("deletedCount")
    if isinstance(count, bool) or not isinstance(count, int):
        raise ValueError("'data.deletedCount' is not an integer")
    return count


def _account(body: dict[str, Any]) -> Account:
    from .models import Account

    return Account.model_validate(_data(body, dict))


def _workspaces(body: dict[str, Any]) -> list[Workspace]:
    from .models import Workspace

    return [Workspace.model_validate(item) for item in _data(body, list)]
