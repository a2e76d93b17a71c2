"""The spaCy pipeline, loaded once per process, and paragraph-by-paragraph parsing."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from newstrace.config import settings
from newstrace.model import NewstraceError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# nlp.pipe batches this many paragraphs. Batches of 64 to 128 of PolNeAR's paragraphs parsed
# about a fifth faster than one article's (24 on average) or 1,000 (docs/attribution-model-history.md, stop 22).
BATCH_SIZE = 64


@lru_cache(maxsize=4)
def load_nlp(model: str | None = None) -> Language:
    """The spaCy pipeline named by ``model`` (default: ``Settings.spacy_model``), loaded once per process."""
    import spacy
    from thinc.api import use_ops

    from newstrace.claims.indexed_ruler import index_attribute_ruler
    from newstrace.claims.remembered_lemmas import remember_lemmas
    from newstrace.claims.transition_decoders import use_step_loop_decoders

    name = model or settings().spacy_model
    try:
        # Layers take their ops when built: numpy's BLAS parses about 25% faster than thinc's
        # default blis on the CPUs measured here, with the same parses (docs/attribution-model.md).
        with use_ops("numpy", use_blis=False):
            nlp = spacy.load(name)
    except OSError as error:
        raise NewstraceError(name, f"cannot load the spaCy pipeline ({error})") from error
    # The same analyses, faster (transition_decoders.py, indexed_ruler.py, remembered_lemmas.py);
    # the new parser's and recognizer's layers are built with the same ops as the rest.
    with use_ops("numpy", use_blis=False):
        use_step_loop_decoders(nlp)
    index_attribute_ruler(nlp)
    remember_lemmas(nlp)
    return nlp


def replace_component(nlp: Language, name: str, factory: str) -> None:
    """Replace the pipeline's component ``name`` by one that ``factory`` makes (a subclass of its
    class) with the same settings, weights and tables."""
    # Interpolated: a parser's config names its listener's width by reference to the tok2vec's.
    config = {key: value for key, value in nlp.config.interpolate()["components"][name].items() if key != "factory"}
    state = nlp.get_pipe(name).to_bytes(exclude=["vocab"])
    nlp.replace_pipe(name, factory, config=config).from_bytes(state, exclude=["vocab"])


# Where doc_text keeps a doc's text in its user data.
_TEXT_KEY = "newstrace.text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per doc: spaCy joins it token by token on every access (about
    0.5 µs a token), and the claims stage reads each paragraph's text many times over."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def parse_paragraphs(texts: list[str], model: str | None = None) -> list[Doc]:
    """Parse each paragraph on its own (a page parsed whole runs headline and lead into one sentence)."""
    nlp = load_nlp(model)
    return list(nlp.pipe(texts, batch_size=BATCH_SIZE))


def parse_articles(paragraphs: list[list[str]], model: str | None = None) -> list[list[Doc]]:
    """The paragraphs of several articles parsed in shared batches, returned article by article."""
    docs = iter(parse_paragraphs([text for texts in paragraphs for text in texts], model))
    return [[next(docs) for _ in texts] for texts in paragraphs]
