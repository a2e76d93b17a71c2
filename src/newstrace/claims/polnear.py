"""Attribution evaluation on PolNeAR-format files (Newell, Margolin and Ruths, "An attribution relations
corpus for political news", LREC 2018).

Reads only each record's ``id`` and ``text``, runs the claims stage's span finder on an Article built
from that raw text (paragraphs are its non-blank lines; offsets are the text's own, so nothing needs
mapping back), and writes predictions in the scorer's format:
``{"id", "attributions": [{"source": [[s, e]], "cue": [[s, e], ...], "content": [[s, e], ...]}]}``.

PolNeAR counts attribution in the broad sense (positions and feelings towards things, not only
statements), so every attribution the span finder returns is written, not only those that make claims;
attributions with no source ("it is believed that ...") are left out, as PolNeAR rarely marks them,
except questions put by no one named ("Asked whether ...").
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from newstrace.claims import SpanFinder
from newstrace.claims.attribution import Attribution, find_attributions
from newstrace.claims.model.data import split_paragraphs
from newstrace.claims.nlp import parse_articles
from newstrace.model import Article, NewstraceError, Paragraph, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Articles whose paragraphs are parsed together.
_ARTICLES_PER_BATCH = 16


def article_from_text(text: str) -> Article:
    """An Article whose text is ``text`` unchanged, one paragraph per non-blank line."""
    return Article(text=text, paragraphs=[Paragraph(span=(start, start + len(p))) for start, p in split_paragraphs(text)])


def to_record(attribution: Attribution) -> dict:
    """One attribution in the scorer's format."""
    return {
        "source": [list(attribution.source)] if attribution.source else [],
        "cue": [list(span) for span in attribution.cue],
        "content": [list(span) for span in attribution.content],
    }


def polnear_would_mark(attribution: Attribution) -> bool:
    """Whether PolNeAR would mark it: a cue of its own, and a source, unless it is a question put by
    no one named ("Asked whether ...") or its content lies on both sides of the cue, the subject
    being part of it ("[Mr. Quiros] was accused of [using ...]", "[the campaign] appeared [to ...]")."""
    if not attribution.cue or attribution.continues:
        return False
    cue_start, cue_end = attribution.cue[0][0], attribution.cue[-1][1]
    around_cue = any(e <= cue_start for _, e in attribution.content) and any(s >= cue_end for s, _ in attribution.content)
    return attribution.source is not None or attribution.cue_lemma == "ask" or around_cue


def prediction_record(record_id: str, spans: list[Span], docs: list[Doc], find: SpanFinder = find_attributions) -> dict:
    """The prediction record of one parsed article: what ``find`` reads that PolNeAR would mark."""
    found = [a for a in find(spans, docs) if polnear_would_mark(a)]
    return {"id": record_id, "attributions": [to_record(a) for a in found]}


def predict_texts(records: Iterable[tuple[str, str]], find: SpanFinder = find_attributions) -> Iterator[dict]:
    """Prediction records for ``(id, text)`` pairs, parsing several articles' paragraphs together."""
    stream = iter(records)
    while batch := [(record_id, article_from_text(text)) for record_id, text in islice(stream, _ARTICLES_PER_BATCH)]:
        parsed = parse_articles([article.paragraph_texts() for _, article in batch])
        for (record_id, article), docs in zip(batch, parsed):
            yield prediction_record(record_id, [p.span for p in article.paragraphs], docs, find)


def read_gold(path: Path) -> Iterator[tuple[str, str]]:
    """``(id, text)`` of each record of a PolNeAR-format JSON Lines file; nothing else is read."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                yield str(record["id"]), str(record["text"])
            except (json.JSONDecodeError, KeyError, TypeError) as error:
                raise NewstraceError(f"{path}:{number}", f"not a PolNeAR record ({error})") from error


def predict_file(gold: Path, out: Path, find: SpanFinder = find_attributions) -> int:
    """Write predictions for every record of ``gold`` to ``out``; returns how many records."""
    count = 0
    with out.open("w", encoding="utf-8") as handle:
        for prediction in predict_texts(read_gold(gold), find):
            handle.write(json.dumps(prediction, ensure_ascii=False) + "\n")
            count += 1
    return count
