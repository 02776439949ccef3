"""The outermost ASGI layer: request log, faults, dropped connections, last-resort 500."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from sendkit_tui.sandbox.faults import FaultBook, RequestLog, canned, record_of
from sendkit_tui.sandbox.rate_limit import TokenBucket, limited_answer

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CONTEXT = "sendkit_sandbox"  # scope key: a dict the routes fill (workspace_id)


def is_api(path: str) -> bool:
    return path == "/v1" or path.startswith("/v1/")


async def read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def drop_connection(receive: Receive, send: Send) -> None:
    """Close the TCP connection without sending a byte of the response.

    uvicorn's ``receive`` is a bound method of its request cycle, which holds the
    transport; closing it makes the client see "server disconnected without sending a
    response". Once the cycle notices the disconnect, uvicorn neither answers 500 nor logs.
    If the transport is out of reach, send headers promising a body that never comes.
    """
    cycle = getattr(receive, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is not None and hasattr(cycle, "disconnected"):
        transport.close()
        for _ in range(1000):
            if cycle.disconnected:
                return
            await asyncio.sleep(0.001)
        return
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"), (b"content-length", b"4096")],
        }
    )


async def send_whole(send: Send, status: int, headers: list[tuple[bytes, bytes]],
                     body: bytes) -> None:  # fmt: skip
    headers = [*headers, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


def error_500() -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    body = {"error": "Internal Server Error", "message": "Unexpected server error", "code": 500}
    return 500, [(b"content-type", b"application/json")], json.dumps(body).encode()


class SandboxMiddleware:
    def __init__(self, app: ASGIApp, faults: FaultBook, log: RequestLog,
                 generation: Callable[[], int] = lambda: 0,
                 limiter: Callable[[], TokenBucket | None] = lambda: None) -> None:  # fmt: skip
        self.app = app
        self.limiter = limiter  # the opt-in rate limit (rate_limit.py), or None
        self.faults = faults
        self.log = log
        # Bumped by every reset: a request delayed across a reset is dropped rather than
        # handled, so its side effect cannot leak into the next test's fresh data.
        self.generation = generation

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # no lifespan or websockets here
        if not is_api(scope["path"]):
            await self.guarded(scope, receive, send)
            return
        raw = await read_body(receive)
        record = record_of(scope, raw)
        context: dict[str, Any] = {}
        scope[CONTEXT] = context
        bucket = self.limiter()
        wait = bucket.take() if bucket is not None else 0.0
        if wait > 0:
            record.fault, record.status = "rate_limit", 429
            self.log.add(record)
            await send_whole(send, *limited_answer(wait))
            return
        fault = self.faults.take(scope["method"], scope["path"])
        record.fault = fault.kind if fault else None
        self.log.add(record)
        replay = self.replaying(raw, receive)

        async def tracking_send(message: Message) -> None:
            # Logged before the client can see the response, so tests never race it.
            if message["type"] == "http.response.start":
                workspace_id = context.get("workspace_id")
                self.log.update(record, status=message["status"], workspace_id=workspace_id)
            await send(message)

        born = self.generation()
        if fault is not None and fault.kind == "slow":
            await asyncio.sleep(fault.delay or 0)
        if fault is None or fault.kind == "slow":
            if self.generation() != born:
                await drop_connection(receive, send)
            else:
                await self.guarded(scope, replay, tracking_send)
        elif fault.kind == "drop_before":
            await drop_connection(receive, send)
        elif fault.kind in ("slow_after", "drop_after"):
            held: list[Message] = []

            async def hold(message: Message) -> None:
                held.append(message)

            await self.guarded(scope, replay, hold)
            if fault.kind == "drop_after":
                self.log.update(record, workspace_id=context.get("workspace_id"))
                await drop_connection(receive, send)
            else:
                await asyncio.sleep(fault.delay or 0)
                for message in held:
                    await tracking_send(message)
        else:
            if fault.delay:  # a canned answer that takes its time (a slow error page)
                await asyncio.sleep(fault.delay)
            await send_whole(tracking_send, *canned(fault))

    @staticmethod
    def replaying(raw: bytes, receive: Receive) -> Receive:
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": raw, "more_body": False}
            return await receive()

        return replay

    async def guarded(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app; an exception that escapes still gets a shape A 500, never a trace."""
        started = False

        async def watching_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watching_send)
        except Exception:
            if not started:
                await send_whole(send, *error_500())
