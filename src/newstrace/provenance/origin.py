"""Finding the wire agency or outlet that first wrote an article's text."""

from __future__ import annotations

from newstrace.model import Article, Origin
from newstrace.provenance.fingerprint import fingerprint_text


def find_origin(article: Article) -> Origin:
    origin = Origin(republished_by=article.site_name, byline_is_reporter=bool(article.bylines) or None)
    origin.fingerprint = fingerprint_text(article.text)
    return origin
