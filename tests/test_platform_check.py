"""`make run` on a desktop without Qt's xcb libraries prints the apt line that fixes it."""

from __future__ import annotations

import subprocess
import sys

from gui import platform_check

LDD = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibQt6Gui.so.6 => /venv/PySide6/Qt/lib/libQt6Gui.so.6 (0x00007f)
\tlibxcb-icccm.so.4 => not found
\tlibweird.so.9 => not found
"""


def test_the_missing_libraries_become_one_apt_line():
    missing = platform_check.missing_libraries(LDD)
    assert missing == ["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libweird.so.9"]
    assert platform_check.install_line(missing) == (
        "sudo apt install libxcb-cursor0 libxcb-icccm4\n"
        "and the packages that provide: libweird.so.9")


def test_make_run_stops_with_the_fix_when_libraries_are_missing(monkeypatch, capsys):
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(platform_check, "_xcb_binaries", lambda: ["libqxcb.so"])
    monkeypatch.setattr(platform_check.subprocess, "run", lambda *a, **k: subprocess.
                        CompletedProcess(a, 0, stdout=LDD, stderr=""))
    assert platform_check.main() == 1
    err = capsys.readouterr().err
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4" in err and "make run" in err


def test_nothing_is_said_offscreen_or_when_all_is_there(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert platform_check.check() is None
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr(platform_check.subprocess, "run", lambda *a, **k: subprocess.
                        CompletedProcess(a, 0, stdout="\tlibc.so.6 => /lib/libc.so.6\n"))
    assert platform_check.check() is None


def test_the_real_plugin_is_found_and_read():
    """On this machine: the PySide6 wheel's xcb plugin exists and ldd reads it."""
    if not sys.platform.startswith("linux"):
        return
    assert platform_check._xcb_binaries(), "PySide6's libqxcb.so not found"
