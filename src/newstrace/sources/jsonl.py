"""JSON Lines: one document per line, ``{"url", "html"}`` or ``{"url", "text"}``.

Optional fields: ``title``, ``published``, ``site_name``, ``bylines`` (or ``author``),
``fetched_at``. A record with a ``url`` and neither ``html`` nor ``text`` is fetched.
A bad line is reported with its number and never stops the file.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newstrace.model import Document, NewstraceError
from newstrace.sources.fetch import Fetcher, is_url
from newstrace.sources.moments import iso_moment


def iter_jsonl(path: Path, *, fetcher: Fetcher | None = None) -> Iterator[Document | NewstraceError]:
    """Documents for each line of the file at ``path`` (gzip allowed), streamed."""
    name = str(path)
    try:
        stream = gzip.open(path, "rt", encoding="utf-8") if path.name.endswith(".gz") else path.open(encoding="utf-8")
    except OSError as exc:
        yield NewstraceError(name, f"cannot read: {exc.strerror}")
        return
    with stream:
        number = 0
        while True:
            label = f"{name}:{number + 1}"
            try:
                line = stream.readline()
            except (UnicodeDecodeError, OSError, EOFError) as exc:
                yield NewstraceError(label, f"cannot read the line: {exc}")
                return
            if not line:
                return
            number += 1
            if not line.strip():
                continue
            try:
                yield _record_document(json.loads(line), label, path.name, fetcher)
            except json.JSONDecodeError as exc:
                yield NewstraceError(label, f"not valid JSON: {exc.msg}")
            except NewstraceError as error:
                yield error


def _record_document(record: Any, label: str, source_name: str, fetcher: Fetcher | None) -> Document:
    if not isinstance(record, dict):
        raise NewstraceError(label, "a JSON Lines record must be an object")
    url = record.get("url") if isinstance(record.get("url"), str) else None
    hints: dict[str, Any] = {}
    if isinstance(record.get("title"), str):
        hints["title"] = record["title"].strip()
    if isinstance(record.get("published"), str):
        # Normalised by extract, like every other hint.
        hints["published"] = record["published"].strip()
    if isinstance(record.get("site_name"), str):
        hints["site_name"] = record["site_name"].strip()
    bylines = record.get("bylines", record.get("author"))
    if isinstance(bylines, str):
        bylines = [bylines]
    if isinstance(bylines, list) and all(isinstance(b, str) for b in bylines) and bylines:
        hints["bylines"] = bylines
    fetched_at = iso_moment(record.get("fetched_at")) or datetime.now(UTC)
    if isinstance(record.get("html"), str):
        content, content_type = record["html"], "text/html"
    elif isinstance(record.get("text"), str):
        title = hints.get("title")
        # A plain-text page is "headline, blank line, body": give the text extractor that shape.
        content = f"{title}\n\n{record['text']}" if title else record["text"]
        content_type = "text/plain"
    elif url and is_url(url) and fetcher is not None:
        page = fetcher.fetch(url)
        page.source_name, page.hints = source_name, hints
        return page
    else:
        raise NewstraceError(label, "a record needs an 'html' or 'text' field (or an http(s) 'url' to fetch)")
    return Document(
        content=content,
        url=url,
        path=None if url else label,
        fetched_at=fetched_at,
        content_type=content_type,
        source_name=source_name,
        hints=hints,
    )
