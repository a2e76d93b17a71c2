"""The HTML extractor on real pages (the shared benchmark sample) and on small pages written for these tests."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.extract import extract
from newstrace.extract.article import clean_bylines
from newstrace.extract.html import extract_html
from newstrace.extract.jsonld import read_linked_data
from newstrace.extract.language import detect_language
from newstrace.model import Article, Document, NewstraceError

from conftest import CORPUS, need_shared

FIXTURES = Path(__file__).parent / "fixtures" / "html"
ARTICLES = CORPUS / "articles"
WORD = re.compile(r"\w+")


def overlap_f1(gold: str, predicted: str) -> float:
    """Word 4-gram F1 of one page, as the shared scorer counts it."""

    def grams(text: str) -> Counter:
        words = WORD.findall(text)
        return Counter(tuple(words[i : i + 4]) for i in range(max(1, len(words) - 3)))

    g, p = grams(gold), grams(predicted)
    hits = sum((g & p).values())
    if not hits:
        return 0.0
    precision, recall = hits / sum(p.values()), hits / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def shared_page(page_id: str) -> tuple[str, dict]:
    need_shared()
    gold = json.loads((ARTICLES / "gold.json").read_text(encoding="utf-8"))[page_id]
    html = gzip.decompress((ARTICLES / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8")
    return html, gold


def fixture(name: str) -> Article:
    html = (FIXTURES / name).read_text(encoding="utf-8")
    return extract_html(html, Document(content=html, path=name))


# One page for each thing trafilatura alone gets wrong there (its F1 in brackets).
SHARED_CASES = {
    "d48aeb9cf2f2ff15769a57513249b4a6a669159f3e50b335e741d4206a824e88": "body split across sibling containers (0.52)",
    "042bb7b5fedab6eac7db576522b89b93904c237d344bcbe14a6a5ab7f7335856": "headline and standfirst kept (0.76)",
    "7dfc3e359d7c0ca48ac9046ae5759286cedf80abe7526fc6c6e6546b9ba43e33": "linked teaser paragraphs kept (0.89)",
    "ba4dfe2d3e817ff7b8b01172ccc307850fc5469bcdd26c3c48ca046cb88ab7cf": "'READ MORE' and 'DON'T MISS' teasers kept (0.90)",
    "f6ac15a4d98511396da23e4428deb5605422b1c8bbc8284e771f6896bdccf57f": "fast path dumps the navigation (0.13)",
}


@pytest.mark.parametrize("page_id", list(SHARED_CASES), ids=list(SHARED_CASES.values()))
def test_shared_pages_come_out_close_to_gold(page_id):
    html, gold = shared_page(page_id)
    article = extract_html(html, Document(content=html, url=gold["url"]))
    assert overlap_f1(gold["articleBody"], article.text) >= 0.93
    assert article.title and article.title not in article.text.split("\n\n")[0]


def test_schema_org_metadata_of_a_real_page():
    html, gold = shared_page("5fa5679de56c43edf70685762c2d1f2de296432ae53aa46e075b552fee17cab8")
    article = extract_html(html, Document(content=html, url=gold["url"]))
    assert article.title == "The Future of Apple Innovation Is Backwards"
    assert article.bylines == ["Adam Clark Estes"]
    assert article.published == "2019-11-18"
    assert article.site_name == "Gizmodo"
    assert article.language == "en"
    assert article.canonical_url.startswith("https://gizmodo.com/")


def test_json_ld_graph_references_and_entities():
    html = """<html><head><script type="application/ld+json">
    {"@context": "https://schema.org", "@graph": [
      {"@type": "Person", "@id": "#ana", "name": "Ana Duarte"},
      {"@type": "Organization", "@id": "#org", "name": "Rio Gazette"},
      {"@type": ["NewsArticle"], "headline": "Dam&#8217;s spillway reopened",
       "author": {"@id": "#ana"}, "publisher": {"@id": "#org"},
       "datePublished": "2021-06-03T10:00:00-03:00", "inLanguage": "pt-BR",
       "articleBody": "Short teaser only."},
      {"@type": "NewsArticle", "headline": "Another story", "url": "https://example.org/other"}
    ]}</script></head><body><p>x</p></body></html>"""
    from lxml import html as lxml_html

    linked = read_linked_data(lxml_html.fromstring(html))
    assert linked.headline == "Dam’s spillway reopened"
    assert linked.authors == ["Ana Duarte"]
    assert linked.publisher == "Rio Gazette"
    assert linked.published.startswith("2021-06-03")
    assert linked.language == "pt-BR"


def test_a_shortened_schema_org_headline_gives_way_to_the_h1():
    page = (FIXTURES / "split_body.html").read_text(encoding="utf-8")
    page = page.replace(
        '"headline": "Night trains return to the northern line after a decade"', '"headline": "Night trains return…"'
    )
    assert extract_html(page, Document(content=page, path="short.html")).title == (
        "Night trains return to the northern line after a decade"
    )


def test_language_comes_from_the_text_and_from_the_markup_when_the_text_is_too_short():
    page = (FIXTURES / "split_body.html").read_text(encoding="utf-8").replace('<html lang="en">', "<html>")
    assert extract(Document(content=page, path="nolang.html")).language == "en"
    german = (
        "Der Gemeinderat hat am Dienstag beschlossen, dass die alte Brücke nicht abgerissen wird, sondern saniert werden soll."
    )
    assert detect_language(german, declared="en") == "de"
    assert detect_language("Kurz und gut", declared="de-AT") == "de"
    assert detect_language("Kurz und gut") is None


def test_declared_article_body_is_used_only_when_it_is_the_whole_text():
    paragraph = " ".join(["The river rose another metre overnight and the mayor ordered the lower town evacuated."] * 3)
    full = "\\n".join([paragraph] * 4)
    page = """<html><head><title>Flood</title><script type="application/ld+json">
    {{"@type": "NewsArticle", "headline": "Flood", "articleBody": "{body}"}}</script></head>
    <body><div id="app"><p>Loading the story, please wait for the page to finish loading.</p></div></body></html>"""
    rendered_by_script = extract_html(page.format(body=full), Document(content="", path="script.html"))
    assert rendered_by_script.text.count("mayor ordered") == 12
    assert len(rendered_by_script.paragraphs) == 4

    teaser_page = (FIXTURES / "split_body.html").read_text(encoding="utf-8")
    teaser_page = teaser_page.replace('"datePublished"', '"articleBody": "Sleeper trains will run again.", "datePublished"')
    article = extract_html(teaser_page, Document(content=teaser_page, path="teaser.html"))
    assert len(article.paragraphs) == 6


def test_date_is_none_when_the_page_states_none():
    article = fixture("br_separated.html")
    assert "12 May 2019" in article.text  # a date in the prose is not the publication date
    assert article.published is None


def test_stated_dates_are_read_from_json_ld_and_meta_tags():
    assert fixture("split_body.html").published == "2023-03-14"
    assert fixture("teasers.html").published == "2022-09-02"


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("By Jane Roe, Senior Correspondent", ["Jane Roe"]),
        (["STEVE PEOPLES", "AP National Political Writer"], ["Steve Peoples"]),
        (["Maren Estrada\n \n November 19th, 2019 at 8:40 AM"], ["Maren Estrada"]),
        ("Analysis by Chris Cillizza, CNN", ["Chris Cillizza", "CNN"]),
        ("By John Smith and Mary Jones | Updated Nov. 5, 2019", ["John Smith", "Mary Jones"]),
        (["admin", "kei_eno", "Yonhap News Agency"], ["Yonhap News Agency"]),
    ],
)
def test_bylines_are_cleaned(raw, names):
    assert clean_bylines(raw) == names


def test_br_separated_body_becomes_paragraphs():
    article = fixture("br_separated.html")
    texts = article.paragraph_texts()
    assert len(texts) == 5
    assert texts[0].startswith("The harbour council voted seven to two")
    assert texts[-1].endswith("at the north quay.")
    assert article.title == "Harbour council votes to rebuild the old ferry pier"
    assert article.bylines == ["Mara Olsen"]
    assert article.site_name == "Coastline Courier"
    assert "Copyright" not in article.text and "About us" not in article.text


def test_br_separated_body_in_a_layout_table_becomes_paragraphs():
    article = fixture("br_table_layout.html")
    texts = article.paragraph_texts()
    assert len(texts) == 4
    assert texts[0].startswith("The owners of the old woollen mill")
    assert texts[3].startswith("No one was hurt.")
    assert "Home" not in article.text and "Town Gazette" not in article.text
    assert article.title == "Mill fire: owners promise to rebuild"


def test_body_split_across_sibling_containers_is_whole_and_in_order():
    article = fixture("split_body.html")
    texts = article.paragraph_texts()
    assert len(texts) == 6
    assert texts[0].startswith("Sleeper trains will run again")
    assert texts[3].startswith("Local tourism offices welcomed the news")
    assert texts[5].startswith("The operator warned")
    assert "Advertisement" not in article.text and "Most read" not in article.text
    assert article.bylines == ["Tomas Berg"] and article.site_name == "Valley Ledger"


def test_a_second_story_below_the_first_is_not_taken_for_its_continuation():
    article = fixture("two_stories.html")
    assert len(article.paragraphs) == 3
    assert "Elmdale" in article.text and "bus" not in article.text


def test_header_teasers_promotions_and_credits_are_not_body():
    article = fixture("teasers.html")
    text = article.text
    assert text.startswith("The row of keepers' cottages")
    assert text.endswith("a national lottery grant.")
    chrome = (
        "Heritage",
        "The trust hopes to open",
        "READ MORE",
        "OLD HARBOUR CRANE",
        "Coastal path",
        "Subscribe",
        "Reporting by",
    )
    for line in chrome:
        assert line not in text
    assert article.trailer == ["(Reporting by Elin Hartley; Editing by Per Lund)"]
    assert article.title == "Lighthouse keepers' cottages to become a maritime museum"
    assert article.bylines == ["Elin Hartley"]
    assert article.canonical_url == "https://northern-post.example/news/lighthouse-museum"
    assert article.language == "en"


def test_truncated_real_page_gives_an_article_or_a_named_error():
    html, gold = shared_page("042bb7b5fedab6eac7db576522b89b93904c237d344bcbe14a6a5ab7f7335856")
    for cut in (0.02, 0.5, 0.8):
        document = Document(content=html[: int(len(html) * cut)].encode("utf-8"), path="cut.html", content_type="text/html")
        try:
            article = extract(document)
        except NewstraceError as error:
            assert error.document == "cut.html" and error.reason
        else:
            assert article.text.strip()


@pytest.mark.parametrize(
    "markup",
    [
        "<html><body><div><p>Unclosed <b>bold <i>and <<>> stray brackets</div></p></table></body>",
        "<!DOCTYPE html><html><head><title>t</title></head><body></body></html>",
        "<html><body>" + "<div>" * 3000 + "deep" + "</div>" * 10 + "</body></html>",
        "<?xml version='1.0' encoding='utf-8'?><html><body><p>" + "word " * 200 + "</p></body></html>",
    ],
    ids=["unbalanced", "empty-body", "very-deep", "xml-declaration"],
)
def test_broken_html_does_not_crash(markup):
    document = Document(content=markup.encode("utf-8"), path="broken.html", content_type="text/html")
    try:
        article = extract(document)
    except NewstraceError as error:
        assert "broken.html" in str(error)
    else:
        assert article.text.strip()


_TAGS = [
    "<p>",
    "</p>",
    "<div class='article-body'>",
    "</div>",
    "<br>",
    "<h1>",
    "</h1>",
    "<a href='/x'>",
    "</a>",
    '<script type=\'application/ld+json\'>{"@type": "NewsArticle", ',
    "</script>",
    "<ul><li>",
    "<table><tr><td>",
    "<!--",
    "-->",
    "<![CDATA[",
    "&amp;",
    "&#",
    "<",
    ">",
    "\x00",
    "Ünïcödé words and more words. ",
]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(_TAGS), min_size=1, max_size=60))
def test_any_tag_soup_gives_an_article_or_a_named_error(pieces):
    markup = "<html><body>" + "".join(pieces)
    document = Document(content=markup, path="soup.html", content_type="text/html")
    try:
        article = extract(document)
    except NewstraceError as error:
        assert error.document == "soup.html"
    else:
        assert article.text.strip()
