"""What a user gives the web import: web addresses, a feed file (``FEED.xml``), a list of
links (``links.txt``), read into one list of sources, each address checked before anything
is fetched.

One rule for the window and the CLI: a line or an argument that starts with a scheme
(``http://``…) is an address; otherwise it names a local file: ``.xml``, ``.rss`` and
``.atom`` are feeds; anything else is a list of links, one address a line (blank lines and
lines starting with ``#`` skipped). Reading a local file never touches the network: only
the addresses in it are fetched, and only by this import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from core.errors import AssayError
from core.store.files import refuse_project_file

FEED_SUFFIXES = (".xml", ".rss", ".atom")
MAX_URL_CHARS = 2000
MAX_LIST_BYTES = 5 * 1024 * 1024  # a list of links or a feed file read from disk
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_SAFE = "!#$%&'()*+,/:;=?@[]~-._"


@dataclass(frozen=True)
class Source:
    """One thing to import: an address (a page or a feed: the answer tells), or a feed read
    from a local file. ``origin`` says where it came from ("links.txt line 3")."""

    url: str
    origin: str = ""
    feed_file: Path | None = None
    problem: str = ""  # set when the source cannot be read: reported, not fetched


def looks_like_address(text: str) -> bool:
    """Whether a line or an argument is meant as a web address (it has a scheme)."""
    return bool(_SCHEME.match(text.strip()))


def check_url(url: str) -> str:
    """Why ``url`` cannot be fetched ("bad URL: …"), or "" if it can."""
    if len(url) > MAX_URL_CHARS:
        return f"bad URL (longer than {MAX_URL_CHARS} characters)"
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return "bad URL (it contains spaces or control characters)"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError as exc:
        return f"bad URL ({exc})"
    if parts.scheme.lower() not in ("http", "https"):
        return f"bad URL (only http and https addresses are fetched, not {parts.scheme or '?'}:)"
    if not parts.hostname:
        return "bad URL (no host name)"
    return ""


def request_url(url: str) -> str:
    """``url`` as HTTP can send it: a non-ASCII host in IDNA, other non-ASCII percent-encoded."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        host.encode("ascii")
    except UnicodeEncodeError:
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            ascii_host = quote(host)
        netloc = parts.netloc.replace(host, ascii_host) if host in parts.netloc else ascii_host
        parts = parts._replace(netloc=netloc)
    return urlunsplit((parts.scheme, parts.netloc, quote(parts.path, safe=_SAFE),
                       quote(parts.query, safe=_SAFE), quote(parts.fragment, safe=_SAFE)))


def read_sources(items: list[str]) -> list[Source]:
    """The sources in what the user gave: each item an address or a local file's path."""
    found: list[Source] = []
    for item in items:
        item = item.strip()
        if not item or item.startswith("#"):
            continue
        if looks_like_address(item):
            found.append(Source(item, "", problem=check_url(item)))
        else:
            found.extend(_from_file(Path(item).expanduser()))
    return found


def sources_in_text(text: str) -> list[Source]:
    """The window's box: one address or file path a line."""
    return read_sources(text.splitlines())


def _from_file(path: Path) -> list[Source]:
    name = str(path)
    if not path.is_file():
        return [Source(name, "", problem="no such file" if not path.exists() else "not a file")]
    try:
        refuse_project_file(path, "import")  # opening it would drop the project's locks
        if path.stat().st_size > MAX_LIST_BYTES:
            return [Source(name, "", problem=f"too big for a feed or a list of links (over "
                                             f"{MAX_LIST_BYTES / 1e6:g} MB)")]
        if path.suffix.lower() in FEED_SUFFIXES:
            return [Source(path.as_uri(), name, feed_file=path)]
        data = path.read_bytes()
    except AssayError as exc:
        return [Source(name, "", problem=str(exc))]
    except OSError as exc:
        return [Source(name, "", problem=f"cannot read ({exc.strerror or exc})")]
    return links_in(data.decode("utf-8", "replace"), name)


def links_in(text: str, origin: str) -> list[Source]:
    """A list of links: one address a line; blank lines and ``#`` comments skipped."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        problem = check_url(line) if looks_like_address(line) else (
            "bad URL (not a web address: it has no http:// or https://)")
        found.append(Source(line, f"{origin} line {number}", problem=problem))
    if not found:
        return [Source(origin, "", problem="no addresses in the file")]
    return found


def is_link_list(path: Path) -> bool:
    """Whether ``assay-cli import`` should read a ``.txt`` file as a list of links rather
    than as an article: its first line that is not blank or a ``#`` comment is an address,
    and every such line is one word (an article that starts with its address has sentences
    below it). The window has a dialog of its own for lists of links."""
    if path.suffix.lower() != ".txt" or not path.is_file():
        return False
    try:
        refuse_project_file(path, "import")
        if path.stat().st_size > MAX_LIST_BYTES:
            return False
        text = path.read_bytes().decode("utf-8", "replace")
    except (AssayError, OSError):
        return False
    lines = [line for raw in text.splitlines()
             if (line := raw.strip().lstrip("\ufeff")) and not line.startswith("#")]
    return bool(lines) and looks_like_address(lines[0]) and all(
        len(line.split()) == 1 for line in lines)


def is_web_source(item: str) -> bool:
    """Whether an argument of ``assay-cli import`` is for the web import: an address, a
    feed file or a list of links (everything else is a file or folder of articles)."""
    if looks_like_address(item):
        return True
    path = Path(item)
    return (path.suffix.lower() in FEED_SUFFIXES and path.is_file()) or is_link_list(path)
