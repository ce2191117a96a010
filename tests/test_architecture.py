"""The layers hold: checked on the source, so a shortcut fails the build.

* nothing under ``core/`` imports Qt (``core`` must run in the CLI, tests and workers);
* ``core``'s sub-packages import only downwards (text ← nlp, store ← formats, review), as
  the table in ``docs/architecture.md`` draws it (a test reads the table); the store never
  imports ``core.nlp``: the rules it applies are handed to it (``core.store.rules``);
* ``gui`` modules import each other without a cycle, and only the entry points
  (``app``, ``selftest``) import ``main_window``;
* only ``core/store`` touches a database connection (``.conn``): everything else goes
  through the ``Project`` facade, so SQL and its error translation live in one place.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# What each part of core may import from core (besides itself and the shared leaf
# modules core.errors, core.models, core.resources, core.metrics and core's __init__):
# the table "What each part of core may import" in docs/architecture.md, row for row.
ALLOWED = {
    "core.text": set(),
    "core.nlp": {"core.text"},
    # Not core.nlp: the linker, the claim suggestions, the facts and figures rules are
    # handed to the store by whoever opens a project (core.store.rules).
    "core.store": {"core.text"},
    "core.formats": {"core.text", "core.nlp", "core.store"},
    "core.review": {"core.store", "core.nlp", "core.text"},
    "core.teams": {"core.store", "core.text", "core.review"},
    "core.jobs": {"core.store", "core.nlp", "core.formats", "core.text"},
    "core.sample": {"core.store", "core.formats", "core.nlp", "core.text", "core.jobs"},
    "core.stats": {"core.store", "core.nlp", "core.text", "core.teams"},
    "core.web": {"core.text", "core.formats", "core.store"},
    "core.cli": {"core.store", "core.formats", "core.nlp", "core.text", "core.review",
                 "core.jobs", "core.teams", "core.stats", "core.web"},
}
LEAVES = {"core", "core.errors", "core.models", "core.resources", "core.metrics"}
ENTRY_POINTS = {"gui.app", "gui.selftest"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports, at any depth (TYPE_CHECKING and function bodies too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def part_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else module


def test_core_never_imports_qt():
    offenders = {module_name(p): sorted(m for m in imports(p) if m.split(".")[0] in
                                         ("PySide6", "PyQt5", "PyQt6", "shiboken6"))
                 for p in sources("core")}
    assert {m: q for m, q in offenders.items() if q} == {}


def is_module(name: str, root: Path = ROOT) -> bool:
    """Whether ``core.x.y`` names a module or package (not a name defined in one)."""
    path = root.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def arrows_out_of_bounds(path: Path, here: str, root: Path = ROOT) -> list[str]:
    """The imports of ``path`` (a module of part ``here``) that ALLOWED does not allow."""
    allowed = ALLOWED.get(here, set())
    bad = []
    for target in sorted(imports(path)):
        if not target.startswith("core.") or target in LEAVES:
            continue
        if target.rsplit(".", 1)[0] in LEAVES and not is_module(target, root):
            continue  # a name from a leaf: "from core.models import Span", core.__version__
        there = part_of(target)
        if there in (here, *LEAVES) or there in allowed:
            continue
        bad.append(target)
    return bad


def test_core_imports_only_downwards():
    bad = [f"{module_name(path)} imports {target}" for path in sources("core")
           for target in arrows_out_of_bounds(path, part_of(module_name(path)))]
    assert bad == []


def test_the_store_never_imports_nlp():
    """Not even in a function or under TYPE_CHECKING: the store is handed its rules."""
    bad = [f"{module_name(path)} imports {target}" for path in sources("core/store")
           for target in imports(path)
           if target == "core.nlp" or target.startswith("core.nlp.")]
    assert bad == []


def documented_graph() -> dict[str, set[str]]:
    """The table "What each part of core may import" in docs/architecture.md: each row's
    part and the parts its second cell names (in backquotes)."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = text.split("What each part of `core` may import", 1)[1].split("\n\n", 2)[1]
    graph: dict[str, set[str]] = {}
    for row in table.splitlines():
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        if len(cells) != 2 or not cells[0].startswith("`core."):
            continue
        graph[cells[0].strip("`")] = set(re.findall(r"`(core\.[a-z_]+)`", cells[1]))
    return graph


def test_the_architecture_page_draws_the_graph_the_test_checks():
    assert documented_graph() == ALLOWED


