"""Extract: ``Document → Article``. The real article, with the site chrome removed.

HTML goes through ``extract.html`` (trafilatura plus what it misses); plain text through
``extract.text`` (chrome removal from line structure). Both return the same ``Article``.
"""

from __future__ import annotations

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
    return article


__all__ = ["extract", "extract_html", "extract_text"]
