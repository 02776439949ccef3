"""The command line: ``sendkit-tui`` and its subcommands (see docs/ARCHITECTURE.md)."""

from sendkit_tui.cli.entry import main

__all__ = ["main"]