def test_gui_modules_import_each_other_without_a_cycle():
    graph: dict[str, set[str]] = {}
    for path in sources("gui"):
        name = module_name(path)
        graph[name] = {m for m in imports(path) if m.startswith("gui.") and m != name}
    modules = set(graph)
    graph = {k: {m if m in modules else m.rsplit(".", 1)[0] for m in v} & modules
             for k, v in graph.items()}
    importers_of_window = {k for k, v in graph.items() if "gui.window.main_window" in v}
    assert importers_of_window <= ENTRY_POINTS
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1 and not cycle:
                cycle.extend([*trail[trail.index(nxt):], nxt] if nxt in trail else [nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycle == []


# gui/ is in rooms by feature; the window (gui.window) wires them and is at the top: no
# feature room imports it. ``gui.review_host`` is the protocol the window offers the rooms.
ROOMS = {"window", "review", "articles", "claims", "linking", "teams", "statistics",
         "models", "dialogs", "common"}
TOP_LEVEL = {"gui", "gui.__main__", "gui.app", "gui.selftest", "gui.platform_check",
             "gui.review_host"}


def test_gui_is_in_rooms_and_no_room_imports_the_window():
    bad, loose = [], []
    for path in sources("gui"):
        name = module_name(path)
        parts = name.split(".")
        if len(parts) < 3 and name not in TOP_LEVEL and not (len(parts) == 2 and
                                                               parts[1] in ROOMS):
            loose.append(name)
        if len(parts) >= 3 and parts[1] not in ROOMS:
            loose.append(name)
        if len(parts) >= 3 and parts[1] != "window":
            bad += [f"{name} imports {m}" for m in imports(path) if m.startswith("gui.window")]
    assert loose == [] and bad == []


def test_no_module_is_much_longer_than_500_lines():
    """A module does one job; past about 500 lines it is doing two (issue 24)."""
    long = [f"{path.relative_to(ROOT)}: {n} lines" for package in ("core", "gui")
            for path in sources(package)
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 520]
    assert long == []


def test_only_the_store_touches_the_connection():
    bad = []
    for package in ("core", "gui"):
        for path in sources(package):
            if path.is_relative_to(ROOT / "core" / "store"):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Attribute) and node.attr == "conn":
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert bad == []


# Qt's file dialog and the classes behind it read files to guess their type, which drops
# SQLite's locks on an open project (issue 23): only gui.common.file_dialogs may use them, with an
# icon provider that never reads a file.
FILE_READERS = ("QFileDialog", "QFileSystemModel", "QMimeDatabase", "QFileIconProvider")


def file_reader_uses(path: Path) -> list[str]:
    names = {name for name in imports(path) if name.rsplit(".", 1)[-1] in FILE_READERS}
    return sorted(f"{path.relative_to(ROOT)}: {name}" for name in names)


def test_only_file_dialogs_uses_what_reads_a_file_to_guess_its_type():
    bad = [use for path in sources("gui") if path.name != "file_dialogs.py"
           for use in file_reader_uses(path)]
    assert bad == []


def test_the_checks_would_catch_a_violation(tmp_path):
    """The scanners see what they must (a test that cannot fail proves nothing)."""
    sample = tmp_path / "x.py"
    sample.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                      "    from gui.window.main_window import MainWindow\n"
                      "def f():\n    import PySide6.QtCore\n"
                      "    from PySide6.QtWidgets import QFileDialog\n")
    assert {"gui.window.main_window", "PySide6.QtCore"} <= imports(sample)
    assert "PySide6.QtWidgets.QFileDialog" in imports(sample)
    # A store module reaching for core.nlp in any of the three ways is caught.
    store = tmp_path / "core" / "store"
    store.mkdir(parents=True)
    for name in ("nlp", "store"):
        (tmp_path / "core" / name).mkdir(exist_ok=True)
        (tmp_path / "core" / name / "__init__.py").write_text("")
    for code in ("from core import nlp\n", "import core.nlp.linking\n",
                 "def f():\n    from core.nlp.facts import facts\n"):
        (store / "part.py").write_text(code)
        assert arrows_out_of_bounds(store / "part.py", "core.store", tmp_path), code
    (store / "part.py").write_text("from core import __version__\nfrom core.models import Span\n"
                                   "from core.text.kb_ids import family\n")
    assert arrows_out_of_bounds(store / "part.py", "core.store", tmp_path) == []
