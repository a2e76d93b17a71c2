"""Where a content starts and ends: a ranker over the tokens a boundary could fall on.

Once the finder has read a cue's content, the tagger's or the rules', its edges are often one
phrase off: PolNeAR stops before ", forcing them ..." but runs on over "and concluded ...", and
leaves a sentence's opening "And" or quotation mark out. For each edge (the start of the first
content fragment, the end of the last) every token within ``WINDOW`` of it is a candidate; a
conditional logit model scores each candidate by the tagger's probabilities (how much content
the move adds or drops, whether the token after the edge goes on with it) and by what the edge
falls between (punctuation, a conjunction, a relative pronoun, another cue, a clause the parse
joins across it). The best-scoring candidate wins; the current edge is one of them.

The model is fitted like the content chooser: on readings of PolNeAR train by taggers trained on
the other folds (``train.fit_content_readers``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy
from spacy.attrs import DEP, HEAD, IDX, IS_PUNCT, IS_SPACE, LENGTH, LOWER, ORTH, POS, SENT_START, TAG
from spacy.strings import get_string_id
from spacy.symbols import ADJ, ADP, ADV, AUX, CCONJ, DET, NOUN, NUM, PART, PRON, PROPN, SCONJ, VERB
from spacy.tokens import Doc

from newstrace.claims.attribution import Attribution
from newstrace.claims.model.data import LABEL_ID
from newstrace.claims.model.fitted import read_fitted, write_fitted
from newstrace.claims.nlp import doc_text
from newstrace.model import Span

BOUNDARIES_FILE = "boundaries.json"
# Tokens on either side of an edge it may move to.
WINDOW = 40

_B, _I = LABEL_ID["B-CON"], LABEL_ID["I-CON"]
_QUOTE_MARKS = {'"', "“", "”", "'", "‘", "’", "`", "''", "``"}
_DASHES = {"-", "--", "–", "—", "―"}
_RELATIVES = {"which", "who", "whom", "whose", "where", "when"}
_OPENERS = {"that", "whether", "if", "to"}

# What lies just outside the edge (the token after an end, before a start).
_OUTSIDE = (
    "none", "own_cue", "other_cue", ".", ",", ";", ":", "?!", "quote", "dash", "(", ")", "sentence",
    "cconj", "relative", "that", "sconj", "gerund", "adp", "word",
)
# The edge's own token (the last of a content, the first).
_INSIDE = ("quote", "punct", "that", "cconj", "noun", "verb", "modifier", "function", "pronoun", "number", "word")
# The dependency of the outside token, and the same where it hangs on a token inside the content.
_DEPENDENCIES = ("conj", "cc", "relcl", "advcl", "prep", "punct", "acl", "npadvmod", "ccomp", "dobj", "advmod", "other")
_HANGING = ("conj", "relcl", "advcl", "prep", "acl")

FEATURES = (
    "tagger_log_odds_moved",  # the tagger's summed log odds of content over tokens the move adds (minus those it drops)
    "current",
    "log_tokens_added",
    "log_tokens_dropped",
    "log_edge_content",  # the tagger's log probability that the edge token is content
    "log_outside_free",  # ... that the outside token does not go on with the content
    "log_arcs_cut",  # dependency arcs within a sentence between the content and tokens past the edge
    "no_arc_cut",
    "outside_hangs_inside",
    "sentences_moved",
    "content_sentences",
    "own_cue_inside",
    "other_cue_inside",
    "log_length",
    *(f"outside_{c}" for c in _OUTSIDE),
    *(f"inside_{c}" for c in _INSIDE),
    *(f"outside_dep_{d}" for d in _DEPENDENCIES),
    *(f"outside_hangs_inside_{d}" for d in _HANGING),
)
SIDES = ("start", "end")
# Where each one-hot group's columns begin in FEATURES; which column of the hanging group a dependency has (-1: none).
_ONE_HOT = {
    "outside": FEATURES.index(f"outside_{_OUTSIDE[0]}"),
    "inside": FEATURES.index(f"inside_{_INSIDE[0]}"),
    "dependency": FEATURES.index(f"outside_dep_{_DEPENDENCIES[0]}"),
    "hanging": FEATURES.index(f"outside_hangs_inside_{_HANGING[0]}"),
}
_HANGING_COLUMN = numpy.array([_HANGING.index(d) if d in _HANGING else -1 for d in _DEPENDENCIES])


@dataclass(frozen=True, slots=True)
class EdgeModel:
    """A conditional logit model over one edge's candidates (weights on standardised features)."""

    weights: numpy.ndarray
    mean: numpy.ndarray
    scale: numpy.ndarray

    def best(self, features: numpy.ndarray) -> int:
        return int(numpy.argmax(((features - self.mean) / self.scale) @ self.weights))


