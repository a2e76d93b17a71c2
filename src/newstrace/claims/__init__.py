"""Claims: ``Article → (entities, claims)``. Who claims what, through which words, and how sure.

spaCy parses the article paragraph by paragraph (nlp.py); then, each in its own module:
entities (entities.py, countries.py), attribution spans (attribution.py, replaceable by a trained
span finder: anything that returns ``Attribution`` records), speaker resolution (speakers.py),
stance and commitment from the cue lexicon (cues.py), and hedges (hedges.py).
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Token

from newstrace.claims.attribution import Attribution, find_attributions
from newstrace.claims.cues import cue_for
from newstrace.claims.entities import EntityIndex, find_dateline, find_entities
from newstrace.claims.hedges import find_hedge, hedge_of
from newstrace.claims.nlp import doc_text, load_nlp, parse_paragraphs
from newstrace.claims.quotes import quote_regions
from newstrace.claims.speakers import Speaker, SpeakerResolver
from newstrace.model import Article, Claim, Entity, Span

SpanFinder = Callable[[list[Span], list[Doc]], list[Attribution]]

_QUOTE_MARKS = "\"“”„'‘’`"
# "If you think ...", "you'll understand ...": the reader addressed in general, not a speaker.
_GENERIC_SPEAKERS = {"you", "one"}
_TRAILING = ",.;:"
_FIRST_PERSON = {"i", "we"}
_FINITE_TAGS = {"VBD", "VBP", "VBZ", "MD"}


def analyze_claims(article: Article, find: SpanFinder = find_attributions) -> tuple[list[Entity], list[Claim]]:
    """The entities and claims of one article (spaCy is loaded once per process)."""
    docs = parse_paragraphs(article.paragraph_texts())
    return claims_from_parse(article, docs, find)


def claims_from_parse(
    article: Article, docs: list[Doc], find: SpanFinder = find_attributions
) -> tuple[list[Entity], list[Claim]]:
    """Entities and claims from paragraphs already parsed (one ``Doc`` per ``article.paragraphs``)."""
    spans = [p.span for p in article.paragraphs]
    index = find_entities(spans, docs)
    resolver = SpeakerResolver(article.text, index, docs, spans, article.site_name, article.bylines)
    claims: list[Claim] = []
    for attribution in find(spans, docs):
        doc, base = docs[attribution.paragraph], spans[attribution.paragraph][0]
        if not is_claim(attribution) or _verbless_label(attribution, doc, base):
            continue
        for speaker in _speakers(attribution, resolver, doc, base):
            if (speaker.text or "").lower() in _GENERIC_SPEAKERS:
                continue
            claims.append(_claim(article.text, attribution, speaker, doc, base))
        end = attribution.content[-1][1]
        resolver.spoke_until(max(i for i, (start, _) in enumerate(spans) if start < end))
    _first_person_within(claims)
    return [e for e in index.entities if e.mentions], claims


def _first_person_within(claims: list[Claim]) -> None:
    """A claim whose speaker is "I" or "we" within another claim's content is in that claim's
    speaker's voice ("We have learned that the minister will resign, the newspaper said": the
    newspaper), whether or not the words are in quotation marks; the innermost such claim wins."""
    for claim in claims:
        if claim.speaker_span is None or (claim.speaker or "").lower() not in _FIRST_PERSON:
            continue
        start, end = claim.speaker_span
        around = [
            other
            for other in claims
            if other.content_span[0] <= start and end <= other.content_span[1] and other.speaker_resolved
            and (other.speaker or "").lower() not in _FIRST_PERSON
        ]
        if around:
            voice = min(around, key=lambda other: other.content_span[1] - other.content_span[0])
            claim.speaker_resolved, claim.speaker_kind, claim.speaker_role = (
                voice.speaker_resolved, voice.speaker_kind, voice.speaker_role
            )


def is_claim(attribution: Attribution) -> bool:
    """Statements only: said, believed or shown, with a clause or a quotation for content
    (or a denial of something named); not positions towards things ("praised X") or plans ("vowed to")."""
    if attribution.continues:
        return True
    if attribution.sort not in {"speech", "belief", "evidence"}:
        return False
    if attribution.content_kind in {"clause", "quote"}:
        return True
    cue = cue_for(attribution.cue_lemma or "")
    return attribution.content_kind == "object" and cue is not None and cue.denial


def _verbless_label(attribution: Attribution, doc: Doc, base: int) -> bool:
    """A name's label before words with no finite verb: a list ("Jane Roe: possession of heroin,
    held on bond"), not a speaker's turn ("PENCE: He will be there")."""
    if attribution.cue_lemma != "label":
        return False
    return not any(t.tag_ in _FINITE_TAGS for t in _tokens(doc, base, attribution.content))


