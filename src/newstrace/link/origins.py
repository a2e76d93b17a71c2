"""Each copy group's origin, and each article's independent origin.

A copy group's origin is its agency-credited member when one credits an agency (the agency wrote
the text; the most credited agency wins, then the earliest), else its earliest member. An
article's independent origin is the agency its text comes from (its group's or its own credit: an
outlet quoting an agency counts as that agency), else the outlet of its group's origin: a copy
group counts once, whichever outlets republished it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(slots=True)
class Member:
    """One article of a copy group, as origin finding needs it."""

    article_id: int
    published: str | None
    agency: str | None
    outlet_key: str
    outlet: str


@dataclass(slots=True)
class GroupOrigin:
    group_id: int
    origin_article_id: int
    agency: str | None
    published: str | None
    size: int
    # article id → (origin key, origin name)
    article_origins: dict[int, tuple[str, str]]


def agency_key(agency: str) -> str:
    return "agency:" + " ".join(agency.lower().split())


def _earliest(members: list[Member]) -> Member:
    # Undated members sort last; among equals the first stored (smallest id) came first.
    return min(members, key=lambda m: (m.published is None, m.published or "", m.article_id))


def group_origin(group_id: int, members: list[Member]) -> GroupOrigin:
    """The origin of one copy group and the independent origin of each of its articles."""
    credited = [m for m in members if m.agency]
    agency = None
    if credited:
        tally = Counter(agency_key(m.agency) for m in credited)
        best = max(tally.values())
        first = _earliest([m for m in credited if tally[agency_key(m.agency)] == best])
        agency = first.agency
        origin = first
    else:
        origin = _earliest(members)
    dated = [m.published for m in members if m.published]
    if agency:
        origin_of = {m.article_id: (agency_key(agency), agency) for m in members}
    else:
        origin_of = {m.article_id: ("outlet:" + origin.outlet_key, origin.outlet) for m in members}
    return GroupOrigin(
        group_id=group_id,
        origin_article_id=origin.article_id,
        agency=agency,
        published=min(dated) if dated else None,
        size=len(members),
        article_origins=origin_of,
    )
