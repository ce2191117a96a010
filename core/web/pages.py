"""A fetched page as an article: decoded, its main text found by the HTML reader file imports
use (``core.formats.html``), its title cleaned and its date found.

The encoding: a byte-order mark, else the charset the server declared in its header, else
the page's own ``<meta charset>``, else detection (``core.formats.encoding``). The date: the
feed entry's, else the page's metadata (``<meta>``, ``<time>``: trafilatura's reading), else
the dateline at the top of the text (``core.text.dates``), as a file import finds it.
The title: the feed entry's or the page's, as one line without control or bidi characters.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from core.formats.bad_content import BadContent
from core.formats.encoding import decode_bytes
from core.formats.html import TITLE_MAX_CHARS, _declared_charset, extract_html
from core.formats.source_text import normalised
from core.models import ArticleIn
from core.text.dates import dateline
from core.text.normalise import one_line
from core.web.fetch import Fetched


class NotAnArticle(Exception):
    """A page with no article text in it (or that cannot be read); the message says why."""


def page_article(page: Fetched, *, title: str = "", published: str = "",
                 source: str = "") -> ArticleIn:
    """The article in a fetched HTML page; ``title``, ``published`` and ``source`` from a feed
    entry win over the page's own. Raises :class:`NotAnArticle`."""
    try:
        markup = decode_bytes(page.body, page.charset or _declared_charset(page.body[:4096]))
        found = extract_html(markup)
    except BadContent as exc:
        raise NotAnArticle(str(exc)) from None
    text = normalised(found.text)
    if not text.strip():
        raise NotAnArticle("no article text found in the page")
    date = published or _iso_day(found.published) or dateline(text)
    name = one_line(title or found.title, TITLE_MAX_CHARS)
    host = (urlsplit(page.url).hostname or "").removeprefix("www.")
    return ArticleIn(text=text, title=name, source=one_line(source or host, 200),
                     url=page.url, published=date)


def _iso_day(value: str) -> str:
    """trafilatura's date (``YYYY-MM-DD``, sometimes with a time) as ``YYYY-MM-DD``."""
    day = value.strip()[:10]
    return day if len(day) == 10 and day[4] == "-" and day[7] == "-" else ""
