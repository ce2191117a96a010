"""What build.spec leaves out of the app bundle: files Assay never opens.

PyInstaller's hooks collect whole packages (every locale of pycountry, every Qt plugin
PySide6 ships, the GTK theme with the GTK stack it links). Each rule here names what it
drops and why Assay cannot need it; the self-test run on the bundle
(tests/test_app_build.py) proves the rest still loads. Sizes: docs/performance.md.

The functions take PyInstaller's TOC entries (destination name, source path, kind) as
plain tuples, so they are tested without building.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

Entry = tuple[str, str, str]

# Qt plugins Assay loads: the X11 and Wayland windows (with the Wayland shell and title bar
# plugins), offscreen for the self-test and tests, the xdg portal theme, input methods and
# compose keys, GLX/EGL for xcb, SVG for Qt's own icons. Not: the GTK theme (Assay draws
# Fusion with its own palette and uses Qt's file dialogs, gui/common/file_dialogs.py) and
# the libraries it drags in (GTK, GDK, cairo, pango: 15 MB); the framebuffer, VNC, EGLFS
# and Vulkan platforms (no desktop); evdev input (framebuffer only); Wayland's OpenGL
# buffer plugins (widgets draw into shared memory); image formats Assay never reads
# (the icon is a PNG, built into QtGui).
QT_PLUGINS_KEPT = {
    "platforms": {"libqxcb.so", "libqwayland.so", "libqoffscreen.so"},
    "platformthemes": {"libqxdgdesktopportal.so"},
    "platforminputcontexts": None,  # None: every plugin of the folder
    "xcbglintegrations": None,
    "wayland-shell-integration": None,
    "wayland-decoration-client": None,
    "iconengines": None,
    "imageformats": {"libqsvg.so"},
}
# Qt libraries only the dropped plugins link (the framebuffer platform's EGL device code,
# OpenGL for Wayland buffers and EGLFS). QtNetwork stays: gui/window/single_instance.py.
QT_LIBS_DROPPED = ("libQt6EglFSDeviceIntegration", "libQt6EglFsKmsSupport", "libQt6OpenGL.")
# Pillow's AVIF and Tk modules (matplotlib only writes PNG through Pillow): 5 MB with libavif.
PIL_DROPPED = ("PIL/_avif.", "PIL/_imagingtk.")


def _posix(dest: str) -> str:
    return dest.replace("\\", "/")


def keep_data(dest: str) -> bool:
    """False for data files Assay never reads."""
    path = _posix(dest)
    # Qt's own translations: Assay's window is English and loads no QTranslator (7 MB).
    if "PySide6/Qt/translations/" in path:
        return False
    # pycountry's gettext catalogues (22 MB): Assay reads the English names only
    # (countries.get / iteration in core.nlp and core.text), never pycountry's gettext.
    if "pycountry/locales/" in path:
        return False
    # trafilatura -> courlan imports babel, whose hook ships every locale (35 MB). Assay
    # never asks courlan to filter by language, so only the root and English locales stay.
    if "babel/locale-data/" in path:
        return path.rsplit("/", 1)[-1].startswith(("root.", "en."))
    return True


def keep_binary(dest: str, platform: str = sys.platform) -> bool:
    """False for Qt plugins and libraries, and Pillow modules, that Assay never loads. The
    Qt rules are Linux's (macOS and Windows have other plugins: docs/packaging.md)."""
    path = _posix(dest)
    if path.startswith(PIL_DROPPED):
        return False
    name = path.rsplit("/", 1)[-1]
    if not platform.startswith("linux"):  # the rules below name Linux's plugins
        return True
    if "PySide6/Qt/lib/" in path and name.startswith(QT_LIBS_DROPPED):
        return False
    if "PySide6/Qt/plugins/" not in path:
        return True
    folder = path.split("PySide6/Qt/plugins/", 1)[1].split("/", 1)[0]
    if folder not in QT_PLUGINS_KEPT:
        return False
    names = QT_PLUGINS_KEPT[folder]
    return names is None or name in names


def _needed(source: str) -> set[str]:
    """The sonames an ELF file names as NEEDED (objdump, which PyInstaller needs anyway)."""
    out = subprocess.run(["objdump", "-p", source], capture_output=True, text=True).stdout
    return {line.split()[1] for line in out.splitlines() if line.strip().startswith("NEEDED")}


def drop_unreachable_libraries(kept: list[Entry], collected: Iterable[Entry]) -> list[Entry]:
    """``kept`` without the libraries that only dropped entries needed.

    PyInstaller collects a plugin's whole dependency tree as separate entries, so dropping
    the GTK theme plugin leaves GTK itself behind. A library that a dropped entry needed
    (directly or through others) is dropped too, unless something kept needs it. Only
    libraries reached from dropped entries are candidates: libraries loaded with dlopen
    (libpython by the bootloader, ctypes users) are never touched. Linux only.
    """
    if not sys.platform.startswith("linux"):
        return kept
    collected = list(collected)
    by_name = {Path(dest).name: (dest, source, kind) for dest, source, kind in collected}
    kept_dests = {dest for dest, _, _ in kept}
    dropped = [e for e in collected if e[0] not in kept_dests]
    cache: dict[str, set[str]] = {}

    def closure(roots: Iterable[Entry]) -> set[str]:
        seen: set[str] = set()
        todo = list(roots)
        while todo:
            _dest, source, _kind = todo.pop()
            if source not in cache:
                cache[source] = _needed(source)
            for soname in cache[source] - seen:
                seen.add(soname)
                if soname in by_name:
                    todo.append(by_name[soname])
        return seen

    candidates = closure(dropped)
    roots = [e for e in kept if Path(e[0]).name not in candidates]
    needed = closure(roots)
    return [e for e in kept if Path(e[0]).name not in candidates - needed]


def _has_debug_info(source: str) -> bool:
    out = subprocess.run(["objdump", "-h", source], capture_output=True, text=True).stdout
    return " .debug_info " in out


def without_debug_info(binaries: list[Entry], folder: Path) -> list[Entry]:
    """``binaries`` with debug information removed (``strip --strip-debug`` into
    ``folder``): spaCy's, thinc's, blis's and this Python's extension modules are built with
    it (about 180 MB), and no user runs a debugger on the app. Symbols stay, so a crash
    still names its function. Linux only; other systems' wheels ship without it."""
    if not sys.platform.startswith("linux"):
        return binaries
    out = []
    for dest, source, kind in binaries:
        if kind in ("BINARY", "EXTENSION") and _has_debug_info(source):
            target = folder / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists() or target.stat().st_mtime < Path(source).stat().st_mtime:
                subprocess.run(["strip", "--strip-debug", "-o", str(target), source],
                               check=True)
            source = str(target)
        out.append((dest, source, kind))
    return out
