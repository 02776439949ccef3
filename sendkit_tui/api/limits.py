"""Limits on one answer from the server: how big it may be, and how long it may take.

httpx's timeouts bound each wait (connect, each read), not the whole answer: a server that
sends one byte every few seconds never trips them and keeps "Loading…" on screen forever,
and a 100 MB list page is read into memory whole. ``receive`` sends a request and reads its
answer in a stream, stopping at ``max_bytes`` (decoded) and at ``deadline`` seconds after the
request started, with an error that says which limit was met.
"""

from __future__ import annotations

import asyncio

import httpx

from .errors import OutcomeUnknown, ResponseTooLarge, ResponseTooSlow, SendKitError

MAX_BODY_BYTES = 20 * 1024 * 1024
"""Largest answer read (decoded): a page of 100 leads is well under 1 MB."""

RESPONSE_DEADLINE = 60.0
"""Seconds from sending a request to the last byte of its answer (one attempt)."""

_DROPPED = {"content-encoding", "content-length", "transfer-encoding"}


async def receive(
    http: httpx.AsyncClient,
    request: httpx.Request,
    *,
    host: str,
    max_bytes: int = MAX_BODY_BYTES,
    deadline: float = RESPONSE_DEADLINE,
    create: bool = False,
) -> httpx.Response:
    """``request``'s answer, read whole (a plain, already-read ``httpx.Response``).

    Raises httpx errors as ``send`` does, ``ResponseTooLarge`` past ``max_bytes`` and, past
    ``deadline``, ``ResponseTooSlow`` (``OutcomeUnknown`` for a create: it may have happened).
    """
    try:
        async with asyncio.timeout(deadline):
            response = await http.send(request, stream=True)
            try:
                body = await _read(response, host, max_bytes, create)
            finally:
                await response.aclose()
    except TimeoutError:
        raise too_slow(host, deadline, create) from None
    headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in _DROPPED]
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=body,
        request=request,
    )


async def _read(response: httpx.Response, host: str, max_bytes: int, create: bool) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.strip().isdigit() and int(declared) > max_bytes:
        raise too_large(host, max_bytes, create, response.status_code)
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise too_large(host, max_bytes, create, response.status_code)
        chunks.append(chunk)
    return b"".join(chunks)


def too_large(host: str, limit: int, create: bool, status: int) -> SendKitError:
    return ResponseTooLarge(
        limit=limit, host=host, status=status, ambiguous=create, details={"limit": limit}
    )


def too_slow(host: str, deadline: float, create: bool) -> SendKitError:
    details = {"exception": "deadline", "deadline": deadline}
    if create:
        return OutcomeUnknown(host=host, details=details)
    return ResponseTooSlow(deadline=deadline, host=host, details=details)
