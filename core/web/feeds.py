"""A feed's entries (RSS 0.9x/1.0/2.0, Atom): the address, title and date of each, by
feedparser.

feedparser forgives the broken feeds found in the wild and says so (``bozo``): a feed it
could read only in part is imported as far as it goes, with a sentence saying it is
malformed; one where it found no entry is refused with a sentence. It is only ever given
bytes (never an address or a path, which it would open itself), so fetching stays in
``core.web.fetch`` with its limits.
"""

from __future__ import annotations

import calendar
import html
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin

from core.text.normalise import one_line

_FEED_ROOT = re.compile(rb"^(?:\s|<\?xml[^>]*>|<!--.*?-->|<!DOCTYPE[^>]*>)*<(?:rss|feed|rdf:RDF)\b",
                        re.S | re.I)


class NotAFeed(Exception):
    """Nothing could be read from what was meant as a feed; the message says why."""


@dataclass(frozen=True)
class FeedEntry:
    """One entry: the page it links to, its title and its date (ISO) if the feed gave them."""

    url: str
    title: str = ""
    published: str = ""


@dataclass(frozen=True)
class Feed:
    title: str
    entries: tuple[FeedEntry, ...]
    malformed: str = ""  # feedparser's complaint when it read the feed only in part
    without_link: int = 0  # entries that name no page


def looks_like_feed(data: bytes) -> bool:
    """Whether a document's first element is a feed's (``rss``, ``feed``, ``rdf:RDF``)."""
    return _FEED_ROOT.match(data.lstrip(b"\xef\xbb\xbf")[:4096]) is not None


def read_feed(data: bytes, url: str) -> Feed:
    """The entries of a feed read from ``url``; raises :class:`NotAFeed` when it has none."""
    import feedparser  # only when a feed is read

    parsed = feedparser.parse(io.BytesIO(data), response_headers={"content-location": url},
                              sanitize_html=False, resolve_relative_uris=False)
    complaint = _complaint(parsed, feedparser) if parsed.get("bozo") else ""
    entries: list[FeedEntry] = []
    without_link = 0
    for entry in parsed.entries:
        link = _link(entry)
        if not link:
            without_link += 1
            continue
        entries.append(FeedEntry(urljoin(url, link.strip()), _title(entry), _date(entry)))
    if not entries:
        if complaint:
            raise NotAFeed(f"malformed feed, nothing could be read from it ({complaint})")
        if not parsed.get("version") and not looks_like_feed(data):
            raise NotAFeed("not a feed (no RSS or Atom in it)")
        raise NotAFeed("the feed has no entries with a link")
    title = one_line(parsed.feed.get("title", ""), 200)
    return Feed(title, tuple(entries), complaint, without_link)


def _link(entry) -> str:
    link = entry.get("link") or ""
    if link:
        return link
    for candidate in entry.get("links", ()):
        if candidate.get("href") and candidate.get("rel", "alternate") == "alternate":
            return candidate["href"]
    return entry.get("id", "") if str(entry.get("id", "")).startswith("http") else ""


_TAG = re.compile(r"<[^>]*>")


def _title(entry) -> str:
    """The entry's title as one line of plain text: a title the feed marks as HTML loses its
    tags (Assay shows titles as plain text, so "<b>" would show as written)."""
    title = entry.get("title", "")
    kind = (entry.get("title_detail") or {}).get("type", "")
    if "html" in kind:
        title = html.unescape(_TAG.sub(" ", title))
    return one_line(title)


def _date(entry) -> str:
    """The entry's publication (else update) date as ``YYYY-MM-DD``, in UTC as feedparser
    gives it; "" when the feed gives none or one that cannot be read."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), UTC).date().isoformat()
            except (OverflowError, ValueError, OSError):
                continue
    return ""


def _complaint(parsed, feedparser) -> str:
    """What was wrong with the feed, or "" for what feedparser notes but is no fault of the
    feed's content (an encoding declared one way and found another, a type not XML)."""
    exc = parsed.get("bozo_exception")
    if isinstance(exc, feedparser.CharacterEncodingOverride | feedparser.NonXMLContentType):
        return ""
    text = one_line(str(exc) if exc else "", 160)
    return text or "not well-formed XML"
