"""Assay's PySide6 user interface. Holds no business logic: every data change goes through core."""
