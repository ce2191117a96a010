"""The type check (mypy, run by ``make lint`` over core and gui) catches what it is there for.

A protocol a part is handed (``gui.review_host.ReviewHost``) that lacks a member its
callers use, and a call to a forwarded ``Project`` method (``core.store.project._forward``)
with the wrong arguments, are errors, not silence. The whole-tree check itself is
``make lint``'s (about 30 s cold, a few seconds with its cache).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from core.formats import export
from core.models import Span

ROOT = Path(__file__).resolve().parent.parent

pytest.importorskip("mypy", reason="mypy is in the dev extras (make lint runs it)")


def _mypy(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    """mypy (this venv's, the repo's settings) over one module written to ``tmp_path``."""
    module = tmp_path / "checked.py"
    module.write_text(textwrap.dedent(source), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
         "--cache-dir", str(tmp_path / "cache"), "--no-error-summary", str(module)],
        cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_a_protocol_without_a_member_its_callers_use_is_an_error(tmp_path: Path) -> None:
    done = _mypy(tmp_path, """
        from typing import Protocol

        class Session:
            def check_scheme(self) -> None: ...

        class Host(Protocol):
            reviewer: str  # no session, as ReviewHost had none

        class Window:
            reviewer = "ana"
            session: Session | None = None

        def refill(host: Host) -> None:
            if host.session is not None:
                host.session.check_scheme()

        refill(Window())
        """)
    assert done.returncode == 1, done.stdout + done.stderr
    assert '"Host" has no attribute "session"  [attr-defined]' in done.stdout


def test_a_host_missing_a_protocol_member_is_an_error(tmp_path: Path) -> None:
    done = _mypy(tmp_path, """
        from typing import Protocol

        class Host(Protocol):
            session: object
            reviewer: str

        class Window:
            reviewer = "ana"

        def wire(host: Host) -> None: ...

        wire(Window())
        """)
    assert done.returncode == 1, done.stdout + done.stderr
    assert 'incompatible type "Window"; expected "Host"' in done.stdout
    assert '"Window" is missing following "Host" protocol member' in done.stdout


def test_forwarded_project_methods_keep_their_parts_signatures(tmp_path: Path) -> None:
    done = _mypy(tmp_path, """
        from core.store import Project

        def use(project: Project) -> None:
            reveal_type(project.add_span)
            project.add_span("7", 0, 4, "ORG", "ana")
            project.labels(True)
        """)
    out = done.stdout
    assert ('Revealed type is "def (article_id: int, start: int, end: int, label: str, '
            "reviewer: str, *, origin: str =") in out, out
    assert "fallback=core.models.Span]" in out, out  # the result: a Span
    assert 'checked.py:6: error: Argument 1 has incompatible type "str"; expected "int"' \
        in out, out
    assert "checked.py:7: error: Too many arguments  [call-arg]" in out, out


def test_export_reads_spans_by_the_positions_of_their_fields() -> None:
    """export's Final positions (typed for the checker) are Span's fields."""
    assert Span._fields[export._START] == "start"
    assert Span._fields[export._END] == "end"
    assert Span._fields[export._TEXT] == "text"
