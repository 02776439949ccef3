"""The Starlette app: SendKit routes under /v1, control routes under /_sandbox."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sendkit_tui.sandbox.auth import PLATFORM, workspace_for
from sendkit_tui.sandbox.auth import authenticate as check_key
from sendkit_tui.sandbox.dialects import bearer_accepted, create_status
from sendkit_tui.sandbox.faults import make_fault
from sendkit_tui.sandbox.middleware import CONTEXT, SandboxMiddleware
from sendkit_tui.sandbox.state import SandboxState
from sendkit_tui.sandbox.wire import (
    ApiError,
    Invalid,
    detail,
    error_a,
    not_found_lead,
    ok,
    parse_json,
    parse_object,
    route_not_found,
)


def _context(request: Request) -> dict[str, Any]:
    return request.scope.get(CONTEXT, {})


def create_app(state: SandboxState) -> SandboxMiddleware:
    keys = state.keys

    def authenticate(headers: Any, keys: Any) -> str:
        return check_key(headers, keys, bearer=bearer_accepted(state.dialects))

    def workspace(request: Request) -> str:
        """Authenticate a workspace-scoped request and return its workspace id."""
        kind = authenticate(request.headers, keys)
        workspace_id = workspace_for(kind, request.headers, keys)
        _context(request)["workspace_id"] = workspace_id
        return workspace_id

    async def account(request: Request) -> Response:
        kind = authenticate(request.headers, keys)
        if kind != PLATFORM:
            return error_a(403, "This endpoint needs a platform API key (sk_user_...).")
        return ok(state.account())

    async def workspaces(request: Request) -> Response:
        kind = authenticate(request.headers, keys)
        ids = list(keys.workspace_ids) if kind == PLATFORM else [keys.key_workspace]
        return ok(state.workspace_items(ids))

    async def leads(request: Request) -> Response:
        workspace_id = workspace(request)
        if request.method == "GET":
            return JSONResponse(state.list(workspace_id, request.query_params))
        body = parse_object(await request.body())
        if request.method == "POST":
            return ok(state.create(workspace_id, body), status=create_status(state.dialects))
        return ok({"deletedCount": state.delete(workspace_id, body)})

    async def bulk(request: Request) -> Response:
        workspace_id = workspace(request)
        return ok(state.bulk(workspace_id, parse_object(await request.body())))

    async def lead(request: Request) -> Response:
        if request.method == "GET" and state.docs_only:
            raise route_not_found()
        workspace_id = workspace(request)
        lead_id = request.path_params["id"]
        if request.method == "GET":
            found = state.get_lead(lead_id, workspace_id)
            if found is None:
                raise not_found_lead()
            return ok(found)
        return ok(state.patch(workspace_id, lead_id, parse_object(await request.body())))

    # --- /_sandbox: no auth, never faulted, never logged ----------------------------------

    async def faults(request: Request) -> Response:
        if request.method == "GET":
            return ok([f.as_dict() for f in state.faults.snapshot()])
        if request.method == "DELETE":
            state.faults.clear()
            return ok({"cleared": True})
        body = parse_object(await request.body())
        options = {k: v for k, v in body.items() if k != "kind"}
        try:
            fault = make_fault(str(body.get("kind")), **options)
        except (TypeError, ValueError) as exc:
            message = str(exc).replace("__init__() ", "")
            raise Invalid([detail("kind" if "kind" in message else "fault", message)]) from None
        state.faults.add(fault)
        return ok(fault.as_dict(), status=201)

    async def requests(request: Request) -> Response:
        if request.method == "DELETE":
            state.log.clear()
            return ok({"cleared": True})
        return ok([r.as_dict() for r in state.log.snapshot()])

    async def reset(request: Request) -> Response:
        raw = await request.body()
        body = parse_json(raw) if raw.strip() else {}
        seed = body.get("seed") if isinstance(body, dict) else None
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool) or seed < 0):
            raise Invalid([detail("seed", "seed must be a whole number, at least 0.")])
        state.reset(seed)
        return ok({"reset": True, "leads": state.store.count(keys.key_workspace)})

    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return exc.response

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 404:
            return error_a(404, "Route not found")
        if exc.status_code == 405:
            return error_a(405, "Method not allowed", headers=exc.headers)
        return error_a(exc.status_code, str(exc.detail), headers=exc.headers)

    async def server_error(request: Request, exc: Exception) -> Response:
        return error_a(500, "Unexpected server error")

    routes = [
        Route("/v1/account", account, methods=["GET"]),
        Route("/v1/workspaces", workspaces, methods=["GET"]),
        Route("/v1/leads", leads, methods=["GET", "POST", "DELETE"]),
        Route("/v1/leads/bulk", bulk, methods=["POST"]),
        Route("/v1/leads/{id}", lead, methods=["GET", "PATCH"]),
        Route("/_sandbox/faults", faults, methods=["GET", "POST", "DELETE"]),
        Route("/_sandbox/requests", requests, methods=["GET", "DELETE"]),
        Route("/_sandbox/reset", reset, methods=["POST"]),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={
            ApiError: api_error,
            HTTPException: http_error,
            Exception: server_error,
        },
    )
    return SandboxMiddleware(
        app, state.faults, state.log, lambda: state.generation, lambda: state.limiter
    )
