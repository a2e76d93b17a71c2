"""Cutting an article's paragraphs into segments, each marked with the claims that cover it.

The reader highlights what each claim says (its content span) in the speaker's colour and marks
who says it (its speaker span). Claims can nest (a quotation inside a reported statement) and
sentences can hold several claims, so each paragraph is cut at every boundary and each piece
lists the claims whose content covers it and the claims whose speaker it names.
"""

from __future__ import annotations

from dataclasses import dataclass

from newstrace.model import Analysis


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    claims: tuple[int, ...]  # indices into Analysis.claims whose content covers the text, innermost last
    speaker_of: tuple[int, ...] = ()  # indices of the claims whose speaker this text names
    anchor: bool = False  # the first highlight of its (innermost) claim: the claims table links back here


@dataclass(frozen=True, slots=True)
class RenderedParagraph:
    kind: str
    segments: tuple[Segment, ...]


def paragraphs_with_claims(analysis: Analysis) -> list[RenderedParagraph]:
    """The article's paragraphs cut at every claim's content and speaker boundaries."""
    text = analysis.article.text
    contents = [c.content_span for c in analysis.claims]
    speakers = [c.speaker_span for c in analysis.claims]
    rendered = []
    anchored: set[int] = set()
    for paragraph in analysis.article.paragraphs:
        start, end = paragraph.span
        cuts = {start, end}
        for span in (*contents, *speakers):
            if span and span[0] < end and span[1] > start:
                cuts.update(min(max(p, start), end) for p in span)
        points = sorted(cuts)
        segments = []
        for left, right in zip(points, points[1:]):
            covering = sorted(
                (i for i, span in enumerate(contents) if span[0] <= left and span[1] >= right),
                key=lambda i: (contents[i][0] - contents[i][1], i),
            )
            named = tuple(i for i, span in enumerate(speakers) if span and span[0] <= left and span[1] >= right)
            first = bool(covering) and covering[-1] not in anchored
            if first:
                anchored.add(covering[-1])
            segments.append(Segment(text[left:right], tuple(covering), named, first))
        rendered.append(RenderedParagraph(paragraph.kind, tuple(segments)))
    return rendered


def anchored_claims(paragraphs: list[RenderedParagraph]) -> set[int]:
    """The claims that have a highlight of their own in the text (a claim with the same content
    span as another shares that one's highlight)."""
    return {s.claims[-1] for p in paragraphs for s in p.segments if s.anchor}


def speaker_palette(analysis: Analysis, colours: int = 8) -> dict[int, int]:
    """A colour index per claim, the same for every claim of one resolved speaker."""
    order: dict[str, int] = {}
    palette = {}
    for i, claim in enumerate(analysis.claims):
        who = claim.speaker_resolved or claim.speaker or "?"
        palette[i] = order.setdefault(who, len(order)) % colours
    return palette
