"""Ingest: sources → the per-document pipeline → store → link, streamed, resumable.

Documents are read one at a time and written in transactions of ``ingest_batch_size`` documents,
each document inside its own savepoint: one bad document is recorded with its error and rolled back
alone, and an interrupted run loses at most the open batch, which the next run redoes (documents
already stored are recognised by their bytes and skipped). Linking runs once at the end, over the
store, whenever something new was written (or an earlier link did not finish).

Documents are analysed a partition at a time (``pipeline.analyze_many``: spaCy parses a
partition's paragraphs in shared batches). With ``workers`` above one, partitions run on a local
Dask cluster of that many processes (spaCy loaded once in each), a few in flight at a time so that
memory stays bounded; writing stays in this process, in the order the documents came.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Literal

from sqlalchemy import Connection, Engine

from newstrace import link
from newstrace.config import Settings, settings
from newstrace.link.copies import attach_copies
from newstrace.model import Analysis, Document, NewstraceError
from newstrace.pipeline import analyze_many, run_safely
from newstrace.sources import Fetcher, iter_documents
from newstrace.store import linkdata, write

Analyzer = Callable[[Document], Analysis]
Outcome = Literal["new", "version", "unchanged", "skipped", "failed"]
LINK_PENDING = "link_pending"
PARTITION = 16  # documents analysed together (per Dask task)


@dataclass(slots=True)
class Failure:
    """A document the pipeline could not read (a plain value: it travels back from workers)."""

    document: str
    reason: str


def analyze_partition(documents: list[Document], analyze: Analyzer | None = None) -> list[Analysis | Failure]:
    """One partition's analyses (what a Dask worker runs): ``analyze`` document by document, or
    by default the whole pipeline over the partition at once (``pipeline.analyze_many``)."""
    results = analyze_many(documents) if analyze is None else (run_safely(d, analyze, d) for d in documents)
    return [Failure(r.document, r.reason) if isinstance(r, NewstraceError) else r for r in results]


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
    analyze: Analyzer | None = None,
    config: Settings | None = None,
    on_document: Callable[[IngestEvent], None] | None = None,
    run_link: bool = True,
    workers: int = 1,
) -> IngestSummary:
    """Read every document of ``sources`` into the store at ``engine`` and link the corpus."""
    config = config or settings()
    summary = IngestSummary()
    started = time.perf_counter()
    with Fetcher(config) as fetcher, engine.connect() as conn:
        batch = conn.begin()
        in_batch, changed = 0, False
        try:
            pending = _unseen(conn, sources, fetcher, config)
            for source, item, result in _analysed(pending, analyze, workers):
                event = _store(conn, source, item, result, config)
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


@dataclass(slots=True)
class Skipped:
    """A document whose exact bytes from the same place are already stored."""

    name: str


Pending = Document | NewstraceError | Skipped


def _unseen(conn: Connection, sources: Iterable[str], fetcher: Fetcher, config: Settings) -> Iterator[tuple[str, Pending]]:
    """Every document of the sources; the ones stored before (same bytes, same place) as Skipped."""
    for source in sources:
        for item in iter_documents(source, fetcher=fetcher, config=config):
            if isinstance(item, Document) and write.document_seen(conn, item):
                yield source, Skipped(item.name)
            else:
                yield source, item


def _analysed(
    pending: Iterator[tuple[str, Pending]], analyze: Analyzer | None, workers: int
) -> Iterator[tuple[str, Pending, Analysis | Failure | None]]:
    """The pending documents with their analyses, in order: here, or on a local Dask cluster."""
    if workers <= 1:
        while chunk := list(islice(pending, PARTITION)):
            documents = [item for _, item in chunk if isinstance(item, Document)]
            yield from _collect(chunk, analyze_partition(documents, analyze))
        return
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None, silence_logs=logging.ERROR
    )
    with cluster, Client(cluster) as client:
        in_flight: deque = deque()
        while chunk := list(islice(pending, PARTITION)):
            documents = [item for _, item in chunk if isinstance(item, Document)]
            in_flight.append((chunk, client.submit(analyze_partition, documents, analyze, pure=False)))
            # Two partitions per worker in flight: workers stay busy, memory stays bounded.
            if len(in_flight) > 2 * workers:
                chunk, future = in_flight.popleft()
                yield from _collect(chunk, future.result())
        while in_flight:
            chunk, future = in_flight.popleft()
            yield from _collect(chunk, future.result())


def _collect(chunk, analyses: list[Analysis | Failure]) -> Iterator[tuple[str, Pending, Analysis | Failure | None]]:
    results = iter(analyses)
    for source, item in chunk:
        yield source, item, next(results) if isinstance(item, Document) else None


def _store(conn: Connection, source: str, item: Pending, result: Analysis | Failure | None, config: Settings) -> IngestEvent:
    if isinstance(item, NewstraceError):
        return _failed(conn, item.document, item.reason, source)
    if isinstance(item, Skipped):
        return IngestEvent(item.name, "skipped")
    if isinstance(result, Failure):
        return _failed(conn, result.document, result.reason, source)
    name = item.name
    try:
        with conn.begin_nested():
            saved = write.save_analysis(conn, item, result, source=source)
            if saved.status == "new":
                attach_copies(conn, saved.article_id, result.origin.fingerprint, config, fresh=True)
            elif saved.status == "version":
                previous = linkdata.version_fingerprint(conn, saved.previous_version_id)
                attach_copies(conn, saved.article_id, result.origin.fingerprint, config, previous=previous)
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
