"""Support of a claim group, as numbers that expand into lists: distinct resolved speakers,
independent origins (a copy group counts once; an outlet quoting an agency counts as that agency),
the articles carrying the claim, and the claims that deny it.

The counts are stored with the group (to sort by); the store's readers expand each into its list
from the same columns (a claim's speaker key, an article's origin key), so the two always agree.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class SupportCounts:
    speakers: int
    origins: int
    articles: int
    denials: int


def support_counts(
    claim_ids: list[int],
    speaker_keys: dict[int, str | None],
    article_of: dict[int, int],
    origin_of: dict[int, str | None],
    denial_ids: list[int],
) -> SupportCounts:
    """Counts for a group of ``claim_ids``; ``origin_of`` maps article id to its origin key."""
    articles = {article_of[c] for c in claim_ids}
    speakers = {speaker_keys.get(c).lower() for c in claim_ids if speaker_keys.get(c)}
    origins = {origin_of.get(a) for a in articles} - {None}
    return SupportCounts(
        speakers=len(speakers),
        origins=len(origins),
        articles=len(articles),
        denials=len(set(denial_ids)),
    )
