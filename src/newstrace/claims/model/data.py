"""PolNeAR-style attribution records → parsed paragraphs with one role label per token.

A record is ``{id, text, attributions: [{source, cue, content}]}`` with each role a list of
``[start, end]`` character fragments. PolNeAR is univocal: a token plays at most one role
in at most one attribution (sources aside, which several cues may share), so one BIO label
per token (``B-SRC``, ``I-CUE``, ...) represents an article's attributions without loss,
except for the cue ↔ source ↔ content links, which decoding restores (see ``decode.py``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from newstrace.claims.model.inputs import LABELS

ROLES = ("source", "cue", "content")
ROLE_TAGS = {"source": "SRC", "cue": "CUE", "content": "CON"}
LABEL_ID = {label: i for i, label in enumerate(LABELS)}

Fragments = list[tuple[int, int]]

_LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True, slots=True)
class AttributionSpans:
    """One attribution as character fragments into the text it was found in."""

    cue: Fragments
    source: Fragments = field(default_factory=list)
    content: Fragments = field(default_factory=list)

    def to_record(self) -> dict[str, list[list[int]]]:
        return {role: [[s, e] for s, e in getattr(self, role)] for role in ROLES}


@dataclass(slots=True)
class ParsedArticle:
    """An article split into parsed paragraphs; ``offsets[i]`` is where paragraph i starts."""

    id: str
    text: str
    docs: list[Doc]
    offsets: list[int]
    gold: list[AttributionSpans] = field(default_factory=list)

    def paragraph_spans(self) -> list[tuple[int, int]]:
        """(start, end) of each paragraph in the article's text."""
        return [(offset, offset + len(doc.text)) for offset, doc in zip(self.offsets, self.docs)]


def read_records(path: str | Path) -> list[dict]:
    """The records of a JSON Lines attribution file."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def split_paragraphs(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each paragraph of a plain text: its non-blank lines, stripped.

    Paragraphs are parsed one by one, as the claims stage parses articles (see STACK.md), and
    training splits a text as evaluation and ``analyze`` do (``polnear.article_from_text``):
    PolNeAR texts separate paragraphs by blank lines in some articles and by single line
    breaks in others (362 of 840 train articles)."""
    out = []
    for line in _LINE.finditer(text):
        raw = line.group(0)
        stripped = raw.strip()
        if stripped:
            out.append((line.start() + len(raw) - len(raw.lstrip()), stripped))
    return out


def gold_spans(record: dict) -> list[AttributionSpans]:
    """The record's attributions as ``AttributionSpans``."""
    return [
        AttributionSpans(**{role: [(int(s), int(e)) for s, e in (a.get(role) or [])] for role in ROLES})
        for a in record.get("attributions", [])
    ]


def parse_records(records: Sequence[dict], nlp: Language, batch_size: int = 64) -> Iterator[ParsedArticle]:
    """Parse each record's paragraphs with ``nlp`` (streamed, one pass of ``nlp.pipe``)."""
    layout = [(record, split_paragraphs(record["text"])) for record in records]
    texts = (para for _, paras in layout for _, para in paras)
    docs = nlp.pipe(texts, batch_size=batch_size)
    for record, paras in layout:
        parsed = [next(docs) for _ in paras]
        yield ParsedArticle(
            id=str(record["id"]),
            text=record["text"],
            docs=parsed,
            offsets=[offset for offset, _ in paras],
            gold=gold_spans(record),
        )


def token_labels(article: ParsedArticle) -> list[list[int]]:
    """One label id per token of each paragraph, from the article's gold attributions."""
    return [label_tokens(article.gold, doc, offset) for doc, offset in zip(article.docs, article.offsets)]


def label_tokens(attributions: Sequence[AttributionSpans], doc: Doc, offset: int) -> list[int]:
    """One label id per token of ``doc`` (whose text starts at ``offset``) from attributions
    over the text; where spans overlap, the first by position keeps the token."""
    fragments: list[tuple[int, int, str]] = sorted(
        {(s, e, ROLE_TAGS[role]) for a in attributions for role in ROLES for s, e in getattr(a, role) if e > s}
    )
    labels = [LABEL_ID["O"]] * len(doc)
    for start, end, tag in fragments:
        first = True
        for token in _tokens_overlapping(doc, start - offset, end - offset):
            if labels[token.i] != LABEL_ID["O"]:
                first = False
                continue
            labels[token.i] = LABEL_ID[("B-" if first else "I-") + tag]
            first = False
    return labels


def _tokens_overlapping(doc: Doc, start: int, end: int) -> Iterable:
    """Non-space tokens sharing a character with [start, end) (fragments may cut tokens)."""
    # The text's length from the last token: Doc.text is rebuilt on every call.
    length = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0
    start, end = max(start, 0), min(end, length)
    if end <= start:
        return ()
    span = doc.char_span(start, end, alignment_mode="expand")
    return () if span is None else (t for t in span if not t.is_space)
