"""Import from feeds and links (issue 29): pages and feeds served on 127.0.0.1 only, every
failure said per address while the rest goes on, duplicates skipped, hostile pages and
feeds kept harmless."""

from __future__ import annotations

import ast
import gzip
from pathlib import Path

import pytest

from core.nlp.store_rules import store_rules
from core.store import Project
from core.web.fetch import Fetcher, FetchOptions
from core.web.sources import is_web_source, read_sources
from core.web.web_import import import_web
from tests.web_site import BLOCKED, article_html, paragraphs, rss, serving

FAST = FetchOptions(timeout=0.5, total_time=5, max_bytes=300_000, host_delay=0,
                    max_redirects=3)
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def site(monkeypatch):
    yield from serving(monkeypatch)


@pytest.fixture
def empty(tmp_path):
    project = Project.create(tmp_path / "web.assay", name="web", rules=store_rules())
    yield project
    project.close()


def stored(project: Project) -> dict[str, object]:
    """The project's articles by address."""
    return {a.url: a for a in (project.article(i) for i in project.article_ids())}


def run(project, *items: str, options: FetchOptions = FAST, **kwargs):
    return import_web(project, read_sources(list(items)), options=options, **kwargs)


def test_an_rss_feed_brings_in_each_page_with_its_address_title_and_date(site, empty):
    a1 = site.add("/a1.html", article_html("Lithium deal signed", paragraphs("lithium")))
    a2 = site.add("/a2.html", article_html("Cobalt quota", paragraphs("cobalt"), head=(
        "<meta property='article:published_time' content='2023-02-01T08:00:00Z'>")))
    feed = site.add("/feed.rss", rss([("Lithium deal (wire)", a1, "Tue, 07 May 2024 08:00:00 GMT"),
                                      ("Cobalt quota", a2, "")]), "application/rss+xml")
    report = run(empty, feed)
    assert (report.imported, report.skipped, report.failed) == (2, 0, 0)
    articles = stored(empty)
    first, second = articles[a1], articles[a2]
    assert first.title == "Lithium deal (wire)"  # the feed's title
    assert first.published == "2024-05-07"  # the feed entry's date
    assert first.source == "Minerals Wire"
    assert second.published == "2023-02-01"  # no date in the feed: the page's metadata
    assert "process lithium concentrate" in first.text
    assert "Copyright The Site" not in first.text and "World" not in first.text
    assert report.lines()[0] == "Imported 2 articles, skipped 0 duplicates, 0 failed."
    assert f"imported: {a1}  (Lithium deal (wire))" in report.lines()
    assert all(agent.startswith("Assay/") for agent in site.user_agents)


def test_an_atom_feed_with_relative_links_and_entries_that_fail(site, empty):
    site.add("/n/nickel.html",
             article_html("Nickel plant", ["June 3, 2024", *paragraphs("nickel")]))
    site.add("/picture.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png")
    atom = ("<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
            "<title>Atom wire</title><id>urn:x</id><updated>2024-06-03T00:00:00Z</updated>"
            "<entry><title>Nickel plant</title><link href='/n/nickel.html'/><id>urn:1</id>"
            "</entry><entry><title>Gone</title><link href='/n/gone.html'/><id>urn:2</id>"
            "<updated>2024-01-01T00:00:00Z</updated></entry><entry><title>A picture</title>"
            "<link href='/picture.png'/><id>urn:3</id></entry></feed>")
    feed = site.add("/atom.xml", atom, "application/atom+xml")
    report = run(empty, feed)
    lines = report.lines()
    assert lines[0] == "Imported 1 article, skipped 0 duplicates, 2 failed."
    assert f"failed: {site.url('/n/gone.html')}: HTTP error 404 (Not Found)" in lines
    assert f"failed: {site.url('/picture.png')}: not HTML (image/png)" in lines
    article = stored(empty)[site.url("/n/nickel.html")]
    assert article.published == "2024-06-03"  # neither feed nor metadata: the dateline


