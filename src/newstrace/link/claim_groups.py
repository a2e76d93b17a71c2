"""Claim groups: one claim across the articles of a story and across wordings.

Two claims of the same stance join when their content words overlap (cosine of the two word
sets) enough. Enough is ``claim_min_similarity`` for two claims with nothing else in common, and
less for each piece of evidence that they are one claim: the same speaker, each number or named
entity both contents mention (at most two), and for one speaker's two claims a shared verb other
than the commonest ("refused to negotiate on the union's main demand"; "had refused to negotiate
over shorter hours"); every piece multiplies the bar by
``claim_evidence_discount``. So "six North Korean officers were killed" and "six officers from the
North died in the strike", both from the defence ministry, join on little shared wording, while
two unrelated sentences need most of their words in common. Claims of two different speakers
count as one only where they also say the same thing of their subject: their contents share a
verb ("killed", "were killed"), or the pair clears the full bar. Otherwise two sides of a dispute
that name the same topic ("the union's demand for a 35-hour week would force us to hire 2,000
drivers"; "Nordbahn refused to negotiate on the 35-hour week") would read as one claim with two
independent speakers. Denials start from a lower bar,
``denial_group_similarity``: a story has few of them, and two that share their words almost always
reject the same thing (said by different people for one side: a company and its chief executive).
Groups are the connected sets of such pairs. A group of denials denies the assertion group whose
claims its own overlap most, by at least ``denial_min_similarity``, leaving out the denier's own
claims and the clauses of the denying sentence itself; the speaker of a denial is usually the
other side, so no shared speaker is asked for.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from newstrace.config import Settings
from newstrace.link.terms import content_words

_PRONOUNS = frozenset("i we you he she it they this that who one".split())
# Verbs too common to say that one speaker's two claims tell the same thing.
_LIGHT_VERBS = frozenset("have do make get go take give come say tell know think see want need".split())


@dataclass(slots=True)
class ClaimInput:
    """One claim of a story's current articles, as grouping needs it."""

    id: int
    article_id: int
    speaker: str | None
    speaker_resolved: str | None
    speaker_kind: str | None
    content: str
    stance: str
    entities: tuple[str, ...] = ()
    span: tuple[int, int] = (0, 0)
    # Lemmas of the content's verbs; None where unknown (claims stored before they were kept).
    verbs: frozenset[str] | None = None


@dataclass(slots=True)
class ClaimGroupDraft:
    claim_ids: list[int]
    stance: str
    representative_id: int
    # Index (into the drafts of the same story) of the assertion group this denial group denies.
    denies: int | None = None
    # claim id → the speaker it counts as (None: not a resolved speaker)
    speaker_keys: dict[int, str | None] = field(default_factory=dict)


@dataclass(slots=True)
class _Prepared:
    claim: ClaimInput
    words: frozenset[str]
    anchors: frozenset[str]
    speaker: str | None


def speaker_name(claim: ClaimInput) -> str | None:
    """The name a claim's speaker counts under, or None for a pronoun left unresolved or an
    anonymous source (not a resolved speaker)."""
    if claim.speaker_kind == "anonymous":
        return None
    name = (claim.speaker_resolved or claim.speaker or "").strip()
    if not name or name.lower() in _PRONOUNS:
        return None
    return " ".join(name.split())


def _prepare(claim: ClaimInput) -> _Prepared:
    words = frozenset(content_words(claim.content))
    anchors = frozenset(w for w in words if w[0].isdigit()) | frozenset(e.lower() for e in claim.entities)
    speaker = speaker_name(claim)
    return _Prepared(claim, words, anchors, speaker.lower() if speaker else None)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Cosine of two word sets."""
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def _same_speaker(a: str | None, b: str | None) -> bool:
    """One speaker named twice: equal, or one name's words all in the other ("Rivas", "Marcela Rivas")."""
    if not a or not b:
        return False
    wa, wb = set(a.split()), set(b.split())
    return wa <= wb or wb <= wa


