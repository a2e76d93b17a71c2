"""Cutting an article's paragraphs into segments, each marked with the claims that cover it.

The reader highlights every claim in the text; claims can nest (a quotation inside a reported
statement), so each paragraph is cut at every claim boundary and each piece lists its claims.
"""

from __future__ import annotations

from dataclasses import dataclass

from newstrace.model import Analysis


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    claims: tuple[int, ...]  # indices into Analysis.claims, outermost first


@dataclass(frozen=True, slots=True)
class RenderedParagraph:
    kind: str
    segments: tuple[Segment, ...]


def paragraphs_with_claims(analysis: Analysis) -> list[RenderedParagraph]:
    text = analysis.article.text
    claims = analysis.claims
    rendered = []
    for paragraph in analysis.article.paragraphs:
        start, end = paragraph.span
        inside = [i for i, c in enumerate(claims) if c.span[0] < end and c.span[1] > start]
        cuts = {start, end}
        for i in inside:
            cuts.update(min(max(p, start), end) for p in claims[i].span)
        points = sorted(cuts)
        segments = []
        for left, right in zip(points, points[1:]):
            covering = sorted(
                (i for i in inside if claims[i].span[0] <= left and claims[i].span[1] >= right),
                key=lambda i: claims[i].span[0] - claims[i].span[1],
            )
            segments.append(Segment(text[left:right], tuple(covering)))
        rendered.append(RenderedParagraph(paragraph.kind, tuple(segments)))
    return rendered


def speaker_palette(analysis: Analysis, colours: int = 8) -> dict[int, int]:
    """A colour index per claim, the same for every claim of one resolved speaker."""
    order: dict[str, int] = {}
    palette = {}
    for i, claim in enumerate(analysis.claims):
        who = claim.speaker_resolved or claim.speaker or "?"
        palette[i] = order.setdefault(who, len(order)) % colours
    return palette
