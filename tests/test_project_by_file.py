"""A project file opens Assay: `Assay path/to/x.assay`, a second double-click while Assay
runs, and the MIME type a desktop uses to know that a `.assay` file is Assay's.

The app runs as a real process (offscreen) in a clean home of its own, as a desktop starts
it; what the test watches is the project's lock file, which names the process that has the
project open for writing.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.nlp.store_rules import store_rules
from core.store import Project

ROOT = Path(__file__).parents[1]


def _home(tmp_path: Path) -> dict[str, str]:
    """An environment with its own home, settings (a reviewer named already) and temp."""
    home = tmp_path / "home"
    config = home / ".config" / "Assay"
    config.mkdir(parents=True)
    (config / "Assay.conf").write_text("[General]\nreviewer=tester\n", encoding="utf-8")
    (home / "tmp").mkdir()
    return {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local" / "share"), "TMPDIR": str(home / "tmp"),
            "QT_QPA_PLATFORM": "offscreen"}


def _project(path: Path) -> Path:
    Project.create(path, rules=store_rules()).close()
    return path


def _holder(project: Path) -> int | None:
    """The pid written in the project's lock file, if one is there."""
    lock = project.with_name(project.name + ".lock")
    try:
        return int(lock.read_text(encoding="utf-8").split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _wait_for(condition, seconds: float = 60.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return False


def _start(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "gui", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.slow
def test_a_project_given_on_the_command_line_opens_and_a_second_start_hands_it_over(tmp_path):
    env = _home(tmp_path)
    first, second = _project(tmp_path / "first.assay"), _project(tmp_path / "second.assay")
    running = _start(env, str(first))
    try:
        # The window opened the project it was given (not the sample): it holds its lock.
        assert _wait_for(lambda: _holder(first) == running.pid), running.stderr
        # A double-click on another project while Assay runs: the new process hands the
        # path to the running window and ends; the running window now has that project.
        handed = subprocess.run([sys.executable, "-m", "gui", str(second)], cwd=ROOT,
                                env=env, capture_output=True, text=True, timeout=60)
        assert handed.returncode == 0, handed.stderr
        assert "Opening" in handed.stdout and "running Assay window" in handed.stdout
        assert _wait_for(lambda: _holder(second) == running.pid)
        assert _wait_for(lambda: _holder(first) is None)  # the first one is let go
        # Started from the menu with no project: the running window comes forward.
        shown = subprocess.run([sys.executable, "-m", "gui"], cwd=ROOT, env=env,
                               capture_output=True, text=True, timeout=60)
        assert shown.returncode == 0 and "already running" in shown.stdout
        assert running.poll() is None and _holder(second) == running.pid
    finally:
        _stop(running, signal.SIGKILL)
    # Killed without a chance to clean up, it leaves its socket behind: the next start
    # must not wait for an answer that never comes, nor hand the project to nobody.
    again = _start(env, str(first))
    try:
        assert _wait_for(lambda: _holder(first) == again.pid), again.stderr
    finally:
        _stop(again)


@pytest.mark.slow
def test_two_homes_never_reach_each_other(tmp_path):
    """Another user's (or another data folder's) Assay is not ours to hand projects to."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    env_a, env_b = _home(tmp_path / "a"), _home(tmp_path / "b")
    env_b["TMPDIR"] = env_a["TMPDIR"]  # even sharing one temp folder
    mine, theirs = _project(tmp_path / "mine.assay"), _project(tmp_path / "theirs.assay")
    a = _start(env_a, str(mine))
    try:
        assert _wait_for(lambda: _holder(mine) == a.pid), a.stderr
        b = _start(env_b, str(theirs))
        try:
            assert _wait_for(lambda: _holder(theirs) == b.pid), b.stderr
            assert _holder(mine) == a.pid
        finally:
            _stop(b)
    finally:
        _stop(a)


def test_the_desktop_entry_declares_the_project_type():
    desktop = (ROOT / "resources" / "assay.desktop").read_text(encoding="utf-8")
    assert "MimeType=application/x-assay;" in desktop.splitlines()
    assert "Exec=Assay %F" in desktop.splitlines()


def test_the_desktop_knows_a_project_by_its_name_and_not_every_sqlite_file(tmp_path):
    """The MIME file as a desktop installs it, read by GLib (what file managers ask)."""
    if not (shutil.which("update-mime-database") and shutil.which("gio")):
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("shared-mime-info or gio is missing on CI: `make test-deps` installs them")
        pytest.skip("needs shared-mime-info and gio (libglib2.0-bin): `make test` installs them")
    data = tmp_path / "share"
    packages = data / "mime" / "packages"
    packages.mkdir(parents=True)
    shutil.copy(ROOT / "resources" / "assay-mime.xml", packages / "assay.xml")
    shutil.copy("/usr/share/mime/packages/freedesktop.org.xml", packages)
    subprocess.run(["update-mime-database", str(data / "mime")], check=True,
                   capture_output=True)
    project = _project(tmp_path / "survey.assay")
    other = tmp_path / "notes.sqlite3"
    sqlite3.connect(other).execute("create table t(x)").connection.close()
    env = {**os.environ, "XDG_DATA_HOME": str(data), "XDG_DATA_DIRS": str(data)}

    def kind(path: Path) -> str:
        out = subprocess.run(["gio", "info", "-a", "standard::content-type", str(path)],
                             env=env, capture_output=True, text=True, check=True).stdout
        return out.rsplit("standard::content-type:", 1)[1].strip()

    assert kind(project) == "application/x-assay"
    assert kind(other) == "application/vnd.sqlite3"


def test_open_recent_lists_the_last_projects_newest_first_and_opens_one(qtbot, tmp_path):
    from tests.gui_helpers import open_window

    older = _project(tmp_path / "R&D cobalt.assay")
    gone = _project(tmp_path / "moved away.assay")
    newer = _project(tmp_path / "lithium.assay")
    win = open_window(qtbot, tmp_path, older)
    assert win.open_project(str(gone)) and win.open_project(str(newer))
    gone.unlink()
    win.files.fill_recent()
    entries = [a.text() for a in win.recent_menu.actions()]
    # Newest first, by name then folder; a "&" in a name is shown, not taken as a mnemonic;
    # a project that is no longer there is not offered.
    assert entries == [f"lithium.assay  —  {tmp_path}", f"R&&D cobalt.assay  —  {tmp_path}"]
    win.recent_menu.actions()[1].trigger()
    assert win.project.path.resolve() == older.resolve()
    assert win.windowTitle().startswith("R&D cobalt")


@pytest.mark.slow
def test_a_project_double_clicked_while_the_first_run_asks_for_a_name_waits_for_that_window(
        tmp_path):
    env = _home(tmp_path)
    conf = Path(env["XDG_CONFIG_HOME"]) / "Assay" / "Assay.conf"
    conf.write_text("", encoding="utf-8")  # a first run: "Who is reviewing?" is asked
    first = _start(env)
    try:
        socket_dir = Path(env["TMPDIR"])
        assert _wait_for(lambda: any(p.name.startswith("assay-") for p in socket_dir.iterdir()))
        project = _project(tmp_path / "clicked.assay")
        handed = subprocess.run([sys.executable, "-m", "gui", str(project)], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=60)
        assert handed.returncode == 0 and "running Assay window" in handed.stdout
        assert first.poll() is None  # still asking; the project waits for its window
    finally:
        _stop(first, signal.SIGKILL)
