"""sendkit-tui: a terminal lead manager for the SendKit API."""

__version__ = "0.1.0"
