"""The .deb: the one-folder app under /opt/assay, ``assay`` on the PATH, and the desktop's
menu entry, icons and (when resources/ has it) the project file type.

Built by ``dpkg-deb --root-owner-group`` as any user. Its Depends line names the Debian
packages of the system libraries the bundle links but does not carry (found with ldd and
``dpkg -S`` on the building machine, as dpkg-shlibdeps would from a source package).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from release.meta import ROOT, app_version

RESOURCES = ROOT / "resources"
FILES = Path(__file__).with_name("files")
ICON_SIZES = (48, 128, 256)


def deb_architecture() -> str:
    return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()


def desktop_entry() -> str:
    """resources/assay.desktop, starting the installed command (``assay``) rather than
    the bundle's ``Assay`` binary."""
    text = (RESOURCES / "assay.desktop").read_text(encoding="utf-8")
    return re.sub(r"^(Exec|TryExec)=\S+", r"\1=assay", text, flags=re.MULTILINE)


def system_packages(bundle: Path) -> list[str]:
    """The Debian packages holding the libraries the bundle's ELF files load from the system."""
    internal = bundle / "_internal"
    env = {**os.environ, "LD_LIBRARY_PATH": str(internal)}
    outside: set[str] = set()
    for path in [bundle / "Assay", *internal.rglob("*.so*")]:
        if path.is_symlink() or not path.is_file() or path.read_bytes()[:4] != b"\x7fELF":
            continue
        ldd = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env)
        for line in ldd.stdout.splitlines():
            parts = line.split()
            if len(parts) >= 3 and parts[1] == "=>" and parts[2].startswith("/") \
                    and not parts[2].startswith(str(bundle)):
                outside.add(parts[2])
    return sorted({owner for path in outside if (owner := _owner(path))})


def _owner(path: str) -> str | None:
    """The package that installed *path*: dpkg knows a file by the path it was packaged
    under, which on a merged-/usr system may be the link (/lib/...) or the target."""
    real = os.path.realpath(path)
    tries = [path, real]
    tries += [p.removeprefix("/usr") if p.startswith("/usr/") else "/usr" + p for p in tries]
    for candidate in dict.fromkeys(tries):
        found = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if found.returncode == 0 and ":" in found.stdout:
            return found.stdout.split(":", 1)[0].split(",")[0].strip()
    return None


def _icons(root: Path, names: list[tuple[str, str]]) -> None:
    from PIL import Image  # matplotlib's dependency: already in the environment

    with Image.open(RESOURCES / "icons" / "assay.png") as icon:
        for size in ICON_SIZES:
            for category, name in names:
                folder = root / f"usr/share/icons/hicolor/{size}x{size}/{category}"
                folder.mkdir(parents=True, exist_ok=True)
                icon.resize((size, size), Image.Resampling.LANCZOS).save(folder / f"{name}.png")


def _control(root: Path, bundle: Path) -> None:
    control = root / "DEBIAN"
    control.mkdir(mode=0o755)
    size_kib = sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) // 1024
    depends = ", ".join(system_packages(bundle))
    (control / "control").write_text(
        "Package: assay\n"
        f"Version: {app_version()}\n"
        f"Architecture: {deb_architecture()}\n"
        "Maintainer: Assay developers <assay@localhost>\n"
        f"Installed-Size: {size_kib}\n"
        + (f"Depends: {depends}\n" if depends else "")
        + "Section: science\n"
        "Priority: optional\n"
        "Description: review named entities in critical-minerals news\n"
        " Assay pre-annotates news articles with spaCy and keeps every reviewer's\n"
        " decision in a local SQLite project file (.assay).\n", encoding="utf-8")
    for script in ("postinst", "postrm"):
        shutil.copy(FILES / "postinst", control / script)
        (control / script).chmod(0o755)


def build_deb(bundle: Path, dist: Path) -> Path:
    """``dist/assay_<version>_<arch>.deb`` from the one-folder app ``bundle``."""
    out = dist / f"assay_{app_version()}_{deb_architecture()}.deb"
    with tempfile.TemporaryDirectory(dir=dist) as tmp:
        root = Path(tmp) / "root"
        (root / "opt").mkdir(parents=True)
        shutil.copytree(bundle, root / "opt/assay", symlinks=True, copy_function=os.link)
        (root / "usr/bin").mkdir(parents=True)
        (root / "usr/bin/assay").symlink_to("/opt/assay/Assay")
        apps = root / "usr/share/applications"
        apps.mkdir(parents=True)
        (apps / "assay.desktop").write_text(desktop_entry(), encoding="utf-8")
        icons = [("apps", "assay")]
        mime = RESOURCES / "assay-mime.xml"
        if mime.exists():  # the project file type (issue 30): added by the app's side
            (root / "usr/share/mime/packages").mkdir(parents=True)
            shutil.copy(mime, root / "usr/share/mime/packages/assay.xml")
            icons.append(("mimetypes", "application-x-assay"))
        _icons(root, icons)
        _control(root, bundle)
        for folder in [root, *[p for p in root.rglob("*") if p.is_dir()]]:
            folder.chmod(0o755)
        out.unlink(missing_ok=True)
        # gzip, as for the single file: every dpkg reads it, and it takes a minute, not nine.
        subprocess.run(["dpkg-deb", "--root-owner-group", "-Zgzip", "-z6", "--build", str(root),
                        str(out)], check=True, stdout=subprocess.DEVNULL)
    return out