def _speakers(attribution: Attribution, resolver: SpeakerResolver, doc: Doc, base: int) -> list[Speaker]:
    if attribution.continues:
        speaker = resolver.continuing(attribution.paragraph)
        return [speaker] if speaker is not None else []
    if not attribution.speakers:
        return [resolver.anonymous()]
    out = []
    for span in attribution.speakers:
        head = _root(doc, base, span)
        if head is not None and head.idx < find_dateline(doc_text(doc))[0]:
            # A dateline is no speaker; the parser sometimes makes it the verb's subject
            # ("WINNIPEG, May 14 (Reuters) - The Northern Reserve Bank kept ... and said").
            head = _subject_after_dateline(head)
            if head is None:
                out.append(resolver.anonymous())
                continue
            left = next(t for t in head.subtree if t.dep_ != "det")
            span = (base + left.idx, base + head.right_edge.idx + len(head.right_edge))
        if head is None:
            continue
        out.append(resolver.resolve(attribution.paragraph, span, head, attribution.source))
    return out


def _subject_after_dateline(dateline: Token) -> Token | None:
    """The subject the parser hung on a dateline it took for the verb's subject ("ORLANDO, Fla.
    (Reuters) - [President Barack Obama] met ..."), else the verb's other subject."""
    _, end = find_dateline(doc_text(dateline.doc))
    candidates = [c for c in dateline.children if c.dep_ == "appos"]
    candidates += [c for c in dateline.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
    return next((c for c in candidates if c.idx >= end), None)


def _root(doc: Doc, base: int, span: Span) -> Token | None:
    piece = doc.char_span(span[0] - base, span[1] - base, alignment_mode="expand")
    return piece.root if piece is not None and len(piece) else None


def _tokens(doc: Doc, base: int, spans: list[Span]) -> list[Token]:
    out: list[Token] = []
    for start, end in spans:
        piece = doc.char_span(start - base, end - base, alignment_mode="expand")
        if piece is not None:
            out.extend(piece)
    return out


def content_bounds(text: str, fragments: list[Span]) -> Span:
    """The content of a claim without its quotation marks, its "that" and trailing punctuation."""
    start, end = fragments[0][0], fragments[-1][1]
    while start < end and (text[start] in _QUOTE_MARKS or text[start].isspace()):
        start += 1
    if text.startswith("that ", start) and end - start > 5:
        start += 5
    while end > start and (text[end - 1] in _QUOTE_MARKS + _TRAILING or text[end - 1].isspace()):
        end -= 1
    return start, end


def _claim(text: str, attribution: Attribution, speaker: Speaker, doc: Doc, base: int) -> Claim:
    content_span = content_bounds(text, attribution.content)
    cue_span = (attribution.cue[0][0], attribution.cue[-1][1]) if attribution.cue else None
    cue = cue_for(attribution.cue_lemma or "")
    content_tokens = _tokens(doc, base, attribution.content)
    hedge = find_hedge(content_tokens)
    if hedge is None and cue_span is not None and attribution.source is None:
        # "It is believed that ...": the passive cue is itself the hedge.
        verb = _root(doc, base, cue_span)
        hedge = hedge_of(verb) if verb is not None else None
    edges = [attribution.sentence, content_span, *attribution.content]
    edges += [s for s in (cue_span, speaker.span) if s is not None]
    stance = "deny" if cue is not None and cue.denial and not attribution.negated else "assert"
    return Claim(
        speaker=speaker.text,
        speaker_resolved=speaker.resolved,
        speaker_kind=speaker.kind,
        speaker_role=speaker.role,
        cue=text[cue_span[0] : cue_span[1]] if cue_span else None,
        cue_lemma=attribution.cue_lemma,
        cue_commitment=cue.commitment if cue is not None else ("neutral" if cue_span else None),
        content=text[content_span[0] : content_span[1]],
        quote=attribution.quote,
        stance=stance,
        hedge=hedge.words if hedge is not None else None,
        certainty=hedge.certainty if hedge is not None else 1.0,
        span=(min(s[0] for s in edges), max(s[1] for s in edges)),
        content_span=content_span,
        speaker_span=speaker.span,
        cue_span=cue_span,
        verbs=tuple(sorted({t.lemma_.lower() for t in content_tokens if t.pos_ == "VERB"})),
    )


__all__ = [
    "Attribution",
    "EntityIndex",
    "analyze_claims",
    "claims_from_parse",
    "content_bounds",
    "find_attributions",
    "is_claim",
    "load_nlp",
    "parse_paragraphs",
    "quote_regions",
]
