"""Label schemes: the labels a project uses, their colours and hotkeys.

A scheme is a JSON file in ``resources/schemes/``; a project copies it into
its ``labels`` table at creation, after which the project's copy is the truth
(users may add, rename or recolour labels per project).
"""

from __future__ import annotations

import json
from pathlib import Path

from core.errors import AssayError
from core.models import Label
from core.resources import resource_path
from core.store.files import check_source

DEFAULT_SCHEME = "critical-minerals"

# Hotkeys after 1-9: letters that are not review commands (a, x, s, n, j, k are).
SPARE_HOTKEYS = "qwertyuiopdfghlzcvbm"


def scheme_path(name: str) -> Path:
    """File of a bundled scheme by name."""
    return resource_path("schemes", f"{name}.json")


def load_scheme(name_or_path: str | Path = DEFAULT_SCHEME) -> list[Label]:
    """Labels of a bundled scheme (by name) or of a scheme file (by path)."""
    path = Path(name_or_path)
    if not path.suffix:
        path = scheme_path(str(name_or_path))
    try:
        data = json.loads(check_source(path, "read the label scheme").read_text(
            encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AssayError(f"Cannot read label scheme {path}: {exc}") from exc
    labels = []
    for position, item in enumerate(data["labels"]):
        labels.append(
            Label(
                name=item["name"],
                color=item["color"],
                hotkey=item.get("hotkey", ""),
                description=item.get("description", ""),
                position=position,
            )
        )
    return labels


def next_free_hotkey(used: set[str]) -> str:
    """The first of 1-9 then spare letters that no label uses yet, or '' if all are taken."""
    for key in "123456789" + SPARE_HOTKEYS:
        if key not in used:
            return key
    return ""
