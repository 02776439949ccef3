"""The plumbing under ``SendKitClient``: one shared ``httpx.AsyncClient``, the headers,
the base-URL check, the retry loop and the mapping of every failure to a ``SendKitError``.

Every call goes through ``BaseClient._call``, which adds the headers, applies the retry
policy of ``retry.py``, reads each answer within the size and time limits of ``limits.py``,
and raises errors with the API key masked out of their text.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
import ssl
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any, Self, TypeVar
from urllib.parse import urlsplit

import httpx

from sendkit_tui.domain.rules import is_loopback, mask_key
from sendkit_tui.domain.rules import key_kind as rules_key_kind
from sendkit_tui.identity import DEFAULT_BASE_URL

from .error_mapping import bad_response, error_from_exception, parse_error
from .errors import BadResponse, InsecureBaseURL, SendKitError
from .headers import key_headers, root_path
from .limits import MAX_BODY_BYTES, RESPONSE_DEADLINE, receive
from .parsing import load_json, short_message
from .retry import (
    OnRetry,
    OpKind,
    RetryState,
    Sleep,
    exception_retry_reason,
    parse_retry_after,
    status_retry_reason,
)

DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=5.0)
NEED_WORKSPACE = "Choose a workspace first: platform keys (sk_user_…) need a workspace id."

_HEADER_SAFE = re.compile(r"[\x21-\x7e]+")
_AMBIGUOUS_STATUSES = (500, 502, 504)
_NO_BODY: Any = object()
_log = logging.getLogger("sendkit_tui.api")
T = TypeVar("T")


def normalize_base_url(url: str) -> tuple[str, str]:
    """``(base_url, host label)``; refuses plain http:// except to loopback hosts."""
    text = (url or "").strip()
    parts = urlsplit(text)
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"{text!r} has an invalid port number.") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{text!r} is not an http(s) URL like https://api.sendkit.ai.")
    if parts.query or parts.fragment:
        raise ValueError("The base URL cannot have a query string or fragment.")
    host = parts.hostname
    if parts.scheme.lower() == "http" and not is_loopback(host):
        raise InsecureBaseURL(
            f"Refusing to send the API key over plain http:// to {host}; use https:// "
            "(plain http is allowed only for localhost)."
        )
    base = f"{parts.scheme.lower()}://{parts.netloc}{root_path(parts.path)}"
    shown = f"[{host}]" if ":" in host else host
    return base, f"{shown}:{port}" if port is not None else shown


