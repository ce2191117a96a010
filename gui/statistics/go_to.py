"""From a sentence in a window beside the review to its place in its article: the one
"go to the article" path of the statistics window and the supply-chain map."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gui.review_host import ReviewHost


def open_in_review(host: ReviewHost, path: Path | None, article_id: int, start: int,
                   end: int) -> bool:
    """Open the article in the review window with ``[start, end)`` selected and in view;
    False when the project is no longer the one the sentence is of, or the article did not
    open (the reviewer kept an unsaved edit)."""
    if host.project is None or host.project.path != path:
        return False
    host.show_article(article_id)
    if host.article is None or host.article.id != article_id:
        return False
    host.view.select_span(None, scroll=False)
    host.view.set_text_selection(start, end)
    host.view.centre_on(start)
    return True