@dataclass(frozen=True, slots=True)
class BoundaryRanker:
    """Moves a content's edges (those of ``SIDES`` it has a model for) to the candidates the
    edge models score best."""

    models: dict[str, EdgeModel]

    def place(self, attributions: Sequence[Attribution], doc: Doc, base: int, probs: numpy.ndarray) -> list[Attribution]:
        """One paragraph's attributions with their contents' edges moved (``doc``: the paragraph,
        whose text starts at ``base``; ``probs``: the tagger's label probabilities for it)."""
        if not self.models or not any(a.content for a in attributions):
            return list(attributions)
        paragraph = ParagraphTokens(doc, base, probs, attributions, tuple(self.models))
        return [self._adjust(a, paragraph) for a in attributions]

    def _adjust(self, attribution: Attribution, paragraph: ParagraphTokens) -> Attribution:
        edges = paragraph.edges(attribution)
        if edges is None:
            return attribution
        placed = {"start": edges.first, "end": edges.last}
        for side, model in self.models.items():
            placed[side] = int(edges.candidates(side)[model.best(edges.features(side))])
        start, end = placed["start"], placed["end"]
        if (start, end) == (edges.first, edges.last) or (len(attribution.content) == 1 and start > end):
            return attribution
        doc, base = paragraph.doc, paragraph.base
        content = list(attribution.content)
        content[0] = (base + doc[start].idx, content[0][1])
        content[-1] = (content[-1][0], base + doc[end].idx + len(doc[end].text))
        if any(s >= e for s, e in content):
            return attribution
        return replace(attribution, content=content)

    def save(self, path: str | Path) -> None:
        fields = {
            side: {"weights": model.weights.tolist(), "mean": model.mean.tolist(), "scale": model.scale.tolist()}
            for side, model in self.models.items()
        }
        write_fitted(path, FEATURES, fields)

    @classmethod
    def load(cls, path: str | Path) -> BoundaryRanker:
        record = read_fitted(path, FEATURES, "boundary ranker")
        models = {
            side: EdgeModel(*(numpy.asarray(record[side][k], dtype=numpy.float64) for k in ("weights", "mean", "scale")))
            for side in SIDES
            if side in record
        }
        return cls(models)


class ParagraphTokens:
    """What the edge features read of a paragraph's tokens, as arrays computed once."""

    def __init__(
        self, doc: Doc, base: int, probs: numpy.ndarray, attributions: Sequence[Attribution], sides: Sequence[str] = SIDES
    ):
        self.doc, self.base, n = doc, base, len(doc)
        content = numpy.clip(probs[:, _B] + probs[:, _I], 1e-6, 1 - 1e-6)
        self.log_content = numpy.log(content)
        self.cumulative_log_odds = numpy.concatenate([[0.0], numpy.cumsum(self.log_content - numpy.log1p(-content))])
        # That a token does not go on with a content before it; that it is no content.
        self.log_free_after = numpy.log(numpy.clip(1.0 - probs[:, _I], 1e-6, 1.0))
        self.log_free_before = numpy.log(numpy.clip(1.0 - content, 1e-6, 1.0))
        # Read from the doc's arrays in one call: making Token objects would cost more than the rest of the ranker.
        attributes = doc.to_array([IS_SPACE, IDX, LENGTH, HEAD, SENT_START, *_KIND_ATTRIBUTES]).reshape(n, -1)
        space, start, length, head, sentence_start = attributes[:, :5].astype(numpy.int64).T
        self.space = space.astype(bool)
        self.token_start = start
        self.token_end = start + length
        self.length = len(doc_text(doc))
        self.heads = numpy.arange(n, dtype=numpy.int64) + head
        self.sentence = numpy.cumsum((sentence_start == 1) & (numpy.arange(n) > 0))
        self.line = numpy.cumsum(self.space)  # a whitespace token is a line break (or a run of spaces)
        words = numpy.flatnonzero(~self.space)
        self.next_word = numpy.full(n, -1, dtype=numpy.int64)
        self.previous_word = numpy.full(n, -1, dtype=numpy.int64)
        self.next_word[words[:-1]] = words[1:]
        self.previous_word[words[1:]] = words[:-1]
        self.outside, self.inside, self.dependency = _token_kinds(attributes[:, 5:], sides)
        self.cue_of = numpy.full(n, -1, dtype=numpy.int64)  # which attribution's cue a token is in
        for k, attribution in enumerate(attributions):
            for cue in attribution.cue:
                self.cue_of[self.tokens(cue)] = k
        self.index = {id(a): k for k, a in enumerate(attributions)}
        # Per attribution (and a last row for any cue), how many cue tokens lie before each token.
        cue_tokens = self.cue_of[None, :] == numpy.arange(len(attributions))[:, None]
        cue_tokens = numpy.vstack([cue_tokens, self.cue_of >= 0])
        self.cues_before = numpy.hstack([numpy.zeros((len(cue_tokens), 1), dtype=numpy.int64), numpy.cumsum(cue_tokens, axis=1)])

    def tokens(self, fragment: Span) -> list[int]:
        """The non-space tokens a character fragment touches; none where it lies outside the paragraph."""
        start, end = fragment[0] - self.base, fragment[1] - self.base
        if start < 0 or end > self.length:
            return []
        return numpy.flatnonzero((self.token_start < end) & (self.token_end > start) & ~self.space).tolist()

    def edges(self, attribution: Attribution) -> ContentEdges | None:
        """The edges of an attribution's content, or None where it has none to move (no content,
        or a fragment outside the paragraph: a quotation running on into the next)."""
        if not attribution.content:
            return None
        first, last = self.tokens(attribution.content[0]), self.tokens(attribution.content[-1])
        if not first or not last:
            return None
        return ContentEdges(self, self.index.get(id(attribution), -1), first[0], last[-1])


