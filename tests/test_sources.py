"""Sources: the polite fetcher (on a loopback server), feeds, OPML, WARC, JSON Lines and the dispatch."""

from __future__ import annotations

import gzip
import io
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newstrace.config import load_settings
from newstrace.model import Document, NewstraceError
from newstrace.sources import Fetcher, iter_documents, source_kind

from conftest import SAMPLES

CORPUS = SAMPLES / "corpus"
PAGE = b"<html><head><title>Loopback page</title></head><body><article><p>" + b"A page served on loopback for the fetcher tests. " * 8 + b"</p></article></body></html>"


class _Handler(BaseHTTPRequestHandler):
    requests: list[tuple[str, float, str]] = []

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        _Handler.requests.append((self.path, time.monotonic(), self.headers.get("User-Agent", "")))
        routes = {
            "/robots.txt": (200, "text/plain", b"User-agent: *\nDisallow: /private\n"),
            "/page.html": (200, "text/html", PAGE),
            "/private/page.html": (200, "text/html", PAGE),
            "/big.html": (200, "text/html", b"<p>" + b"x" * 300_000 + b"</p>"),
            "/feed.xml": (200, "application/rss+xml", _feed(self.server.server_address[1])),
        }
        if self.path == "/slow.html":
            time.sleep(2)
            routes[self.path] = (200, "text/html", PAGE)
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/private/page.html")
            self.end_headers()
            return
        status, kind, body = routes.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client stopped reading (size cap, timeout)
            pass


def _feed(port: int) -> bytes:
    return f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Loopback Feed</title><link>http://127.0.0.1:{port}/</link>
