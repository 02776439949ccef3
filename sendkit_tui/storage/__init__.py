"""Local state: paths, atomic files, the config, drafts and credentials.

Never imports Textual or ``sendkit_tui.ui`` (checked by import-linter in ``make test``).
"""
