"""Getting to an entity in a few keys, in the article view: Space (next undecided),
Alt+label key (next of that label) and / (type-to-jump, with ``gui.review.find_bar``).

The rules are ``core.review.navigation``'s; this applies them to the view's spans, text
cursor and selection, and keeps the find bar placed over the view.
"""

from __future__ import annotations

from typing import Any

from core.models import Span
from core.review.navigation import find_next, next_of_label, next_undecided, nothing_further
from core.teams.adjudicate import Region, next_region
from core.text.tokens import snap
from gui.review.find_bar import FindBar


class Jumps:
    """The view's jumps; ``find_bar`` is the type-to-jump field."""

    def __init__(self, view: Any) -> None:  # gui.review.article_view.ArticleView (which owns this)
        self.view = view
        self.find_bar = FindBar(view)
        self.find_bar.searched.connect(self._find)
        self.find_bar.closed.connect(self._find_closed)
        self._find_from = 0

    def here(self) -> tuple[Span | None, int]:
        """Where the reviewer is: the selected entity, and the text cursor's offset."""
        view = self.view
        return view.selected_span(), view.offset_map.to_py(view.textCursor().selectionStart())

    def step_undecided(self, step: int) -> bool:
        """Space / Shift+Space: the next or previous suggestion still to decide. At the end
        (the start) of the article the selection and the scroll stay, and the status bar
        says what is left (``core.review.navigation.nothing_further``)."""
        view = self.view
        here = self.here()
        span = next_undecided(view.spans, *here, step)
        if span is not None:
            view.select_span(span.id)
        else:
            view.nothing_to_do.emit(nothing_further(view.spans, here[0], step))
        return span is not None

    def step_region(self, step: int) -> bool:
        """Space / Shift+Space while adjudicating: the next region where the reviewers
        differ. Its curated entity is selected (label keys and Delete act on it), else the
        text cursor goes there (Ctrl+Alt+digit takes a reviewer's spans at the cursor)."""
        view = self.view
        here, offset = self.here()
        comparison = view.comparison
        # Step from the region the reviewer is in (a curated span may start before it).
        current = comparison.region_at(here.start, here.end) if here else \
            comparison.region_at(offset)
        region = next_region(comparison.regions, current.start if current else offset, step)
        if region is None:
            return False
        self.land_on_region(region)
        return True

    def land_on_region(self, region: Region) -> None:
        """Go to a region: select its curated entity if it has one, else put the cursor
        at its start (where Ctrl+Alt+digit takes a reviewer's spans)."""
        view = self.view
        curated = next((s for s in view.spans if s.live and region.covers(s.start, s.end)),
                       None)
        if curated is not None:
            view.select_span(curated.id)
        else:
            view.select_span(None, scroll=False)
            view.scroll_to(region.start)

    def step_label(self, label: str, step: int) -> bool:
        """Alt+label key: the next (Alt+Shift: previous) entity with that label."""
        view = self.view
        span = next_of_label(view.spans, label, *self.here(), step)
        if span is not None:
            view.select_span(span.id)
        return span is not None

    def start_find(self) -> None:
        """/: type-to-jump (gui.review.find_bar)."""
        view = self.view
        here, offset = self.here()
        self._find_from = here.start if here is not None else offset
        bar = self.find_bar
        bar.setFixedWidth(min(360, view.viewport().width() - 16))
        bar.move(view.viewport().width() - bar.width() - 8,
                 view.viewport().height() - bar.sizeHint().height() - 8)
        bar.open()

    def _find(self, text: str, step: int) -> None:
        view = self.view
        if step:
            here = view.selected_span()
            sel = view.text_selection()
            current = here.start if here is not None else (sel[0] if sel else self._find_from)
            self._find_from = current + 1 if step > 0 else current
        target = find_next(view.text, view.spans, text, self._find_from,
                           lambda a, b: snap(view.tokens, a, b), step or 1)
        if target is None:
            self.find_bar.setStyleSheet("color: #b3261e;")  # nothing matches: say so quietly
            return
        self.find_bar.setStyleSheet("")
        if target.span_id is not None:
            view.clear_text_selection()
            view.select_span(target.span_id)
        else:
            view.select_span(None, scroll=False)
            view.set_text_selection(target.start, target.end)
            view.centre_on(target.start)

    def _find_closed(self) -> None:
        view = self.view
        view.setFocus()
