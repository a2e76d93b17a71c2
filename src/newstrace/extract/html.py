"""HTML pages: trafilatura for the body, plus what it misses.

The page is parsed once with lxml; the same tree serves the schema.org metadata and meta tags
(``pagemeta``, ``jsonld``), trafilatura's body extraction (which works on its own copy), and the rules
that judge the extracted blocks by their place in the page (``layout``) and by what they say
(``chrome``).
"""

from __future__ import annotations

import re

import trafilatura
from lxml.etree import LxmlError
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from newstrace.extract.article import build_article, clean_bylines
from newstrace.extract.blocks import Block, body_blocks
from newstrace.extract.chrome import drop_chrome
from newstrace.extract.jsonld import read_linked_data
from newstrace.extract.layout import drop_header, fill_gaps, locate, recover_split_body
from newstrace.extract.locate import PageText
from newstrace.extract.pagemeta import read_page_metadata
from newstrace.model import Article, Document, NewstraceError, ParagraphKind

_BYLINE = re.compile(r"^(?:by|von|por|par)\s+\w", re.I)
_BYLINE_WORDS = 16
_DECLARED_MIN_WORDS = 80
_DECLARED_RATIO = 2.0
_NAV_MIN_LINES = 20
_NAV_LINE_CHARS = 40
_NAV_SHARE = 0.6


def extract_html(html: str, document: Document) -> Article:
    """The article of an HTML page: clean paragraphs and the page's own metadata.

    Raises NewstraceError naming the document when the markup cannot be parsed or processed.
    """
    try:
        return _extract(html, document)
    except (LxmlError, ValueError, RecursionError) as error:
        raise NewstraceError(document.name, f"HTML could not be processed ({type(error).__name__}: {error})") from error


def _extract(html: str, document: Document) -> Article:
    tree = load_html(html)
    if tree is None:
        raise NewstraceError(document.name, "not parseable as HTML")
    linked = read_linked_data(tree)
    meta = read_page_metadata(tree, linked, document.url)
    blocks = _trafilatura_blocks(tree)
    page = PageText(tree)
    locate(blocks, page)
    blocks, header = drop_header(blocks, page, meta.title)
    blocks = recover_split_body(blocks, page)
    blocks = fill_gaps(blocks, page)
    blocks, trailer = drop_chrome(blocks)
    article = build_article(
        _prefer_declared_body([(b.text, b.kind) for b in blocks], linked.body),
        title=meta.title,
        bylines=clean_bylines(meta.authors or _header_bylines(header)),
        published=meta.published,
        site_name=meta.site_name,
        canonical_url=meta.canonical_url,
        language=meta.language,
        trailer=trailer,
    )
    return article


def _prefer_declared_body(blocks: list[tuple[str, ParagraphKind]], declared: str | None) -> list[tuple[str, ParagraphKind]]:
    """schema.org's ``articleBody`` instead of the extraction, when it is plausibly the whole text.

    ``articleBody`` is sometimes only a teaser, so it must be long in itself and much longer than
    what was extracted (an extraction that missed the body: a page rendered by scripts, an unusual
    layout), or be the very text extracted (trafilatura's own last resort reads it, but loses its
    paragraph breaks). Otherwise the extraction wins.
    """
    if not declared:
        return blocks
    declared_words = declared.split()
    extracted_words = [word for text, _ in blocks for word in text.split()]
    longer = len(declared_words) >= _DECLARED_MIN_WORDS and len(declared_words) >= _DECLARED_RATIO * len(extracted_words)
    if longer or declared_words == extracted_words:
        return [(line, "body") for line in declared.split("\n")]
    return blocks


def _header_bylines(header: list[Block]) -> list[str]:
    """Byline lines ("By Jane Roe | 2 May 2023") of the page header, for pages without author markup."""
    return [b.text for b in header if _BYLINE.match(b.text) and b.words <= _BYLINE_WORDS]


def _trafilatura_blocks(tree: HtmlElement) -> list[Block]:
    """trafilatura's body as blocks: its fast path, and its full cascade only when that fails.

    The fast path skips the comparison with readability and jusText, which costs time and sometimes
    swaps a correct extraction for a worse one; but when the main extractor finds nothing, the fast
    path falls back to a dump of the whole page, navigation included, and the comparison does better.
    """
    blocks = _run_trafilatura(tree, fast=True)
    if not blocks or _looks_like_navigation(blocks):
        fuller = _run_trafilatura(tree, fast=False)
        if fuller and not _looks_like_navigation(fuller):
            return fuller
    return blocks


def _run_trafilatura(tree: HtmlElement, *, fast: bool) -> list[Block]:
    result = trafilatura.bare_extraction(
        tree,
        fast=fast,
        include_comments=False,
        include_links=True,  # links mark teasers; no URL is given, so targets are not resolved
        include_tables=True,
        with_metadata=False,
    )
    if result is None or result.body is None:
        return []
    return body_blocks(result.body)


def _looks_like_navigation(blocks: list[Block]) -> bool:
    """Mostly short lines: a menu or a page dump, not an article."""
    lines = [line for block in blocks for line in block.text.split("\n") if line.strip()]
    if len(lines) < _NAV_MIN_LINES:
        return False
    short = [line for line in lines if len(line) <= _NAV_LINE_CHARS]
    return len(short) >= _NAV_SHARE * len(lines) and sum(map(len, short)) >= _NAV_SHARE * sum(map(len, lines))
