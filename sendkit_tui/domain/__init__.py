"""What is true of a lead whatever the screen: field rules, patches, the edit model, paging.

Never imports Textual or ``sendkit_tui.ui`` (checked by import-linter in ``make test``).
"""