def test_each_failure_is_said_for_its_address_and_the_rest_goes_on(site, empty, tmp_path):
    good = [site.add(f"/good{i}.html", article_html(f"Good {i}", paragraphs(f"tin{i}")))
            for i in (1, 2)]
    slow = site.slow("/slow.html")
    huge = site.huge("/huge.html", 2)
    site.redirect("/loop1", "/loop2")
    loop = site.redirect("/loop2", "/loop1")
    site.redirect("/once", "/good1.html")
    links = tmp_path / "links.txt"
    links.write_text("\n".join([
        "# my reading list", good[0], slow, huge, site.url("/loop1"), site.url("/missing"),
        site.add("/photo.png", b"\x89PNG\r\n\x1a\n" + bytes(100), "image/png"),
        "ftp://127.0.0.1/file.txt", "www.example.com/no-scheme", "http://:80/", "",
        site.url("/once"), good[1]]), encoding="utf-8")
    report = run(empty, str(links))
    reasons = {item.url: item.reason for item in report.items if item.outcome == "failed"}
    assert reasons[slow] == "timed out (no answer within 0.5 s)"
    assert reasons[huge] == "too big (over 0.3 MB)"
    assert reasons[site.url("/loop1")].startswith("redirect loop")
    assert loop not in reasons  # reached only through the loop
    assert reasons[site.url("/missing")] == "HTTP error 404 (Not Found)"
    assert reasons[site.url("/photo.png")] == "not HTML (image/png)"
    assert reasons["ftp://127.0.0.1/file.txt"].startswith("bad URL (only http and https")
    assert reasons["www.example.com/no-scheme"].startswith("bad URL (not a web address")
    assert reasons["http://:80/"] == "bad URL (no host name)"
    assert report.failed == 8
    assert {a.title for a in stored(empty).values()} == {"Good 1", "Good 2"}
    # The redirect led to a page already imported under its own address: the same text.
    assert [i.reason for i in report.items if i.url == site.url("/once")] == [
        "the same text is already in the project"]


def test_a_compressed_page_is_read_and_a_compressed_bomb_is_too_big(site, empty):
    page = gzip.compress(article_html("Gallium curbs", paragraphs("gallium")).encode())
    small = site.add("/gz.html", page, headers={"Content-Encoding": "gzip"})
    bomb = site.add("/bomb.html", gzip.compress(b"<p>" + b"a" * 5_000_000),
                    headers={"Content-Encoding": "gzip"})
    report = run(empty, small, bomb)
    assert [item.line() for item in report.items] == [
        f"imported: {small}  (Gallium curbs)", f"failed: {bomb}: too big (over 0.3 MB)"]


def test_a_malformed_feed_gives_what_it_could_and_says_so(site, empty):
    a1 = site.add("/a1.html", article_html("Graphite", paragraphs("graphite")))
    broken = rss([("Graphite", a1, "")]).replace("</channel></rss>", "<item><title>Cut off")
    feed = site.add("/broken.rss", broken, "application/rss+xml")
    report = run(empty, feed)
    assert report.imported == 1
    failed = [i for i in report.items if i.outcome == "failed"]
    assert {i.url for i in failed} == {feed}
    assert failed[0].reason.startswith("malformed feed (")
    assert failed[0].reason.endswith("; 1 entry read from it")
    assert [i.reason for i in failed[1:]] == ["1 entry of the feed names no page"]


def test_a_feed_with_nothing_to_read_is_refused_in_a_sentence(site, empty):
    garbage = site.add("/garbage.xml", "<?xml version='1.0'?><rss><<<&&& \x01",
                       "application/rss+xml")
    note = site.add("/note.xml", "<?xml version='1.0'?><note>hello</note>", "application/xml")
    report = run(empty, garbage, note)
    reasons = {item.url: item.reason for item in report.items}
    assert reasons[garbage].startswith("malformed feed, nothing could be read from it (")
    assert reasons[note] == "not a feed (no RSS or Atom in it)"
    assert empty.count_articles() == 0


