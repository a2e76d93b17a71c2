"""A trained attribution tagger: finds sources, cues and contents in parsed paragraphs.

A small transformer encoder (all-MiniLM-L6-v2 cut to four layers, fine-tuned) reads each
paragraph's wordpieces with the spaCy parse the claims stage already has, labels each token as
part of a source, a cue or a content (or none), and links each cue to its source and content
pieces. The rules of the claims stage then judge what the spans mean (who the speaker
is, stance, hedges, certainty). Trained on PolNeAR (Newell, Margolin and Ruths, LREC 2018)
for research use; see docs/attribution-model.md.

    from newstrace.claims.model import find_attribution_spans
    spans = find_attribution_spans(paragraph_docs, paragraph_offsets)
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from spacy.tokens import Doc

from newstrace.claims.model.boundaries import BOUNDARIES_FILE, BoundaryRanker
from newstrace.claims.model.chooser import CHOOSER_FILE, ContentChooser
from newstrace.claims.model.confidence import CONFIDENCE_FILE, AttributionConfidence
from newstrace.claims.model.data import AttributionSpans
from newstrace.claims.model.tagger import AttributionTagger
from newstrace.config import settings

__all__ = [
    "AttributionSpans",
    "AttributionTagger",
    "default_span_finder",
    "find_attribution_spans",
    "load_boundaries",
    "load_chooser",
    "load_confidence",
    "load_tagger",
    "shipped_model_path",
]


def shipped_model_path() -> Path:
    """Where the trained model that ships with the package lives."""
    return Path(str(files("newstrace") / "data" / "attribution_model"))


@lru_cache(maxsize=4)
def load_tagger(path: str | None = None) -> AttributionTagger:
    """The tagger at ``path``, else at the ``attribution_model_path`` setting, else the shipped
    one; loaded once per process."""
    return AttributionTagger.load(_model_folder(path))


@lru_cache(maxsize=4)
def load_chooser(path: str | None = None) -> ContentChooser:
    """The content chooser saved beside the tagger (same folder as ``load_tagger`` reads)."""
    return ContentChooser.load(Path(_model_folder(path)) / CHOOSER_FILE)


@lru_cache(maxsize=4)
def load_boundaries(path: str | None = None) -> BoundaryRanker:
    """The content boundary ranker saved beside the tagger; a model folder without one (trained
    before the ranker existed) places no edges."""
    file = Path(_model_folder(path)) / BOUNDARIES_FILE
    return BoundaryRanker.load(file) if file.exists() else BoundaryRanker({})


@lru_cache(maxsize=4)
def load_confidence(path: str | None = None) -> AttributionConfidence | None:
    """The attribution confidence model saved beside the tagger; None for a model folder without
    one (trained before it existed), whose finder then drops nothing."""
    file = Path(_model_folder(path)) / CONFIDENCE_FILE
    return AttributionConfidence.load(file) if file.exists() else None


def _model_folder(path: str | None) -> str | Path:
    return path or settings().attribution_model_path or shipped_model_path()


def find_attribution_spans(
    docs: Sequence[Doc],
    offsets: Sequence[int] | None = None,
    tagger: AttributionTagger | None = None,
) -> list[AttributionSpans]:
    """Attributions in an article's parsed paragraphs, as character fragments.

    ``docs`` are the paragraphs parsed by the spaCy pipeline the tagger was trained on
    (``tagger.spacy_model``); ``offsets[i]`` is where paragraph i starts in the article text
    (default 0), so that the fragments index the article text.
    """
    return (tagger or load_tagger()).find(docs, offsets)


def default_span_finder(use_model: bool | None = None, path: str | None = None):
    """The claims stage's span finder: the tagger combined with the rules (``finder.py``), or the
    rules alone when ``use_model`` is False (default: the ``attribution_model`` setting).
    ``path``: the model folder (default as ``load_tagger``)."""
    from newstrace.claims.attribution import find_attributions
    from newstrace.claims.model.finder import HybridSpanFinder

    if use_model is None:
        use_model = settings().attribution_model
    if not use_model:
        return find_attributions
    return HybridSpanFinder(load_tagger(path), load_chooser(path), load_boundaries(path), load_confidence(path))
