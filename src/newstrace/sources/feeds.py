"""RSS and Atom feeds (feedparser): one document per entry.

An entry that carries its full text (``content:encoded``, Atom ``content``) becomes a page of that
text. An entry with only a summary is fetched from its link when the link is reachable; when it is
not, the summary is kept with what the feed gave, and the document is marked ``partial``.
"""

from __future__ import annotations

import calendar
import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import feedparser

from newstrace.config import Settings, settings
from newstrace.model import Document, NewstraceError
from newstrace.sources.fetch import Fetcher, is_url

_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(?:p|div|h[1-6]|li|blockquote)\s*>|<br\s*/?>", re.I)


_PROLOGUE = rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<\?[^>]*>\s*|<!doctype[^>]*>\s*)*"
_FEED_ROOT = re.compile(_PROLOGUE + rb"<(?:rss|feed|rdf:rdf)\b", re.I | re.S)


def looks_like_feed(head: bytes) -> bool:
    """Whether the first bytes of a file open an RSS, RDF or Atom document."""
    return bool(_FEED_ROOT.match(head[:4096]))


def iter_feed(
    content: bytes,
    name: str,
    *,
    fetcher: Fetcher | None = None,
    config: Settings | None = None,
) -> Iterator[Document | NewstraceError]:
    """Documents for each entry of the feed in ``content`` (``name`` says where it came from)."""
    config = config or settings()
    parsed = feedparser.parse(content)
    if parsed.bozo and not parsed.entries:
        yield NewstraceError(name, f"not a readable RSS or Atom feed: {parsed.get('bozo_exception')}")
        return
    feed_title = parsed.feed.get("title")
    for index, entry in enumerate(parsed.entries):
        try:
            yield _entry_document(entry, index, name, feed_title, fetcher, config)
        except NewstraceError as error:
            yield error


def _entry_document(
    entry: Any, index: int, feed_name: str, feed_title: str | None, fetcher: Fetcher | None, config: Settings
) -> Document:
    link = entry.get("link")
    label = link or f"{feed_name}#entry-{index + 1}"
    hints = _hints(entry, feed_title)
    fetched_at = datetime.now(UTC)
    contents = [c for c in entry.get("content", []) if c.get("value", "").strip()]
    if contents:
        body = max(contents, key=lambda c: len(c["value"]))["value"]
        return Document(
            content=_as_page(hints.get("title"), body),
            url=link,
            fetched_at=fetched_at,
            content_type="text/html",
            source_name=feed_name,
            hints=hints,
        )
    summary = entry.get("summary", "")
    reason = "no link to fetch"
    if link and is_url(link) and fetcher is not None and config.fetch_feed_links:
        try:
            page = fetcher.fetch(link)
        except NewstraceError as error:
            reason = f"link not reachable ({error.reason})"
        else:
            page.source_name = feed_name
            page.hints = hints
            return page
    elif link and not config.fetch_feed_links:
        reason = "fetching feed links is turned off"
    if not _plain(summary).strip():
        raise NewstraceError(label, f"feed entry has no text and its page could not be fetched: {reason}")
    hints["partial"] = f"feed summary only: {reason}"
    title = hints.get("title")
    text = _plain(summary)
    return Document(
        content=f"{title}\n\n{text}" if title else text,
        url=link,
        fetched_at=fetched_at,
        content_type="text/plain",
        source_name=feed_name,
        hints=hints,
    )


def _hints(entry: Any, feed_title: str | None) -> dict[str, Any]:
    hints: dict[str, Any] = {}
    if entry.get("title"):
        hints["title"] = _plain(entry["title"]).strip()
    moment = entry.get("published_parsed") or entry.get("updated_parsed")
    if moment:
        hints["published"] = datetime.fromtimestamp(calendar.timegm(moment), UTC).date().isoformat()
    authors = [a.get("name") for a in entry.get("authors", []) if a.get("name")]
    if authors:
        hints["bylines"] = authors
    if feed_title:
        hints["site_name"] = _plain(feed_title).strip()
    return hints


def _plain(fragment: str) -> str:
    """Text of an HTML fragment, one paragraph per block."""
    text = _BLOCK_END.sub("\n\n", fragment)
    text = html.unescape(_TAG.sub("", text))
    return "\n\n".join(p.strip() for p in re.split(r"\n\s*\n", text) if p.strip())


def _as_page(title: str | None, body: str) -> str:
    head = f"<title>{html.escape(title)}</title>" if title else ""
    return f"<!doctype html><html><head>{head}</head><body><article>{body}</article></body></html>"
