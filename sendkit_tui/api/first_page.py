"""The leads list's first page, fetched on a thread while the rest of the app starts.

Start-up is mostly imports: Textual (~130 ms), then httpx with httpcore, h11 and anyio
(~80 ms more before ``SendKitClient`` can send its first request). The first page need not
wait for them. As soon as the command line knows the key, ``FirstPage.start`` asks for the
page with the standard library's ``http.client`` on a thread; the socket wait runs while the
main thread imports Textual, the list draws the answer, and httpx loads after that frame.

It is only a head start. Anything but a 200 with a SendKit list body (an error status, a
redirect, a timeout, an HTML page, a proxy configured in the environment) makes it give up
quietly, and the list asks again through ``SendKitClient``, which retries and explains errors
as everywhere else. The key goes only to a base URL that ``rules.check_base_url`` accepts
(https, or plain http to loopback), with the client's headers; redirects are never followed,
and https verifies the certificate against the same CA bundle as httpx (certifi).
"""

from __future__ import annotations

import asyncio
import http.client
import ssl
import sys
import threading
from collections.abc import Mapping
from urllib.parse import urlencode, urlsplit

from sendkit_tui.domain.rules import check_base_url, is_loopback, key_kind

from .headers import key_headers, root_path
from .parsing import load_json
from .rows import RowPage, row_page

LIMIT = 100
MAX_BODY = 4 * 1024 * 1024
TIMEOUT = 5.0


class FirstPage:
    """One ``GET /v1/leads?limit=100`` on a daemon thread; ``await page()`` for the rows."""

    def __init__(self, base_url: str, key: str, workspace_id: str | None = None) -> None:
        parts = urlsplit(base_url.strip())
        self._scheme, self._netloc = parts.scheme.lower(), parts.netloc
        self._target = f"{root_path(parts.path)}/v1/leads?{urlencode({'limit': LIMIT})}"
        key = key.strip()
        self._headers = key_headers(key)  # what SendKitClient sends
        if workspace_id and key_kind(key) == "platform":  # as SendKitClient
            self._headers["X-Workspace-Id"] = workspace_id.strip()
        self._body: bytes | None = None
        self._done = threading.Event()
        threading.Thread(target=self._fetch, name="sendkit-first-page", daemon=True).start()

    @classmethod
    def start(
        cls, base_url: str, key: str, workspace_id: str | None, env: Mapping[str, str]
    ) -> FirstPage | None:
        """A prefetch, or None where only the real client should talk to the server."""
        if not key or check_base_url(base_url) is not None:
            return None
        if key_kind(key) == "platform" and not workspace_id:
            return None  # the workspace is chosen later
        host = urlsplit(base_url.strip()).hostname or ""
        if not is_loopback(host) and (
            not sys.platform.startswith("linux")  # system proxy settings (macOS, Windows)
            or any(name.lower().endswith("_proxy") for name in env)
        ):
            return None  # httpx honours proxy settings; this direct request would not
        return cls(base_url, key, workspace_id)

    def _fetch(self) -> None:
        conn: http.client.HTTPConnection | None = None
        try:
            if self._scheme == "https":
                import certifi  # the CA bundle httpx verifies with

                context = ssl.create_default_context(cafile=certifi.where())
                conn = http.client.HTTPSConnection(self._netloc, timeout=TIMEOUT, context=context)
            else:
                conn = http.client.HTTPConnection(self._netloc, timeout=TIMEOUT)
            conn.request("GET", self._target, headers=self._headers)
            response = conn.getresponse()
            body = response.read(MAX_BODY + 1)
            if response.status == 200 and len(body) <= MAX_BODY:
                self._body = body
        except (OSError, ValueError, http.client.HTTPException):
            pass  # the list asks again through SendKitClient, which explains what went wrong
        finally:
            if conn is not None:
                conn.close()
            self._done.set()

    @property
    def answered(self) -> bool:
        """Whether the request is over (``rows()`` then answers without waiting)."""
        return self._done.is_set()

    async def page(self) -> RowPage | None:
        """The first page's rows, or None if the head start did not work out."""
        if not self._done.is_set():
            await asyncio.to_thread(self._done.wait, TIMEOUT + 1)
        return self.rows()

    def rows(self) -> RowPage | None:
        """The rows of an answered request (see ``answered``), or None if it did not work."""
        if self._body is None or not self._done.is_set():
            return None
        body = load_json(self._body)
        if not isinstance(body, dict) or body.get("success") is False:
            return None
        try:
            return row_page(body)
        except ValueError:
            return None
