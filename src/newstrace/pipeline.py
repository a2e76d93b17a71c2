"""The per-document pipeline: one function per document, the same in the CLI, the server and Dask."""

from __future__ import annotations

from newstrace.claims import analyze_claims
from newstrace.claims.model import default_span_finder
from newstrace.extract import extract
from newstrace.model import Analysis, Document
from newstrace.provenance import find_origin


def read_article(document: Document) -> Analysis:
    """Extract and provenance only: the article and its origin, no claims."""
    article = extract(document)
    return Analysis(article=article, origin=find_origin(article))


def analyze(document: Document, use_model: bool | None = None) -> Analysis:
    """The whole per-document pipeline: extract → provenance → claims (entities and claims).

    ``use_model`` False finds attributions with the rules alone (default: the trained model
    with the rules, unless the ``attribution_model`` setting says otherwise).
    """
    analysis = read_article(document)
    analysis.entities, analysis.claims = analyze_claims(analysis.article, default_span_finder(use_model))
    return analysis
