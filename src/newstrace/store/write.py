"""Writing documents, articles, versions, entities, claims and errors. Idempotent: the same page
written twice is one article; a changed page is a new version of it.

Every function takes an open connection inside the caller's transaction, so that the caller
decides what is written together.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import Connection, select, text, update

from newstrace.model import Analysis, Document
from newstrace.store import identity
from newstrace.store.fingerprints import pack
from newstrace.store.schema import articles, claims, documents, entities, errors, mentions, meta, versions

SaveStatus = Literal["new", "version", "unchanged"]


@dataclass(slots=True)
class Saved:
    """What writing one analysed document did."""

    article_id: int
    version_id: int
    status: SaveStatus


def document_seen(conn: Connection, document: Document) -> bool:
    """Whether these exact bytes from this place are what the store holds now (re-ingest skips
    them). Bytes seen before but since replaced by a changed page (a page that went back to an
    earlier text) are read again."""
    row = conn.execute(
        select(documents.c.id)
        .join(articles, articles.c.id == documents.c.article_id)
        .where(
            documents.c.locator == identity.locator(document),
            documents.c.raw_hash == identity.raw_hash(document),
            articles.c.current_version_id == documents.c.version_id,
        )
    ).first()
    return row is not None


def save_analysis(conn: Connection, document: Document, analysis: Analysis, *, source: str | None = None) -> Saved:
    """Store one analysed document: a new article, a new version of a known one, or nothing new."""
    article = analysis.article
    digest = identity.content_hash(article)
    outlet_key, outlet_name = identity.outlet(document, article)
    now = datetime.now(UTC)
    existing = _find_article(conn, identity.article_keys(document, article, digest), outlet_key)
    if isinstance(existing, str):
        article_id = _insert_article(conn, existing, document, article, outlet_key, outlet_name, now)
        version_id, status = _insert_version(conn, article_id, document, analysis, digest, now), "new"
    else:
        article_id = existing
        version_id, status = _version_for(conn, article_id, document, analysis, digest, now)
    _record_document(conn, document, source, article_id, version_id, now)
    return Saved(article_id=article_id, version_id=version_id, status=status)


def record_error(conn: Connection, document: str, reason: str, *, source: str | None = None) -> None:
    """Remember that a document failed and why; the same failure again only bumps its count."""
    now = datetime.now(UTC)
    found = conn.execute(
        select(errors.c.id).where(errors.c.document == document, errors.c.reason == reason)
    ).first()
    if found:
        conn.execute(
            update(errors).where(errors.c.id == found.id).values(last_seen=now, count=errors.c.count + 1)
        )
    else:
        conn.execute(
            errors.insert().values(source=source, document=document, reason=reason, first_seen=now, last_seen=now, count=1)
        )


def set_meta(conn: Connection, key: str, value: str) -> None:
    if conn.execute(select(meta.c.key).where(meta.c.key == key)).first():
        conn.execute(update(meta).where(meta.c.key == key).values(value=value))
    else:
        conn.execute(meta.insert().values(key=key, value=value))


def get_meta(conn: Connection, key: str) -> str | None:
    row = conn.execute(select(meta.c.value).where(meta.c.key == key)).first()
    return row.value if row else None


def _find_article(conn: Connection, keys: list[str], outlet_key: str) -> int | str:
    """The id of the stored article these keys identify, or the key a new article should take.

    A key held by another outlet's article (a syndicated copy naming the original as canonical)
    does not count: the next key is tried.
    """
    for key in keys:
        row = conn.execute(select(articles.c.id, articles.c.outlet_key).where(articles.c.key == key)).first()
        if row is None:
            return key
        if row.outlet_key == outlet_key:
            return row.id
    return keys[-1] + f"@{outlet_key}"


def _insert_article(conn, key, document, article, outlet_key, outlet_name, now) -> int:
    article_id = conn.execute(
        articles.insert().values(
            key=key,
            url=document.url or article.canonical_url,
            path=document.path,
            outlet_key=outlet_key,
            outlet=outlet_name,
            first_seen=now,
            last_seen=now,
            copy_group_id=0,
        )
    ).inserted_primary_key[0]
    # Every article starts as its own copy group, named by its id (the smallest id of a group names it).
    conn.execute(update(articles).where(articles.c.id == article_id).values(copy_group_id=article_id))
    return article_id


def _version_for(conn, article_id, document, analysis, digest, now) -> tuple[int, SaveStatus]:
    current = conn.execute(
        select(articles.c.current_version_id).where(articles.c.id == article_id)
    ).scalar_one()
    known = conn.execute(
        select(versions.c.id).where(versions.c.article_id == article_id, versions.c.content_hash == digest)
    ).first()
    if known and known.id == current:
        conn.execute(update(articles).where(articles.c.id == article_id).values(last_seen=now))
        return current, "unchanged"
    if known:
        # The page went back to an earlier text: that version is current again.
        _make_current(conn, article_id, known.id, now)
        return known.id, "version"
    return _insert_version(conn, article_id, document, analysis, digest, now), "version"


def _insert_version(conn, article_id, document, analysis, digest, now) -> int:
    article, origin = analysis.article, analysis.origin
    fingerprint = origin.fingerprint
    version_id = conn.execute(
        versions.insert().values(
            article_id=article_id,
            content_hash=digest,
            title=article.title,
            text=article.text,
            bylines=json.dumps(article.bylines, ensure_ascii=False),
            published=article.published,
            site_name=article.site_name,
            canonical_url=article.canonical_url,
            language=article.language,
            fetched_at=article.fetched_at,
            agency=origin.agency,
            agency_evidence=json.dumps(origin.evidence, ensure_ascii=False),
            republished_by=origin.republished_by,
            byline_is_reporter=origin.byline_is_reporter,
            fingerprint=pack(fingerprint) if fingerprint else None,
            shingles=fingerprint.shingle_count if fingerprint else 0,
            partial=document.hints.get("partial"),
            created_at=now,
        )
    ).inserted_primary_key[0]
    _insert_entities(conn, version_id, analysis)
    _insert_claims(conn, version_id, article_id, analysis)
    _make_current(conn, article_id, version_id, now)
    return version_id


def _make_current(conn: Connection, article_id: int, version_id: int, now: datetime) -> None:
    previous = conn.execute(select(articles.c.current_version_id).where(articles.c.id == article_id)).scalar_one()
    row = conn.execute(select(versions.c.title, versions.c.published).where(versions.c.id == version_id)).one()
    conn.execute(
        update(articles)
        .where(articles.c.id == article_id)
        .values(current_version_id=version_id, last_seen=now, title=row.title, published=row.published)
    )
    if conn.dialect.name == "sqlite":
        if previous is not None:
            conn.execute(
                text(
                    "INSERT INTO versions_fts(versions_fts, rowid, title, text) "
                    "SELECT 'delete', id, title, text FROM versions WHERE id = :id"
                ),
                {"id": previous},
            )
        conn.execute(
            text("INSERT INTO versions_fts(rowid, title, text) SELECT id, title, text FROM versions WHERE id = :id"),
            {"id": version_id},
        )


def _insert_entities(conn: Connection, version_id: int, analysis: Analysis) -> None:
    counts: dict[tuple[str, str], int] = {}
    for entity in analysis.entities:
        key = (entity.name, entity.kind)
        counts[key] = counts.get(key, 0) + max(len(entity.mentions), 1)
    for (name, kind), count in counts.items():
        entity_id = conn.execute(
            select(entities.c.id).where(entities.c.name == name, entities.c.kind == kind)
        ).scalar()
        if entity_id is None:
            entity_id = conn.execute(entities.insert().values(name=name, kind=kind)).inserted_primary_key[0]
        conn.execute(mentions.insert().values(version_id=version_id, entity_id=entity_id, count=count))


def _insert_claims(conn: Connection, version_id: int, article_id: int, analysis: Analysis) -> None:
    rows = [
        {
            "version_id": version_id,
            "article_id": article_id,
            "ordinal": ordinal,
            "speaker": claim.speaker,
            "speaker_resolved": claim.speaker_resolved,
            "speaker_kind": claim.speaker_kind,
            "speaker_role": claim.speaker_role,
            "cue": claim.cue,
            "cue_lemma": claim.cue_lemma,
            "cue_commitment": claim.cue_commitment,
            "content": claim.content,
            "quote": claim.quote,
            "stance": claim.stance,
            "hedge": claim.hedge,
            "certainty": claim.certainty,
            "span_start": claim.span[0],
            "span_end": claim.span[1],
            "content_start": claim.content_span[0],
            "content_end": claim.content_span[1],
            "entities": json.dumps(_entities_within(analysis, claim.content_span), ensure_ascii=False),
        }
        for ordinal, claim in enumerate(analysis.claims)
    ]
    if not rows:
        return
    conn.execute(claims.insert(), rows)
    if conn.dialect.name == "sqlite":
        conn.execute(
            text(
                "INSERT INTO claims_fts(rowid, speaker_resolved, content) "
                "SELECT id, coalesce(speaker_resolved, speaker, ''), content FROM claims WHERE version_id = :v"
            ),
            {"v": version_id},
        )


def _entities_within(analysis: Analysis, span: tuple[int, int]) -> list[str]:
    start, end = span
    return sorted(
        {e.name for e in analysis.entities if any(start <= m[0] and m[1] <= end for m in e.mentions)}
    )


def _record_document(conn, document, source, article_id, version_id, now) -> None:
    locator, raw = identity.locator(document), identity.raw_hash(document)
    found = conn.execute(
        select(documents.c.id).where(documents.c.locator == locator, documents.c.raw_hash == raw)
    ).first()
    if found:
        return
    conn.execute(
        documents.insert().values(
            locator=locator, raw_hash=raw, source=source, article_id=article_id, version_id=version_id, seen_at=now
        )
    )
