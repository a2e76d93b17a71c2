"""What the store's readers return: plain dataclasses, each with the JSON shape that
``docs/cli-json.md`` documents (the CLI's ``--json`` and, later, the web API print these)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # stored as UTC; SQLite keeps no zone
        return moment.isoformat() + "Z"
    return moment.isoformat().replace("+00:00", "Z")


@dataclass(slots=True)
class Origin:
    """An independent origin: an agency, or the outlet whose text it is."""

    key: str
    name: str

    @property
    def kind(self) -> str:
        return "agency" if self.key.startswith("agency:") else "outlet"

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, "kind": self.kind}


@dataclass(slots=True)
class ArticleRef:
    id: int
    title: str | None
    url: str | None
    path: str | None
    outlet: str
    published: str | None
    first_seen: datetime
    story_id: int | None
    copy_group_id: int
    copy_group_size: int
    is_copy_origin: bool
    origin: Origin | None
    agency: str | None
    partial: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "path": self.path,
            "outlet": self.outlet,
            "published": self.published,
            "first_seen": _iso(self.first_seen),
            "story": self.story_id,
            "copy_group": {"id": self.copy_group_id, "size": self.copy_group_size, "is_origin": self.is_copy_origin},
            "origin": self.origin.to_json() if self.origin else None,
            "agency_credit": self.agency,
            "partial": self.partial,
        }


@dataclass(slots=True)
class StorySummary:
    id: int
    title: str | None
    first_seen: str | None
    last_seen: str | None
    articles: int
    outlets: int
    origins: int
    claim_groups: int

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "articles": self.articles,
            "outlets": self.outlets,
            "independent_origins": self.origins,
            "claim_groups": self.claim_groups,
        }


@dataclass(slots=True)
class ClaimView:
    id: int
    article_id: int
    article_title: str | None
    outlet: str
    speaker: str | None
    speaker_resolved: str | None
    speaker_kind: str | None
    speaker_key: str | None
    cue: str | None
    content: str
    quote: str
    stance: str
    hedge: str | None
    certainty: float
    span: tuple[int, int]
    content_span: tuple[int, int]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "article": self.article_id,
            "article_title": self.article_title,
            "outlet": self.outlet,
            "speaker": self.speaker,
            "speaker_resolved": self.speaker_resolved,
            "speaker_kind": self.speaker_kind,
            "counted_as": self.speaker_key,
            "cue": self.cue,
            "content": self.content,
            "quote": self.quote,
            "stance": self.stance,
            "hedge": self.hedge,
            "certainty": self.certainty,
            "span": list(self.span),
            "content_span": list(self.content_span),
        }


@dataclass(slots=True)
class SpeakerSupport:
    name: str
    claims: list[int]


@dataclass(slots=True)
class OriginSupport:
    origin: Origin
    articles: list[int]


@dataclass(slots=True)
class Support:
    """A claim group's support; every count is the length of the list behind it."""

    speakers: list[SpeakerSupport] = field(default_factory=list)
    origins: list[OriginSupport] = field(default_factory=list)
    articles: list[int] = field(default_factory=list)
    denials: list[ClaimView] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "speakers": {
                "count": len(self.speakers),
                "items": [{"name": s.name, "claims": s.claims} for s in self.speakers],
            },
            "independent_origins": {
                "count": len(self.origins),
                "items": [{**o.origin.to_json(), "articles": o.articles} for o in self.origins],
            },
            "articles": {"count": len(self.articles), "items": self.articles},
            "denials": {"count": len(self.denials), "items": [d.to_json() for d in self.denials]},
        }


@dataclass(slots=True)
class ClaimGroupView:
    id: int
    story_id: int
    story_title: str | None
    stance: str
    content: str
    denies_group_id: int | None
    support: Support
    claims: list[ClaimView]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "story": {"id": self.story_id, "title": self.story_title},
            "stance": self.stance,
            "content": self.content,
            "denies_group": self.denies_group_id,
            "support": self.support.to_json(),
            "claims": [c.to_json() for c in self.claims],
        }


@dataclass(slots=True)
class CopyGroupView:
    id: int
    origin_article_id: int
    agency: str | None
    articles: list[int]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "origin_article": self.origin_article_id, "agency": self.agency, "articles": self.articles}


@dataclass(slots=True)
class StoryDetail:
    summary: StorySummary
    articles: list[ArticleRef]
    copy_groups: list[CopyGroupView]
    outlets: list[tuple[str, list[int]]]
    origins: list[OriginSupport]
    claim_groups: list[ClaimGroupView]

    def timeline(self) -> list[ArticleRef]:
        """The articles in the order they appeared (publication date, else first seen)."""
        return sorted(self.articles, key=lambda a: (a.published or a.first_seen.date().isoformat(), a.id))

    def to_json(self) -> dict[str, Any]:
        s = self.summary
        return {
            "schema": "newstrace.story/1",
            "id": s.id,
            "title": s.title,
            "first_seen": s.first_seen,
            "last_seen": s.last_seen,
            "counts": {
                "articles": s.articles,
                "outlets": s.outlets,
                "independent_origins": s.origins,
                "claim_groups": s.claim_groups,
            },
            "articles": [a.to_json() for a in self.articles],
            "outlets": [{"name": name, "articles": ids} for name, ids in self.outlets],
            "independent_origins": [{**o.origin.to_json(), "articles": o.articles} for o in self.origins],
            "copy_groups": [g.to_json() for g in self.copy_groups],
            "timeline": [
                {"date": a.published or a.first_seen.date().isoformat(), "article": a.id, "title": a.title, "outlet": a.outlet}
                for a in self.timeline()
            ],
            "claim_groups": [g.to_json() for g in self.claim_groups],
        }


@dataclass(slots=True)
class SearchHit:
    article: ArticleRef
    snippet: str

    def to_json(self) -> dict[str, Any]:
        return {**self.article.to_json(), "snippet": self.snippet}


@dataclass(slots=True)
class ErrorRecord:
    id: int
    source: str | None
    document: str
    reason: str
    first_seen: datetime
    last_seen: datetime
    count: int

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "document": self.document,
            "reason": self.reason,
            "first_seen": _iso(self.first_seen),
            "last_seen": _iso(self.last_seen),
            "count": self.count,
        }
