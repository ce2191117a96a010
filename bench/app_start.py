"""Start-up of the packaged app (step ``bench_app_start``): seconds from launching the single
file or the one-folder bundle that ``make app`` left in ``dist/`` until its window, showing
a project, is on an X display (Xvfb): what a user waits for after a double-click.

Cold: a home the app has never run in (no font cache, no settings but the reviewer's name)
and, for the single file, nothing unpacked yet. Warm: the same home started again (the
best of three). The window counts as shown when X reports it viewable with the project's
name in its title (``xwininfo``). The tests use the same helpers to see the window.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"


@contextmanager
def xvfb_display() -> Iterator[str]:
    """A private X server (Xvfb picks a free display number) for as long as the block runs."""
    server = subprocess.Popen(["Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24",
                               "-nolisten", "tcp"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    try:
        assert server.stdout is not None
        number = server.stdout.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(10)


def clean_home(folder: Path, display: str | None = None) -> dict[str, str]:
    """The environment of a user whose home is *folder*: Assay has run there only far enough
    to know the reviewer's name (else the first start asks for it before any window)."""
    config = folder / ".config" / "Assay"
    config.mkdir(parents=True, exist_ok=True)
    (config / "Assay.conf").write_text("[General]\nreviewer=tester\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("XDG_", "QT_", "DISPLAY", "WAYLAND_"))}
    env["HOME"] = str(folder)
    if display:
        env["DISPLAY"] = display
    return env


def window_shown(display: str, title_part: str) -> bool:
    """Whether a viewable top-level window whose title contains *title_part* is on *display*."""
    tree = subprocess.run(["xwininfo", "-display", display, "-root", "-tree"],
                          capture_output=True, text=True).stdout
    for line in tree.splitlines():
        parts = line.split()
        if parts and parts[0].startswith("0x") and '"' in line and title_part in line:
            info = subprocess.run(["xwininfo", "-display", display, "-id", parts[0]],
                                  capture_output=True, text=True).stdout
            if "IsViewable" in info:
                return True
    return False


def stop(process: subprocess.Popen) -> None:
    """End the app and whatever it started (the single file's shell, the app under it), and
    wait until every one of them is gone: a window left closing would answer the next
    start's hand-over (gui/window/single_instance.py) and be taken for its window."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        end = time.monotonic() + 15
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        while time.monotonic() < end:
            process.poll()  # reap the leader, else it lingers as a zombie of the group
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
    process.wait(10)


def window_titles(display: str) -> list[str]:
    """The titles of the named windows on *display* (what a failed wait reports)."""
    tree = subprocess.run(["xwininfo", "-display", display, "-root", "-tree"],
                          capture_output=True, text=True).stdout
    return [line.split('"')[1] for line in tree.splitlines() if line.count('"') >= 2]


def seconds_to_window(command: list[str], env: dict[str, str], title_part: str,
                      timeout: float = 180.0, cwd: Path | None = None,
                      keep_running: bool = False,
                      stderr: IO[str] | None = None) -> tuple[float, subprocess.Popen]:
    """Start *command* and wait until its window with *title_part* in the title shows;
    the seconds it took (RuntimeError if it exits or times out first, naming the windows
    that did show and the end of what the app wrote to stderr).

    The app's stderr goes to a file (*stderr*, else a temporary one), never to a pipe that
    nobody reads while waiting: a chatty app would fill it and hang on its next warning."""
    started = time.perf_counter()
    with (nullcontext(stderr) if stderr is not None
          else tempfile.TemporaryFile("w+", encoding="utf-8")) as err:
        process = subprocess.Popen(command, env=env, cwd=cwd, start_new_session=True,
                                   stdout=subprocess.DEVNULL, stderr=err, text=True)

        def written() -> str:
            err.flush()
            err.seek(0)
            return err.read()[-2000:]

        try:
            while time.perf_counter() - started < timeout:
                if window_shown(env["DISPLAY"], title_part):
                    return time.perf_counter() - started, process
                if process.poll() is not None:
                    raise RuntimeError(f"{command[0]} exited ({process.returncode}): "
                                       f"{written()}")
                time.sleep(0.02)
            raise RuntimeError(f"no window titled …{title_part}… after {timeout:.0f} s; "
                               f"windows shown: {window_titles(env['DISPLAY'])}; "
                               f"stderr: {written()}")
        finally:
            if not keep_running:
                stop(process)


def _artifacts() -> tuple[Path, Path] | None:
    bundle = DIST / "Assay" / "Assay"
    single = sorted(DIST.glob("Assay-*.run"))
    if not bundle.exists() or not single:
        return None
    return bundle, single[-1]


def bench_app_start(tmp: Path) -> dict:
    from core.sample import SAMPLE_NAME, ensure_sample_project

    found = _artifacts()
    if found is None:
        print("bench_app_start: no dist/Assay or dist/Assay-*.run (run make app first)")
        return {}
    if not (shutil.which("Xvfb") and shutil.which("xwininfo")):
        print("bench_app_start: Xvfb and xwininfo are missing (make test-deps installs them)")
        return {}
    bundle, single = found
    # The sample project, as the first start makes it: pre-annotated, so its articles'
    # tokens are stored and opening one needs no spaCy (as with any annotated project).
    project = ensure_sample_project(tmp / "sample")
    name = SAMPLE_NAME.split(" — ")[0]
    results: dict = {}
    with xvfb_display() as display:
        for label, command in (("bundle", [str(bundle)]), ("single_file", [str(single)])):
            env = clean_home(tmp / f"home-{label}", display)
            runs = [seconds_to_window([*command, str(project)], env, name)[0]
                    for _ in range(4)]
            results[f"app_start_{label}_cold_s"] = runs[0]
            results[f"app_start_{label}_warm_s"] = min(runs[1:])
    return results
