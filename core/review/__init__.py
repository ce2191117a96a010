"""The review layer without Qt: edits with do/undo, and the history that applies them.

The window, the CLI and tests make every reviewer decision through these, so each one
can be applied and undone without a window (napari keeps its models in
``components/`` the same way, with the Qt layer only listening).
"""
