"""Command line: ``sendkit-tui [--demo]``, ``sandbox``, ``auth login|logout|status``.

Imports are deferred to the branch that needs them so the TUI starts fast and
``sendkit-tui sandbox`` does not load Textual.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sendkit_tui import __version__
from sendkit_tui.domain.rules import check_api_key, check_base_url
from sendkit_tui.identity import (
    APP_NAME,
    DEFAULT_BASE_URL,
    DEFAULT_PROFILE,
    DEMO_PROFILE,
    ENV_API_KEY,
    ENV_BASE_URL,
    ENV_PROFILE,
    ENV_WORKSPACE_ID,
)

if TYPE_CHECKING:
    from sendkit_tui.storage.views import SavedView
    from sendkit_tui.ui.app import Connection, SendKitApp

DEMO_SEED = 250


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The whole command line; ``commands=False``: the TUI's own options only (no help)."""
    parser = argparse.ArgumentParser(
        prog=APP_NAME,
        description="A terminal lead manager for the SendKit API.",
        add_help=commands,
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start the built-in sandbox with sample leads and open the TUI on it",
    )
    parser.add_argument("--base-url", help="API host (env SENDKIT_BASE_URL)")
    parser.add_argument("--profile", help="credential/config profile (env SENDKIT_PROFILE)")
    parser.add_argument(
        "--view", metavar="NAME", help="open the list with a saved view's filters (see Save view…)"
    )
    if not commands:
        return parser
    sub = parser.add_subparsers(dest="command")

    sandbox = sub.add_parser("sandbox", help="run the SendKit stand-in server in the foreground")
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8765)
    sandbox.add_argument("--db", default=":memory:", help="SQLite file (default: in memory)")
    sandbox.add_argument("--seed", type=int, default=50, help="number of sample leads")
    sandbox.add_argument("--api-key", help="the key the sandbox accepts (default: random)")
    sandbox.add_argument(
        "--docs-only",
        action="store_true",
        help="same as --dialect docs-only",
    )
    sandbox.add_argument(
        "--rate-limit",
        type=float,
        metavar="N",
        help="answer 429 with Retry-After above N requests a second (default: no limit)",
    )
    from sendkit_tui.sandbox.dialects import DIALECTS  # light: no starlette at import time

    sandbox.add_argument(
        "--dialect",
        action="append",
        choices=list(DIALECTS),
        metavar="NAME",
        help="play another reading of the docs (repeatable): "
        + "; ".join(f"{name} = {what}" for name, what in DIALECTS.items()),
    )

    import sendkit_tui.cli.import_cmd as import_cli  # light: no Textual, no httpx

    import_cli.add_import_parser(sub)
    from sendkit_tui.cli.doctor import add_doctor_parser  # light, like import_cmd

    add_doctor_parser(sub)

    auth = sub.add_parser("auth", help="store, remove or show the API key")
    auth_sub = auth.add_subparsers(dest="auth_command", required=True)
    login = auth_sub.add_parser("login", help="verify a key and store it in the keyring")
    login.add_argument(
        "--insecure-storage",
        action="store_true",
        help="store the key in a plaintext file (0600) instead of the keyring",
    )
    auth_sub.add_parser("logout", help="remove the stored key of this profile")
    auth_sub.add_parser("status", help="show where the key comes from and whether it works")
    return parser


def resolve_base_url(flag: str | None) -> str:
    if flag:
        return flag
    if os.environ.get(ENV_BASE_URL):
        return os.environ[ENV_BASE_URL]
    from sendkit_tui.storage.config import load_config

    return load_config().base_url or DEFAULT_BASE_URL


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line. Starting the TUI needs none of the subcommands' parsers (building
    them imports the import and doctor modules: some 20 ms of every start), so they are only
    built when the line holds more than the TUI's options (a command, ``-h``, a typo)."""
    args, rest = build_parser(commands=False).parse_known_args(argv)
    if rest:
        return build_parser().parse_args(argv)
    args.command = None
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    profile = args.profile or os.environ.get(ENV_PROFILE) or DEFAULT_PROFILE
    if args.command == "sandbox":
        from sendkit_tui.sandbox import run_sandbox

        return run_sandbox(
            host=args.host,
            port=args.port,
            db=args.db,
            seed=args.seed,
            api_key=args.api_key,
            docs_only=args.docs_only,
            dialects=args.dialect,
            rate_limit=args.rate_limit,
        )
    if args.demo:
        pause_collection()
        return run_demo()
    base_url = resolve_base_url(args.base_url)
    problem = check_base_url(base_url)
    if problem:
        print(f"sendkit-tui: {problem}", file=sys.stderr)
        return 2
    problem = env_key_problem(os.environ) if uses_env_key(args) else None
    if problem:
        print(f"sendkit-tui: {problem}", file=sys.stderr)
        return 2
    if args.command == "import":
        import sendkit_tui.cli.import_cmd as import_cli

        return import_cli.run(args, profile, base_url)
    if args.command == "doctor":
        import sendkit_tui.cli.doctor as doctor

        return doctor.run(args, profile, base_url)
    if args.command == "auth":
        import sendkit_tui.cli.auth as auth_cli

        return auth_cli.run(args.auth_command, profile, base_url, args)
    view = None
    if args.view is not None:
        view, problem = find_view(args.view, profile)
        if view is None:
            print(f"sendkit-tui: {problem}", file=sys.stderr)
            return 2
    return run_tui(base_url, profile, view)


