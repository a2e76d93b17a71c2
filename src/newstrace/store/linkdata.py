"""What the link stage reads from the store and writes back: plain functions on a connection,
plain dataclasses in and out."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Connection, Row, String, and_, bindparam, delete, distinct, func, or_, select, tuple_, update

from newstrace.model import Fingerprint
from newstrace.store.fingerprints import unpack
from newstrace.store.schema import (
    articles,
    claim_groups,
    claims,
    copy_bands,
    copy_groups,
    copy_links,
    entities,
    mentions,
    stories,
    versions,
)


@dataclass(slots=True)
class StoredFingerprint:
    article_id: int
    fingerprint: Fingerprint


def fingerprints_in_buckets(conn: Connection, buckets: list[int], *, exclude: int) -> list[StoredFingerprint]:
    """The current fingerprints of the articles that share an LSH bucket with ``buckets``."""
    if not buckets:
        return []
    candidates = (
        select(copy_bands.c.article_id)
        .where(copy_bands.c.bucket.in_(buckets), copy_bands.c.article_id != exclude)
        .distinct()
        .subquery()
    )
    rows = conn.execute(
        select(articles.c.id, versions.c.fingerprint, versions.c.shingles)
        .join(candidates, candidates.c.article_id == articles.c.id)
        .join(versions, versions.c.id == articles.c.current_version_id)
        .where(versions.c.fingerprint.is_not(None))
        .order_by(articles.c.id)
    )
    return [StoredFingerprint(row.id, unpack(row.fingerprint, row.shingles)) for row in rows]


def copy_group_of(conn: Connection, article_id: int) -> int:
    return conn.execute(select(articles.c.copy_group_id).where(articles.c.id == article_id)).scalar_one()


def add_bands(conn: Connection, article_id: int, buckets: list[int]) -> None:
    conn.execute(copy_bands.insert(), [{"bucket": b, "article_id": article_id} for b in buckets])


def drop_copy_index(conn: Connection, article_id: int) -> bool:
    """Forget an article's bands and copy links (its text changed); True when it had links."""
    conn.execute(delete(copy_bands).where(copy_bands.c.article_id == article_id))
    dropped = conn.execute(delete(copy_links).where(or_(copy_links.c.a == article_id, copy_links.c.b == article_id)))
    return dropped.rowcount > 0


def add_copy_links(conn: Connection, article_id: int, others: list[tuple[int, float]]) -> None:
    rows = [
        {"a": min(article_id, other), "b": max(article_id, other), "containment": share}
        for other, share in others
        if other != article_id
    ]
    if rows:
        conn.execute(copy_links.insert(), rows)


def merge_groups(conn: Connection, group_ids: set[int]) -> int:
    """Make several copy groups one, named by the smallest id; returns that id."""
    target = min(group_ids)
    others = sorted(group_ids - {target})
    if others:
        conn.execute(update(articles).where(articles.c.copy_group_id.in_(others)).values(copy_group_id=target))
    return target


def regroup(conn: Connection, group_id: int) -> None:
    """Split a copy group into the connected sets its remaining links make."""
    members = conn.scalars(select(articles.c.id).where(articles.c.copy_group_id == group_id)).all()
    if len(members) <= 1:
        return
    member_set = set(members)
    neighbours: dict[int, set[int]] = defaultdict(set)
    links = conn.execute(
        select(copy_links.c.a, copy_links.c.b).where(
            or_(copy_links.c.a.in_(members), copy_links.c.b.in_(members))
        )
    )
    for a, b in links:
        if a in member_set and b in member_set:
            neighbours[a].add(b)
            neighbours[b].add(a)
    seen: set[int] = set()
    for start in sorted(members):
        if start in seen:
            continue
        component, frontier = {start}, [start]
        while frontier:
            node = frontier.pop()
            for other in neighbours[node] - component:
                component.add(other)
                frontier.append(other)
        seen |= component
        conn.execute(
            update(articles).where(articles.c.id.in_(sorted(component))).values(copy_group_id=min(component))
        )


