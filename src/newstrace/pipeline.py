"""The per-document pipeline: one function per document, the same in the CLI, the server and Dask."""

from __future__ import annotations

from newstrace.claims import analyze_claims
from newstrace.extract import extract
from newstrace.model import Analysis, Document
from newstrace.provenance import find_origin


def read_article(document: Document) -> Analysis:
    """Extract and provenance only: the article and its origin, no claims."""
    article = extract(document)
    return Analysis(article=article, origin=find_origin(article))


def analyze(document: Document) -> Analysis:
    """The whole per-document pipeline: extract → provenance → claims (entities and claims)."""
    analysis = read_article(document)
    analysis.entities, analysis.claims = analyze_claims(analysis.article)
    return analysis
