"""A polite fetcher for http(s) pages: robots.txt, a per-host delay, timeouts, a size cap, a
User-Agent naming newstrace, and no private or loopback addresses unless a setting allows them.

``Fetcher`` keeps what politeness needs between requests (robots rules and the time of the last
request to each host); ``fetch_url`` fetches one page through a process-wide fetcher.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
import urllib.robotparser
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpx

from newstrace.config import Settings, settings
from newstrace.model import Document, NewstraceError

MAX_REDIRECTS = 5
_REDIRECT_CODES = {301, 302, 303, 307, 308}


def is_url(text: str) -> bool:
    return urlsplit(text).scheme in {"http", "https"}


def _refuse_private(url: str, config: Settings) -> None:
    """Refuse loopback and private addresses unless the settings allow them (SSRF guard)."""
    if config.fetch_allow_private:
        return
    host = urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror as exc:
        raise NewstraceError(url, f"cannot resolve host {host!r} (offline?): {exc.strerror}") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_private or address.is_loopback or address.is_link_local or address.is_reserved:
            raise NewstraceError(url, f"refusing private address {address} (set NEWSTRACE_FETCH_ALLOW_PRIVATE=1 to allow)")


def _host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


class Fetcher:
    """Fetches pages politely; one instance per batch so that its delays and robots rules hold across it."""

    def __init__(self, config: Settings | None = None, client: httpx.Client | None = None):
        self.config = config or settings()
        self._owns_client = client is None
        # Redirects are followed by hand so that every hop is checked (private address, robots, delay).
        self.client = client or httpx.Client(
            follow_redirects=False,
            timeout=self.config.fetch_timeout_s,
            headers={"User-Agent": self.config.user_agent},
        )
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self._last_request: dict[str, float] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        if self._owns_client:
            self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def fetch(self, url: str) -> Document:
        """GET ``url`` politely and return it as a Document; raise NewstraceError naming the URL on any failure."""
        if not is_url(url):
            raise NewstraceError(url, "only http and https URLs can be fetched")
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            if not is_url(current):
                raise NewstraceError(url, f"redirected to a non-http(s) URL {current!r}")
            _refuse_private(current, self.config)
            if not self._allowed(current):
                raise NewstraceError(url, f"robots.txt of {_host_key(current)} disallows {current}")
            status, headers, body, final = self._get(current, original=url)
            if status in _REDIRECT_CODES and headers.get("location"):
                current = urljoin(final, headers["location"])
                continue
            if status >= 400:
                raise NewstraceError(url, f"HTTP {status}")
            return Document(
                content=body,
                url=final,
                fetched_at=datetime.now(UTC),
                content_type=headers.get("content-type"),
                source_name=urlsplit(final).hostname,
            )
        raise NewstraceError(url, f"more than {MAX_REDIRECTS} redirects")

    def _wait_turn(self, url: str) -> None:
        """Sleep until this host's delay has passed since the last request to it."""
        host = _host_key(url)
        delay = max(self.config.fetch_host_delay_s, self._crawl_delay(host))
        with self._lock:
            last = self._last_request.get(host)
            now = time.monotonic()
            wait = 0.0 if last is None else last + delay - now
            self._last_request[host] = now + max(wait, 0.0)
        if wait > 0:
            time.sleep(wait)

    def _crawl_delay(self, host: str) -> float:
        rules = self._robots.get(host)
        delay = rules.crawl_delay(self.config.user_agent) if rules is not None else None
        return float(delay) if delay else 0.0

    def _get(self, url: str, *, original: str) -> tuple[int, httpx.Headers, bytes, str]:
        """One GET with the size cap; returns status, headers, body and the URL asked for."""
        cap = self.config.fetch_max_bytes
        self._wait_turn(url)
        # httpx's timeout bounds each read; a server that trickles bytes is stopped by this deadline.
        deadline = time.monotonic() + self.config.fetch_timeout_s
        try:
            with self.client.stream("GET", url) as response:
                if response.status_code in _REDIRECT_CODES or response.status_code >= 400:
                    return response.status_code, response.headers, b"", str(response.url)
                declared = int(response.headers.get("content-length") or 0)
                if declared > cap:
                    raise NewstraceError(original, f"page is {declared} bytes, over the {cap}-byte cap")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > cap:
                        raise NewstraceError(original, f"page is over the {cap}-byte cap")
                    if time.monotonic() > deadline:
                        raise httpx.ReadTimeout("deadline passed")
                return response.status_code, response.headers, bytes(body), str(response.url)
        except httpx.TimeoutException as exc:
            raise NewstraceError(original, f"timed out after {self.config.fetch_timeout_s:g} s") from exc
        except httpx.ConnectError as exc:
            raise NewstraceError(original, f"cannot connect (offline or host down): {exc}") from exc
        except httpx.HTTPError as exc:
            raise NewstraceError(original, f"fetch failed: {exc}") from exc

    def _allowed(self, url: str) -> bool:
        host = _host_key(url)
        if host not in self._robots:
            self._robots[host] = self._load_robots(host)
        return self._robots[host].can_fetch(self.config.user_agent, url)

    def _load_robots(self, host: str) -> urllib.robotparser.RobotFileParser:
        """The host's robots.txt rules, read as RFC 9309 says: missing (4xx) allows all,
        a server error disallows all; a host that cannot be reached is left to the page fetch to report."""
        rules = urllib.robotparser.RobotFileParser(f"{host}/robots.txt")
        try:
            status, _, body, _ = self._get(f"{host}/robots.txt", original=f"{host}/robots.txt")
        except NewstraceError:
            rules.allow_all = True
            return rules
        if status >= 500:
            rules.disallow_all = True
        elif status >= 400 or status in _REDIRECT_CODES:
            rules.allow_all = True
        else:
            rules.parse(body.decode("utf-8", "replace").splitlines())
        return rules


_shared: Fetcher | None = None


def shared_fetcher() -> Fetcher:
    """The process-wide fetcher, so that robots rules and per-host delays hold across calls."""
    global _shared
    if _shared is None:
        _shared = Fetcher()
    return _shared


def fetch_url(url: str, *, config: Settings | None = None, client: httpx.Client | None = None) -> Document:
    """GET ``url`` politely and return it as a Document; raise NewstraceError naming the URL on any failure."""
    if config is None and client is None:
        return shared_fetcher().fetch(url)
    with Fetcher(config, client) as fetcher:
        return fetcher.fetch(url)
