"""``python -m release [DIST]``: the single file and the .deb beside ``DIST/Assay``."""

from __future__ import annotations

import sys
from pathlib import Path

from release.deb import build_deb
from release.onefile import build_onefile


def main(argv: list[str]) -> int:
    dist = Path(argv[0] if argv else "dist")
    bundle = dist / "Assay"
    if not (bundle / "Assay").is_file():
        print(f"{bundle}/Assay is missing: run pyinstaller build.spec first", file=sys.stderr)
        return 1
    for path in (build_onefile(bundle, dist), build_deb(bundle, dist)):
        print(f"{path} ({path.stat().st_size / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
