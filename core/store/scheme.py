"""Label schemes: the labels a project uses, their colours and hotkeys.

A scheme is a JSON file in ``resources/schemes/``; a project copies it into
its ``labels`` table at creation, after which the project's copy is the truth
(users may add, rename or recolour labels per project).
"""

from __future__ import annotations

from pathlib import Path

from core.errors import AssayError
from core.models import Label
from core.resources import resource_path
from core.store.labels import checked_label_name, read_scheme
from core.text.normalise import one_line

DEFAULT_SCHEME = "critical-minerals"

# Hotkeys after 1-9: letters that are not review commands (a, x, s, n, j, k are; t opens
# the article's topics, gui.review.topic_review).
SPARE_HOTKEYS = "qweryuiopdfghlzcvbm"


def scheme_path(name: str) -> Path:
    """File of a bundled scheme by name."""
    return resource_path("schemes", f"{name}.json")


def load_scheme(name_or_path: str | Path = DEFAULT_SCHEME) -> list[Label]:
    """Labels of a bundled scheme (by name) or of a scheme file (by path), read and checked
    as ``assay-cli labels import`` reads one (``core.store.labels.read_scheme``: a BOM is
    fine, a description must be text) and named by the label-name rule."""
    path = Path(name_or_path)
    if not path.suffix:
        path = scheme_path(str(name_or_path))
    labels: list[Label] = []
    for position, item in enumerate(read_scheme(path)):
        try:
            name = checked_label_name(item["name"])
        except AssayError as exc:
            raise AssayError(f"{path.name}: {exc}") from exc
        if any(lb.name == name for lb in labels):
            raise AssayError(f"{path.name} names the label {one_line(name)} twice.")
        labels.append(Label(name=name, color=item["color"], hotkey=item["hotkey"],
                            description=item["description"], position=position))
    return labels


def next_free_hotkey(used: set[str]) -> str:
    """The first of 1-9 then spare letters that no label uses yet, or '' if all are taken."""
    for key in "123456789" + SPARE_HOTKEYS:
        if key not in used:
            return key
    return ""
