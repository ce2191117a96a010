"""A plain (non-editable) wheel works: code and resources, installed in a fresh venv.

``make test`` runs from an editable install, where ``resources/`` is found beside
``core/``; a wheel must carry them itself (as ``assay_resources``). The fresh venv
reuses this venv's third-party packages through a ``.pth`` file (no download), and
Assay itself comes only from the wheel.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_is_listed_for_the_wheel():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in ROOT.glob("core/**/__init__.py")}
    found |= {".".join(p.parent.relative_to(ROOT).parts) for p in ROOT.glob("gui/**/__init__.py")}
    # Each folder of resources/ is a data package of its own (assay_resources.gazetteers…):
    # one left out is left out of the wheel, and setuptools warns it "would be ignored".
    found |= {".".join(("assay_resources", *p.relative_to(ROOT / "resources").parts))
              for p in (ROOT / "resources").glob("**") if p.is_dir()}
    assert found <= listed


# What setuptools says when the project's configuration is out of date or incomplete.
ALARMS = ("SetuptoolsDeprecationWarning", "would be ignored", "is deprecated",
          "BuildBackendWarning")


@pytest.mark.slow
def test_building_the_wheel_says_nothing_alarming(tmp_path):
    """The licence as an SPDX string and every data folder a package: the real build
    backend, in a process of its own, builds the wheel without a warning (issue 25: `make
    run` printed a wall of them before the window appeared)."""
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w",
                            str(tmp_path), str(ROOT)], capture_output=True, text=True,
                           timeout=600)
    assert built.returncode == 0, built.stderr[-2000:]
    said = built.stdout + built.stderr
    assert not [alarm for alarm in ALARMS if alarm in said], said[-4000:]
    (wheel,) = tmp_path.glob("assay-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    shipped = {"assay_resources/" + p.relative_to(ROOT / "resources").as_posix()
               for p in (ROOT / "resources").rglob("*") if p.is_file()}
    assert shipped <= names  # every resource file is in the wheel


@pytest.mark.slow
def test_a_built_wheel_runs_new_import_and_annotate_in_a_fresh_venv(tmp_path):
    wheels = tmp_path / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                            str(wheels), str(ROOT)], capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = wheels.glob("assay-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], capture_output=True, text=True, check=True).stdout
    ours = Path(sysconfig.get_paths()["purelib"])
    (Path(site.strip()) / "deps.pth").write_text(str(ours) + "\n")
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install",
                              "--no-deps", "-q", str(wheel)], capture_output=True, text=True,
                             timeout=600)
    assert install.returncode == 0, install.stderr[-2000:]
    cli = env_dir / "bin" / "assay-cli"
    work = tmp_path / "work"
    work.mkdir()
    (work / "a.txt").write_text("Cobalt from the DRC\n\nGlencore ships cobalt from the DRC to "
                                "China, the IEA said.", encoding="utf-8")
    env = {"PATH": str(env_dir / "bin"), "HOME": str(tmp_path)}  # no checkout on the path

    def run(*args: str) -> str:
        done = subprocess.run([str(cli), *args], capture_output=True, text=True, cwd=work,
                              env=env, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    where = subprocess.run([str(python), "-c", "import core, core.resources as r; "
                            "print(core.__file__); print(r.resources_dir())"], cwd=work, env=env,
                           capture_output=True, text=True, check=True).stdout.split()
    assert str(ROOT) not in where[0] and "assay_resources" in where[1]
    assert "MINERAL" in run("new", "p.assay")
    assert "Imported 1 article" in run("import", "p.assay", "a.txt")
    assert "Pre-annotated 1 article" in run("annotate", "p.assay")
    assert '"MINERAL"' in run("stats", "p.assay", "--json")
