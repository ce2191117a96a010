"""``python -m core.cli``: how the window starts ``assay-cli`` outside the bundle."""

import multiprocessing
import sys

from core.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
