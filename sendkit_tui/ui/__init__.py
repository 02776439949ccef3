"""The Textual application: the app, its commands, signals, screens and widgets.

Importing this package loads nothing: ``sendkit_tui.ui.app`` brings in Textual.
"""
