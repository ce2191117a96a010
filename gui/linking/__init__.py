"""Linking entities to canonical ids: the link field and the project's entries."""