def _evidence(a: _Prepared, b: _Prepared) -> int:
    """Pieces of evidence that two claims are one: the same speaker, each number or entity both
    contents mention (at most two), and for one speaker's claims a shared verb that carries meaning
    ("refused to negotiate" reported in two wordings). Two speakers' claims have none unless their
    contents share a verb (or either's verbs are unknown)."""
    same_speaker = _same_speaker(a.speaker, b.speaker)
    va, vb = a.claim.verbs, b.claim.verbs
    shared_verbs = va & vb if va is not None and vb is not None else None
    if not same_speaker and shared_verbs is not None and not shared_verbs:
        return 0
    told_alike = same_speaker and bool(shared_verbs and shared_verbs - _LIGHT_VERBS)
    return int(same_speaker) + int(told_alike) + min(2, len(a.anchors & b.anchors))


def group_claims(claims: list[ClaimInput], config: Settings) -> list[ClaimGroupDraft]:
    """The claim groups of one story's claims, with denials tied to what they deny."""
    prepared = [_prepare(c) for c in sorted(claims, key=lambda c: c.id)]
    parent = list(range(len(prepared)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(prepared):
        for j in range(i + 1, len(prepared)):
            b = prepared[j]
            if a.claim.stance != b.claim.stance:
                continue
            base = config.denial_group_similarity if a.claim.stance == "deny" else config.claim_min_similarity
            if similarity(a.words, b.words) >= base * config.claim_evidence_discount ** _evidence(a, b):
                parent[find(j)] = find(i)

    members: dict[int, list[_Prepared]] = {}
    for i, item in enumerate(prepared):
        members.setdefault(find(i), []).append(item)
    drafts = [_draft(group) for group in members.values()]
    _tie_denials(drafts, {p.claim.id: p for p in prepared}, config)
    return drafts


def _draft(group: list[_Prepared]) -> ClaimGroupDraft:
    # The representative wording is the one closest to all the others (ties: the first stored).
    def centrality(item: _Prepared) -> float:
        return sum(similarity(item.words, other.words) for other in group if other is not item)

    representative = max(group, key=lambda item: (centrality(item), -item.claim.id))
    return ClaimGroupDraft(
        claim_ids=[item.claim.id for item in group],
        stance=group[0].claim.stance,
        representative_id=representative.claim.id,
        speaker_keys=_speaker_keys(group),
    )


def _speaker_keys(group: list[_Prepared]) -> dict[int, str | None]:
    """Each claim's speaker as counted in its group: a short form ("Rivas") counts as the longest
    name in the group that contains it ("Marcela Rivas")."""
    names = {speaker_name(item.claim) for item in group} - {None}
    longest_first = sorted(names, key=lambda n: (-len(n.split()), n))
    keys: dict[int, str | None] = {}
    for item in group:
        name = speaker_name(item.claim)
        if name is None:
            keys[item.claim.id] = None
            continue
        words = set(name.lower().split())
        keys[item.claim.id] = next((n for n in longest_first if words <= set(n.lower().split())), name)
    return keys


def _may_deny(denial: _Prepared, claim: _Prepared) -> bool:
    """Whether ``denial`` can be aimed at ``claim``: not at its own speaker's words, and not at a
    clause of its own sentence ("X denied A, saying B": B is X's claim, not what X denies)."""
    if _same_speaker(denial.speaker, claim.speaker):
        return False
    a, b = denial.claim, claim.claim
    return not (a.article_id == b.article_id and a.span[0] < b.span[1] and b.span[0] < a.span[1])


def _tie_denials(drafts: list[ClaimGroupDraft], by_id: dict[int, _Prepared], config: Settings) -> None:
    assertions = [i for i, d in enumerate(drafts) if d.stance != "deny"]
    for draft in drafts:
        if draft.stance != "deny":
            continue
        best, best_score = None, 0.0
        for index in assertions:
            pairs = [
                similarity(by_id[a].words, by_id[b].words)
                for a in draft.claim_ids
                for b in drafts[index].claim_ids
                if _may_deny(by_id[a], by_id[b])
            ]
            score = max(pairs, default=0.0)
            if score > best_score:
                best, best_score = index, score
        if best is not None and best_score >= config.denial_min_similarity:
            draft.denies = best
