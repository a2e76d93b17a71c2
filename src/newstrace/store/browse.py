"""Reading the store for browsing: one article in full, entities, recent articles, claims by filter.

The web reader and the API call these (the CLI's listings are in ``store.queries``). Each returns
plain dataclasses with a ``to_json``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, Literal

from sqlalchemy import Connection, desc, func, select

from newstrace.model import Analysis
from newstrace.store.queries import article_refs, claim_group_views, claim_view, escape_like, matching_claims
from newstrace.store.records import ArticleRef, ClaimGroupView, ClaimView
from newstrace.store.schema import articles, claim_groups, claims, entities, mentions, versions

RELATED_LIMIT = 10
ENTITY_CLAIMS_LIMIT = 100
ENTITY_RECORDS_LIMIT = 50


@dataclass(slots=True)
class ArticleView:
    """An article's current analysis, its copies elsewhere and related articles."""

    id: int
    outlet: str
    story_id: int | None
    copy_group_id: int
    analysis: Analysis
    copies: list[ArticleRef]
    related: list[ArticleRef]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "outlet": self.outlet,
            "story": self.story_id,
            "copy_group": self.copy_group_id,
            "analysis": self.analysis.to_record(),
            "copies": [c.to_json() for c in self.copies],
            "related": [r.to_json() for r in self.related],
        }


@dataclass(slots=True)
class EntityView:
    name: str
    kind: str
    roles: list[str]
    aliases: list[str]
    articles: int
    claims_by: list[ClaimView]
    claims_about: list[ClaimView]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "roles": self.roles,
            "aliases": self.aliases,
            "articles": self.articles,
            "claims_by": [c.to_json() for c in self.claims_by],
            "claims_about": [c.to_json() for c in self.claims_about],
        }


@dataclass(slots=True)
class ClaimFilters:
    """What a claim search can filter on; every field is optional."""

    q: str | None = None
    since: date | None = None
    until: date | None = None
    outlet: str | None = None
    speaker: str | None = None
    stance: Literal["assert", "deny"] | None = None
    min_certainty: float | None = None
    max_certainty: float | None = None

    def any(self) -> bool:
        return any(getattr(self, f.name) not in (None, "") for f in fields(self))


def get_article(conn: Connection, article_id: int) -> ArticleView | None:
    row = conn.execute(
        select(articles.c.id, articles.c.outlet, articles.c.story_id, articles.c.copy_group_id, versions.c.text, versions.c.record)
        .join(versions, versions.c.id == articles.c.current_version_id)
        .where(articles.c.id == article_id)
    ).first()
    if row is None or row.record is None:
        return None
    analysis = Analysis.from_record({**json.loads(row.record), "text": row.text})
    copies = article_refs(conn, (articles.c.copy_group_id == row.copy_group_id) & (articles.c.id != row.id))
    return ArticleView(
        id=row.id,
        outlet=row.outlet,
        story_id=row.story_id,
        copy_group_id=row.copy_group_id,
        analysis=analysis,
        copies=copies,
        related=_related(conn, row),
    )


def _related(conn: Connection, row) -> list[ArticleRef]:
    """Other texts of the same story first, then articles sharing the most entities."""
    not_a_copy = (articles.c.copy_group_id != row.copy_group_id) & (articles.c.id != row.id)
    same_story = (
        article_refs(conn, not_a_copy & (articles.c.story_id == row.story_id), limit=RELATED_LIMIT)
        if row.story_id is not None
        else []
    )
    room = RELATED_LIMIT - len(same_story)
    if room <= 0:
        return same_story
    mine = select(mentions.c.entity_id).join(articles, articles.c.current_version_id == mentions.c.version_id).where(
        articles.c.id == row.id
    )
    shared = (
        select(articles.c.id, func.count().label("shared"))
        .join(mentions, mentions.c.version_id == articles.c.current_version_id)
        .where(mentions.c.entity_id.in_(mine), not_a_copy)
        .group_by(articles.c.id)
        .order_by(desc("shared"), articles.c.id)
        .limit(room + len(same_story))
    )
    seen = {a.id for a in same_story}
    ids = [r.id for r in conn.execute(shared) if r.id not in seen][:room]
    by_id = {a.id: a for a in article_refs(conn, articles.c.id.in_(ids))} if ids else {}
    return same_story + [by_id[i] for i in ids if i in by_id]


def recent_articles(conn: Connection, *, limit: int = 20, offset: int = 0) -> list[ArticleRef]:
    """Articles, most recently seen first."""
    return article_refs(
        conn, articles.c.current_version_id.is_not(None), order=[desc(articles.c.last_seen), desc(articles.c.id)],
        limit=limit, offset=offset,
    )


def count_articles(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(articles)).scalar_one()