# --- Relinking: origins, stories and claim groups are rewritten from what is stored. ---

PAGE = 1000


@dataclass(slots=True)
class GroupMember:
    copy_group_id: int
    article_id: int
    published: str | None
    agency: str | None
    outlet_key: str
    outlet: str
    origin_key: str | None
    origin_name: str | None


def iter_group_members(conn: Connection) -> Iterator[list[GroupMember]]:
    """Every copy group's members, one group at a time, streamed in pages."""
    after = (-1, -1)
    group: list[GroupMember] = []
    while True:
        rows = conn.execute(
            select(
                articles.c.copy_group_id,
                articles.c.id,
                articles.c.published,
                versions.c.agency,
                articles.c.outlet_key,
                articles.c.outlet,
                articles.c.origin_key,
                articles.c.origin_name,
            )
            .join(versions, versions.c.id == articles.c.current_version_id)
            .where(tuple_(articles.c.copy_group_id, articles.c.id) > tuple_(*after))
            .order_by(articles.c.copy_group_id, articles.c.id)
            .limit(PAGE)
        ).all()
        if not rows:
            break
        for row in rows:
            member = GroupMember(*row)
            if group and group[0].copy_group_id != member.copy_group_id:
                yield group
                group = []
            group.append(member)
        after = (rows[-1].copy_group_id, rows[-1].id)
    if group:
        yield group


def reset_links(conn: Connection) -> None:
    """Forget the results of the last link (copy groups' origins, stories, claim groups)."""
    conn.execute(delete(copy_groups))
    conn.execute(delete(claim_groups))
    conn.execute(delete(stories))
    conn.execute(
        update(claims).where(claims.c.claim_group_id.is_not(None)).values(claim_group_id=None, speaker_key=None)
    )


def write_copy_groups(conn: Connection, rows: list[dict], origin_updates: list[dict]) -> None:
    """Copy group rows, and the articles whose independent origin changed."""
    if rows:
        conn.execute(copy_groups.insert(), rows)
    if origin_updates:
        conn.execute(
            update(articles)
            .where(articles.c.id == bindparam("article_id"))
            .values(origin_key=bindparam("new_key"), origin_name=bindparam("new_name")),
            origin_updates,
        )


def iter_unit_rows(conn: Connection, *, dated: bool) -> Iterator[Row]:
    """Copy groups with their origin article's current text: dated ones in date order, or the
    undated ones; streamed in pages."""
    origin = articles.alias("origin")
    base = (
        select(
            copy_groups.c.id,
            copy_groups.c.published,
            copy_groups.c.size,
            copy_groups.c.origin_article_id,
            versions.c.id.label("version_id"),
            versions.c.title,
            versions.c.text,
        )
        .join(origin, origin.c.id == copy_groups.c.origin_article_id)
        .join(versions, versions.c.id == origin.c.current_version_id)
    )
    if dated:
        base = base.where(copy_groups.c.published.is_not(None))
        key = (copy_groups.c.published, copy_groups.c.id)
        after: tuple = ("", -1)
    else:
        base = base.where(copy_groups.c.published.is_(None))
        key = (copy_groups.c.id,)
        after = (-1,)
    while True:
        rows = conn.execute(base.where(tuple_(*key) > tuple_(*after)).order_by(*key).limit(PAGE)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1]
        after = (last.published, last.id) if dated else (last.id,)


def entity_names(conn: Connection, version_ids: list[int]) -> dict[int, frozenset[str]]:
    """The named entities (not media outlets) of each version, lower-cased."""
    found: dict[int, set[str]] = defaultdict(set)
    if version_ids:
        rows = conn.execute(
            select(mentions.c.version_id, entities.c.name)
            .join(entities, entities.c.id == mentions.c.entity_id)
            .where(mentions.c.version_id.in_(version_ids), entities.c.kind != "media")
        )
        for version_id, name in rows:
            found[version_id].add(name.lower())
    return {v: frozenset(names) for v, names in found.items()}


