"""A small web site on 127.0.0.1 for the web import's tests, and a guard that no test reaches
any other address.

``Site`` serves articles, RSS and Atom feeds, and every way a fetch goes wrong (slow,
huge, a redirect loop, 404, an image, a malformed feed, hostile HTML, legacy encodings)
from ``http.server`` in a thread. ``guard_network`` installs an audit hook (once per
process; ``sitecustomize_dir`` writes the same hook for a child process) that refuses a
connection or a name lookup for anything but 127.0.0.1 and records the attempt.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

LOOPBACK = "127.0.0.1"
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY",
                   "ALL_PROXY", "no_proxy", "NO_PROXY")

BLOCKED: list[str] = []  # addresses a test tried to reach beyond 127.0.0.1
_GUARD = {"on": False}


def _hook(event: str, args: tuple) -> None:
    if not _GUARD["on"]:
        return
    if event == "socket.connect":
        address = args[1]
        if isinstance(address, tuple) and address and address[0] != LOOPBACK:
            BLOCKED.append(str(address[0]))
            raise ConnectionRefusedError(f"test guard: no connection to {address[0]}")
    elif event == "socket.getaddrinfo":
        host = args[0]
        if isinstance(host, bytes):
            host = host.decode("ascii", "replace")
        if host not in (None, LOOPBACK):
            BLOCKED.append(str(host))
            raise OSError(f"test guard: no name lookup for {host}")


_installed = {"done": False}


def guard_network() -> None:
    """From now on in this process, only 127.0.0.1 can be reached (until ``unguard``)."""
    if not _installed["done"]:
        sys.addaudithook(_hook)
        _installed["done"] = True
    _GUARD["on"] = True
    BLOCKED.clear()


def unguard() -> None:
    _GUARD["on"] = False


SITECUSTOMIZE = '''
import sys
def _hook(event, args):
    if event == "socket.connect":
        address = args[1]
        if isinstance(address, tuple) and address and address[0] != "127.0.0.1":
            sys.stderr.write(f"test guard: blocked {address[0]}\\n")
            raise ConnectionRefusedError("test guard")
    elif event == "socket.getaddrinfo":
        host = args[0]
        if isinstance(host, bytes):
            host = host.decode("ascii", "replace")
        if host not in (None, "127.0.0.1"):
            sys.stderr.write(f"test guard: blocked {host}\\n")
            raise OSError("test guard")
sys.addaudithook(_hook)
'''


def guarded_env(folder: Path) -> dict[str, str]:
    """The environment of a child process that can reach 127.0.0.1 only, with no proxy."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARIABLES}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(folder), env.get("PYTHONPATH")) if p)
    return env


def article_html(title: str, paragraphs: list[str], head: str = "", charset: str = "utf-8",
                 before: str = "") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><meta charset='{charset}'><title>{title} | Site"
            f"</title>{head}</head><body><nav><a href='/'>Home</a> <a href='/x'>World</a>"
            f"</nav>{before}<article><h1>{title}</h1>\n{body}\n</article>"
            "<footer>Copyright The Site</footer></body></html>")


PARAGRAPH = ("The ministry said the new refinery would process {0} concentrate from three "
             "mines in the region, and that exports of the metal would need a licence from "
             "the first of next year, according to officials who briefed reporters.")


def paragraphs(mineral: str, n: int = 3) -> list[str]:
    return [f"{PARAGRAPH.format(mineral)} Paragraph {i} on {mineral}." for i in range(1, n + 1)]


Route = Callable[[BaseHTTPRequestHandler], None]


class Site:
    """Routes on 127.0.0.1: ``add(path, body, type)``, or ``route(path, handler)``."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[str] = []
        self.user_agents: list[str] = []
        self.release = threading.Event()  # set to let blocked pages answer
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                site.hits.append(self.path)
                site.user_agents.append(self.headers.get("User-Agent", ""))
                route = site.routes.get(self.path)
                if route is None:
                    self.send_error(404, "Not Found")
                    return
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    route(self)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer((LOOPBACK, 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://{LOOPBACK}:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, handler: Route) -> str:
        self.routes[path] = handler
        return self.url(path)

    def add(self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8",
            status: int = 200, headers: dict[str, str] | None = None) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body

        def handler(h: BaseHTTPRequestHandler) -> None:
            h.send_response(status)
            if content_type:
                h.send_header("Content-Type", content_type)
            h.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                h.send_header(key, value)
            h.end_headers()
            h.wfile.write(data)

        return self.route(path, handler)

    def redirect(self, path: str, to: str) -> str:
        def handler(h: BaseHTTPRequestHandler) -> None:
            h.send_response(302)
            h.send_header("Location", to)
            h.send_header("Content-Length", "0")
            h.end_headers()

        return self.route(path, handler)

    def slow(self, path: str, seconds: float = 5.0) -> str:
        """Answers nothing for ``seconds`` (or until ``release``), then a page."""
        def handler(h: BaseHTTPRequestHandler) -> None:
            self.release.wait(seconds)
            data = article_html("Late", paragraphs("nickel")).encode()
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            h.wfile.write(data)

        return self.route(path, handler)

    def huge(self, path: str, megabytes: int) -> str:
        """An HTML page of ``megabytes`` sent in chunks, without a Content-Length."""
        def handler(h: BaseHTTPRequestHandler) -> None:
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Connection", "close")
            h.end_headers()
            h.wfile.write(b"<html><body><article>")
            chunk = b"<p>" + b"cobalt " * 9000 + b"</p>\n"
            sent = 0
            while sent < megabytes * 1024 * 1024:
                h.wfile.write(chunk)
                sent += len(chunk)
            h.close_connection = True

        return self.route(path, handler)

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)
        time.sleep(0)


def rss(items: list[tuple[str, str, str]], title: str = "Minerals Wire") -> str:
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link>"
        + (f"<pubDate>{date}</pubDate>" if date else "") + "</item>"
        for t, link, date in items)
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            f"<title>{title}</title><link>http://127.0.0.1/</link>{entries}</channel></rss>")


def serving(monkeypatch) -> Iterator[Site]:
    """The body of a ``site`` fixture: the test web site, and while it runs nothing but
    127.0.0.1 can be reached (a test that tried fails here, naming the address)."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    guard_network()
    served = Site()
    yield served
    served.close()
    unguard()
    assert BLOCKED == [], f"a test tried to reach {BLOCKED}"