def top_claim_groups(conn: Connection, story_ids: list[int], *, per_story: int = 2) -> dict[int, list[ClaimGroupView]]:
    """The best-supported claim groups of each story (independent origins, then speakers)."""
    if not story_ids:
        return {}
    ranked = (
        select(
            claim_groups.c.id,
            claim_groups.c.story_id,
            func.row_number()
            .over(
                partition_by=claim_groups.c.story_id,
                order_by=[desc(claim_groups.c.origins), desc(claim_groups.c.speakers), claim_groups.c.id],
            )
            .label("rank"),
        )
        .where(claim_groups.c.story_id.in_(story_ids), claim_groups.c.stance == "assert")
        .subquery()
    )
    ids = conn.scalars(select(ranked.c.id).where(ranked.c.rank <= per_story).order_by(ranked.c.story_id, ranked.c.rank)).all()
    grouped: dict[int, list[ClaimGroupView]] = {}
    for view in claim_group_views(conn, list(ids)):
        grouped.setdefault(view.story_id, []).append(view)
    return grouped


def _claims_where(condition, limit: int):
    return (
        select(claims, articles.c.title.label("article_title"), articles.c.outlet)
        .join(articles, articles.c.id == claims.c.article_id)
        .where(claims.c.version_id == articles.c.current_version_id, condition)
        .order_by(desc(claims.c.id))
        .limit(limit)
    )


def get_entity(conn: Connection, name: str) -> EntityView | None:
    """An entity by canonical name: kind, roles and aliases from the articles, its claims and claims about it."""
    rows = conn.execute(
        select(entities.c.id, entities.c.kind, func.count(mentions.c.version_id).label("n"))
        .join(mentions, mentions.c.entity_id == entities.c.id)
        .where(entities.c.name == name)
        .group_by(entities.c.id, entities.c.kind)
        .order_by(desc("n"))
    ).all()
    if not rows:
        return None
    entity_ids = [r.id for r in rows]
    current = select(articles.c.current_version_id)
    version_ids = conn.scalars(
        select(mentions.c.version_id).where(mentions.c.entity_id.in_(entity_ids), mentions.c.version_id.in_(current))
    ).all()
    roles: Counter[str] = Counter()
    aliases: Counter[str] = Counter()
    records = conn.scalars(select(versions.c.record).where(versions.c.id.in_(version_ids[:ENTITY_RECORDS_LIMIT])))
    for record in records:
        for entity in json.loads(record or "{}").get("entities", []):
            if entity.get("name") == name:
                aliases.update(a for a in entity.get("aliases", []) if a != name)
                if entity.get("role"):
                    roles[entity["role"]] += 1
    by = conn.execute(_claims_where(claims.c.speaker_resolved == name, ENTITY_CLAIMS_LIMIT))
    # The claims store the entities named in their content as a JSON list of names.
    about = conn.execute(
        _claims_where(claims.c.entities.like("%" + escape_like(json.dumps(name, ensure_ascii=False)) + "%", escape="\\"), ENTITY_CLAIMS_LIMIT)
    )
    return EntityView(
        name=name,
        kind=rows[0].kind,
        roles=[r for r, _ in roles.most_common()],
        aliases=[a for a, _ in aliases.most_common()],
        articles=len(set(version_ids)),
        claims_by=[claim_view(r) for r in by],
        claims_about=[claim_view(r) for r in about if r.speaker_resolved != name],
    )


def search_claims(conn: Connection, filters: ClaimFilters, *, limit: int = 20) -> list[ClaimView]:
    """Current claims matching every given filter, newest first."""
    condition = claims.c.id.is_not(None)
    if filters.q:
        matching = matching_claims(conn, filters.q)
        if matching is None:
            return []
        condition &= claims.c.id.in_(matching)
    if filters.since:
        condition &= articles.c.published >= filters.since.isoformat()
    if filters.until:
        condition &= articles.c.published <= filters.until.isoformat()
    if filters.outlet:
        condition &= articles.c.outlet == filters.outlet
    if filters.speaker:
        speaker = func.lower(func.coalesce(claims.c.speaker_resolved, claims.c.speaker, ""))
        condition &= speaker.like("%" + escape_like(filters.speaker.lower()) + "%", escape="\\")
    if filters.stance:
        condition &= claims.c.stance == filters.stance
    if filters.min_certainty is not None:
        condition &= claims.c.certainty >= filters.min_certainty
    if filters.max_certainty is not None:
        condition &= claims.c.certainty <= filters.max_certainty
    return [claim_view(r) for r in conn.execute(_claims_where(condition, limit))]


def list_outlets(conn: Connection) -> list[str]:
    return list(conn.scalars(select(articles.c.outlet).distinct().order_by(articles.c.outlet)))
