"""The double-clickable app: the self-test in place, and (slow) the PyInstaller bundle."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.app_start import clean_home, seconds_to_window, stop, xvfb_display
from core.models import ArticleIn
from core.nlp.store_rules import store_rules
from core.store import Project
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


@dataclass
class Packaged:
    """What `make app` makes, built once for this module: the one-folder app, the single
    file and the .deb (each test runs them its own way)."""

    work: Path  # PyInstaller's work folder
    app: Path  # dist/Assay/Assay
    single: Path  # dist/Assay-<version>-<arch>.run
    deb: Path  # dist/assay_<version>_<arch>.deb


@pytest.fixture(scope="module")
def packaged(tmp_path_factory) -> Packaged:
    """Build dist/Assay with build.spec (2-3 minutes), then the single file and the .deb
    from it (`make app`'s two steps), once for every test below."""
    # The bundle carries Qt's xcb libraries, so they must be on the building machine:
    # `make test` installs them where it may (root with apt). Elsewhere the test says what
    # to install instead of failing on a machine it could not set up; CI must have them.
    xcb_env = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
    fix = subprocess.run([sys.executable, "-c", "import gui.platform_check as p; "
                          "print(p.check() or '')"], cwd=ROOT, capture_output=True, text=True,
                         env=xcb_env).stdout.strip()
    if fix and not os.environ.get("CI"):
        pytest.skip(f"the app bundle needs Qt's xcb libraries on this machine: {fix}")
    if not shutil.which("makeself") and not os.environ.get("CI"):
        pytest.skip("makeself is missing (make app-deps installs it)")
    tmp = tmp_path_factory.mktemp("app")
    pyinstaller = Path(sys.executable).with_name("pyinstaller")
    build = subprocess.run(
        [str(pyinstaller), "--noconfirm", "--distpath", str(tmp / "dist"),
         "--workpath", str(tmp / "build"), "build.spec"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    release = subprocess.run([sys.executable, "-m", "release", str(tmp / "dist")], cwd=ROOT,
                             capture_output=True, text=True, timeout=900)
    assert release.returncode == 0, release.stderr[-3000:]
    (single,) = (tmp / "dist").glob("Assay-*.run")
    (deb,) = (tmp / "dist").glob("assay_*.deb")
    return Packaged(tmp / "build", tmp / "dist" / "Assay" / "Assay", single, deb)


def _selftest(command: list[str], home: Path) -> subprocess.CompletedProcess:
    env = {**clean_home(home), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([*command, "--selftest"], capture_output=True, text=True,
                          timeout=600, env=env)


@pytest.mark.slow
def test_built_app_runs_its_selftest(packaged, tmp_path):
    """The one-folder app: its --selftest, its X11 libraries, the CLI inside it."""
    # The Dask extra (make test installs it) stays out of the app: no module of it is packed.
    packed = (packaged.work / "build" / "PYZ-00.toc").read_text(encoding="utf-8")
    assert "'core.jobs.records_jsonl'" in packed  # annotate-jsonl works in the bundle
    for package in ("dask", "distributed", "fsspec", "psutil", "core.jobs.dask_recipe",
                    "pandas"):
        assert f"('{package}'" not in packed and f"('{package}." not in packed, package
    app = packaged.app
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
    result = _selftest([str(app)], tmp_path / "home")
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "self-test passed" in result.stdout
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    project = tmp_path / "p.assay"
    cli = subprocess.run([str(app), "cli", "new", str(project)], capture_output=True,
                         text=True, timeout=120, env=env)
    assert cli.returncode == 0 and project.exists(), cli.stderr


@pytest.mark.slow
def test_bundle_leaves_out_what_assay_never_loads_and_meets_its_sizes(packaged):
    """The cuts of release/bundle_cuts.py hold (docs/performance.md): a user downloads at
    most 200 MB and unpacks at most 400 MB."""
    bundle = packaged.app.parent
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    names = {p.name for p in files}
    assert sum(p.stat().st_size for p in files) <= 400e6
    assert packaged.single.stat().st_size <= 200e6 and packaged.deb.stat().st_size <= 200e6
    assert not (bundle / "_internal" / "pandas").exists()
    assert not (bundle / "_internal" / "pycountry" / "locales").exists()
    assert not (bundle / "_internal" / "PySide6" / "Qt" / "translations").exists()
    assert "libqgtk3.so" not in names and "libgtk-3.so.0" not in names
    assert {"libqxcb.so", "libqwayland.so", "libqoffscreen.so"} <= names


@pytest.mark.slow
def test_single_file_in_a_clean_home_passes_its_selftest_and_opens_a_project(packaged,
                                                                             tmp_path):
    """What a user does with the downloaded file: start it (it unpacks itself once, no
    FUSE needed), and double-click a project, which arrives as its path."""
    result = _selftest([str(packaged.single)], tmp_path / "home")
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "self-test passed" in result.stdout
    (copy,) = (tmp_path / "home" / ".cache" / "assay").iterdir()
    assert (copy / "complete").exists()
    folder = tmp_path / "projects"
    folder.mkdir()
    with Project.create(folder / "lithium.assay", name="Lithium desk",
                        rules=store_rules()) as project:
        project.add_articles([ArticleIn(text="Lithium prices fell in Chile.", title="One")])
    with xvfb_display() as display:
        env = clean_home(tmp_path / "home", display)
        # A relative path, as from a terminal in the project's folder; on a real X server.
        errors = tmp_path / "stderr.txt"
        with errors.open("w+", encoding="utf-8") as written:
            _seconds, app = seconds_to_window([str(packaged.single), "lithium.assay"], env,
                                              "Lithium desk", cwd=folder, keep_running=True,
                                              stderr=written)
            try:
                # The window holds that project open: its lock names the running app.
                lock = (folder / "lithium.assay.lock").read_text(encoding="utf-8").split()
                os.kill(int(lock[0]), 0)
                # The article opened has no stored tokens, so the window made its tokenizer
                # while a thread warmed it: no thread may have died of it (spacy_ready).
                time.sleep(2)
            finally:
                stop(app)
    assert "Traceback" not in errors.read_text(encoding="utf-8"), errors.read_text()
    assert list((tmp_path / "home" / ".cache" / "assay").iterdir()) == [copy]  # reused


@pytest.mark.slow
def test_deb_installs_under_opt_with_menu_entry_icons_and_project_type(packaged, tmp_path):
    """The .deb unpacked as dpkg would install it (no root needed): its files, a desktop
    entry the desktop accepts, and the installed app's --selftest in a clean home."""
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(packaged.deb), str(root)], check=True)
    app = root / "opt" / "assay" / "Assay"
    assert os.access(app, os.X_OK) and os.readlink(root / "usr/bin/assay") == "/opt/assay/Assay"
    desktop = root / "usr/share/applications/assay.desktop"
    assert "Exec=assay %F" in desktop.read_text(encoding="utf-8")
    if shutil.which("desktop-file-validate") or os.environ.get("CI"):
        checked = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True,
                                 text=True)
        # Errors and warnings fail; a hint (resources/assay.desktop has two main
        # categories, which a menu may list twice) is the desktop entry's to settle.
        problems = [line for line in checked.stdout.splitlines()
                    if ": error: " in line or ": warning: " in line]
        assert checked.returncode == 0 and not problems, checked.stdout
    mime = (root / "usr/share/mime/packages/assay.xml").read_text(encoding="utf-8")
    assert 'type="application/x-assay"' in mime
    assert (root / "usr/share/icons/hicolor/256x256/apps/assay.png").exists()
    fields = subprocess.run(["dpkg-deb", "-f", str(packaged.deb), "Depends"],
                            capture_output=True, text=True, check=True).stdout
    assert "libc6" in fields  # the system libraries it needs are named, not assumed
    result = _selftest([str(app)], tmp_path / "home")
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "self-test passed" in result.stdout
