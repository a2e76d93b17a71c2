"""The trained tagger as the claims stage's span finder, combined with the rules.

The tagger reads the rules' own reading of each token as a feature (features.py), so it already
knows where the rules put sources, cues and contents; measured on PolNeAR dev
(docs/attribution-model.md), it is the better judge of *which* cues there are and of their
sources. The rules resolve what the spans mean (speakers, stance, hedges). So: the tagger decides
the cues and their sources; where the rules found the same cue, their reading is kept, and the
content chooser (chooser.py) picks the tagger's content or theirs; a cue only the tagger found
keeps the tagger's spans; a cue the tagger found but could link no content to keeps the rules'
attribution, if they read one. The boundary ranker (boundaries.py) then places each content's
start and end. Rules-only attributions stay only where the rules are on their
own ground: denials, quotations continuing the previous speaker, and attributions read from the
layout (signed quotations, speaker labels). Last, an attribution whose cue and content are both
doubtful (confidence.py) is dropped.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from newstrace.claims.attribution import LAYOUT_CUES, Attribution, find_attributions, read_paragraph
from newstrace.claims.cues import ACCORDING_TO, cue_for
from newstrace.claims.model.boundaries import BoundaryRanker
from newstrace.claims.model.chooser import ContentChooser, choice_features
from newstrace.claims.model.confidence import AttributionConfidence, attribution_features
from newstrace.claims.model.decode import TokenSpan, best_labels, char_span, link, read_spans, span_root, spans_overlap
from newstrace.claims.model.tagger import AttributionTagger
from newstrace.claims.nlp import doc_text
from newstrace.claims.polnear import polnear_would_mark
from newstrace.claims.quotes import quote_regions, region_at
from newstrace.model import QuoteType, Span


class HybridSpanFinder:
    """``(paragraph spans, parsed paragraphs) → attributions``: tagger cues, rules' reading."""

    def __init__(
        self,
        tagger: AttributionTagger,
        chooser: ContentChooser | None,
        boundaries: BoundaryRanker | None = None,
        confidence: AttributionConfidence | None = None,
    ):
        self.tagger = tagger
        self.chooser = chooser
        self.boundaries = boundaries
        self.confidence = confidence

    def __call__(self, paragraph_spans: list[Span], docs: list[Doc]) -> list[Attribution]:
        # Each paragraph read by the rules once: on its own, the tagger's input, and in the article.
        readings = [read_paragraph(doc) for doc in docs]
        ruled = find_attributions(paragraph_spans, docs, readings)
        found: list[Attribution] = []
        probabilities = self.tagger.probabilities(docs, readings)
        for index, ((base, _), doc, probs) in enumerate(zip(paragraph_spans, docs, probabilities)):
            if not len(doc):
                continue
            own = [a for a in ruled if a.paragraph == index]
            taken: set[int] = set()
            before = len(found)

            def same_cue(cue: TokenSpan, with_content: bool = False) -> int | None:
                """The first rules attribution not yet taken whose cue overlaps ``cue``."""
                span = char_span(doc, base, cue)
                return next(
                    (
                        k
                        for k, a in enumerate(own)
                        if k not in taken and (a.content or not with_content) and any(spans_overlap(span, c) for c in a.cue)
                    ),
                    None,
                )

            labels = best_labels(probs, doc)
            spans = read_spans(labels, doc)
            linked = link(spans, doc)
            text = doc_text(doc)
            quotes = quote_regions(text) if linked else []
            for cue, source, pieces in linked:
                tagged = _from_tagger(index, doc, base, cue, source, pieces, quotes)
                match = same_cue(cue)
                if match is not None:
                    taken.add(match)
                    ruled_here = own[match]
                    tagger_content = bool(tagged.content and ruled_here.content and tagged.content != ruled_here.content) and (
                        self.keeps_tagger_content(doc, base, probs, ruled_here, tagged)
                    )
                    found.append(_merge(ruled_here, tagged, text, base, tagger_content))
                elif span_root(doc, cue).dep_ not in _NOT_CUE_HEADS:
                    found.append(tagged)
            # A cue the tagger found but could link no content to, which the rules read with one.
            linked_cues = {cue for cue, _, _ in linked}
            for cue in (s for s in spans if s.role == "CUE" and s not in linked_cues):
                match = same_cue(cue, with_content=True)
                if match is not None:
                    taken.add(match)
                    found.append(own[match])
            found.extend(a for k, a in enumerate(own) if k not in taken and _rules_keep(a))
            placed = self.place_edges(doc, base, probs, found[before:])
            found[before:] = [a for a in placed if not polnear_would_mark(a) or self.keeps(doc, base, probs, labels, a, own)]
        found.sort(key=lambda a: (a.paragraph, (a.cue or a.content or [a.sentence])[0]))
        return found

    def keeps_tagger_content(self, doc: Doc, base: int, probs, ruled: Attribution, tagged: Attribution) -> bool:
        """Whether the tagger's content replaces the rules' for a cue both found (``chooser.py``;
        with no chooser, the rules' content is kept)."""
        return self.chooser is not None and self.chooser.prefers_tagger(choice_features(doc, base, probs, ruled, tagged))

    def keeps(self, doc: Doc, base: int, probs, labels, attribution: Attribution, ruled: list[Attribution]) -> bool:
        """Whether an attribution PolNeAR would mark stays (``confidence.py``: not both its cue and
        its content doubtful; with no confidence model, all stay). ``ruled``: the rules'
        attributions in the paragraph."""
        if self.confidence is None:
            return True
        return self.confidence.keeps(attribution_features(doc, base, probs, labels, attribution, ruled))

    def place_edges(self, doc: Doc, base: int, probs, attributions: list[Attribution]) -> list[Attribution]:
        """One paragraph's attributions with their contents' edges moved where the boundary
        ranker puts them (``boundaries.py``; with none, left where they are)."""
        if self.boundaries is None:
            return attributions
        return self.boundaries.place(attributions, doc, base, probs)