def count_undated_groups(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(copy_groups).where(copy_groups.c.published.is_(None))).scalar_one()


def assign_story(conn: Connection, story_id: int, group_ids: list[int]) -> None:
    for start in range(0, len(group_ids), PAGE):
        chunk = group_ids[start : start + PAGE]
        conn.execute(update(articles).where(articles.c.copy_group_id.in_(chunk)).values(story_id=story_id))


def story_claims(conn: Connection, story_id: int) -> list[ClaimRow]:
    """The claims of the current versions of a story's articles."""
    rows = conn.execute(
        select(
            claims.c.id,
            claims.c.article_id,
            claims.c.speaker,
            claims.c.speaker_resolved,
            claims.c.speaker_kind,
            claims.c.content,
            claims.c.stance,
            claims.c.entities,
        )
        .join(articles, and_(articles.c.id == claims.c.article_id, articles.c.current_version_id == claims.c.version_id))
        .where(articles.c.story_id == story_id)
        .order_by(claims.c.id)
    )
    return [ClaimRow(*row[:-1], tuple(json.loads(row.entities))) for row in rows]


@dataclass(slots=True)
class ClaimRow:
    id: int
    article_id: int
    speaker: str | None
    speaker_resolved: str | None
    speaker_kind: str | None
    content: str
    stance: str
    entities: tuple[str, ...]


def write_claim_groups(conn: Connection, story_id: int, groups: list[dict], claim_updates: list[dict]) -> None:
    """Claim group rows of one story and each claim's group and speaker key."""
    if groups:
        conn.execute(claim_groups.insert(), [{**g, "story_id": story_id} for g in groups])
    if claim_updates:
        conn.execute(
            update(claims)
            .where(claims.c.id == bindparam("claim_id"))
            .values(claim_group_id=bindparam("group_id"), speaker_key=bindparam("key")),
            claim_updates,
        )


def write_story(conn: Connection, row: dict) -> None:
    """A story row, with its counts taken from its articles as stored."""
    story_id = row["id"]
    counts = conn.execute(
        select(
            func.count(articles.c.id),
            func.count(distinct(articles.c.outlet_key)),
            func.count(distinct(articles.c.origin_key)),
        ).where(articles.c.story_id == story_id)
    ).one()
    groups = conn.execute(
        select(func.count()).select_from(claim_groups).where(claim_groups.c.story_id == story_id)
    ).scalar_one()
    conn.execute(
        stories.insert().values(**row, articles=counts[0], outlets=counts[1], origins=counts[2], claim_groups=groups)
    )


def story_span(conn: Connection, story_id: int) -> tuple[str | None, str | None]:
    """First and last day a story's articles were published. An undated copy counts at its copy
    group's date; a story with no date at all spans the days its articles were first seen."""
    day = func.coalesce(articles.c.published, copy_groups.c.published)
    first, last = conn.execute(
        select(func.min(day), func.max(day))
        .select_from(articles)
        .join(copy_groups, copy_groups.c.id == articles.c.copy_group_id)
        .where(articles.c.story_id == story_id)
    ).one()
    if first is None:
        seen = func.substr(func.cast(articles.c.first_seen, String), 1, 10)
        first, last = conn.execute(select(func.min(seen), func.max(seen)).where(articles.c.story_id == story_id)).one()
    return first, last


def article_origins(conn: Connection, article_ids: list[int]) -> dict[int, str | None]:
    found: dict[int, str | None] = {}
    for start in range(0, len(article_ids), PAGE):
        chunk = article_ids[start : start + PAGE]
        found.update(conn.execute(select(articles.c.id, articles.c.origin_key).where(articles.c.id.in_(chunk))).all())
    return found
