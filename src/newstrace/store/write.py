"""Writing documents, articles, versions, entities, claims and errors. Idempotent: the same page
written twice is one article; a changed page is a new version of it.

Every function takes an open connection inside the caller's transaction, so that the caller
decides what is written together. The statements are built once (bound parameters), since
building SQLAlchemy expressions for every document costs more than running them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import Connection, bindparam, select, tuple_, update

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
    # The version that was current before (a changed page), whose copy index is now stale.
    previous_version_id: int | None = None


_DOCUMENT = select(documents.c.id).where(
    documents.c.locator == bindparam("b_locator"), documents.c.raw_hash == bindparam("b_raw")
)
_DOCUMENT_CURRENT = (
    select(documents.c.id)
    .join(articles, articles.c.id == documents.c.article_id)
    .where(
        documents.c.locator == bindparam("b_locator"),
        documents.c.raw_hash == bindparam("b_raw"),
        articles.c.current_version_id == documents.c.version_id,
    )
)
_INSERT_DOCUMENT = documents.insert()
_ARTICLE_BY_KEY = select(articles.c.id, articles.c.outlet_key).where(articles.c.key == bindparam("b_key"))
_INSERT_ARTICLE = articles.insert()
_CURRENT_VERSION = select(articles.c.current_version_id).where(articles.c.id == bindparam("b_id"))
_VERSION_BY_HASH = select(versions.c.id).where(
    versions.c.article_id == bindparam("b_id"), versions.c.content_hash == bindparam("b_hash")
)
_VERSION_HEAD = select(versions.c.title, versions.c.published).where(versions.c.id == bindparam("b_id"))
_INSERT_VERSION = versions.insert()
_TOUCH_ARTICLE = update(articles).where(articles.c.id == bindparam("b_id")).values(last_seen=bindparam("b_now"))
_NEW_ARTICLE_LINKS = (
    update(articles)
    .where(articles.c.id == bindparam("b_id"))
    .values(copy_group_id=bindparam("b_id"), current_version_id=bindparam("b_version"))
)
_MAKE_CURRENT = (
    update(articles)
    .where(articles.c.id == bindparam("b_id"))
    .values(
        current_version_id=bindparam("b_version"),
        last_seen=bindparam("b_now"),
        title=bindparam("b_title"),
        published=bindparam("b_published"),
    )
)
_ENTITIES = select(entities.c.id, entities.c.name, entities.c.kind).where(
    tuple_(entities.c.name, entities.c.kind).in_(bindparam("b_keys", expanding=True))
)
_INSERT_ENTITY = entities.insert()
_INSERT_MENTIONS = mentions.insert()
_INSERT_CLAIMS = claims.insert()


def document_seen(conn: Connection, document: Document) -> bool:
    """Whether these exact bytes from this place are what the store holds now (re-ingest skips
    them). Bytes seen before but since replaced by a changed page (a page that went back to an
    earlier text) are read again."""
    params = {"b_locator": identity.locator(document), "b_raw": identity.raw_hash(document)}
    return conn.execute(_DOCUMENT_CURRENT, params).first() is not None


def save_analysis(conn: Connection, document: Document, analysis: Analysis, *, source: str | None = None) -> Saved:
    """Store one analysed document: a new article, a new version of a known one, or nothing new."""
    article = analysis.article
    digest = identity.content_hash(article)
    outlet_key, outlet_name = identity.outlet(document, article)
    now = datetime.now(UTC)
    existing = _find_article(conn, identity.article_keys(document, article, digest), outlet_key)
    if isinstance(existing, str):
        article_id = _insert_article(conn, existing, document, article, outlet_key, outlet_name, now)
        version_id = _insert_version(conn, article_id, document, analysis, digest, now)
        conn.execute(_NEW_ARTICLE_LINKS, {"b_id": article_id, "b_version": version_id})
        status: SaveStatus = "new"
        previous = None
    else:
        article_id = existing
        previous = conn.execute(_CURRENT_VERSION, {"b_id": article_id}).scalar_one()
        version_id, status = _version_for(conn, article_id, previous, document, analysis, digest, now)
    _record_document(conn, document, source, article_id, version_id, now, known=status != "new")
    return Saved(article_id, version_id, status, previous if status == "version" else None)


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
        row = conn.execute(_ARTICLE_BY_KEY, {"b_key": key}).first()
        if row is None:
            return key
        if row.outlet_key == outlet_key:
            return row.id
    return keys[-1] + f"@{outlet_key}"


def _insert_article(conn, key, document, article, outlet_key, outlet_name, now) -> int:
    # Every article starts as its own copy group, named by its id (set once the id is known).
    values = {
        "key": key,
        "url": document.url or article.canonical_url,
        "path": document.path,
        "outlet_key": outlet_key,
        "outlet": outlet_name,
        "first_seen": now,
        "last_seen": now,
        "title": article.title,
        "published": article.published,
        "copy_group_id": 0,
    }
    return conn.execute(_INSERT_ARTICLE, values).inserted_primary_key[0]


def _version_for(conn, article_id, current, document, analysis, digest, now) -> tuple[int, SaveStatus]:
    known = conn.execute(_VERSION_BY_HASH, {"b_id": article_id, "b_hash": digest}).first()
    if known and known.id == current:
        conn.execute(_TOUCH_ARTICLE, {"b_id": article_id, "b_now": now})
        return current, "unchanged"
    version_id = known.id if known else _insert_version(conn, article_id, document, analysis, digest, now)
    # A page that went back to an earlier text makes that version current again.
    _make_current(conn, article_id, version_id, now)
    return version_id, "version"


def _insert_version(conn, article_id, document, analysis, digest, now) -> int:
    article, origin = analysis.article, analysis.origin
    fingerprint = origin.fingerprint
    values = {
        "article_id": article_id,
        "content_hash": digest,
        "title": article.title,
        "text": article.text,
        "bylines": json.dumps(article.bylines, ensure_ascii=False),
        "published": article.published,
        "site_name": article.site_name,
        "canonical_url": article.canonical_url,
        "language": article.language,
        "fetched_at": article.fetched_at,
        "agency": origin.agency,
        "agency_evidence": json.dumps(origin.evidence, ensure_ascii=False),
        "republished_by": origin.republished_by,
        "byline_is_reporter": origin.byline_is_reporter,
        "fingerprint": pack(fingerprint) if fingerprint else None,
        "shingles": fingerprint.shingle_count if fingerprint else 0,
        "partial": document.hints.get("partial"),
        "record": json.dumps({k: v for k, v in analysis.to_record().items() if k != "text"}, ensure_ascii=False),
        "created_at": now,
    }
    version_id = conn.execute(_INSERT_VERSION, values).inserted_primary_key[0]
    _insert_entities(conn, version_id, analysis)
    _insert_claims(conn, version_id, article_id, analysis)
    return version_id


def _make_current(conn: Connection, article_id: int, version_id: int, now: datetime) -> None:
    head = conn.execute(_VERSION_HEAD, {"b_id": version_id}).one()
    conn.execute(
        _MAKE_CURRENT,
        {"b_id": article_id, "b_version": version_id, "b_now": now, "b_title": head.title, "b_published": head.published},
    )


def _insert_entities(conn: Connection, version_id: int, analysis: Analysis) -> None:
    counts: dict[tuple[str, str], int] = {}
    for entity in analysis.entities:
        key = (entity.name, entity.kind)
        counts[key] = counts.get(key, 0) + max(len(entity.mentions), 1)
    if not counts:
        return
    # Three statements however many entities: the known ones, the new ones, then all ids.
    known = _entity_ids(conn, list(counts))
    missing = [{"name": name, "kind": kind} for name, kind in counts if (name, kind) not in known]
    if missing:
        conn.execute(_INSERT_ENTITY, missing)
        known.update(_entity_ids(conn, [(m["name"], m["kind"]) for m in missing]))
    conn.execute(
        _INSERT_MENTIONS,
        [{"version_id": version_id, "entity_id": known[key], "count": count} for key, count in counts.items()],
    )


def _entity_ids(conn: Connection, keys: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    rows = conn.execute(_ENTITIES, {"b_keys": keys})
    return {(row.name, row.kind): row.id for row in rows}


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
            "verbs": json.dumps(list(claim.verbs), ensure_ascii=False),
        }
        for ordinal, claim in enumerate(analysis.claims)
    ]
    if not rows:
        return
    conn.execute(_INSERT_CLAIMS, rows)


def _entities_within(analysis: Analysis, span: tuple[int, int]) -> list[str]:
    start, end = span
    return sorted(
        {e.name for e in analysis.entities if any(start <= m[0] and m[1] <= end for m in e.mentions)}
    )


def _record_document(conn, document, source, article_id, version_id, now, *, known: bool) -> None:
    """Remember the bytes and where they came from. For a known article the same bytes may have been
    recorded before (a page that went back to an earlier text); a new article's bytes were not."""
    params = {"b_locator": identity.locator(document), "b_raw": identity.raw_hash(document)}
    if known and conn.execute(_DOCUMENT, params).first():
        return
    conn.execute(
        _INSERT_DOCUMENT,
        {
            "locator": params["b_locator"],
            "raw_hash": params["b_raw"],
            "source": source,
            "article_id": article_id,
            "version_id": version_id,
            "seen_at": now,
        },
    )