# A cue only the tagger found is dropped where its head word is a function word or the object of
# another word: on PolNeAR train, with taggers trained on the other half, 32 such cues in 224
# were right, against 46% of the tagger's own cues.
_NOT_CUE_HEADS = {"aux", "auxpass", "prep", "case", "punct", "advmod", "dobj", "pobj", "xcomp"}


def _rules_keep(attribution: Attribution) -> bool:
    """A rules-only attribution stays where the rules are on their own ground: a denial ("something
    Moscow and Pyongyang have denied", a construction the rules read specially), no cue at all (a
    quotation continuing the previous speaker, which the tagger does not look for), or a cue read
    from the layout (a signed quotation, a speaker's label). Other rules cues the tagger passed
    over are dropped: it reads them as a feature and learned to doubt them."""
    if not attribution.cue or attribution.continues or attribution.cue_lemma in LAYOUT_CUES:
        return True
    entry = cue_for(attribution.cue_lemma or "")
    return entry is not None and entry.denial


def _merge(ruled: Attribution, tagged: Attribution, text: str, base: int, tagger_content: bool) -> Attribution:
    """One cue found by both: the tagger's cue and source, the rules' reading, and the content that
    ``tagger_content`` says (``text``: the paragraph's, starting at ``base``).

    The rules' speakers stay when they lie in the tagger's source ("Moscow and Pyongyang" is two
    speakers). The rules' source stays where the tagger's is the start of it, cut short of a
    phrase with no comma ("Sanders" of "Sanders' campaign", "Marco" of "Marco Rubio"): on
    PolNeAR train, with taggers trained on the other half, the rules' were right 76 times to 22."""
    merged = replace(ruled, cue=tagged.cue)
    keep_rules = ruled.source is not None and tagged.source is not None and _cut_short(ruled.source, tagged.source, text, base)
    if tagged.source is not None and not keep_rules:
        inside = ruled.source is not None and spans_overlap(ruled.source, tagged.source)
        merged = replace(merged, source=tagged.source, speakers=ruled.speakers if inside else tagged.speakers)
    if tagger_content:
        merged = replace(merged, content=tagged.content, quote=tagged.quote, content_kind=tagged.content_kind)
    return merged


def _cut_short(whole: Span, start: Span, text: str, base: int) -> bool:
    """Whether ``start`` is the beginning of ``whole`` and what it leaves out has no comma, dash or parenthesis."""
    if start[0] != whole[0] or start[1] >= whole[1]:
        return False
    return not any(mark in text[start[1] - base : whole[1] - base] for mark in ",—–(")


def _from_tagger(
    index: int,
    doc: Doc,
    base: int,
    cue: TokenSpan,
    source: TokenSpan | None,
    pieces: list[TokenSpan],
    quotes: list[Span],
) -> Attribution:
    """An attribution from the tagger's spans, read the way the rules read theirs (``quotes``: the
    paragraph's quotation regions)."""
    head = span_root(doc, cue)
    lemma = ACCORDING_TO.lemma if doc[cue.start].lower_ == "according" else head.lemma_.lower()
    # The cue lexicon is one of verbs: "the dispute over pay" is no denial.
    if lemma == ACCORDING_TO.lemma:
        entry = ACCORDING_TO
    else:
        entry = cue_for(lemma) if head.pos_ in {"VERB", "AUX"} else None
    sentence = head.sent
    content = [char_span(doc, base, p) for p in pieces]
    quote = _quote_type(doc, pieces, quotes)
    source_span = char_span(doc, base, source) if source is not None else None
    return Attribution(
        paragraph=index,
        sentence=(base + sentence.start_char, base + sentence.end_char),
        cue=[char_span(doc, base, cue)],
        cue_lemma=lemma,
        source=source_span,
        speakers=[source_span] if source_span is not None else [],
        content=content,
        content_kind="quote" if quote == "direct" else _content_kind(doc, pieces),
        quote=quote,
        sort=entry.sort if entry is not None else None,
        negated=any(child.dep_ == "neg" for child in head.children),
    )


def _content_kind(doc: Doc, pieces: list[TokenSpan]) -> str:
    """A clause (it has a verb with a subject, or starts with that/whether/if), else an object."""
    tokens = [t for p in pieces for t in doc[p.start : p.end]]
    if not tokens:
        return "object"
    if tokens[0].lower_ in {"that", "whether", "if"}:
        return "clause"
    if tokens[0].lower_ == "to" and tokens[0].tag_ == "TO":
        return "infinitive"
    clausal = any(t.pos_ in {"VERB", "AUX"} and any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in t.children) for t in tokens)
    return "clause" if clausal else "object"


def _quote_type(doc: Doc, pieces: list[TokenSpan], regions: list[Span]) -> QuoteType:
    words = [t for p in pieces for t in doc[p.start : p.end] if not t.is_punct]
    if not words:
        return "indirect"
    quoted = sum(1 for t in words if region_at(regions, t.idx) is not None)
    if quoted == len(words):
        return "direct"
    return "mixed" if quoted else "indirect"
