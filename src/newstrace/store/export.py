"""Exports of the corpus: articles, claims or stories as JSON Lines, CSV or Parquet, streamed
in pages so that a corpus of any size exports in bounded memory."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import Connection, and_, select

from newstrace.store.schema import articles, claims, copy_groups, stories, versions

What = Literal["articles", "claims", "stories"]
Format = Literal["jsonl", "csv", "parquet"]
PAGE = 1000

_SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema(
        [
            ("id", pa.int64()),
            ("url", pa.string()),
            ("path", pa.string()),
            ("title", pa.string()),
            ("outlet", pa.string()),
            ("published", pa.string()),
            ("first_seen", pa.string()),
            ("story_id", pa.int64()),
            ("copy_group_id", pa.int64()),
            ("is_copy_origin", pa.bool_()),
            ("origin", pa.string()),
            ("origin_kind", pa.string()),
            ("agency_credit", pa.string()),
            ("bylines", pa.list_(pa.string())),
            ("partial", pa.string()),
            ("text", pa.string()),
        ]
    ),
    "claims": pa.schema(
        [
            ("id", pa.int64()),
            ("article_id", pa.int64()),
            ("story_id", pa.int64()),
            ("claim_group_id", pa.int64()),
            ("speaker", pa.string()),
            ("speaker_resolved", pa.string()),
            ("speaker_kind", pa.string()),
            ("counted_as", pa.string()),
            ("cue", pa.string()),
            ("cue_commitment", pa.string()),
            ("content", pa.string()),
            ("quote", pa.string()),
            ("stance", pa.string()),
            ("hedge", pa.string()),
            ("certainty", pa.float64()),
            ("span_start", pa.int64()),
            ("span_end", pa.int64()),
        ]
    ),
    "stories": pa.schema(
        [
            ("id", pa.int64()),
            ("title", pa.string()),
            ("first_seen", pa.string()),
            ("last_seen", pa.string()),
            ("articles", pa.int64()),
            ("outlets", pa.int64()),
            ("independent_origins", pa.int64()),
            ("claim_groups", pa.int64()),
            ("article_ids", pa.list_(pa.int64())),
        ]
    ),
}


def iter_rows(conn: Connection, what: What) -> Iterator[dict]:
    """Rows of one kind, in id order, as plain dicts with the keys of its export schema."""
    pager = {"articles": _article_page, "claims": _claim_page, "stories": _story_page}[what]
    after = 0
    while True:
        page = pager(conn, after)
        if not page:
            return
        yield from page
        after = page[-1]["id"]


def export(conn: Connection, what: What, fmt: Format, out: Path) -> int:
    """Write every row of ``what`` to ``out`` in ``fmt``; returns the number of rows."""
    rows = iter_rows(conn, what)
    schema = _SCHEMAS[what]
    count = 0
    if fmt == "jsonl":
        with out.open("w", encoding="utf-8") as stream:
            for row in rows:
                stream.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
    elif fmt == "csv":
        with out.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.DictWriter(stream, fieldnames=schema.names)
            writer.writeheader()
            for row in rows:
                writer.writerow({k: json.dumps(v) if isinstance(v, list) else v for k, v in row.items()})
                count += 1
    else:
        with pq.ParquetWriter(out, schema) as writer:
            batch: list[dict] = []
            for row in rows:
                batch.append(row)
                count += 1
                if len(batch) >= PAGE:
                    writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                    batch = []
            if batch:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    return count


def _article_page(conn: Connection, after: int) -> list[dict]:
    rows = conn.execute(
        select(articles, versions.c.agency, versions.c.bylines, versions.c.partial, versions.c.text, copy_groups.c.origin_article_id)
        .join(versions, versions.c.id == articles.c.current_version_id)
        .outerjoin(copy_groups, copy_groups.c.id == articles.c.copy_group_id)
        .where(articles.c.id > after)
        .order_by(articles.c.id)
        .limit(PAGE)
    )
    return [
        {
            "id": r.id,
            "url": r.url,
            "path": r.path,
            "title": r.title,
            "outlet": r.outlet,
            "published": r.published,
            "first_seen": r.first_seen.isoformat() if r.first_seen else None,
            "story_id": r.story_id,
            "copy_group_id": r.copy_group_id,
            "is_copy_origin": (r.origin_article_id or r.id) == r.id,
            "origin": r.origin_name,
            "origin_kind": None if r.origin_key is None else r.origin_key.split(":", 1)[0],
            "agency_credit": r.agency,
            "bylines": json.loads(r.bylines),
            "partial": r.partial,
            "text": r.text,
        }
        for r in rows
    ]


def _claim_page(conn: Connection, after: int) -> list[dict]:
    rows = conn.execute(
        select(claims, articles.c.story_id)
        .join(articles, and_(articles.c.id == claims.c.article_id, articles.c.current_version_id == claims.c.version_id))
        .where(claims.c.id > after)
        .order_by(claims.c.id)
        .limit(PAGE)
    )
    return [
        {
            "id": r.id,
            "article_id": r.article_id,
            "story_id": r.story_id,
            "claim_group_id": r.claim_group_id,
            "speaker": r.speaker,
            "speaker_resolved": r.speaker_resolved,
            "speaker_kind": r.speaker_kind,
            "counted_as": r.speaker_key,
            "cue": r.cue,
            "cue_commitment": r.cue_commitment,
            "content": r.content,
            "quote": r.quote,
            "stance": r.stance,
            "hedge": r.hedge,
            "certainty": r.certainty,
            "span_start": r.span_start,
            "span_end": r.span_end,
        }
        for r in rows
    ]


def _story_page(conn: Connection, after: int) -> list[dict]:
    rows = conn.execute(select(stories).where(stories.c.id > after).order_by(stories.c.id).limit(PAGE)).all()
    members: dict[int, list[int]] = {r.id: [] for r in rows}
    if rows:
        for story_id, article_id in conn.execute(
            select(articles.c.story_id, articles.c.id).where(articles.c.story_id.in_(list(members))).order_by(articles.c.id)
        ):
            members[story_id].append(article_id)
    return [
        {
            "id": r.id,
            "title": r.title,
            "first_seen": r.first_seen,
            "last_seen": r.last_seen,
            "articles": r.articles,
            "outlets": r.outlets,
            "independent_origins": r.origins,
            "claim_groups": r.claim_groups,
            "article_ids": members[r.id],
        }
        for r in rows
    ]
