"""The per-document pipeline: one function per document, the same in the CLI, the server and Dask."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

from newstrace.claims import SpanFinder, analyze_claims, claims_from_parse
from newstrace.claims.model import default_span_finder
from newstrace.claims.nlp import parse_articles
from newstrace.extract import extract
from newstrace.model import Analysis, Document, NewstraceError
from newstrace.provenance import find_origin

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Documents whose paragraphs spaCy parses in shared batches (analyze_many).
DOCUMENTS_PER_PARSE = 16


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


def read_many(documents: Iterable[Document | NewstraceError]) -> Iterator[Analysis | NewstraceError]:
    """``read_article`` over a stream of documents, in order: each one's article and origin, or the
    error that stopped it, as in ``analyze_many``."""
    for item in documents:
        yield item if isinstance(item, NewstraceError) else run_safely(item, read_article, item)


def analyze_many(
    documents: Iterable[Document | NewstraceError], use_model: bool | None = None
) -> Iterator[Analysis | NewstraceError]:
    """``analyze`` over a stream of documents, in order: each one's analysis, or the error that
    stopped it (a bug in a stage too, as a ``NewstraceError`` naming the document). Errors in the
    stream (a page that could not be read) come out in their place.

    The paragraphs of several documents are parsed in shared batches, which spaCy parses about a
    fifth faster than one article's at a time; the parses are the same, and the pipeline's context
    vectors agree to within float rounding (docs/attribution-model-history.md, stop 22).
    """
    find = default_span_finder(use_model)
    stream = iter(documents)
    while chunk := list(islice(stream, DOCUMENTS_PER_PARSE)):
        read = list(read_many(chunk))
        articles = [analysis.article for analysis in read if isinstance(analysis, Analysis)]
        try:
            parsed = iter(parse_articles([article.paragraph_texts() for article in articles]))
        except Exception:  # a document spaCy cannot parse: each is then parsed alone, its error its own
            parsed = iter([None] * len(articles))
        for document, analysis in zip(chunk, read):
            if isinstance(analysis, Analysis):
                analysis = run_safely(document, _add_claims, analysis, next(parsed), find)
            yield analysis


def _add_claims(analysis: Analysis, docs: list[Doc] | None, find: SpanFinder) -> Analysis:
    if docs is None:
        analysis.entities, analysis.claims = analyze_claims(analysis.article, find)
    else:
        analysis.entities, analysis.claims = claims_from_parse(analysis.article, docs, find)
    return analysis


def run_safely(document: Document, stage: Callable[..., Analysis], *args: Any) -> Analysis | NewstraceError:
    """``stage(*args)``, or the error that stopped it, naming ``document``; never raises."""
    try:
        return stage(*args)
    except NewstraceError as error:
        return error
    except Exception as error:  # a bug in one stage must not stop the others' documents
        return NewstraceError(document.name, f"{type(error).__name__}: {error}")
