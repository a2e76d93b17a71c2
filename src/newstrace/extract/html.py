"""HTML pages: trafilatura for the body, plus what it misses."""

from __future__ import annotations

import trafilatura

from newstrace.extract.article import build_article, clean_bylines, iso_date
from newstrace.model import Article, Document


def extract_html(html: str, document: Document) -> Article:
    result = trafilatura.bare_extraction(
        html,
        url=document.url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={"extensive_search": False},
    )
    if result is None:
        return build_article([])
    body = result.text or ""
    blocks = [(line, "body") for line in body.split("\n") if line.strip()]
    return build_article(
        blocks,
        title=result.title,
        bylines=clean_bylines(result.author.split(";") if result.author else None),
        published=iso_date(result.date),
        site_name=result.sitename,
        canonical_url=result.url,
        language=result.language,
    )
