"""What both packages say about the app: its version (pyproject) and its build's identity."""

from __future__ import annotations

import hashlib
import platform
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def app_version() -> str:
    """The version pyproject.toml gives the app (one place to change it)."""
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return str(tomllib.load(fh)["project"]["version"])


def machine() -> str:
    """The architecture the bundle was built for (PyInstaller builds for the machine it runs
    on): x86_64 or aarch64, as AppImage and makeself files name it."""
    return platform.machine()


def build_id(bundle: Path) -> str:
    """A short hash of every file of the bundle (names and contents): the single file unpacks
    into a cache folder of this name, so a new build never starts an old build's files and
    the same build is unpacked once."""
    digest = hashlib.sha256(app_version().encode())
    for path in sorted(p for p in bundle.rglob("*") if p.is_file() or p.is_symlink()):
        digest.update(str(path.relative_to(bundle)).encode() + b"\0")
        if path.is_symlink():
            digest.update(str(path.readlink()).encode())
        else:
            with path.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    digest.update(chunk)
    return digest.hexdigest()[:12]
