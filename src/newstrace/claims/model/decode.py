"""Token labels → attributions: read the role spans, then link each cue to a source and contents.

Each cue span starts one attribution. Sources and content pieces are linked to cues by the
dependency parse first (a piece whose syntactic head chain reaches a cue within a few steps
belongs to that cue: "*he* said", "according to *officials*", "said *that ...*"), and
otherwise by nearness within the sentence, then the paragraph (a quotation continued in
the next sentence). A source may serve several cues ("he said ... and added ..."); a
content piece serves one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy
from spacy.attrs import HEAD, IS_SPACE
from spacy.tokens import Doc, Token

from newstrace.claims.model.data import LABELS, AttributionSpans

_ROLE_OF = {i: label[2:] for i, label in enumerate(LABELS) if label != "O"}
_BEGINS = {i for i, label in enumerate(LABELS) if label.startswith("B-")}
# How many steps up the dependency tree a piece's root may climb to reach its cue.
_MAX_HOPS = 3


@dataclass(frozen=True, slots=True)
class TokenSpan:
    role: str  # "SRC", "CUE" or "CON"
    start: int  # token index, inclusive
    end: int  # token index, exclusive


def _allowed_transitions() -> numpy.ndarray:
    """allowed[a, b]: label b may follow label a (an I- label only continues its own role)."""
    allowed = numpy.ones((len(LABELS), len(LABELS)), dtype=bool)
    for b, label in enumerate(LABELS):
        if label.startswith("I-"):
            for a, previous in enumerate(LABELS):
                allowed[a, b] = previous[2:] == label[2:]
    return allowed


_ALLOWED = _allowed_transitions()
_PENALTY = numpy.where(_ALLOWED, 0.0, -numpy.inf)
_CAN_START = numpy.array([not label.startswith("I-") for label in LABELS])


def best_labels(probs: numpy.ndarray, doc: Doc) -> numpy.ndarray:
    """The most likely well-formed label sequence (Viterbi over BIO constraints).

    Whitespace tokens are left out of the sequence and labelled O.
    """
    labels = numpy.zeros(len(doc), dtype=numpy.int64)
    keep = numpy.flatnonzero(doc.to_array(IS_SPACE) == 0)
    if not len(keep):
        return labels
    logp = numpy.log(numpy.clip(numpy.asarray(probs, dtype=numpy.float64)[keep], 1e-12, 1.0))
    # Where each token's likeliest label already makes a well-formed sequence (most paragraphs),
    # that sequence is the best one: no search needed.
    likeliest = logp.argmax(axis=1)
    if _CAN_START[likeliest[0]] and _ALLOWED[likeliest[:-1], likeliest[1:]].all():
        labels[keep] = likeliest
        return labels
    score = numpy.where(_CAN_START, logp[0], -numpy.inf)
    back = numpy.zeros((len(keep), len(LABELS)), dtype=numpy.int64)
    columns = numpy.arange(len(LABELS))
    for i in range(1, len(keep)):
        options = score[:, None] + _PENALTY
        back[i] = options.argmax(axis=0)
        score = options[back[i], columns] + logp[i]
    path = numpy.empty(len(keep), dtype=numpy.int64)
    path[-1] = score.argmax()
    for i in range(len(keep) - 1, 0, -1):
        path[i - 1] = back[i, path[i]]
    labels[keep] = path
    return labels


def read_spans(labels: Sequence[int], doc: Doc) -> list[TokenSpan]:
    """Role spans from one label per token; an I- label after another role starts a new span.

    Whitespace tokens neither start nor end a span but do not break one either.
    """
    spans: list[TokenSpan] = []
    role, start, last = None, 0, 0
    space = doc.to_array(IS_SPACE)
    for i, label in enumerate(labels):
        if space[i]:
            continue
        this = _ROLE_OF.get(int(label))
        if role is not None and (this != role or int(label) in _BEGINS):
            spans.append(TokenSpan(role, start, last + 1))
            role = None
        if this is not None and role is None:
            role, start = this, i
        last = i
    if role is not None:
        spans.append(TokenSpan(role, start, last + 1))
    free = numpy.asarray([_ROLE_OF.get(int(label)) is None for label in labels], dtype=bool)
    return [_tidy(span, doc, free) for span in spans]


_DASHES = {"-", "--", "–", "—", "―"}
# Words a source never ends with: "the Security Council [on]", "the Supreme Court [this]".
_TRAILING_FUNCTION_WORDS = {"ADP", "DET", "CCONJ", "SCONJ"}


def _tidy(span: TokenSpan, doc: Doc, free: numpy.ndarray) -> TokenSpan:
    """The span as PolNeAR marks it (``free[i]``: token i has no role, so a span may grow over it).

    - no dateline opening the paragraph ("WASHINGTON --");
    - a parenthesis opened in the span closes in it ("(AROS" → "(AROS)");
    - a content does not end on a comma, stop or conjunction (outside quotation marks);
    - a source does not start with "as", "even", "like" ("as [officials] said");
    - a source does not end on a dangling word or stop ("the Security Council on"), nor inside a
      name or on a modifier whose noun follows ("The Washington" → "The Washington Post");
    - a source keeps its closing comma after an apposition ("Graham, a former candidate,") and
      only then ("Donald Tusk"): 922 and 798 of the train sources, against 106 and 5.
    """
    start, end = span.start, span.end
    dash = next((i for i in range(start, min(start + 4, end - 1)) if doc[i].text in _DASHES), None)
    if start == 0 and dash is not None and dash > start and all(t.is_upper and t.is_alpha for t in doc[start:dash]):
        start = dash + 1
        while start < end and doc[start].is_space:
            start += 1
    if span.role == "SRC":
        while end - start > 1 and doc[start].lower_ in _LEADING_NOT_SOURCE:
            start += 1
        while end - start > 1 and (doc[end - 1].pos_ in _TRAILING_FUNCTION_WORDS or doc[end - 1].text in {".", ";", ":"}):
            end -= 1
        end = _to_end_of_name(doc, start, end, free)
    if sum(t.text == "(" for t in doc[start:end]) > sum(t.text == ")" for t in doc[start:end]):
        close = next((i for i in range(end, min(end + 2, len(doc))) if doc[i].text == ")"), None)
        if close is not None and all(free[end:close]):
            end = close + 1
    if span.role == "CON":
        # train contents end on a comma or stop outside quotation marks 182 times in 19,832, on a conjunction never
        while end - start > 1 and (doc[end - 1].text in {",", ".", ";"} or doc[end - 1].pos_ == "CCONJ"):
            end -= 1
    if span.role == "SRC":
        inner_comma = any(t.text == "," for t in doc[start : end - 1])
        if end - start > 1 and doc[end - 1].text == "," and not inner_comma:
            end -= 1
        elif inner_comma and doc[end - 1].text != "," and end < len(doc) and doc[end].text == "," and free[end]:
            end += 1
    return span if (start, end) == (span.start, span.end) else TokenSpan(span.role, start, end)


# Words before a source that train marks outside it: "as" 260 times to 4, "even" 29 to 8,
# "including" 10 to 0, "like" 6 to 0, "also" 2 to 0.
_LEADING_NOT_SOURCE = {"as", "even", "including", "like", "also"}
_MODIFIERS = {"compound", "amod", "det", "nmod", "nummod", "quantmod"}


def _to_end_of_name(doc: Doc, start: int, end: int, free: numpy.ndarray) -> int:
    """Grow a span that stops inside a named entity or on a modifier of a noun further on."""
    while end < len(doc) and free[end]:
        last = doc[end - 1]
        if doc[end].ent_iob_ == "I" and last.ent_iob_ in {"B", "I"}:
            end += 1
        elif last.dep_ in _MODIFIERS and last.head.i >= end and all(free[end : last.head.i + 1]) and not any(t.is_punct for t in doc[end : last.head.i + 1]):
            end = last.head.i + 1
        else:
            break
    return end


def link(spans: list[TokenSpan], doc: Doc) -> list[tuple[TokenSpan, TokenSpan | None, list[TokenSpan]]]:
    """(cue, source or None, content pieces) for each cue span of one paragraph."""
    cues = [s for s in spans if s.role == "CUE"]
    if not cues:
        return []
    sent_of = _sentence_ids(doc)
    heads = numpy.arange(len(doc), dtype=numpy.int64) + doc.to_array(HEAD).astype(numpy.int64)
    cue_at = numpy.full(len(doc), -1, dtype=numpy.int64)
    for k, cue in enumerate(cues):
        cue_at[cue.start : cue.end] = k

    sources: list[TokenSpan | None] = [None] * len(cues)
    source_rank: list[tuple[int, int] | None] = [None] * len(cues)
    for src in (s for s in spans if s.role == "SRC"):
        hops = _climb_to_cue(src, heads, cue_at)
        for k, cue in enumerate(cues):
            linked = hops is not None and hops[0] == k
            if not linked and sent_of[cue.start] != sent_of[src.start]:
                continue
            rank = (0 if linked else 1, _gap(src, cue))
            if source_rank[k] is None or rank < source_rank[k]:
                sources[k], source_rank[k] = src, rank

    contents: list[list[TokenSpan]] = [[] for _ in cues]
    # "Mr. Quiros was accused of ...", "the campaign appeared to ...": the subject is what the cue
    # says something about, not who speaks (PolNeAR: a content piece, no source).
    for k, cue in enumerate(cues):
        subject = _subject_said_about(cue, doc)
        if subject is not None and sources[k] is not None and sources[k].start <= subject.i < sources[k].end:
            contents[k].append(TokenSpan("CON", sources[k].start, sources[k].end))
            sources[k] = None
    for piece in (s for s in spans if s.role == "CON"):
        hops = _climb_to_cue(piece, heads, cue_at)
        if hops is not None:
            contents[hops[0]].append(piece)
            continue
        same = [k for k, c in enumerate(cues) if sent_of[c.start] in (sent_of[piece.start], sent_of[piece.end - 1])]
        pool = same or range(len(cues))
        contents[min(pool, key=lambda k: (_gap(piece, cues[k]), k))].append(piece)

    # Speaker and cue split a content ("X," he said, "Y"); anything else between two
    # pieces of one content is a gap in the tagging, so the pieces are joined.
    is_role = numpy.zeros(len(doc) + 1, dtype=numpy.int64)
    for span in spans:
        if span.role != "CON":
            is_role[span.start : span.end] = 1
    before = numpy.concatenate([[0], numpy.cumsum(is_role)])
    linked = []
    for k, cue in enumerate(cues):
        if not contents[k]:
            continue  # a cue with nothing said is not an attribution
        pieces = sorted(contents[k], key=lambda p: p.start)
        joined = [pieces[0]]
        for piece in pieces[1:]:
            last = joined[-1]
            if before[piece.start] - before[last.end] == 0:
                joined[-1] = TokenSpan("CON", last.start, max(last.end, piece.end))
            else:
                joined.append(piece)
        linked.append((cue, sources[k], joined))
    return linked


def to_attributions(linked, doc: Doc, offset: int) -> list[AttributionSpans]:
    """Linked token spans → character fragments (``offset`` = where the doc's text starts)."""

    return [
        AttributionSpans(
            cue=[char_span(doc, offset, cue)],
            source=[char_span(doc, offset, source)] if source is not None else [],
            content=[char_span(doc, offset, p) for p in sorted(pieces, key=lambda p: p.start)],
        )
        for cue, source, pieces in linked
    ]


def char_span(doc: Doc, offset: int, span: TokenSpan) -> tuple[int, int]:
    """A token span's characters (``offset``: where the doc's text starts)."""
    last = doc[span.end - 1]
    return offset + doc[span.start].idx, offset + last.idx + len(last.text)


def fragment_tokens(doc: Doc, offset: int, fragments: Sequence[tuple[int, int]], space: numpy.ndarray | None = None) -> list[int]:
    """The non-space tokens of character fragments, in order (``offset``: where the doc's text
    starts; ``space``: the doc's ``IS_SPACE`` column, where the caller has it); the converse of
    ``char_span``."""
    out: list[int] = []
    if space is None:
        space = doc.to_array(IS_SPACE)
    for start, end in fragments:
        span = doc.char_span(start - offset, end - offset, alignment_mode="expand")
        if span is not None:
            out.extend(i for i in range(span.start, span.end) if not space[i])
    return sorted(set(out))


def spans_overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two character spans share a character."""
    return max(a[0], b[0]) < min(a[1], b[1])


def span_root(doc: Doc, span: TokenSpan) -> Token:
    """The span's token whose head lies outside it (its first such, for a broken parse)."""
    for token in doc[span.start : span.end]:
        if not span.start <= token.head.i < span.end or token.head.i == token.i:
            return token
    return doc[span.start]


def _subject_said_about(cue: TokenSpan, doc: Doc) -> Token | None:
    """The subject of a cue that says something about it rather than has it speak: a passive
    with no agent ("Mr. Quiros was accused of"), or "seem" and "appear" ("the campaign appeared
    to acknowledge", which train marks without a source 188 times to 47). None otherwise."""
    head = span_root(doc, cue)
    if head.pos_ not in {"VERB", "AUX"} or any(c.dep_ == "agent" for c in head.children):
        return None
    wanted = {"nsubjpass", "nsubj"} if head.lemma_ in _RAISING_VERBS else {"nsubjpass"}
    return next((c for c in head.children if c.dep_ in wanted), None)


_RAISING_VERBS = {"seem", "appear"}


def _sentence_ids(doc: Doc) -> numpy.ndarray:
    ids = numpy.zeros(len(doc), dtype=numpy.int64)
    if doc.has_annotation("SENT_START"):
        for k, sent in enumerate(doc.sents):
            ids[sent.start : sent.end] = k
    return ids


def _climb_to_cue(span: TokenSpan, heads: numpy.ndarray, cue_at: numpy.ndarray) -> tuple[int, int] | None:
    """(cue index, hops) if the span's root reaches a cue token within ``_MAX_HOPS`` steps."""
    best = None
    for i in range(span.start, span.end):
        if span.start <= heads[i] < span.end and heads[i] != i:
            continue  # not a root of the span
        node = i
        for hop in range(1, _MAX_HOPS + 1):
            parent = int(heads[node])
            if parent == node:
                break
            if cue_at[parent] >= 0:
                if best is None or hop < best[1]:
                    best = (int(cue_at[parent]), hop)
                break
            node = parent
    return best


def _gap(a: TokenSpan, b: TokenSpan) -> int:
    """Tokens between two spans (0 when adjacent or overlapping)."""
    return max(0, b.start - a.end, a.start - b.end)
