"""Modal dialogs any screen may open: confirm, review a PATCH, drafts, help."""
