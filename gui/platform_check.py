"""Before the window opens on Linux: are the system libraries Qt's xcb plugin needs there?

On a fresh Debian or Ubuntu desktop some are often missing (``libxcb-cursor0`` and its
friends); Qt then aborts with "could not load the Qt platform plugin "xcb"", which tells a
new user nothing. ``make run`` runs ``python -m gui.platform_check`` first: it reads what
``ldd`` says the plugin cannot find and prints the one ``apt install`` line that fixes it.
The packaged app (PyInstaller) carries these libraries itself.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

# The library file name ldd reports -> the Debian/Ubuntu package that ships it.
PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.M)


def missing_libraries(ldd_output: str) -> list[str]:
    """The libraries ``ldd`` reports as not found, in order, each once."""
    return list(dict.fromkeys(_NOT_FOUND.findall(ldd_output)))


def install_line(libraries: list[str]) -> str:
    """The apt line that installs what is missing (unknown libraries are named as such)."""
    packages = sorted({PACKAGES[lib] for lib in libraries if lib in PACKAGES})
    unknown = [lib for lib in libraries if lib not in PACKAGES]
    line = f"sudo apt install {' '.join(packages)}" if packages else ""
    if unknown:
        line += ("\n" if line else "") + "and the packages that provide: " + ", ".join(unknown)
    return line


def _xcb_binaries() -> list[Path]:
    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt"
    return [p for p in (qt / "plugins" / "platforms" / "libqxcb.so",
                        *sorted((qt / "lib").glob("libQt6XcbQpa.so*"))) if p.exists()]


def check() -> str | None:
    """None when the window can start; else what to run to make it start."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM", "xcb") != "xcb":
        return None  # other systems, Wayland or offscreen: the xcb plugin is not used
    ldd = shutil.which("ldd")
    if ldd is None:
        return None
    output = "".join(subprocess.run([ldd, str(path)], capture_output=True, text=True).stdout
                     for path in _xcb_binaries())
    missing = missing_libraries(output)
    return install_line(missing) if missing else None


def main() -> int:
    fix = check()
    if fix is None:
        return 0
    print("Assay's window needs system libraries that are not installed (Qt's xcb plugin "
          "cannot load without them). Install them with:\n\n    " + fix.replace("\n", "\n    ")
          + "\n\nthen run `make run` again.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
