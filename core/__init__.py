"""Assay's core: everything that is not Qt (store, pipeline, import, export, CLI).

The GUI and the CLI both go through these modules, so every change a reviewer
makes can be exercised by a test without a window. Nothing here imports Qt.
"""

__version__ = "0.1.0"
