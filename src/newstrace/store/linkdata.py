"""What the link stage reads from the store and writes back: plain functions on a connection,
plain dataclasses in and out."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Row, and_, bindparam, delete, func, or_, select, tuple_, update

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
    copy_group_id: int
    fingerprint: Fingerprint


_IN_BUCKETS = (
    select(copy_bands.c.article_id)
    .where(copy_bands.c.bucket.in_(bindparam("b_buckets", expanding=True)), copy_bands.c.article_id != bindparam("b_exclude"))
    .distinct()
    .subquery()
)
_CANDIDATES = (
    select(articles.c.id, articles.c.copy_group_id, versions.c.fingerprint, versions.c.shingles)
    .join(_IN_BUCKETS, _IN_BUCKETS.c.article_id == articles.c.id)
    .join(versions, versions.c.id == articles.c.current_version_id)
    .where(versions.c.fingerprint.is_not(None))
    .order_by(articles.c.id)
)
_GROUP_OF = select(articles.c.copy_group_id).where(articles.c.id == bindparam("b_id"))
_INSERT_BANDS = copy_bands.insert()


def fingerprints_in_buckets(conn: Connection, buckets: list[int], *, exclude: int) -> list[StoredFingerprint]:
    """The current fingerprints of the articles that share an LSH bucket with ``buckets``."""
    if not buckets:
        return []
    rows = conn.execute(_CANDIDATES, {"b_buckets": buckets, "b_exclude": exclude})
    return [StoredFingerprint(row.id, row.copy_group_id, unpack(row.fingerprint, row.shingles)) for row in rows]


def version_fingerprint(conn: Connection, version_id: int) -> Fingerprint | None:
    row = conn.execute(select(versions.c.fingerprint, versions.c.shingles).where(versions.c.id == version_id)).first()
    return unpack(row.fingerprint, row.shingles) if row and row.fingerprint else None


def copy_group_of(conn: Connection, article_id: int) -> int:
    return conn.execute(_GROUP_OF, {"b_id": article_id}).scalar_one()


def add_bands(conn: Connection, article_id: int, buckets: list[int]) -> None:
    conn.execute(_INSERT_BANDS, [{"bucket": b, "article_id": article_id} for b in buckets])


def drop_copy_index(conn: Connection, article_id: int, buckets: list[int]) -> bool:
    """Forget an article's bands (its old text's ``buckets``) and copy links (its text changed);
    True when it had links."""
    if buckets:
        conn.execute(delete(copy_bands).where(copy_bands.c.bucket.in_(buckets), copy_bands.c.article_id == article_id))
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


_ASSIGN_STORY = update(articles).where(articles.c.copy_group_id == bindparam("b_group")).values(story_id=bindparam("b_story"))


def assign_stories(conn: Connection, groups_of: dict[int, list[int]]) -> None:
    """Put every article of the given copy groups in its story (story id → copy group ids)."""
    rows = [{"b_group": g, "b_story": story_id} for story_id, group_ids in groups_of.items() for g in group_ids]
    if rows:
        conn.execute(_ASSIGN_STORY, rows)


@dataclass(slots=True)
class StoryMember:
    story_id: int
    article_id: int
    outlet_key: str
    origin_key: str | None
    day: str | None  # published, or its copy group's date
    first_seen: datetime


def story_members(conn: Connection, story_ids: list[int]) -> list[StoryMember]:
    """The articles of some stories, with what a story's counts and span are made of."""
    rows = conn.execute(
        select(
            articles.c.story_id,
            articles.c.id,
            articles.c.outlet_key,
            articles.c.origin_key,
            func.coalesce(articles.c.published, copy_groups.c.published),
            articles.c.first_seen,
        )
        .select_from(articles)
        .join(copy_groups, copy_groups.c.id == articles.c.copy_group_id)
        .where(articles.c.story_id.in_(story_ids))
        .order_by(articles.c.id)
    )
    return [StoryMember(*row) for row in rows]


@dataclass(slots=True)
class ClaimRow:
    id: int
    article_id: int
    story_id: int
    speaker: str | None
    speaker_resolved: str | None
    speaker_kind: str | None
    content: str
    stance: str
    span_start: int
    span_end: int
    entities: tuple[str, ...]
    # None: stored before claims had their verbs.
    verbs: frozenset[str] | None


def story_claims(conn: Connection, story_ids: list[int]) -> list[ClaimRow]:
    """The claims of the current versions of some stories' articles."""
    rows = conn.execute(
        select(
            claims.c.id,
            claims.c.article_id,
            articles.c.story_id,
            claims.c.speaker,
            claims.c.speaker_resolved,
            claims.c.speaker_kind,
            claims.c.content,
            claims.c.stance,
            claims.c.span_start,
            claims.c.span_end,
            claims.c.entities,
            claims.c.verbs,
        )
        .join(articles, and_(articles.c.id == claims.c.article_id, articles.c.current_version_id == claims.c.version_id))
        .where(articles.c.story_id.in_(story_ids))
        .order_by(claims.c.id)
    )
    return [
        ClaimRow(*row[:-2], tuple(json.loads(row.entities)), None if row.verbs is None else frozenset(json.loads(row.verbs)))
        for row in rows
    ]


_SET_CLAIM_GROUP = (
    update(claims).where(claims.c.id == bindparam("b_claim")).values(claim_group_id=bindparam("b_group"), speaker_key=bindparam("b_key"))
)


def write_claim_groups(conn: Connection, groups: list[dict], claim_updates: list[dict]) -> None:
    """Claim group rows, and each claim's group and speaker key (b_claim, b_group, b_key)."""
    if groups:
        conn.execute(claim_groups.insert(), groups)
    if claim_updates:
        conn.execute(_SET_CLAIM_GROUP, claim_updates)


def write_stories(conn: Connection, rows: list[dict]) -> None:
    if rows:
        conn.execute(stories.insert(), rows)
