"""Link: across articles. Copy groups (kept up to date at ingest, ``link.copies``), then, over the
whole store, each group's origin, stories and claim groups with their support.

``relink`` streams: copy groups one at a time, stories as they close, claim groups story by story,
so that memory follows the open stories, not the corpus.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import Engine

from newstrace.config import Settings, settings
from newstrace.link.claim_groups import ClaimInput, group_claims
from newstrace.link.origins import Member, group_origin
from newstrace.link.stories import StoryDraft, Unit, Vocabulary, link_stories
from newstrace.link.support import support_counts
from newstrace.store import linkdata


@dataclass(slots=True)
class LinkSummary:
    copy_groups: int
    stories: int
    claim_groups: int
    seconds: float


def relink(engine: Engine, config: Settings | None = None) -> LinkSummary:
    """Recompute origins, stories and claim groups from the store, in one transaction."""
    config = config or settings()
    started = time.perf_counter()
    with engine.begin() as conn:
        linkdata.reset_links(conn)
        groups = _write_origins(conn)
        vocabulary = Vocabulary.count((row.text for row in _all_units(conn)), config.story_name_weight)
        keep_all = linkdata.count_undated_groups(conn) > 0
        story_count = claim_group_count = 0
        for draft in link_stories(_units(conn), vocabulary, config, keep_all=keep_all):
            claim_group_count += _write_story(conn, draft, config)
            story_count += 1
    return LinkSummary(groups, story_count, claim_group_count, time.perf_counter() - started)


def _write_origins(conn) -> int:
    count = 0
    rows: list[dict] = []
    updates: list[dict] = []
    for members in linkdata.iter_group_members(conn):
        origin = group_origin(
            members[0].copy_group_id,
            [Member(m.article_id, m.published, m.agency, m.outlet_key, m.outlet) for m in members],
        )
        rows.append(
            {
                "id": origin.group_id,
                "origin_article_id": origin.origin_article_id,
                "agency": origin.agency,
                "size": origin.size,
                "published": origin.published,
            }
        )
        for m in members:
            key, name = origin.article_origins[m.article_id]
            if (m.origin_key, m.origin_name) != (key, name):
                updates.append({"article_id": m.article_id, "new_key": key, "new_name": name})
        count += 1
        if len(rows) >= linkdata.PAGE or len(updates) >= linkdata.PAGE:
            linkdata.write_copy_groups(conn, rows, updates)
            rows, updates = [], []
    linkdata.write_copy_groups(conn, rows, updates)
    return count


def _all_units(conn):
    yield from linkdata.iter_unit_rows(conn, dated=True)
    yield from linkdata.iter_unit_rows(conn, dated=False)


def _units(conn):
    batch = []
    for row in _all_units(conn):
        batch.append(row)
        if len(batch) >= linkdata.PAGE:
            yield from _as_units(conn, batch)
            batch = []
    yield from _as_units(conn, batch)


def _as_units(conn, rows) -> list[Unit]:
    names = linkdata.entity_names(conn, [row.version_id for row in rows])
    return [
        Unit(
            group_id=row.id,
            published=row.published,
            title=row.title,
            text=row.text,
            entities=names.get(row.version_id, frozenset()),
            size=row.size,
            origin_article_id=row.origin_article_id,
        )
        for row in rows
    ]


def _write_story(conn, draft: StoryDraft, config: Settings) -> int:
    """Write one story, its claim groups and their support; returns how many claim groups."""
    linkdata.assign_story(conn, draft.id, draft.group_ids)
    rows = linkdata.story_claims(conn, draft.id)
    inputs = [
        ClaimInput(r.id, r.article_id, r.speaker, r.speaker_resolved, r.speaker_kind, r.content, r.stance, r.entities)
        for r in rows
    ]
    drafts = group_claims(inputs, config)
    article_of = {r.id: r.article_id for r in rows}
    origin_of = linkdata.article_origins(conn, sorted(set(article_of.values())))
    ids = [min(d.claim_ids) for d in drafts]
    contents = {r.id: r.content for r in rows}
    groups, updates = [], []
    for group_id, group in zip(ids, drafts):
        denials = [c for other in drafts if other.denies is not None and ids[other.denies] == group_id for c in other.claim_ids]
        counts = support_counts(group.claim_ids, group.speaker_keys, article_of, origin_of, denials)
        groups.append(
            {
                "id": group_id,
                "stance": group.stance,
                "content": contents[group.representative_id],
                "representative_claim_id": group.representative_id,
                "denies_group_id": ids[group.denies] if group.denies is not None else None,
                "speakers": counts.speakers,
                "origins": counts.origins,
                "articles": counts.articles,
                "denials": counts.denials,
            }
        )
        updates.extend(
            {"claim_id": c, "group_id": group_id, "key": group.speaker_keys.get(c)} for c in group.claim_ids
        )
    linkdata.write_claim_groups(conn, draft.id, groups, updates)
    title_unit = draft.title_unit
    first, last = linkdata.story_span(conn, draft.id)
    linkdata.write_story(
        conn,
        {
            "id": draft.id,
            "title": title_unit.title,
            "first_seen": first,
            "last_seen": last,
            "representative_article_id": title_unit.origin_article_id,
        },
    )
    return len(groups)