<item><title>Reachable entry</title><link>http://127.0.0.1:{port}/page.html</link><description>Only a summary here.</description>
<pubDate>Tue, 11 Mar 2025 10:00:00 GMT</pubDate></item>
<item><title>Missing entry</title><link>http://127.0.0.1:{port}/gone.html</link><description>The page is gone, the summary stays.</description></item>
</channel></rss>""".encode()


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _config(**overrides):
    return load_settings(**{"fetch_allow_private": True, "fetch_host_delay_s": 0.0, "fetch_timeout_s": 5.0, **overrides})


def test_fetcher_names_itself_and_obeys_robots(server):
    with Fetcher(_config()) as fetcher:
        document = fetcher.fetch(f"{server}/page.html")
        assert document.content == PAGE and document.url == f"{server}/page.html"
        with pytest.raises(NewstraceError, match="robots.txt"):
            fetcher.fetch(f"{server}/private/page.html")
        # A redirect into a disallowed path is checked at every hop.
        with pytest.raises(NewstraceError, match="robots.txt"):
            fetcher.fetch(f"{server}/moved")
    agents = {agent for path, _, agent in _Handler.requests if path == "/page.html"}
    assert agents and all(agent.startswith("newstrace/") for agent in agents)
    assert not any(path.startswith("/private") for path, _, _ in _Handler.requests)


def test_fetcher_waits_between_requests_to_one_host(server):
    _Handler.requests.clear()
    with Fetcher(_config(fetch_host_delay_s=0.4)) as fetcher:
        for _ in range(3):
            fetcher.fetch(f"{server}/page.html")
    times = [t for path, t, _ in _Handler.requests if path in ("/page.html", "/robots.txt")]
    assert len(times) == 4  # robots.txt once, then the page three times
    assert all(later - earlier >= 0.38 for earlier, later in zip(times, times[1:]))


def test_fetcher_caps_size_and_time(server):
    with Fetcher(_config(fetch_max_bytes=100_000)) as fetcher:
        with pytest.raises(NewstraceError, match="cap"):
            fetcher.fetch(f"{server}/big.html")
    with Fetcher(_config(fetch_timeout_s=0.5)) as fetcher:
        started = time.monotonic()
        with pytest.raises(NewstraceError, match="timed out"):
            fetcher.fetch(f"{server}/slow.html")
        assert time.monotonic() - started < 1.9


def test_fetcher_refuses_private_addresses_and_other_schemes(server):
    with Fetcher(load_settings(fetch_allow_private=False)) as fetcher:
        with pytest.raises(NewstraceError, match="private address"):
            fetcher.fetch(f"{server}/page.html")
        with pytest.raises(NewstraceError, match="http and https"):
            fetcher.fetch("file:///etc/passwd")


def test_feed_over_http_fetches_summary_entries_when_reachable(server):
    documents = list(iter_documents(f"{server}/feed.xml", config=_config()))
    assert [type(d) for d in documents] == [Document, Document]
    fetched, kept = documents
    assert fetched.content == PAGE and "partial" not in fetched.hints
    assert fetched.hints["title"] == "Reachable entry" and fetched.hints["published"] == "2025-03-11"
    assert kept.hints["partial"].startswith("feed summary only: link not reachable (HTTP 404")
    assert "The page is gone, the summary stays." in kept.content


def test_feed_file_entries_with_full_text_need_no_fetch():
    documents = list(iter_documents(str(CORPUS / "feeds" / "lakeside-courier.xml"), config=load_settings(fetch_feed_links=False)))
    assert len(documents) == 3
    full = [d for d in documents if "partial" not in d.hints]
    assert len(full) == 2 and all(d.content_type == "text/html" for d in full)
    assert full[0].hints["site_name"] == "Lakeside Courier"
    summary_only = next(d for d in documents if "partial" in d.hints)
    assert summary_only.url == "https://lakesidecourier.example/local/library-weekend-hours"
    assert summary_only.content.startswith("Library extends weekend opening hours\n\n")


def test_opml_list_names_local_feeds_relative_to_itself():
    documents = list(iter_documents(str(CORPUS / "feeds" / "subscriptions.opml"), config=load_settings(fetch_feed_links=False)))
    assert [d.url for d in documents] == [
        "https://lakesidecourier.example/world/chile-14-workers-trapped",
        "https://lakesidecourier.example/world/kefalonia-wildfire-evacuation",
        "https://lakesidecourier.example/local/library-weekend-hours",
    ]


def _warc(path, records):
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for uri, status, content_type, body, kind in records:
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(uri, kind, payload=io.BytesIO(body), http_headers=headers)
            writer.write_record(record)


def test_warc_yields_html_responses_only(tmp_path):
    page = (CORPUS / "html" / "meridian-museum.html").read_bytes()
    archive = tmp_path / "crawl.warc.gz"
    _warc(
        archive,
        [
            ("https://dailymeridian.example/culture/2025/03/12/city-museum-reopens", "200 OK", "text/html; charset=utf-8", page, "response"),
            ("https://dailymeridian.example/logo.png", "200 OK", "image/png", b"\x89PNG....", "response"),
            ("https://dailymeridian.example/missing", "404 Not Found", "text/html", b"<p>gone</p>", "response"),
        ],
    )
    documents = list(iter_documents(str(archive)))
    assert len(documents) == 1
    assert documents[0].url == "https://dailymeridian.example/culture/2025/03/12/city-museum-reopens"
    assert documents[0].content == page and documents[0].fetched_at is not None


def test_broken_warc_is_an_error_not_a_crash(tmp_path):
    archive = tmp_path / "broken.warc"
    archive.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nshort")
    documents = list(iter_documents(str(archive)))
    assert all(isinstance(d, NewstraceError) for d in documents) and documents
    assert "broken.warc" in str(documents[0])


def test_json_lines_records_and_bad_lines(tmp_path):
    source = tmp_path / "batch.jsonl.gz"
    lines = [
        json.dumps({"url": "https://x.example/a", "title": "A title", "text": "Para one.\n\nPara two.", "published": "2025-01-02"}),
        "{not json",
        json.dumps({"url": "https://x.example/b", "html": "<html><body><p>Hello</p></body></html>", "site_name": "X"}),
        json.dumps(["a list"]),
        json.dumps({"title": "no body"}),
        "",
    ]
    source.write_bytes(gzip.compress("\n".join(lines).encode()))
    documents = list(iter_documents(str(source)))
    assert [type(d).__name__ for d in documents] == ["Document", "NewstraceError", "Document", "NewstraceError", "NewstraceError"]
    assert documents[0].content == "A title\n\nPara one.\n\nPara two." and documents[0].hints["published"] == "2025-01-02"
    assert documents[1].document.endswith("batch.jsonl.gz:2") and "not valid JSON" in documents[1].reason
    assert documents[2].content_type == "text/html" and documents[2].hints["site_name"] == "X"
    assert documents[4].document.endswith(":5") and "'html' or 'text'" in documents[4].reason


def test_dispatch_by_name_then_first_bytes(tmp_path):
    assert source_kind("a.warc.gz") == "warc"
    assert source_kind("a.jsonl") == "jsonl"
    assert source_kind("list.opml") == "opml"
    assert source_kind("feed.xml", b'<?xml version="1.0"?>\n<rss version="2.0">') == "feed"
    assert source_kind("feed.xml", b'<?xml version="1.0"?><!-- hi --><feed xmlns="http://www.w3.org/2005/Atom">') == "feed"
    assert source_kind("subs.xml", b"<?xml version='1.0'?><opml version='2.0'>") == "opml"
    assert source_kind("page.html", b"<rss>not really</rss>") == "page"
    assert source_kind("download", b"WARC/1.1\r\n") == "warc"


def test_folder_walk_reads_every_kind_of_source():
    documents = list(iter_documents(str(CORPUS), config=load_settings(fetch_feed_links=False)))
    assert not [d for d in documents if isinstance(d, NewstraceError)]
    names = [d.name for d in documents]
    # The feed is read twice (itself and through the OPML list); ingest stores it once.
    assert names.count("https://lakesidecourier.example/world/chile-14-workers-trapped") == 2
    assert sum(1 for n in names if n.endswith(".html")) == 19
    assert sum(1 for n in names if n.endswith(".txt")) == 3
    assert len(documents) == 32
