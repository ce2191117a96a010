"""Fetching one web address politely, with every limit a user would expect: the only module of
Assay that opens a network connection.

The standard library's ``urllib`` does the HTTP: Assay fetches a few hundred pages at a
time, one after another, which needs no connection pool and no new dependency. What it
adds is the limits and their sentences:

* a timeout to connect and between two reads, and one for the whole download (a server
  that trickles a byte a second never times out a read);
* a size cap: the download stops past ``max_bytes`` ("too big");
* a polite delay between two requests to one host;
* at most ``max_redirects`` redirects ("redirect loop"), and only to http(s): a page
  cannot redirect the fetch to a ``file:`` or ``ftp:`` address;
* the content type checked from the headers before the body is read ("not HTML");
* a User-Agent that says who is asking.

Only ``http`` and ``https`` are opened (the opener has no file, ftp or data handler). The
system's proxy settings (``http_proxy``, ``https_proxy``, ``no_proxy``) are honoured, as
a browser on the same machine would.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin, urlsplit

from core import __version__
from core.web.sources import check_url, request_url

USER_AGENT = (f"Assay/{__version__} (article import for review; fetches only the pages "
              "its user asked for)")
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml",
                        "application/xml", "text/xml", "application/x-rss+xml"})
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchOptions:
    """The limits of one import's fetching; tests shorten them, the defaults suit news sites."""

    timeout: float = 20.0  # seconds to connect, and to wait for each read
    total_time: float = 120.0  # seconds for one whole download
    max_bytes: int = 10 * 1024 * 1024  # a news page is well under 1 MB; a feed under 5 MB
    host_delay: float = 1.0  # seconds between two requests to one host
    max_redirects: int = 5
    user_agent: str = USER_AGENT


class FetchFailed(Exception):
    """One address could not be fetched; the message is the sentence the summary shows."""


class FetchCancelled(Exception):
    """The user cancelled while a download was under way; nothing of it is kept."""


@dataclass(frozen=True)
class Fetched:
    """A downloaded resource: where it ended up, what the server said it is, its bytes."""

    url: str  # the address asked for
    final_url: str  # after redirects
    content_type: str  # "text/html", lower case, without parameters; "" if not said
    charset: str | None  # the header's charset parameter
    body: bytes

    @property
    def is_html(self) -> bool:
        return self.content_type in HTML_TYPES

    @property
    def is_feed_type(self) -> bool:
        return self.content_type in FEED_TYPES or self.content_type.endswith("+xml")


class _Redirects(urllib.request.HTTPRedirectHandler):
    """urllib's redirects, capped (:func:`_redirects`), to http(s) only."""

    max_repeats = 1  # the same address twice is a loop

    def http_error_302(self, req, fp, code, msg, headers):
        target = headers.get("location") or headers.get("uri")
        if target:
            scheme = urlsplit(urljoin(req.full_url, target)).scheme.lower()
            if scheme not in ("http", "https"):
                fp.close()
                raise FetchFailed("redirected to an address that is not a web page "
                                  f"({scheme}:)")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return super().redirect_request(req, fp, code, msg, headers, request_url(newurl))


def _redirects(limit: int) -> _Redirects:
    """A redirect handler that follows at most ``limit`` redirects (urllib reads the cap
    from the class)."""
    return type("_CappedRedirects", (_Redirects,), {"max_redirections": limit})()


