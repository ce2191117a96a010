"""Linux packages made from PyInstaller's one-folder app (``make app``).

``python -m release dist`` turns ``dist/Assay/`` into the two files a user downloads:
a self-extracting ``.run`` file (makeself) and a ``.deb``. See docs/packaging.md.
"""
