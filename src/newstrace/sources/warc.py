"""WARC archives (warcio): the HTML responses they hold, one document each."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newstrace.config import Settings, settings
from newstrace.model import Document, NewstraceError
from newstrace.sources.moments import iso_moment

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def looks_like_warc(head: bytes) -> bool:
    return head.startswith(b"WARC/") or (head[:2] == b"\x1f\x8b" and b"WARC/" in _gunzip_head(head))


def _gunzip_head(head: bytes) -> bytes:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
    except zlib.error:
        return b""


def iter_warc(path: Path, config: Settings | None = None) -> Iterator[Document | NewstraceError]:
    """Documents for the HTML response records of the archive at ``path``, streamed."""
    config = config or settings()
    name = str(path)
    try:
        stream = path.open("rb")
    except OSError as exc:
        yield NewstraceError(name, f"cannot read: {exc.strerror}")
        return
    with stream:
        try:
            for record in ArchiveIterator(stream):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                target = record.rec_headers.get_header("WARC-Target-URI") or f"{name}#offset"
                status = record.http_headers.get_statuscode()
                content_type = record.http_headers.get_header("Content-Type") or ""
                if status != "200" or not content_type.lower().startswith(_HTML_TYPES):
                    continue
                body = record.content_stream().read(config.fetch_max_bytes + 1)
                if len(body) > config.fetch_max_bytes:
                    yield NewstraceError(target, f"record is over the {config.fetch_max_bytes}-byte cap")
                    continue
                yield Document(
                    content=body,
                    url=target,
                    fetched_at=iso_moment(record.rec_headers.get_header("WARC-Date")),
                    content_type=content_type,
                    source_name=path.name,
                )
        except ArchiveLoadFailed as exc:
            yield NewstraceError(name, f"broken WARC archive: {exc}")
        except (ValueError, AttributeError, EOFError, OSError) as exc:  # warcio on malformed records
            yield NewstraceError(name, f"broken WARC archive: {type(exc).__name__}: {exc}")
