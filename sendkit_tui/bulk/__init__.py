"""Many leads at once: CSV reading and mapping, the import runner, export.

Never imports Textual or ``sendkit_tui.ui`` (checked by import-linter in ``make test``).
"""
