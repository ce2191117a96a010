"""Entry point of the ``assay`` GUI command."""

from __future__ import annotations

import sys


def main() -> int:
    """Start the Qt application and show the main window."""
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication(sys.argv)
    label = QLabel("Assay")
    label.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
