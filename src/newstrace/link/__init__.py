"""Link: across articles. Copy groups (kept up to date at ingest, ``link.copies``), then, over the
whole store, each group's origin, stories and claim groups with their support.

``relink`` streams: copy groups one at a time, stories as they close, claim groups story by story,
so that memory follows the open stories, not the corpus.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Engine

from newstrace.config import Settings, settings
from newstrace.link.claim_groups import ClaimInput, group_claims
from newstrace.link.origins import Member, group_origin
from newstrace.link.stories import StoryDraft, Unit, Vocabulary, link_stories
from newstrace.link.support import support_counts
from newstrace.store import linkdata


# Closed stories are written this many at a time (a few statements per batch, not per story).
STORY_BATCH = 200


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
        batch: list[StoryDraft] = []
        for draft in link_stories(_units(conn), vocabulary, config, keep_all=keep_all):
            batch.append(draft)
            if len(batch) >= STORY_BATCH:
                claim_group_count += _write_stories(conn, batch, config)
                story_count, batch = story_count + len(batch), []
        claim_group_count += _write_stories(conn, batch, config)
        story_count += len(batch)
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


def _write_stories(conn, drafts: list[StoryDraft], config: Settings) -> int:
    """Write closed stories, their claim groups and support; returns how many claim groups."""
    if not drafts:
        return 0
    linkdata.assign_stories(conn, {d.id: d.group_ids for d in drafts})
    story_ids = [d.id for d in drafts]
    members: dict[int, list[linkdata.StoryMember]] = defaultdict(list)
    for member in linkdata.story_members(conn, story_ids):
        members[member.story_id].append(member)
    claims_of: dict[int, list[linkdata.ClaimRow]] = defaultdict(list)
    for row in linkdata.story_claims(conn, story_ids):
        claims_of[row.story_id].append(row)
    groups: list[dict] = []
    updates: list[dict] = []
    stories: list[dict] = []
    for draft in drafts:
        origin_of = {m.article_id: m.origin_key for m in members[draft.id]}
        story_groups = _claim_groups(draft.id, claims_of[draft.id], origin_of, config, updates)
        groups.extend(story_groups)
        stories.append(_story_row(draft, members[draft.id], len(story_groups)))
    linkdata.write_claim_groups(conn, groups, updates)
    linkdata.write_stories(conn, stories)
    return len(groups)


def _claim_groups(story_id: int, rows, origin_of: dict[int, str | None], config: Settings, updates: list[dict]) -> list[dict]:
    inputs = [
        ClaimInput(
            r.id, r.article_id, r.speaker, r.speaker_resolved, r.speaker_kind, r.content, r.stance, r.entities, (r.span_start, r.span_end), r.verbs
        )
        for r in rows
    ]
    drafts = group_claims(inputs, config)
    article_of = {r.id: r.article_id for r in rows}
    contents = {r.id: r.content for r in rows}
    # A group is named by its smallest claim id: stable while the claims stay.
    ids = [min(d.claim_ids) for d in drafts]
    groups = []
    for group_id, group in zip(ids, drafts):
        denials = [c for other in drafts if other.denies is not None and ids[other.denies] == group_id for c in other.claim_ids]
        counts = support_counts(group.claim_ids, group.speaker_keys, article_of, origin_of, denials)
        groups.append(
            {
                "id": group_id,
                "story_id": story_id,
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
        updates.extend({"b_claim": c, "b_group": group_id, "b_key": group.speaker_keys.get(c)} for c in group.claim_ids)
    return groups


def _story_row(draft: StoryDraft, members: list[linkdata.StoryMember], claim_groups: int) -> dict:
    """A story's row: its title, span and counts (each the size of a list the store can expand).

    The span runs over publication dates (an undated copy counts at its copy group's date); a
    story with no date at all spans the days its articles were first seen.
    """
    days = [m.day for m in members if m.day] or [m.first_seen.date().isoformat() for m in members]
    title_unit = draft.title_unit
    return {
        "id": draft.id,
        "title": title_unit.title,
        "first_seen": min(days),
        "last_seen": max(days),
        "articles": len(members),
        "outlets": len({m.outlet_key for m in members}),
        "origins": len({m.origin_key for m in members if m.origin_key}),
        "claim_groups": claim_groups,
        "representative_article_id": title_unit.origin_article_id,
    }