@dataclass(frozen=True, slots=True)
class ContentEdges:
    """One content's edges: token indices of its first and last token (``own``: which of the
    paragraph's attributions it belongs to)."""

    paragraph: ParagraphTokens
    own: int
    first: int
    last: int
    # Each side's candidates, worked out once (features and placing both read them).
    _candidates: dict[str, numpy.ndarray] = field(default_factory=dict, compare=False, repr=False)

    def candidates(self, side: str) -> numpy.ndarray:
        """The tokens the edge may move to, within ``WINDOW``: inwards as far as the content's
        other edge, outwards to the end of the edge's sentence, never over a line break."""
        known = self._candidates.get(side)
        if known is None:
            known = self._candidates[side] = self._window(side)
        return known

    def _window(self, side: str) -> numpy.ndarray:
        p = self.paragraph
        here = self.first if side == "start" else self.last
        same_sentence = p.sentence == p.sentence[here]
        # How far the edge's sentence runs on before and after it, within the window.
        before = int(same_sentence[max(0, here - WINDOW) : here][::-1].cumprod().sum())
        after = int(same_sentence[here + 1 : here + WINDOW + 1].cumprod().sum())
        if side == "start":
            low, high = here - before, min(self.last, here + WINDOW)
        else:
            low, high = max(self.first, here - WINDOW), here + after
        span = numpy.arange(low, high + 1)
        return span[~p.space[span] & (p.line[span] == p.line[here])]

    def features(self, side: str) -> numpy.ndarray:
        """One row of ``FEATURES`` per candidate of ``candidates(side)``."""
        p = self.paragraph
        edge = self.candidates(side)
        if side == "start":
            here = self.first
            start, end = edge, numpy.full(len(edge), self.last)
            moved = p.cumulative_log_odds[here] - p.cumulative_log_odds[edge]
            outside = p.previous_word[edge]
            log_free = numpy.where(outside >= 0, p.log_free_before[outside], 0.0)
        else:
            here = self.last
            start, end = numpy.full(len(edge), self.first), edge
            moved = p.cumulative_log_odds[edge + 1] - p.cumulative_log_odds[here + 1]
            outside = p.next_word[edge]
            log_free = numpy.where(outside >= 0, p.log_free_after[outside], 0.0)
        has_outside = outside >= 0
        at = numpy.where(has_outside, outside, 0)
        outside_kind = numpy.where(has_outside, p.outside[side][at], _OUTSIDE.index("none"))
        cue_outside = numpy.where(has_outside, p.cue_of[at], -1)
        cue_kind = numpy.where(cue_outside == self.own, _OUTSIDE.index("own_cue"), _OUTSIDE.index("other_cue"))
        outside_kind = numpy.where(cue_outside >= 0, cue_kind, outside_kind)
        hangs_inside = has_outside & (p.heads[at] >= start) & (p.heads[at] <= end)
        dependency = numpy.where(has_outside, p.dependency[at], -1)
        cut = self._arcs_cut(side, edge, start, end)
        low, high = numpy.minimum(edge, here), numpy.maximum(edge, here)
        own_cue, other_cue = self._cues_inside(start, end)
        columns = (
            moved,
            edge == here,
            numpy.log1p(numpy.maximum(0, (here - edge) if side == "start" else (edge - here))),
            numpy.log1p(numpy.maximum(0, (edge - here) if side == "start" else (here - edge))),
            p.log_content[edge],
            log_free,
            numpy.log1p(cut),
            cut == 0,
            hangs_inside,
            p.sentence[high] - p.sentence[low],
            p.sentence[end] - p.sentence[start],
            own_cue,
            other_cue,
            numpy.log1p(end - start),
        )
        rows = numpy.arange(len(edge))
        out = numpy.zeros((len(edge), len(FEATURES)))
        for column, values in enumerate(columns):
            out[:, column] = values
        # The one-hot groups: each candidate's kinds set their columns to one.
        out[rows, _ONE_HOT["outside"] + outside_kind] = 1.0
        out[rows, _ONE_HOT["inside"] + p.inside[edge]] = 1.0
        has_dependency = dependency >= 0
        out[rows[has_dependency], _ONE_HOT["dependency"] + dependency[has_dependency]] = 1.0
        hanging = hangs_inside & has_dependency
        hanging_column = _HANGING_COLUMN[numpy.where(hanging, dependency, 0)]
        hanging &= hanging_column >= 0
        out[rows[hanging], _ONE_HOT["hanging"] + hanging_column[hanging]] = 1.0
        return out

    def _arcs_cut(self, side: str, edge: numpy.ndarray, start: numpy.ndarray, end: numpy.ndarray) -> numpy.ndarray:
        """Per candidate, the dependency arcs within one sentence between the content and the
        tokens past its edge (in the edge's sentence)."""
        p = self.paragraph
        window = numpy.arange(max(0, int(start.min()) - WINDOW), min(len(p.doc), int(end.max()) + WINDOW + 1))
        token, head = window, p.heads[window]
        same = p.sentence[token] == p.sentence[head]
        token, head = token[same], head[same]
        inside_token = (token[None, :] >= start[:, None]) & (token[None, :] <= end[:, None])
        inside_head = (head[None, :] >= start[:, None]) & (head[None, :] <= end[:, None])
        edge_sentence = p.sentence[edge][:, None]

        def past(i: numpy.ndarray) -> numpy.ndarray:
            beyond = i[None, :] < start[:, None] if side == "start" else i[None, :] > end[:, None]
            return beyond & (p.sentence[i][None, :] == edge_sentence)

        return ((inside_token & past(head)) | (inside_head & past(token))).sum(axis=1)

    def _cues_inside(self, start: numpy.ndarray, end: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
        """Per candidate, whether the content would hold its own cue, and another attribution's."""
        before = self.paragraph.cues_before
        any_cue = before[-1, end + 1] - before[-1, start]
        if self.own < 0:
            return numpy.zeros(len(start), dtype=bool), any_cue > 0
        own = before[self.own, end + 1] - before[self.own, start]
        return own > 0, any_cue - own > 0


def fit_edge_model(groups: Sequence[tuple[numpy.ndarray, int]], l2: float = 1.0, steps: int = 50) -> EdgeModel:
    """Fit one edge's conditional logit model by damped Newton steps (deterministic): ``groups``
    are (candidate features, index of the right candidate) pairs."""
    if not groups:  # nothing to learn from (a quick run on a few articles): keep the edges where they are
        weights = numpy.zeros(len(FEATURES))
        weights[FEATURES.index("current")] = 1.0
        return EdgeModel(weights, numpy.zeros(len(FEATURES)), numpy.ones(len(FEATURES)))
    stacked = numpy.vstack([x for x, _ in groups])
    mean, scale = stacked.mean(axis=0), stacked.std(axis=0)
    scale[scale == 0] = 1.0
    standard = [((x - mean) / scale, right) for x, right in groups]

    def loss(w: numpy.ndarray) -> float:
        total = 0.5 * l2 * float(w @ w)
        for x, right in standard:
            scores = x @ w
            top = scores.max()
            total -= scores[right] - top - numpy.log(numpy.exp(scores - top).sum())
        return total

    w = numpy.zeros(len(FEATURES))
    current = loss(w)
    for _ in range(steps):
        gradient, hessian = l2 * w, l2 * numpy.eye(len(w))
        for x, right in standard:
            scores = x @ w
            p = numpy.exp(scores - scores.max())
            p /= p.sum()
            expected = p @ x
            gradient = gradient + expected - x[right]
            hessian = hessian + (x * p[:, None]).T @ x - numpy.outer(expected, expected)
        step = numpy.linalg.solve(hessian, gradient)
        # Rare features standardise to large values, so a full step can overshoot: halve it until the loss falls.
        size = 1.0
        while loss(w - size * step) > current and size > 1e-4:
            size /= 2
        w = w - size * step
        previous, current = current, loss(w)
        if previous - current < 1e-6:
            break
    return EdgeModel(w, mean, scale)


def edge_groups(edges: ContentEdges, gold: Sequence[Span], sides: Sequence[str] = SIDES) -> dict[str, tuple[numpy.ndarray, int]]:
    """Per side, the training group of one content whose gold reading is ``gold`` (character
    fragments): its candidates' features and the index of the candidate the gold edge falls on.
    A side whose gold edge is no candidate gives none."""
    doc, base = edges.paragraph.doc, edges.paragraph.base
    want = {"start": min(s for s, _ in gold), "end": max(e for _, e in gold)}
    groups = {}
    for side in sides:
        offsets = [base + doc[int(i)].idx + (len(doc[int(i)].text) if side == "end" else 0) for i in edges.candidates(side)]
        if want[side] in offsets:
            groups[side] = (edges.features(side), offsets.index(want[side]))
    return groups


def _ids(*texts: str) -> frozenset[int]:
    return frozenset(get_string_id(text) for text in texts)


_MARK_IDS = {get_string_id(mark): mark for mark in (".", ",", ";", ":", "(", ")")}
_QUERY_IDS = _ids("?", "!")
_QUOTE_IDS = _ids(*_QUOTE_MARKS)
_DASH_IDS = _ids(*_DASHES)
_RELATIVE_IDS = _ids(*_RELATIVES)
_THAT_ID = get_string_id("that")
_OPENER_IDS = _ids(*_OPENERS)
_GERUND_ID = get_string_id("VBG")
_DEPENDENCY_IDS = {get_string_id(d): k for k, d in enumerate(_DEPENDENCIES[:-1])}
_INSIDE_POS = {
    CCONJ: "cconj", NOUN: "noun", PROPN: "noun", VERB: "verb", AUX: "verb", ADJ: "modifier", ADV: "modifier",
    DET: "function", ADP: "function", SCONJ: "function", PART: "function", PRON: "pronoun", NUM: "number",
}


_KIND_ATTRIBUTES = (ORTH, LOWER, POS, TAG, DEP, IS_PUNCT, SENT_START)


def _token_kinds(attributes: numpy.ndarray, sides: Sequence[str]) -> tuple[dict[str, numpy.ndarray], numpy.ndarray, numpy.ndarray]:
    """Per token, as index arrays: its kind just outside an edge on each of ``sides``
    (``_OUTSIDE``; cues are marked apart), its kind as an edge (``_INSIDE``), its dependency
    (``_DEPENDENCIES``); ``attributes``: the doc's ``_KIND_ATTRIBUTES``, a row per token."""
    kinds = numpy.array([_row_kinds(*row) for row in attributes.tolist()], dtype=numpy.int64).reshape(-1, 4)
    outside = {side: kinds[:, SIDES.index(side)] for side in sides}
    return outside, kinds[:, 2], kinds[:, 3]


# Tokens recur (the same word with the same tags), so each row's kinds are worked out once.
@lru_cache(maxsize=100_000)
def _row_kinds(orth: int, lower: int, pos: int, tag: int, dep: int, punct: int, sentence: int) -> tuple[int, int, int, int]:
    """A token's kinds: outside a start, outside an end, as an edge, its dependency (indices)."""
    outside = [_OUTSIDE.index(_outside_kind(orth, lower, pos, tag, sentence == 1 and side == "end")) for side in SIDES]
    if orth in _QUOTE_IDS:
        kind = "quote"
    elif punct:
        kind = "punct"
    elif lower in _OPENER_IDS:
        kind = "that"
    else:
        kind = _INSIDE_POS.get(pos, "word")
    return outside[0], outside[1], _INSIDE.index(kind), _DEPENDENCY_IDS.get(dep, len(_DEPENDENCIES) - 1)


def _outside_kind(orth: int, lower: int, pos: int, tag: int, sentence_start: bool) -> str:
    if orth in _MARK_IDS:
        return _MARK_IDS[orth]
    if orth in _QUERY_IDS:
        return "?!"
    if orth in _QUOTE_IDS:
        return "quote"
    if orth in _DASH_IDS:
        return "dash"
    if sentence_start:
        return "sentence"
    if pos == CCONJ:
        return "cconj"
    if lower in _RELATIVE_IDS:
        return "relative"
    if lower == _THAT_ID:
        return "that"
    if pos == SCONJ:
        return "sconj"
    if tag == _GERUND_ID:
        return "gerund"
    if pos == ADP:
        return "adp"
    return "word"
