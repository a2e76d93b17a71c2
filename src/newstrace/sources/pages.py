"""Pages named on the command line: files, folders, ``-`` for standard input, and URLs."""

from __future__ import annotations

import gzip
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from newstrace.model import Document, NewstraceError
from newstrace.sources.fetch import fetch_url, is_url

PAGE_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz", ".txt", ".txt.gz")


def _is_page_file(path: Path) -> bool:
    return path.name.lower().endswith(PAGE_SUFFIXES)


def read_file(path: Path) -> Document:
    """Read one page file (gzip allowed) as bytes; decoding is extract's job."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise NewstraceError(name, "no such file") from exc
    except IsADirectoryError as exc:
        raise NewstraceError(name, "is a directory") from exc
    except OSError as exc:
        raise NewstraceError(name, f"cannot read: {exc.strerror}") from exc
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise NewstraceError(name, f"broken gzip data: {exc}") from exc
    lower = path.name.lower()
    content_type = "text/plain" if ".txt" in lower else "text/html" if ".htm" in lower else None
    return Document(
        content=raw,
        path=name,
        fetched_at=datetime.fromtimestamp(path.stat().st_mtime, UTC),
        content_type=content_type,
        source_name=path.name,
    )


def read_page(page: str) -> Document:
    """One page argument: a path, ``-`` (standard input) or an http(s) URL."""
    if page == "-":
        return Document(content=sys.stdin.buffer.read(), path="-", fetched_at=datetime.now(UTC), source_name="stdin")
    if is_url(page):
        return fetch_url(page)
    return read_file(Path(page))


def iter_pages(pages: Iterable[str]) -> Iterator[Document | NewstraceError]:
    """Documents for each argument, folders expanded to their page files (sorted).

    Failures are yielded, not raised, so that one bad page never stops a batch.
    """
    for page in pages:
        path = Path(page)
        if page != "-" and not is_url(page) and path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file() and _is_page_file(p)):
                yield _attempt(str(child))
        else:
            yield _attempt(page)


def _attempt(page: str) -> Document | NewstraceError:
    try:
        return read_page(page)
    except NewstraceError as error:
        return error
