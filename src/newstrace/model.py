"""The plain data types that pass between the stages of the pipeline.

Each stage takes and returns these; none reaches into another stage's internals.
``Analysis.to_record`` gives the JSON contract of DESIGN.md (schema ``newstrace.analysis/1``).
Offsets are character offsets into ``Article.text``, end-exclusive.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

SCHEMA = "newstrace.analysis/1"

Span = tuple[int, int]
ParagraphKind = Literal["body", "subhead"]
EntityKind = Literal["person", "government", "organization", "place", "media", "group"]
SpeakerKind = Literal["person", "government", "organization", "media", "expert", "anonymous", "publisher"]
QuoteType = Literal["direct", "indirect", "mixed"]
Stance = Literal["assert", "deny"]
CueCommitment = Literal["confirmed", "neutral", "claimed", "alleged"]


class NewstraceError(Exception):
    """A document could not be processed; the message names the document and the reason."""

    def __init__(self, document: str, reason: str):
        super().__init__(f"{document}: {reason}")
        self.document = document
        self.reason = reason


@dataclass(slots=True)
class Document:
    """Bytes (or text) as they arrived, and from where."""

    content: bytes | str
    url: str | None = None
    path: str | None = None
    fetched_at: datetime | None = None
    content_type: str | None = None
    source_name: str | None = None
    # Metadata a source already knows (a feed entry's title, a JSON Lines record's date);
    # extract uses it only where the page itself says nothing.
    hints: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """How errors and listings refer to this document."""
        return self.url or self.path or self.source_name or "<document>"


@dataclass(slots=True)
class Paragraph:
    span: Span
    kind: ParagraphKind = "body"


@dataclass(slots=True)
class Article:
    """What a document says once the site chrome is gone."""

    text: str
    paragraphs: list[Paragraph]
    title: str | None = None
    bylines: list[str] = field(default_factory=list)
    published: str | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    language: str | None = None
    # Lines the extractor removed as chrome but that carry provenance evidence
    # (desk sign-offs, "Source link", credits); never part of ``text``.
    trailer: list[str] = field(default_factory=list)
    url: str | None = None
    path: str | None = None
    fetched_at: datetime | None = None

    def paragraph_texts(self) -> list[str]:
        return [self.text[p.span[0] : p.span[1]] for p in self.paragraphs]


@dataclass(slots=True)
class Fingerprint:
    """MinHash of the article's word shingles, for finding copies."""

    num_perm: int
    shingle_words: int
    seed: int
    scheme: str  # datasketch's permutation scheme, needed to compare fingerprints
    hashvalues: list[int]
    # How many distinct shingles the text has: with the MinHash Jaccard estimate it gives how much
    # of a shorter text a longer one contains (a trimmed copy contains little of the wire story
    # but is contained in it).
    shingle_count: int = 0


@dataclass(slots=True)
class Origin:
    """Who first wrote an article's text, and what showed it."""

    agency: str | None = None
    evidence: list[str] = field(default_factory=list)
    republished_by: str | None = None
    byline_is_reporter: bool | None = None
    fingerprint: Fingerprint | None = None


@dataclass(slots=True)
class Entity:
    name: str
    kind: EntityKind
    mentions: list[Span] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    role: str | None = None


@dataclass(slots=True)
class Claim:
    speaker: str | None
    speaker_resolved: str | None
    speaker_kind: SpeakerKind | None
    speaker_role: str | None
    cue: str | None
    cue_lemma: str | None
    cue_commitment: CueCommitment | None
    content: str
    quote: QuoteType
    stance: Stance
    hedge: str | None
    certainty: float
    span: Span
    content_span: Span
    speaker_span: Span | None = None
    cue_span: Span | None = None
    # Lemmas of the content's verbs: what claim grouping asks two speakers' claims to share.
    verbs: tuple[str, ...] = ()


@dataclass(slots=True)
class Analysis:
    """One page, fully read: the article, its origin, its entities and claims."""

    article: Article
    origin: Origin
    entities: list[Entity] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    def to_record(self, *, fingerprint: bool = False) -> dict[str, Any]:
        """The analysis record of DESIGN.md, ready for ``json.dumps``."""
        a = self.article
        origin = asdict(self.origin)
        if not fingerprint:
            origin.pop("fingerprint")
        return {
            "schema": SCHEMA,
            "source": {
                "url": a.url,
                "path": a.path,
                "fetched_at": _iso(a.fetched_at),
            },
            "title": a.title,
            "bylines": list(a.bylines),
            "published": a.published,
            "site_name": a.site_name,
            "canonical_url": a.canonical_url,
            "language": a.language,
            "text": a.text,
            "paragraphs": [{"span": list(p.span), "kind": p.kind} for p in a.paragraphs],
            "origin": origin,
            "entities": [_listify(asdict(e)) for e in self.entities],
            "claims": [_listify(asdict(c)) for c in self.claims],
        }


    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Analysis:
        """The inverse of ``to_record`` (a stored or received analysis record back into types)."""
        source = record.get("source") or {}
        fetched = source.get("fetched_at")
        article = Article(
            text=record["text"],
            paragraphs=[Paragraph(span=tuple(p["span"]), kind=p["kind"]) for p in record.get("paragraphs", [])],
            title=record.get("title"),
            bylines=list(record.get("bylines") or []),
            published=record.get("published"),
            site_name=record.get("site_name"),
            canonical_url=record.get("canonical_url"),
            language=record.get("language"),
            url=source.get("url"),
            path=source.get("path"),
            fetched_at=datetime.fromisoformat(fetched.replace("Z", "+00:00")) if fetched else None,
        )
        origin_fields = dict(record.get("origin") or {})
        fingerprint = origin_fields.pop("fingerprint", None)
        origin = Origin(**origin_fields, fingerprint=Fingerprint(**fingerprint) if fingerprint else None)
        entities = [
            Entity(**{**e, "mentions": [tuple(m) for m in e.get("mentions", [])]}) for e in record.get("entities", [])
        ]
        claims = [
            Claim(**{k: tuple(v) if (k.endswith("span") or k == "verbs") and v is not None else v for k, v in c.items()})
            for c in record.get("claims", [])
        ]
        return cls(article=article, origin=origin, entities=entities, claims=claims)


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.isoformat().replace("+00:00", "Z")


def _listify(record: dict[str, Any]) -> dict[str, Any]:
    """JSON has no tuples: spans become two-element lists."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, list):
            value = [list(v) if isinstance(v, tuple) else v for v in value]
        out[key] = value
    return out
