"""Shared fixtures: every test makes its own project file in a temporary folder."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from core.models import ArticleIn  # noqa: E402
from core.nlp.store_rules import store_rules
from core.store import Project  # noqa: E402

SAMPLE_TEXTS = [
    "Lithium prices fell in Chile.\nThe U.S. Department of Energy granted $200 million.",
    "Cobalt output in the DRC rose 30% in 2024, the IEA said.",
    "Australia and Japan signed a rare earths deal with Lynas Rare Earths Ltd. last week.",
]


@pytest.fixture
def project(tmp_path):
    """A fresh project with three short articles we wrote ourselves."""
    proj = Project.create(tmp_path / "test.assay", name="test", rules=store_rules())
    proj.add_articles([ArticleIn(text=t, title=f"Article {i}", source="tests")
                       for i, t in enumerate(SAMPLE_TEXTS, 1)])
    yield proj
    proj.close()