class Fetcher:
    """Fetches addresses one at a time under :class:`FetchOptions`, remembering when it last
    asked each host. ``should_cancel`` is asked while waiting and between reads."""

    def __init__(self, options: FetchOptions | None = None, *,
                 should_cancel: Callable[[], bool] | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.options = options or FetchOptions()
        self._cancelled = should_cancel or (lambda: False)
        self._clock = clock
        self._sleep = sleep
        self._last: dict[str, float] = {}
        opener = urllib.request.OpenerDirector()
        for handler in (urllib.request.ProxyHandler(), urllib.request.HTTPHandler(),
                        urllib.request.HTTPSHandler(context=ssl.create_default_context()),
                        _redirects(self.options.max_redirects),
                        urllib.request.HTTPDefaultErrorHandler(),
                        urllib.request.HTTPErrorProcessor()):
            opener.add_handler(handler)
        self._opener = opener

    def fetch(self, url: str, accept: Callable[[str], str]) -> Fetched:
        """The resource at ``url``; raises :class:`FetchFailed` with the reason, or
        :class:`FetchCancelled`. ``accept(content_type)`` returns "" for a type the caller
        can read, else the sentence that refuses it ("not HTML (image/png)"), before the
        body is downloaded."""
        problem = check_url(url)
        if problem:
            raise FetchFailed(problem)
        host = (urlsplit(url).hostname or "").lower()
        self._wait_for(host)
        try:
            return self._download(url, accept)
        finally:
            self._last[host] = self._clock()

    def _wait_for(self, host: str) -> None:
        """Sleep until ``host_delay`` has passed since the last request to ``host``."""
        last = self._last.get(host)
        if last is None:
            return
        while (left := last + self.options.host_delay - self._clock()) > 0:
            if self._cancelled():
                raise FetchCancelled
            self._sleep(min(left, 0.1))

    def _download(self, url: str, accept: Callable[[str], str]) -> Fetched:
        options = self.options
        request = urllib.request.Request(request_url(url), headers={
            "User-Agent": options.user_agent,
            "Accept": "text/html,application/xhtml+xml,application/rss+xml,"
                      "application/atom+xml,application/xml;q=0.9,*/*;q=0.5",
            "Accept-Encoding": "identity"})
        try:
            with self._opener.open(request, timeout=options.timeout) as response:
                headers: Message = response.headers
                content_type = (headers.get_content_type()
                                if headers.get("Content-Type") else "").lower()
                refused = accept(content_type)
                if refused:
                    raise FetchFailed(refused)
                length = headers.get("Content-Length", "")
                if length.strip().isdigit() and int(length) > options.max_bytes:
                    raise FetchFailed(self._too_big())
                body = self._read(response)
                encoding = headers.get("Content-Encoding", "").strip().lower()
                if encoding in ("gzip", "x-gzip", "deflate"):
                    body = self._inflate(body, encoding)
                elif encoding not in ("", "identity"):
                    raise FetchFailed(f"sent in an encoding Assay cannot read ({encoding})")
                return Fetched(url, response.geturl(), content_type,
                               headers.get_content_charset(), body)
        except (FetchFailed, FetchCancelled):
            raise
        except urllib.error.HTTPError as exc:
            if 300 <= exc.code < 400:
                raise FetchFailed(f"redirect loop (more than {options.max_redirects} "
                                  "redirects, or back to an address already visited)") from None
            exc.close()
            raise FetchFailed(f"HTTP error {exc.code} ({exc.reason})") from None
        except urllib.error.URLError as exc:
            raise FetchFailed(_why(exc.reason, options.timeout)) from None
        except (http.client.HTTPException, OSError, ValueError) as exc:
            raise FetchFailed(_why(exc, options.timeout)) from None

    def _read(self, response) -> bytes:
        """The body, chunk by chunk: stops past the size cap, the total time or a cancel."""
        options = self.options
        started = self._clock()
        parts: list[bytes] = []
        size = 0
        while chunk := response.read(_CHUNK):
            size += len(chunk)
            if size > options.max_bytes:
                raise FetchFailed(self._too_big())
            if self._clock() - started > options.total_time:
                raise FetchFailed(f"timed out (the download took over "
                                  f"{options.total_time:g} s)")
            if self._cancelled():
                raise FetchCancelled
            parts.append(chunk)
        return b"".join(parts)

    def _inflate(self, body: bytes, encoding: str) -> bytes:
        """A compressed body (sent though Assay asked for none), inflated under the size
        cap: a small bomb cannot grow past it."""
        wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
        inflater = zlib.decompressobj(wbits)
        try:
            data = inflater.decompress(body, self.options.max_bytes + 1)
        except zlib.error:
            raise FetchFailed(f"cannot read the compressed page ({encoding})") from None
        if len(data) > self.options.max_bytes or inflater.unconsumed_tail:
            raise FetchFailed(self._too_big())
        return data

    def _too_big(self) -> str:
        return f"too big (over {self.options.max_bytes / 1e6:g} MB)"


def _why(reason: object, timeout: float) -> str:
    """A failed connection or read as the summary's sentence."""
    if isinstance(reason, TimeoutError | socket.timeout):
        return f"timed out (no answer within {timeout:g} s)"
    if isinstance(reason, socket.gaierror):
        return "host not found"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"the site's certificate is not valid ({reason.verify_message})"
    if isinstance(reason, ssl.SSLError):
        return "secure connection failed"
    if isinstance(reason, http.client.IncompleteRead):
        return "the server broke off the answer"
    if isinstance(reason, http.client.HTTPException | ConnectionError):
        return f"the server broke off the answer ({type(reason).__name__})"
    if isinstance(reason, ValueError):
        return f"bad URL ({reason})"
    text = getattr(reason, "strerror", None) or str(reason)
    return f"cannot fetch ({text})"