def test_a_hostile_page_gives_no_script_and_a_clean_title(site, empty):
    page = article_html(
        "Tungsten\x1b[31m ban\u202e\x07 lifted", paragraphs("tungsten"),
        head="<style>p{color:red} STYLE_TOKEN</style><script>var SCRIPT_TOKEN=1</script>",
        before="<script>document.write('WRITE_TOKEN')</script><noscript>NOSCRIPT</noscript>"
               "<iframe src='http://10.1.2.3/'></iframe><img src='http://10.1.2.3/x.png'>")
    url = site.add("/hostile.html", page)
    feed = site.add("/hostile.rss", rss([("Bad \x1b]0;title\x07 entry", url, "")],
                                        title="Wire\u202e\x1b[2J"), "application/rss+xml")
    marked = site.add("/marked.html", article_html("Plain", paragraphs("antimony")))
    atom = site.add("/marked.atom", (
        "<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>A</title>"
        "<entry><title type='html'>&lt;script&gt;x()&lt;/script&gt;&lt;b&gt;Antimony"
        f"&lt;/b&gt; &amp;amp; tin</title><link href='{marked}'/><id>urn:m</id></entry>"
        "</feed>"), "application/atom+xml")
    report = run(empty, url, feed, atom)
    article = stored(empty)[url]
    assert stored(empty)[marked].title == "x() Antimony & tin"  # tags gone, shown as text
    assert report.imported == 2
    for token in ("STYLE_TOKEN", "SCRIPT_TOKEN", "WRITE_TOKEN", "color:red"):
        assert token not in article.text
    assert article.title == "Tungsten[31m ban lifted"  # no escape, bell or bidi override
    assert all(ch.isprintable() for ch in article.title + article.source)


LATIN = "Señor Müller's café in Québec signed the zinc accord; the Größe of the deal is not known."
CYRILLIC = ["Министерство заявило, что новый завод будет перерабатывать литиевый концентрат.",
            "Экспорт металла потребует лицензии с первого января следующего года.",
            "Об этом сообщили чиновники, проводившие брифинг для журналистов."]


def test_encodings_declared_by_the_server_or_the_page(site, empty):
    latin = article_html("Zinc in Québec", [LATIN, LATIN.replace("zinc", "lead")],
                         charset="").replace("<meta charset=''>", "").encode("latin-1")
    by_header = site.add("/latin.html", latin, "text/html; charset=iso-8859-1")
    cyrillic = article_html("Литий в регионе", CYRILLIC, charset="windows-1251").encode("cp1251")
    by_meta = site.add("/cp1251.html", cyrillic, "text/html")
    report = run(empty, by_header, by_meta)
    assert report.imported == 2
    articles = stored(empty)
    assert articles[by_header].title == "Zinc in Québec" and LATIN in articles[by_header].text
    assert articles[by_meta].title == "Литий в регионе"
    assert all(line in articles[by_meta].text for line in CYRILLIC)


def test_duplicates_are_skipped_by_address_and_by_text(site, empty):
    a1 = site.add("/a1.html", article_html("Rare earths", paragraphs("rare earth")))
    same = site.add("/mirror/a1.html", article_html("Rare earths", paragraphs("rare earth")))
    assert run(empty, a1).imported == 1
    report = run(empty, a1, same, a1)
    assert report.lines()[0] == "Imported 0 articles, skipped 3 duplicates, 0 failed."
    reasons = [item.reason for item in report.items]
    assert reasons == ["already in the project (the same address)",
                       "the same text is already in the project",
                       "already in the project (the same address)"]
    assert site.hits.count("/a1.html") == 1  # not fetched again
    assert empty.count_articles() == 1


def test_a_local_feed_file_and_a_list_of_links(site, empty, tmp_path):
    a1 = site.add("/a1.html", article_html("Manganese", paragraphs("manganese")))
    a2 = site.add("/a2.html", article_html("Vanadium", paragraphs("vanadium")))
    feed = tmp_path / "FEED.xml"
    feed.write_text(rss([("Manganese", a1, "Mon, 01 Jan 2024 00:00:00 GMT")]), encoding="utf-8")
    links = tmp_path / "links.txt"
    links.write_text(f"\ufeff{a2}\r\n\r\n", encoding="utf-8")
    report = run(empty, str(feed), str(links), str(tmp_path / "absent.txt"))
    assert report.imported == 2
    assert [i.reason for i in report.items if i.outcome == "failed"] == ["no such file"]
    assert stored(empty)[a1].published == "2024-01-01"


