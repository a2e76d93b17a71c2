"""The pipeline over a stream of documents (``analyze_many``): the records of ``analyze``, in order,
with each unreadable document's error in its place."""

from __future__ import annotations

import pytest

from newstrace import pipeline
from newstrace.model import Analysis, Document, NewstraceError
from newstrace.pipeline import analyze, analyze_many
from newstrace.sources.pages import read_file

from conftest import SAMPLES

# More pages than one shared parse takes, so that the stream runs over two.
PAGES = [
    *sorted((SAMPLES / "corpus").glob("*/*.html")),
    *sorted((SAMPLES / "corpus").glob("*/*.txt")),
    SAMPLES / "harbour-wire-republished.txt",
]


def _record(analysis: Analysis) -> dict:
    return analysis.to_record(fingerprint=True)


@pytest.fixture(scope="module")
def one_by_one() -> list[dict]:
    return [_record(analyze(read_file(path))) for path in PAGES]


def test_the_stream_gives_each_page_the_analysis_it_gets_alone(one_by_one):
    assert len(PAGES) > pipeline.DOCUMENTS_PER_PARSE
    streamed = list(analyze_many(read_file(path) for path in PAGES))
    assert [_record(a) for a in streamed] == one_by_one
    assert sum(len(r["claims"]) for r in one_by_one) > 50


def test_a_page_that_cannot_be_read_gets_its_error_in_its_place_and_the_rest_go_on(one_by_one):
    empty = Document(content=b"", path="empty.html")
    binary = Document(content=bytes(range(256)) * 8, path="image.html")
    unreadable = NewstraceError("missing.html", "no such file")
    stream = [read_file(PAGES[0]), empty, unreadable, binary, read_file(PAGES[1])]
    results = list(analyze_many(stream))
    assert [type(r).__name__ for r in results] == ["Analysis", "NewstraceError", "NewstraceError", "NewstraceError", "Analysis"]
    assert (results[1].document, results[1].reason) == ("empty.html", "empty document")
    assert results[2] is unreadable
    assert results[3].document == "image.html" and "binary" in results[3].reason
    assert [_record(results[0]), _record(results[4])] == one_by_one[:2]


def test_when_the_shared_parse_fails_each_page_is_parsed_alone(one_by_one, monkeypatch):
    def fails(paragraphs):
        raise ValueError("a paragraph spaCy cannot take")

    monkeypatch.setattr(pipeline, "parse_articles", fails)
    assert [_record(a) for a in analyze_many(read_file(path) for path in PAGES)] == one_by_one


def test_a_bug_in_one_pages_claims_is_reported_against_that_page_alone(one_by_one, monkeypatch):
    broken = read_file(PAGES[2])
    broken_text = pipeline.read_article(broken).article.text
    real = pipeline.claims_from_parse

    def breaks_on_one(article, docs, find):
        if article.text == broken_text:
            raise KeyError("speaker")
        return real(article, docs, find)

    monkeypatch.setattr(pipeline, "claims_from_parse", breaks_on_one)
    results = list(analyze_many(read_file(path) for path in PAGES[:4]))
    assert isinstance(results[2], NewstraceError)
    assert (results[2].document, results[2].reason) == (broken.name, "KeyError: 'speaker'")
    assert [_record(r) for k, r in enumerate(results) if k != 2] == [one_by_one[k] for k in (0, 1, 3)]
