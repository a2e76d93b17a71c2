"""Ingest: sources → the per-document pipeline → store → link, streamed, resumable.

Documents are read one at a time and written in transactions of ``ingest_batch_size`` documents,
each document inside its own savepoint: one bad document is recorded with its error and rolled back
alone, and an interrupted run loses at most the open batch, which the next run redoes (documents
already stored are recognised by their bytes and skipped). Linking runs once at the end, over the
store, whenever something new was written (or an earlier link did not finish).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Connection, Engine

from newstrace import link
from newstrace.config import Settings, settings
from newstrace.link.copies import attach_copies
from newstrace.model import Analysis, Document, NewstraceError
from newstrace.pipeline import analyze as analyze_document
from newstrace.sources import Fetcher, iter_documents
from newstrace.store import linkdata, write

Analyzer = Callable[[Document], Analysis]
Outcome = Literal["new", "version", "unchanged", "skipped", "failed"]
LINK_PENDING = "link_pending"


@dataclass(slots=True)
class IngestEvent:
    """One document done: what it was and what happened to it."""

    document: str
    outcome: Outcome
    reason: str | None = None


@dataclass(slots=True)
class IngestSummary:
    documents: int = 0
    new: int = 0
    versions: int = 0
    unchanged: int = 0
    failed: int = 0
    seconds: float = 0.0
    link: link.LinkSummary | None = None


def ingest(
    sources: Iterable[str],
    engine: Engine,
    *,
    analyze: Analyzer = analyze_document,
    config: Settings | None = None,
    on_document: Callable[[IngestEvent], None] | None = None,
    run_link: bool = True,
) -> IngestSummary:
    """Read every document of ``sources`` into the store at ``engine`` and link the corpus."""
    config = config or settings()
    summary = IngestSummary()
    started = time.perf_counter()
    with Fetcher(config) as fetcher, engine.connect() as conn:
        batch = conn.begin()
        in_batch, changed = 0, False
        try:
            for source in sources:
                for item in iter_documents(source, fetcher=fetcher, config=config):
                    event = _one(conn, item, source, analyze, config)
                    _count(summary, event)
                    changed = changed or event.outcome in ("new", "version")
                    if on_document:
                        on_document(event)
                    in_batch += 1
                    if in_batch >= config.ingest_batch_size:
                        _commit(conn, batch, changed)
                        batch, in_batch, changed = conn.begin(), 0, False
            _commit(conn, batch, changed)
        except BaseException:
            batch.rollback()
            raise
    if run_link:
        summary.link = link_if_needed(engine, config)
    summary.seconds = time.perf_counter() - started
    return summary


def link_if_needed(engine: Engine, config: Settings | None = None, *, force: bool = False) -> link.LinkSummary | None:
    """Relink the corpus when something changed since the last complete link (or when forced)."""
    with engine.connect() as conn:
        pending = force or write.get_meta(conn, LINK_PENDING) == "1"
    if not pending:
        return None
    result = link.relink(engine, config)
    with engine.begin() as conn:
        write.set_meta(conn, LINK_PENDING, "0")
    return result


def _commit(conn: Connection, batch, changed: bool) -> None:
    if changed:
        # Committed with the articles: a run interrupted before linking links the next time.
        write.set_meta(conn, LINK_PENDING, "1")
    batch.commit()


def _one(conn: Connection, item: Document | NewstraceError, source: str, analyze: Analyzer, config: Settings) -> IngestEvent:
    if isinstance(item, NewstraceError):
        return _failed(conn, item.document, item.reason, source)
    name = item.name
    try:
        if write.document_seen(conn, item):
            return IngestEvent(name, "skipped")
        analysis = analyze(item)
    except NewstraceError as error:
        return _failed(conn, error.document, error.reason, source)
    except Exception as error:  # a bug in one stage must not stop the batch; it is recorded instead
        return _failed(conn, name, f"{type(error).__name__}: {error}", source)
    try:
        with conn.begin_nested():
            saved = write.save_analysis(conn, item, analysis, source=source)
            if saved.status == "new":
                attach_copies(conn, saved.article_id, analysis.origin.fingerprint, config, fresh=True)
            elif saved.status == "version":
                previous = linkdata.version_fingerprint(conn, saved.previous_version_id)
                attach_copies(conn, saved.article_id, analysis.origin.fingerprint, config, previous=previous)
    except Exception as error:  # the savepoint rolled this document back; the batch goes on
        return _failed(conn, name, f"cannot store: {type(error).__name__}: {error}", source)
    return IngestEvent(name, saved.status)


def _failed(conn: Connection, document: str, reason: str, source: str) -> IngestEvent:
    with conn.begin_nested():
        write.record_error(conn, document, reason, source=source)
    return IngestEvent(document, "failed", reason)


def _count(summary: IngestSummary, event: IngestEvent) -> None:
    summary.documents += 1
    if event.outcome == "new":
        summary.new += 1
    elif event.outcome == "version":
        summary.versions += 1
    elif event.outcome in ("unchanged", "skipped"):
        summary.unchanged += 1
    else:
        summary.failed += 1
