"""The three columns on a small screen: the side panels give way, not the text.

When the text column would drop under its readable width, the list and the side panel
shrink (each by its share of what it has beyond its own minimum); when the window grows
again they get back what was taken, up to the widths the reviewer wants (the defaults,
or where they dragged the splitter).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QSplitter


class ColumnWidths:
    """Keeps a three-column splitter's middle column readable."""

    def __init__(self, splitter: QSplitter, readable_width: Callable[[], int]) -> None:
        self.splitter = splitter
        self.readable_width = readable_width
        self.wanted = [340, 360]  # the list's and the side panel's widths
        self.restored = False  # True: the splitter's restored widths are the wanted ones
        self._state: object | None = None  # the saved state, until the first show
        splitter.splitterMoved.connect(self.remember)

    def restore(self, state: object | None) -> None:
        """The splitter's saved state (None: keep the defaults): its widths are the wanted
        ones. Restored again at the window's first show (``shown``), because before it the
        splitter is not the window's width yet and its first layout may hand the
        difference to the list column."""
        self._state = state
        if state is not None:
            self.splitter.restoreState(state)  # type: ignore[arg-type]
        self.restored = state is not None

    def shown(self) -> None:
        """Call from the window's showEvent."""
        if self._state is not None:
            self.splitter.restoreState(self._state)  # type: ignore[arg-type]
            self._state = None
            self.fit()

    def remember(self, *_: object) -> None:
        sizes = self.splitter.sizes()
        self.wanted = [sizes[0], sizes[2]]

    def _minimum(self, index: int) -> int:
        """The width column ``index`` cannot shrink below."""
        widget = self.splitter.widget(index)
        return widget.minimumSizeHint().width() if widget is not None else 0

    def fit(self) -> None:
        """Call when the window (or the text's zoom) changed size."""
        sizes = self.splitter.sizes()
        if len(sizes) != 3 or sum(sizes) == 0:
            return
        if self.restored:
            self.restored = False
            self.remember()
        need = self.readable_width() - sizes[1]
        if need < 0:  # room to spare: give back what a smaller window took
            short = [max(0, self.wanted[0] - sizes[0]), max(0, self.wanted[1] - sizes[2])]
            give = min(-need, sum(short))
            if give > 0:
                back = [round(give * short[k] / sum(short)) for k in (0, 1)]
                self.splitter.setSizes([sizes[0] + back[0], sizes[1] - sum(back),
                                        sizes[2] + back[1]])
            return
        spare = [max(0, sizes[i] - self._minimum(i)) for i in (0, 2)]
        if sum(spare) == 0:
            return
        take = [min(spare[k], round(need * spare[k] / sum(spare))) for k in (0, 1)]
        self.splitter.setSizes([sizes[0] - take[0], sizes[1] + sum(take), sizes[2] - take[1]])
