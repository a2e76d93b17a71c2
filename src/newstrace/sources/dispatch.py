"""One dispatch for every kind of source: ``iter_documents(source)``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from newstrace.config import Settings, settings
from newstrace.model import Document, NewstraceError
from newstrace.sources.feeds import iter_feed, looks_like_feed
from newstrace.sources.fetch import Fetcher, is_url
from newstrace.sources.jsonl import iter_jsonl
from newstrace.sources.opml import feed_locations, looks_like_opml
from newstrace.sources.pages import PAGE_SUFFIXES, read_file, read_page
from newstrace.sources.warc import iter_warc, looks_like_warc

SourceKind = Literal["page", "feed", "opml", "warc", "jsonl"]

_BY_SUFFIX: dict[str, SourceKind] = {
    ".warc": "warc",
    ".warc.gz": "warc",
    ".jsonl": "jsonl",
    ".jsonl.gz": "jsonl",
    ".ndjson": "jsonl",
    ".opml": "opml",
    ".rss": "feed",
    ".atom": "feed",
}
# Names that may be a feed or an OPML list; the first bytes decide.
_XML_SUFFIXES = (".xml",)
CORPUS_SUFFIXES = (*PAGE_SUFFIXES, *_BY_SUFFIX, *_XML_SUFFIXES)


def source_kind(name: str, head: bytes = b"") -> SourceKind:
    """What a source is, from its name and, where the name is not enough, its first bytes."""
    lower = name.lower()
    if lower.endswith(PAGE_SUFFIXES):
        return "page"
    for suffix, kind in _BY_SUFFIX.items():
        if lower.endswith(suffix):
            return kind
    if looks_like_warc(head):
        return "warc"
    if looks_like_opml(head):
        return "opml"
    if looks_like_feed(head):
        return "feed"
    return "page"


def iter_documents(
    source: str, *, fetcher: Fetcher | None = None, config: Settings | None = None
) -> Iterator[Document | NewstraceError]:
    """Every document in ``source``, streamed; failures are yielded, never raised, so one bad
    document never stops a batch. Folders are walked in name order, keeping the files whose names
    say they are pages, feeds, lists, archives or JSON Lines."""
    config = config or settings()
    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher(config)
    try:
        yield from _dispatch(source, fetcher, config, depth=0)
    finally:
        if own_fetcher:
            fetcher.close()


def _dispatch(source: str, fetcher: Fetcher, config: Settings, depth: int) -> Iterator[Document | NewstraceError]:
    if source == "-":
        yield _attempt(read_page, source)
        return
    if is_url(source):
        yield from _from_url(source, fetcher, config, depth)
        return
    path = Path(source)
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(CORPUS_SUFFIXES)):
            yield from _from_file(child, fetcher, config, depth)
        return
    yield from _from_file(path, fetcher, config, depth)


def _from_file(path: Path, fetcher: Fetcher, config: Settings, depth: int) -> Iterator[Document | NewstraceError]:
    kind = source_kind(path.name, _head(path))
    if kind == "warc":
        yield from iter_warc(path, config)
    elif kind == "jsonl":
        yield from iter_jsonl(path, fetcher=fetcher)
    elif kind in ("feed", "opml"):
        try:
            document = read_file(path)
        except NewstraceError as error:
            yield error
            return
        yield from _from_xml(kind, document, fetcher, config, depth)
    else:
        yield _attempt(read_file, path)


def _from_url(url: str, fetcher: Fetcher, config: Settings, depth: int) -> Iterator[Document | NewstraceError]:
    try:
        document = fetcher.fetch(url)
    except NewstraceError as error:
        yield error
        return
    raw = document.content if isinstance(document.content, bytes) else document.content.encode()
    kind = source_kind("", raw[:4096]) if "html" not in (document.content_type or "").lower() else "page"
    if kind in ("feed", "opml"):
        yield from _from_xml(kind, document, fetcher, config, depth)
    elif kind == "page":
        yield document
    else:
        yield NewstraceError(url, f"{kind} sources are read from local files only")


def _from_xml(
    kind: SourceKind, document: Document, fetcher: Fetcher, config: Settings, depth: int
) -> Iterator[Document | NewstraceError]:
    raw = document.content if isinstance(document.content, bytes) else document.content.encode()
    if kind == "feed":
        yield from iter_feed(raw, document.name, fetcher=fetcher, config=config)
        return
    # An OPML list names feeds; a list that names lists is followed one level only.
    if depth > 0:
        yield NewstraceError(document.name, "an OPML list inside an OPML list is not followed")
        return
    try:
        for location in feed_locations(raw, document.name):
            yield from _dispatch(location, fetcher, config, depth + 1)
    except NewstraceError as error:
        yield error


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as stream:
            return stream.read(4096)
    except OSError:
        return b""


def _attempt(read, argument) -> Document | NewstraceError:
    try:
        return read(argument)
    except NewstraceError as error:
        return error
