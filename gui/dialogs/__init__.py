"""Dialogs of their own: export and the label scheme."""
