"""Extract: ``Document → Article``. The real article, with the site chrome removed.

HTML goes through ``extract.html`` (trafilatura plus what it misses); plain text through
``extract.text`` (chrome removal from line structure). Both return the same ``Article``.
"""

from __future__ import annotations

from newstrace.extract.article import clean_bylines, iso_date
from newstrace.extract.decode import decode_document, looks_like_html
from newstrace.extract.html import extract_html
from newstrace.extract.language import detect_language
from newstrace.extract.text import extract_text
from newstrace.model import Article, Document, NewstraceError


def extract(document: Document) -> Article:
    """Turn one document into an article; raise NewstraceError naming it when that is impossible."""
    text = decode_document(document)
    if not text.strip():
        raise NewstraceError(document.name, "empty document")
    is_html = looks_like_html(text, document.content_type)
    article = extract_html(text, document) if is_html else extract_text(text, document)
    if not article.text.strip():
        raise NewstraceError(document.name, "no article text found")
    article.language = detect_language(article.text, article.language)
    article.url = article.url or document.url
    article.path = document.path
    article.fetched_at = document.fetched_at
    apply_hints(article, document.hints)
    return article


def apply_hints(article: Article, hints: dict) -> None:
    """Fill what the page itself does not say from what its source knew (a feed entry's title and date)."""
    if not article.title and hints.get("title"):
        article.title = str(hints["title"])
    if not article.published:
        article.published = iso_date(hints.get("published"))
    if not article.site_name and hints.get("site_name"):
        article.site_name = str(hints["site_name"])
    if not article.bylines and hints.get("bylines"):
        article.bylines = clean_bylines(hints["bylines"])


__all__ = ["extract", "extract_html", "extract_text"]
