"""The single file: a self-extracting archive made with Debian's makeself.

No registry we may use ships the AppImage runtime or appimagetool (PyPI's AppImage
builders download both at build time; Debian has neither), so the single file is a
makeself archive, which needs only /bin/sh, tar and the decompressor on the user's
machine (no FUSE). makeself's own header unpacks into a temporary folder on every start;
ours (``files/header-cache.sh`` spliced into it) unpacks once into
``~/.cache/assay/bundle-<build>/`` and later starts run that copy directly.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from release.meta import app_version, build_id, machine

FILES = Path(__file__).with_name("files")
# gzip: every Linux has it, it unpacks 300 MB in a few seconds, and compresses the bundle
# to about 135 MB in under a minute on two busy cores (xz: 99 MB but 9 minutes here, which
# CI cannot afford; zstd is smaller and faster but not on every desktop).
COMPRESSION = ["--gzip", "--complevel", "6"]


def makeself_header() -> Path:
    """Where the installed makeself keeps its header template (its HEADER= line)."""
    makeself = shutil.which("makeself")
    if makeself is None:
        raise RuntimeError("makeself is missing: `make app` installs it (apt install makeself)")
    text = Path(makeself).read_text(encoding="utf-8")
    found = re.search(r"^HEADER=(\S+)$", text, re.MULTILINE)
    if not found:
        raise RuntimeError(f"{makeself} names no header template")
    return Path(found.group(1))


def cached_header(template: str, ident: str) -> str:
    """makeself's header with the cache logic inserted after its settings (the line
    ``skip=...``), before it reads its own options."""
    block = (FILES / "header-cache.sh").read_text(encoding="utf-8").replace("@BUILD_ID@", ident)
    anchor = re.search(r'^skip="\$SKIP"\n', template, re.MULTILINE)
    if not anchor:
        raise RuntimeError("makeself's header template changed: no skip= line to follow")
    return template[:anchor.end()] + block + template[anchor.end():]


def build_onefile(bundle: Path, dist: Path) -> Path:
    """``dist/Assay-<version>-<arch>.run`` from the one-folder app ``bundle``."""
    out = dist / f"Assay-{app_version()}-{machine()}.run"
    ident = build_id(bundle)
    with tempfile.TemporaryDirectory(dir=dist) as tmp:
        stage = Path(tmp) / "stage"
        stage.mkdir()
        # Hard links: the archive reads the bundle's files without copying 400 MB.
        shutil.copytree(bundle, stage / "Assay", symlinks=True, copy_function=os.link)
        shutil.copy2(FILES / "assay-start", stage / "assay-start")
        header = Path(tmp) / "header.sh"
        header.write_text(cached_header(makeself_header().read_text(encoding="utf-8"), ident),
                          encoding="utf-8")
        out.unlink(missing_ok=True)
        subprocess.run(
            ["makeself", "--quiet", "--tar-quietly", "--nox11", "--nomd5", "--keep-umask",
             "--header", str(header), *COMPRESSION, str(stage), str(out),
             f"Assay {app_version()}", "./assay-start"],
            check=True)
    return out