class BaseClient:
    """Construction, headers, retries and error mapping; the endpoints live in ``client.py``."""

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        workspace_id: str | None = None,
        timeout: httpx.Timeout | float | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        max_retries: int = 3,
        sleep: Sleep = asyncio.sleep,
        on_retry: OnRetry | None = None,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
        max_body_bytes: int = MAX_BODY_BYTES,
        response_deadline: float = RESPONSE_DEADLINE,
    ) -> None:
        key = (api_key or "").strip()
        if not key:
            raise ValueError("An API key is required.")
        if not _HEADER_SAFE.fullmatch(key):
            raise ValueError(
                "The API key contains characters that cannot be sent in an HTTP header "
                "(spaces, line breaks or non-ASCII characters)."
            )
        if max_retries < 0:
            raise ValueError("max_retries cannot be negative.")
        self._key = key
        self._masked = mask_key(key)
        self.base_url, self._host = normalize_base_url(base_url)
        self.workspace_id = workspace_id
        if timeout is None:
            timeout = DEFAULT_TIMEOUT
        self.timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        self.max_retries = max_retries
        self.max_body_bytes = max_body_bytes  # per answer; see limits.py
        self.response_deadline = response_deadline  # seconds, per attempt
        self.on_retry = on_retry
        self._sleep = sleep
        self._rng = rng
        self._clock = clock
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=self.timeout,
            transport=transport,
            follow_redirects=False,  # a redirect would carry X-Api-Key to another host
            verify=_tls_context(self.base_url),
            # Proxy variables must not route a loopback (plain http) request elsewhere.
            trust_env=not is_loopback(urlsplit(self.base_url).hostname or ""),
            headers=key_headers(key),
        )

    # -- plumbing -------------------------------------------------------------------------

    @property
    def key_kind(self) -> str:
        return rules_key_kind(self._key) or "workspace"

    @property
    def workspace_id(self) -> str | None:
        return self._workspace_id

    @workspace_id.setter
    def workspace_id(self, value: str | None) -> None:
        text = (value or "").strip() or None
        if text is not None and not _HEADER_SAFE.fullmatch(text):
            raise ValueError("A workspace id cannot contain spaces or non-ASCII characters.")
        self._workspace_id = text

    @property
    def is_closed(self) -> bool:
        return self._http.is_closed

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self.base_url!r}, key={self._masked!r}, "
            f"key_kind={self.key_kind!r}, workspace_id={self.workspace_id!r})"
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    def _redact(self, error: SendKitError) -> SendKitError:
        return error.redact(self._key, self._masked)

    async def _call(
        self,
        method: str,
        path: str,
        parse: Callable[[dict[str, Any]], T],
        *,
        kind: OpKind,
        scoped: bool = True,
        params: Mapping[str, Any] | None = None,
        body: Any = _NO_BODY,
        on_retry: OnRetry | None = None,
    ) -> T:
        headers: dict[str, str] = {}
        if scoped and self.key_kind == "platform":
            if not self.workspace_id:
                raise ValueError(NEED_WORKSPACE)
            headers["X-Workspace-Id"] = self.workspace_id
        create = kind is OpKind.CREATE
        state = RetryState(
            max_retries=self.max_retries,
            sleep=self._sleep,
            on_retry=on_retry or self.on_retry,
            rng=self._rng,
            clock=self._clock,
        )
        while True:
            request = self._http.build_request(
                method,
                path,
                params=params,
                headers=headers,
                json=None if body is _NO_BODY else body,
            )
            started = time.monotonic()
            response: httpx.Response | None = None
            status: int | None = None
            retry_after: float | None = None
            try:
                response = await receive(
                    self._http,
                    request,
                    host=self._host,
                    max_bytes=self.max_body_bytes,
                    deadline=self.response_deadline,
                    create=create,
                )
            except httpx.HTTPError as exc:
                error = error_from_exception(
                    exc, host=self._host, timeout=self.timeout, create=create
                )
                reason = exception_retry_reason(kind, exc)
                _log.debug("%s %s failed: %s", method, request.url.path, type(exc).__name__)
            except SendKitError as limit:  # too large or too slow: trying again would be too
                error, reason = limit, None
                _log.debug("%s %s stopped: %s", method, request.url.path, type(limit).__name__)
            if response is not None:
                status = response.status_code
                elapsed_ms = (time.monotonic() - started) * 1000
                _log.debug("%s %s -> %s (%.0f ms)", method, request.url.path, status, elapsed_ms)
                if 200 <= status < 300:
                    return self._parse_success(response, parse, create)
                error = self._status_error(response, create)
                retry_after = parse_retry_after(response.headers)
                reason = status_retry_reason(kind, status, retry_after)
            await state.backoff(self._redact(error), reason, retry_after, status)

    def _status_error(self, response: httpx.Response, create: bool) -> SendKitError:
        status = response.status_code
        if 300 <= status < 400:
            location = short_message(response.headers.get("location"), 200) or "another address"
            return BadResponse(
                f"The server answered with a redirect (HTTP {status}) to {location}; "
                "check the base URL.",
                status=status,
            )
        error = parse_error(response)
        if create and status in _AMBIGUOUS_STATUSES:
            error.ambiguous = True
        return error

    def _parse_success(
        self, response: httpx.Response, parse: Callable[[dict[str, Any]], T], create: bool
    ) -> T:
        status, raw = response.status_code, response.content
        body = load_json(raw)
        error: SendKitError
        if not isinstance(body, dict):
            error = bad_response(status, raw, problem="not a JSON object", ambiguous=create)
        elif body.get("success") is False or (
            "data" not in body and isinstance(body.get("error"), str | dict)
        ):
            error = parse_error(response)
        else:
            try:
                return parse(body)
            except (ValueError, TypeError, KeyError) as exc:  # pydantic errors are ValueErrors
                error = bad_response(status, raw, problem=_problem(exc), ambiguous=create)
        raise self._redact(error)


def _tls_context(base_url: str) -> ssl.SSLContext | bool:
    """Verification as httpx does it for https; for plain-http loopback, a context that
    trusts no certificate at all.

    Loading the CA bundle costs ~35 ms at start-up, and a plain-http client never does a
    TLS handshake. Should one ever be attempted (it cannot: redirects are not followed and
    every path is relative), this context fails closed: hostname check on, no trusted roots.
    """
    if urlsplit(base_url).scheme == "https":
        return True
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def _problem(exc: Exception) -> str | None:
    pydantic = sys.modules.get("pydantic")  # not loaded: the error cannot be one of its own
    if pydantic is not None and isinstance(exc, pydantic.ValidationError) and exc.errors():
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "data"
        return short_message(f"{where}: {first.get('msg', 'invalid')}", 200)
    return short_message(str(exc), 200)