def find_view(name: str, profile: str) -> tuple[SavedView | None, str]:
    """Profile ``profile``'s view ``name`` from the config, or None and one sentence why not."""
    from sendkit_tui.domain.text import sanitize
    from sendkit_tui.storage.config import load_config

    entry = load_config().profiles.get(profile)
    views = entry.views if entry is not None else {}
    if name in views:
        return views[name], ""
    known = ", ".join(sorted(views)) if views else "none yet; save one from the palette"
    return None, sanitize(
        f'There is no saved view "{name}" in profile "{profile}" (saved views: {known}).',
        single_line=True,
    )


def uses_env_key(args: argparse.Namespace) -> bool:
    """Whether this command would send ``SENDKIT_API_KEY`` (``auth login`` refuses to run
    while it is set, and ``auth logout`` never reads it)."""
    if args.command == "import":
        return not args.dry_run
    if args.command == "auth":
        return args.auth_command == "status"
    return args.command is None  # the TUI


def env_key_problem(env: Mapping[str, str]) -> str | None:
    """One sentence when ``SENDKIT_API_KEY`` is set to something that is not a SendKit key
    (a space inside, a missing ``sk_``): better said at start than as a list that never loads."""
    key = env.get(ENV_API_KEY, "")
    problem = check_api_key(key) if key.strip() else None
    return f"{ENV_API_KEY} is set but holds no usable API key: {problem}" if problem else None


def connection_from_env(base_url: str, profile: str, env: Mapping[str, str]) -> Connection:
    """``SENDKIT_API_KEY`` wins over anything stored; the keyring is read later, in a worker."""
    from sendkit_tui.storage.credentials import Credential, KeySource
    from sendkit_tui.ui.app import Connection

    connection = Connection(base_url=base_url, profile=profile)
    env_key = env.get(ENV_API_KEY, "").strip()
    if env_key:
        connection.credential = Credential(key=env_key, source=KeySource.ENV, profile=profile)
    connection.workspace_id = env.get(ENV_WORKSPACE_ID) or None
    return connection


def pause_collection() -> None:
    """No garbage collection while the app starts: the imports and the first screen make
    some 300,000 objects, and the collector's passes over them cost 20-40 ms before the
    first frame. ``ui.warm_up.settled_start`` turns it back on (freezing what start-up
    made), once start-up is over or at the latest ``ui.warm_up.LATEST`` seconds in."""
    import gc

    gc.disable()


def run_tui(base_url: str, profile: str, view: SavedView | None = None) -> int:
    pause_collection()
    app = make_tui(base_url, profile, os.environ, view=view)
    app.run()
    return exit_status(app)


def exit_status(app: SendKitApp) -> int:
    """The process exit status once ``app.run()`` is over: Textual's return code (1 after an
    unhandled exception) first, then the value the app exited with (``exit(1, …)``)."""
    if app.return_code:
        return app.return_code
    value = app.return_value
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def make_tui(base_url: str, profile: str, env: Mapping[str, str], **options: Any) -> SendKitApp:
    """The app for ``sendkit-tui``. With ``SENDKIT_API_KEY`` set, the first page of leads is
    asked for before Textual is imported (``api.first_page``): the answer is ready when the
    list is."""
    from sendkit_tui.api.first_page import FirstPage

    key = env.get(ENV_API_KEY, "")
    first_page = None
    if options.get("view") is None:  # the prefetch asks for the unfiltered first page
        first_page = FirstPage.start(base_url, key, env.get(ENV_WORKSPACE_ID), env)
    from sendkit_tui.ui.app import SendKitApp

    connection = connection_from_env(base_url, profile, env)
    return SendKitApp(connection, first_page=first_page, **options)


def run_demo() -> int:
    """The app on the built-in sandbox, which runs in a process of its own beside it (see
    ``sandbox.companion``); in this process if a second one cannot be started.

    The child is started before anything else is imported: its own start (Python, starlette,
    uvicorn, the sample leads) is what the first page waits for, and it runs on the other
    core while this process loads the rest."""
    from sendkit_tui.sandbox.companion import DEMO_WORKSPACE_KEY, DemoSandbox

    server: Any
    try:
        server = DemoSandbox(seed=DEMO_SEED).start()
    except OSError:
        from sendkit_tui.sandbox import SandboxServer

        server = SandboxServer(api_key=DEMO_WORKSPACE_KEY, seed=DEMO_SEED).start()
    try:
        from sendkit_tui.api.first_page import FirstPage

        first_page = FirstPage.start(server.url, DEMO_WORKSPACE_KEY, None, os.environ)
        from sendkit_tui.storage.config import Config
        from sendkit_tui.storage.credentials import Credential, KeySource
        from sendkit_tui.ui.app import Connection, SendKitApp

        connection = Connection(
            base_url=server.url,
            profile=DEMO_PROFILE,
            demo=True,
            credential=Credential(
                key=DEMO_WORKSPACE_KEY, source=KeySource.DEMO, profile=DEMO_PROFILE
            ),
        )
        app = SendKitApp(connection, config=Config(), first_page=first_page)
        app.run()
        return exit_status(app)
    finally:
        server.stop()
