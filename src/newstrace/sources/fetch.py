"""Fetching one page over http(s) with httpx: timeouts, a size cap, clear errors."""

from __future__ import annotations

import ipaddress
import socket
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

from newstrace.config import Settings, settings
from newstrace.model import Document, NewstraceError


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


def fetch_url(url: str, *, config: Settings | None = None, client: httpx.Client | None = None) -> Document:
    """GET ``url`` and return it as a Document; raise NewstraceError naming the URL on any failure."""
    config = config or settings()
    if not is_url(url):
        raise NewstraceError(url, "only http and https URLs can be fetched")
    _refuse_private(url, config)
    owns_client = client is None
    client = client or httpx.Client(
        follow_redirects=True,
        timeout=config.fetch_timeout_s,
        headers={"User-Agent": config.user_agent},
    )
    try:
        with client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise NewstraceError(url, f"HTTP {response.status_code}")
            declared = int(response.headers.get("content-length") or 0)
            if declared > config.fetch_max_bytes:
                raise NewstraceError(url, f"page is {declared} bytes, over the {config.fetch_max_bytes}-byte cap")
            body = bytearray()
            for chunk in response.iter_bytes():
                body.extend(chunk)
                if len(body) > config.fetch_max_bytes:
                    raise NewstraceError(url, f"page is over the {config.fetch_max_bytes}-byte cap")
            return Document(
                content=bytes(body),
                url=str(response.url),
                fetched_at=datetime.now(UTC),
                content_type=response.headers.get("content-type"),
                source_name=urlsplit(str(response.url)).hostname,
            )
    except httpx.TimeoutException as exc:
        raise NewstraceError(url, f"timed out after {config.fetch_timeout_s:g} s") from exc
    except httpx.ConnectError as exc:
        raise NewstraceError(url, f"cannot connect (offline or host down): {exc}") from exc
    except httpx.HTTPError as exc:
        raise NewstraceError(url, f"fetch failed: {exc}") from exc
    finally:
        if owns_client:
            client.close()
