"""Plain-text pages: headline, body and chrome, on the seed page and on pages of our own."""

from __future__ import annotations

from newstrace.extract import extract
from newstrace.model import Document, NewstraceError
from newstrace.sources.pages import read_file

import pytest

from conftest import SAMPLES


def test_seed_page_title_and_body_checks(seed_page, seed_gold):
    article = extract(read_file(seed_page))
    assert article.title == seed_gold["title"]
    for line in seed_gold["body_must_contain"]:
        assert line in article.text
    for line in seed_gold["body_must_not_contain"]:
        assert line not in article.text
    assert article.language == "en"
    assert article.published is None  # the page's "Date:" label is empty: never invent one


def test_seed_page_subhead_is_marked_not_body(seed_page):
    article = extract(read_file(seed_page))
    kinds = {article.text[p.span[0] : p.span[1]]: p.kind for p in article.paragraphs}
    assert kinds["‘Real-world combat experience’"] == "subhead"
    assert sum(1 for k in kinds.values() if k == "subhead") == 1


def test_author_box_gives_byline_and_site_and_stays_out_of_the_body(seed_page):
    article = extract(read_file(seed_page))
    assert article.bylines == ["Alexandra Williams"]
    assert article.site_name == "LinkDaddy News"
    assert "cdl-hs/ceb/rsc" in article.trailer


def test_paragraph_spans_point_into_the_text():
    article = extract(read_file(SAMPLES / "harbour-wire-republished.txt"))
    assert article.text.split("\n\n") == article.paragraph_texts()
    assert article.paragraph_texts()[0].startswith("A Baltic ferry operator suspended")
    assert article.paragraph_texts()[-1] == "The Tallinn-Helsinki route carries about nine million passengers a year."


def test_labelled_date_and_by_line_at_the_top():
    page = (
        "Council approves new tram line\n\nBy Maria Lopez, City Hall Reporter\n\n"
        "Published: 12 March 2025\n\nShare\n\n"
        "The city council approved a new tram line on Tuesday after a two-year debate, officials said.\n\n"
        "Construction is due to start next spring and take three years.\n\nRelated articles\n\nBus fares to rise\n"
    )
    article = extract(Document(content=page.encode(), path="tram.txt", content_type="text/plain"))
    assert article.title == "Council approves new tram line"
    assert article.bylines == ["Maria Lopez"]
    assert article.published == "2025-03-12"
    assert article.paragraph_texts() == [
        "The city council approved a new tram line on Tuesday after a two-year debate, officials said.",
        "Construction is due to start next spring and take three years.",
    ]


def test_hard_wrapped_paragraphs_are_joined():
    page = "Short headline\n\nThe first paragraph is\nwrapped over two lines.\n\nThe second one is not wrapped at all.\n"
    article = extract(Document(content=page, path="wrapped.txt", content_type="text/plain"))
    assert article.paragraph_texts()[0] == "The first paragraph is wrapped over two lines."


def test_a_page_of_only_a_headline_is_an_error():
    with pytest.raises(NewstraceError, match="headline.txt: no article text"):
        extract(Document(content="Just a headline\n", path="headline.txt", content_type="text/plain"))
