"""The double-clickable app: the self-test in place, and (slow) the PyInstaller bundle."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gui.selftest import run_selftest

ROOT = Path(__file__).parents[1]


@pytest.mark.slow
def test_selftest_passes_from_source():
    lines: list[str] = []
    assert run_selftest(lines.append) == 0
    assert lines[-1] == "self-test passed"
    assert [ln.split()[1] for ln in lines[:-1]] == ["model", "project", "pdf", "training",
                                                   "window"]


@pytest.mark.slow
def test_selftest_names_the_failing_check(monkeypatch):
    import gui.selftest as selftest

    monkeypatch.setattr(selftest, "_check_project", lambda folder: 1 / 0)
    lines: list[str] = []
    assert selftest.run_selftest(lines.append) == 1
    assert "FAIL project: division by zero" in lines
    assert lines[-1] == "self-test FAILED: project, window"  # the window needs the project


def test_desktop_file_and_icon_ship_in_resources():
    desktop = (ROOT / "resources" / "assay.desktop").read_text()
    assert "Exec=Assay" in desktop and "Icon=assay" in desktop
    assert (ROOT / "resources" / "icons" / "assay.png").stat().st_size > 1000


@pytest.mark.slow
def test_built_app_runs_its_selftest(tmp_path):
    """Build dist/Assay with build.spec (about 90 s) and run the bundle's --selftest."""
    # The bundle carries Qt's xcb libraries, so they must be on the building machine:
    # `make test` installs them where it may (root with apt). Elsewhere the test says what
    # to install instead of failing on a machine it could not set up; CI must have them.
    xcb_env = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
    fix = subprocess.run([sys.executable, "-c", "import gui.platform_check as p; "
                          "print(p.check() or '')"], cwd=ROOT, capture_output=True, text=True,
                         env=xcb_env).stdout.strip()
    if fix and not os.environ.get("CI"):
        pytest.skip(f"the app bundle needs Qt's xcb libraries on this machine: {fix}")
    pyinstaller = Path(sys.executable).with_name("pyinstaller")
    build = subprocess.run(
        [str(pyinstaller), "--noconfirm", "--distpath", str(tmp_path / "dist"),
         "--workpath", str(tmp_path / "build"), "build.spec"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    # The Dask extra (make test installs it) stays out of the app: no module of it is packed.
    packed = (tmp_path / "build" / "build" / "PYZ-00.toc").read_text(encoding="utf-8")
    assert "'core.jobs.records_jsonl'" in packed  # annotate-jsonl works in the bundle
    for package in ("dask", "distributed", "fsspec", "psutil", "core.jobs.dask_recipe"):
        assert f"('{package}'" not in packed and f"('{package}." not in packed, package
    app = tmp_path / "dist" / "Assay" / "Assay"
    internal = app.parent / "_internal"
    # The window's X11 libraries travel in the bundle, so it starts on a desktop that lacks
    # them: everything the xcb plugin links resolves inside the bundle first.
    plugin = next(internal.rglob("libqxcb.so"))
    ldd = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True,
                         env={**os.environ, "LD_LIBRARY_PATH": str(internal)}).stdout
    # The xcb-util and xkb family a fresh desktop often lacks (libxcb.so.1 itself comes
    # with every X11 system, as libX11 needs it).
    xcb = [line.split() for line in ldd.splitlines()
           if line.strip().startswith(("libxcb-", "libxkb"))]
    assert xcb and all(len(p) >= 3 and p[2].startswith(str(internal)) for p in xcb), ldd
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([str(app), "--selftest"], capture_output=True, text=True,
                            timeout=300, env=env)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "self-test passed" in result.stdout
    project = tmp_path / "p.assay"
    cli = subprocess.run([str(app), "cli", "new", str(project)], capture_output=True,
                         text=True, timeout=120, env=env)
    assert cli.returncode == 0 and project.exists(), cli.stderr