def test_the_cli_reads_a_txt_as_links_only_when_it_is_a_list_of_links(tmp_path):
    links = tmp_path / "links.txt"
    links.write_text("# to read\nhttps://example.org/a\nexample.org/b\n", encoding="utf-8")
    article = tmp_path / "story.txt"  # starts with its address, then prose: an article
    article.write_text("https://example.org/story\n\nLithium prices fell.", encoding="utf-8")
    assert is_web_source(str(links)) and not is_web_source(str(article))
    assert is_web_source("https://example.org/feed") and not is_web_source(str(tmp_path))


def test_cancel_keeps_what_was_imported(site, empty):
    urls = [site.add(f"/c{i}.html", article_html(f"Copper {i}", paragraphs(f"copper {i}")))
            for i in range(4)]
    report = run(empty, *urls, should_cancel=lambda: empty.count_articles() >= 2)
    assert report.cancelled
    assert report.lines()[0].startswith("Cancelled; what was imported before is kept. "
                                        "Imported 2 articles")
    assert empty.count_articles() == 2
    assert "/c2.html" not in site.hits


def test_a_polite_pause_between_two_requests_to_one_site(site):
    a1 = site.add("/a1.html", article_html("A", paragraphs("a")))
    a2 = site.add("/a2.html", article_html("B", paragraphs("b")))
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    fetcher = Fetcher(FetchOptions(timeout=2, host_delay=3.0), clock=lambda: now[0],
                      sleep=sleep)
    fetcher.fetch(a1, lambda _type: "")
    assert slept == []
    fetcher.fetch(a2, lambda _type: "")
    assert sum(slept) >= 3.0 - 1e-9  # waited out the delay before asking the host again


def test_a_feed_cannot_make_assay_reach_elsewhere_or_read_a_local_file(site, empty):
    site.route("/to-file", lambda h: (h.send_response(302),
                                      h.send_header("Location", "file:///etc/passwd"),
                                      h.send_header("Content-Length", "0"), h.end_headers()))
    hostile = ("<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY ext SYSTEM 'http://10.9.8.7/x'>"
               "<!ENTITY file SYSTEM 'file:///etc/passwd'>]><rss version='2.0'><channel>"
               "<title>&ext;&file;</title><item><title>&file;</title>"
               f"<link>{site.url('/to-file')}</link></item><item><title>local</title>"
               "<link>file:///etc/passwd</link></item></channel></rss>")
    feed = site.add("/hostile.rss", hostile, "application/rss+xml")
    report = run(empty, feed)
    reasons = {item.url: item.reason for item in report.items}
    assert reasons[site.url("/to-file")] == (
        "redirected to an address that is not a web page (file:)")
    local = [reason for url, reason in reasons.items() if url.startswith("file:")]
    assert len(local) == 1 and local[0].startswith("bad URL (only http and https")
    assert empty.count_articles() == 0
    assert BLOCKED == []  # the external entity was not fetched


NETWORK_MODULES = {"socket", "ssl", "http.client", "urllib.request", "urllib3", "requests",
                   "httpx", "aiohttp", "feedparser", "trafilatura.downloads",
                   "PySide6.QtNetwork", "ftplib", "smtplib"}
ALLOWED_NETWORK = {
    "core/web/fetch.py": {"socket", "ssl", "http.client", "urllib.request"},
    "core/web/feeds.py": {"feedparser"},  # given bytes, never an address
    "core/jobs/leftovers.py": {"socket"},  # socket.gethostname() names a work file
    # QLocalServer/QLocalSocket: a socket file (a named pipe on Windows) between two Assay
    # processes of one user, which never leaves the machine.
    "gui/window/single_instance.py": {"PySide6.QtNetwork"},
}


def test_nothing_but_the_web_import_can_reach_the_network():
    """Network access only when the user asks: only core/web/fetch.py imports a network
    module, and nothing calls trafilatura's own fetching."""
    found = {}
    for package in ("core", "gui"):
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            names = set()
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names |= {alias.name for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
                elif isinstance(node, ast.Attribute) and node.attr in ("fetch_url", "urlopen"):
                    names.add(node.attr)
            hits = {n for n in names if n in NETWORK_MODULES | {"fetch_url", "urlopen"}
                    or n.split(".")[0] in {"urllib3", "requests", "httpx", "aiohttp"}}
            if hits:
                found[str(path.relative_to(ROOT))] = hits
    assert found == ALLOWED_NETWORK
