"""The doctor's HTTP: one request at a time, with the auth header chosen per request.

Unlike ``SendKitClient`` (which always sends both auth headers and retries), the doctor
needs to send exactly one header to see which the server accepts, and must see every
answer as it is. Nothing here retries; every failure becomes an ``Answer`` with a
``SendKitError`` whose text has the key masked out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from sendkit_tui.api.base import normalize_base_url
from sendkit_tui.api.error_mapping import error_from_exception, parse_error
from sendkit_tui.api.errors import SendKitError
from sendkit_tui.api.headers import USER_AGENT
from sendkit_tui.api.parsing import is_json, load_json
from sendkit_tui.domain.rules import is_loopback, key_kind, mask_key
from sendkit_tui.domain.text import one_line as shown

AUTH_MODES = ("x-api-key", "bearer", "both")
TIMEOUT = httpx.Timeout(10.0)
_NO_BODY: Any = object()


@dataclass
class Answer:
    status: int | None  # None: no HTTP answer at all
    body: Any = None  # the decoded JSON, or None
    error: SendKitError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def data(self) -> Any:
        return self.body.get("data") if isinstance(self.body, dict) else None

    def problem(self) -> str:
        """What went wrong, in one safe line."""
        where = f"HTTP {self.status}" if self.status is not None else "no answer"
        message = self.error.message if self.error is not None else "unexpected answer"
        return f"{where}: {shown(message)}"

    def envelope(self) -> str:
        """``"A"``, ``"B"`` or ``"other"``: the shape of an error body."""
        body = self.body
        if isinstance(body, dict) and isinstance(body.get("error"), str):
            return "A"
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            return "B"
        return "other"


class DoctorHttp:
    def __init__(
        self,
        base_url: str,
        key: str,
        workspace_id: str | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url, self.host = normalize_base_url(base_url)
        self.key = key.strip()
        self.masked = mask_key(self.key)
        self.kind = key_kind(self.key) or "workspace"
        self.workspace_id = workspace_id
        self.auth = "both"  # the header form that works; check_auth may change it
        self.workspaces: list[Any] = []  # data of GET /v1/workspaces
        loopback = is_loopback(urlsplit(self.base_url).hostname or "")
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=TIMEOUT,
            follow_redirects=False,  # a redirect would carry the key to another host
            trust_env=not loopback,
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> DoctorHttp:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def headers(self, auth: str, scoped: bool) -> dict[str, str]:
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        if auth in ("x-api-key", "both"):
            headers["X-Api-Key"] = self.key
        if auth in ("bearer", "both"):
            headers["Authorization"] = f"Bearer {self.key}"
        if scoped and self.kind == "platform" and self.workspace_id:
            headers["X-Workspace-Id"] = self.workspace_id
        return headers

    def call(
        self,
        method: str,
        path: str,
        *,
        auth: str | None = None,
        scoped: bool = True,
        params: dict[str, Any] | None = None,
        json: Any = _NO_BODY,
    ) -> Answer:
        request = self._http.build_request(
            method,
            path,
            params=params,
            headers=self.headers(auth or self.auth, scoped),
            json=None if json is _NO_BODY else json,
        )
        try:
            response = self._http.send(request)
        except httpx.HTTPError as exc:
            error = error_from_exception(exc, host=self.host, timeout=TIMEOUT, create=False)
            return Answer(None, None, error.redact(self.key, self.masked))
        body = load_json(response.content)
        body = body if is_json(body) else None
        failed = not 200 <= response.status_code < 300 or not isinstance(body, dict)
        if isinstance(body, dict) and body.get("success") is False:
            failed = True
        refused = parse_error(response).redact(self.key, self.masked) if failed else None
        return Answer(response.status_code, body, refused)

    def lead_path(self, lead_id: str) -> str:
        return "/v1/leads/" + quote(lead_id, safe="")
