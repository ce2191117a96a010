"""Import from feeds and links: each address fetched, each page's article stored, and one
line per address saying what became of it. The window and ``assay-cli import`` both call
:func:`import_web` and show :meth:`WebImportReport.lines`.

The rules:

* A failure belongs to its address (an HTTP error, a timeout, not HTML, too big, a redirect
  loop, a malformed feed, a bad URL) and the rest goes on.
* An address the user gave may be a feed or a page (the answer tells); the entries of a
  feed are pages.
* Each article is stored in a transaction of its own, whole or not at all, so Cancel (asked
  between addresses, while waiting for a host and between reads of a download) keeps
  everything stored before it, and the page being downloaded is dropped.
* Duplicates are skipped: an address already in the project or already met in this import
  is not fetched again, and a page whose text the project has (the SHA-256 rule of every
  import) is not stored again.
* Store faults (a full disk, a locked file) stop the import: what was stored stays.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from core.errors import InvalidEdit
from core.text.normalise import one_line
from core.text.wording import counted
from core.web.feeds import NotAFeed, looks_like_feed, read_feed
from core.web.fetch import HTML_TYPES, FetchCancelled, Fetched, Fetcher, FetchFailed, FetchOptions
from core.web.pages import NotAnArticle, page_article
from core.web.sources import Source

URL_SHOWN = 300  # characters of an address in a summary line


class _Store(Protocol):
    """The part of ``core.store.Project`` the web import needs."""

    def add_articles(self, articles: Any, reviewer: str = ...) -> Any: ...

    def urls_present(self, urls: Iterable[str]) -> set[str]: ...


@dataclass(frozen=True)
class ItemResult:
    """What became of one address: ``imported``, ``skipped`` (a duplicate) or ``failed``."""

    url: str
    outcome: str
    reason: str = ""
    title: str = ""

    def line(self) -> str:
        url = one_line(self.url, URL_SHOWN)
        if self.outcome == "imported":
            return f"imported: {url}" + (f"  ({one_line(self.title, 120)})" if self.title else "")
        return f"{self.outcome}: {url}: {self.reason}"


@dataclass
class WebImportReport:
    """What one :func:`import_web` call did, address by address."""

    items: list[ItemResult] = field(default_factory=list)
    cancelled: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for item in self.items if item.outcome == outcome)

    @property
    def imported(self) -> int:
        return self.count("imported")

    @property
    def skipped(self) -> int:
        return self.count("skipped")

    @property
    def failed(self) -> int:
        return self.count("failed")

    def headline(self) -> str:
        """The first line: the counts, and whether it was cancelled."""
        text = (f"Imported {counted(self.imported, 'article', 'articles')}, skipped "
                f"{counted(self.skipped, 'duplicate', 'duplicates')}, "
                f"{self.failed:,} failed.")
        if self.cancelled:
            text = "Cancelled; what was imported before is kept. " + text
        return text

    def lines(self) -> list[str]:
        """The summary the window shows and the CLI prints: the counts, then one line per
        address (failures first, then duplicates, then what was imported)."""
        order = {"failed": 0, "skipped": 1, "imported": 2}
        items = sorted(self.items, key=lambda item: order.get(item.outcome, 3))
        return [self.headline(), *(item.line() for item in items)]


@dataclass(frozen=True)
class _Task:
    url: str
    feed_file: Path | None = None
    may_be_feed: bool = True  # an address the user gave; a feed's entries are pages
    title: str = ""
    published: str = ""
    source: str = ""


def import_web(project: _Store, sources: Sequence[Source], *,
               options: FetchOptions | None = None,
               progress: Callable[[int, int], None] | None = None,
               should_cancel: Callable[[], bool] | None = None,
               reviewer: str = "import",
               fetcher: Fetcher | None = None) -> WebImportReport:
    """Fetch and store what ``sources`` name; ``progress(done, total)`` after each address
    (the total grows as feeds are read)."""
    cancelled = should_cancel or (lambda: False)
    fetcher = fetcher or Fetcher(options, should_cancel=cancelled)
    report = WebImportReport()
    tasks: list[_Task] = []
    for source in sources:
        if source.problem:
            report.items.append(ItemResult(source.url, "failed", source.problem))
        else:
            tasks.append(_Task(source.url, source.feed_file))
    run = _Run(project, fetcher, report, reviewer)
    run.seen = run.known([t.url for t in tasks if t.feed_file is None])
    done = 0
    while done < len(tasks):
        if progress:
            progress(done, len(tasks))
        if cancelled():
            report.cancelled = True
            break
        try:
            found = run.one(tasks[done])
        except FetchCancelled:
            report.cancelled = True
            break
        done += 1
        tasks[done:done] = found
    if progress and not report.cancelled:
        progress(done, len(tasks))
    return report


class _Run:
    """The state of one import: the store, the fetcher, the report, the addresses met."""

    def __init__(self, project: _Store, fetcher: Fetcher, report: WebImportReport,
                 reviewer: str) -> None:
        self.project = project
        self.fetcher = fetcher
        self.report = report
        self.reviewer = reviewer
        self.seen: dict[str, str] = {}  # address -> why it is not fetched again

    def known(self, urls: list[str]) -> dict[str, str]:
        present = self.project.urls_present(urls) if urls else set()
        return {url: "already in the project (the same address)" for url in present}

    def one(self, task: _Task) -> list[_Task]:
        """Import one address; the entries to import next when it is a feed."""
        if task.url in self.seen:
            self._add(task.url, "skipped", self.seen[task.url])
            return []
        self.seen[task.url] = "already in this import (the same address)"
        try:
            if task.feed_file is not None:
                return self._feed(task.url, task.feed_file.read_bytes(), str(task.feed_file))
            page = self.fetcher.fetch(task.url, _accepting(task.may_be_feed))
            if task.may_be_feed and _is_feed(page):
                return self._feed(task.url, page.body, page.url)
            if not (page.is_html or _sniffs_as_html(page)):
                raise FetchFailed("not HTML (the server did not say what it is, and it is "
                                  "not markup)")
            article = page_article(page, title=task.title, published=task.published,
                                   source=task.source)
        except (FetchFailed, NotAnArticle, NotAFeed) as exc:
            self._add(task.url, "failed", str(exc))
            return []
        except OSError as exc:  # a feed file that went away
            self._add(task.url, "failed", f"cannot read ({exc.strerror or exc})")
            return []
        self._store(task.url, article)
        return []

    def _feed(self, url: str, data: bytes, shown: str) -> list[_Task]:
        feed = read_feed(data, url)
        fresh = [e for e in feed.entries if e.url not in self.seen]
        self.seen.update(self.known([e.url for e in fresh]))
        if feed.malformed:
            self._add(shown, "failed", f"malformed feed ({feed.malformed}); "
                      f"{counted(len(feed.entries), 'entry', 'entries')} read from it")
        if feed.without_link:
            self._add(shown, "failed", f"{counted(feed.without_link, 'entry', 'entries')} "
                      f"of the feed {'names' if feed.without_link == 1 else 'name'} no page")
        return [_Task(e.url, may_be_feed=False, title=e.title, published=e.published,
                      source=feed.title) for e in feed.entries]

    def _store(self, url: str, article) -> None:
        try:
            result = self.project.add_articles([article], reviewer=self.reviewer)
        except InvalidEdit as exc:
            self._add(url, "failed", f"not imported: {exc}")
            return
        if result.added:
            self._add(url, "imported", title=article.title)
        else:
            self._add(url, "skipped", "the same text is already in the project")

    def _add(self, url: str, outcome: str, reason: str = "", title: str = "") -> None:
        self.report.items.append(ItemResult(url, outcome, reason, title))


def _accepting(may_be_feed: bool) -> Callable[[str], str]:
    """What content types an address may answer with: HTML, or (an address the user gave)
    a feed; no type at all is judged from the bytes."""

    def accept(content_type: str) -> str:
        if not content_type or content_type in HTML_TYPES:
            return ""
        if may_be_feed and (content_type.endswith("xml") or "rss" in content_type):
            return ""
        return f"not HTML ({content_type})"

    return accept


def _is_feed(page: Fetched) -> bool:
    return looks_like_feed(page.body) or (page.is_feed_type and not page.is_html)


def _sniffs_as_html(page: Fetched) -> bool:
    return not page.content_type and page.body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
