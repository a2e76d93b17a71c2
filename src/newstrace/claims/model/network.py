"""The tagger network: token features from the spaCy parse → CNN → one role label per token.

The features are the small pipeline's own analyses (lexical forms, tag, dependency label)
plus what a narrow CNN window cannot see by itself: the token's syntactic head (its lemma
and label, which tie a subject to its speech verb across any distance) and whether the
token lies inside a quotation. The network is spaCy's hashed-embedding CNN (the same
kind as the small pipeline's tok2vec), trained from scratch; it runs on the parsed docs
the claims stage already has, so its cost is one small CNN pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy
from spacy.attrs import DEP, HEAD, IS_QUOTE, LEMMA, NORM, PREFIX, SHAPE, SUFFIX, TAG
from spacy.ml.models.tok2vec import MaxoutWindowEncoder
from spacy.tokens import Doc
from thinc.api import (
    Dropout,
    HashEmbed,
    Maxout,
    Model,
    Softmax,
    chain,
    concatenate,
    list2ragged,
    ragged2list,
    use_ops,
    with_array,
)
from thinc.types import Floats2d, Ints2d

from newstrace.claims.model.data import LABELS

# Columns of the feature matrix, in order; each gets its own hashed embedding table.
FEATURES = ("norm", "prefix", "suffix", "shape", "lemma", "tag", "dep", "head_lemma", "head_dep", "quote")
_DOC_ATTRS = [NORM, PREFIX, SUFFIX, SHAPE, LEMMA, TAG, DEP, HEAD, IS_QUOTE]
_LEXICAL = {"norm", "prefix", "suffix", "lemma", "head_lemma"}
_OPENING = {"“", "«", "„"}
_CLOSING = {"”", "»"}


@dataclass(frozen=True, slots=True)
class NetworkShape:
    """Sizes of the network (from the ``[network]`` section of the config)."""

    width: int = 96
    depth: int = 4
    window: int = 1
    maxout_pieces: int = 3
    rows: int = 2000
    lexical_rows: int = 10000
    lexical_embed: int = 64
    embed: int = 32
    dropout: float = 0.1


def doc_features(doc: Doc) -> numpy.ndarray:
    """The (n_tokens, len(FEATURES)) uint64 feature matrix of one parsed doc."""
    arr = doc.to_array(_DOC_ATTRS).astype(numpy.int64)
    n = len(doc)
    heads = numpy.arange(n, dtype=numpy.int64) + arr[:, 7]
    out = numpy.empty((n, len(FEATURES)), dtype=numpy.uint64)
    out[:, :7] = arr[:, :7].astype(numpy.uint64)
    out[:, 7] = arr[heads, 4].astype(numpy.uint64)
    out[:, 8] = arr[heads, 6].astype(numpy.uint64)
    out[:, 9] = _quote_state(doc, arr[:, 8])
    return out


def _quote_state(doc: Doc, is_quote: numpy.ndarray) -> numpy.ndarray:
    """Per token: 0 outside quotes, 1 inside, 2 a quotation mark itself.

    Curly marks say which way they face; a straight ``"`` toggles. Single quotes are left
    out: they double as apostrophes.
    """
    state = numpy.zeros(len(doc), dtype=numpy.uint64)
    inside, since = False, 0
    for i in numpy.flatnonzero(is_quote):
        mark = doc[int(i)].text
        if mark in _OPENING or (mark == '"' and not inside):
            since, inside = int(i) + 1, True
        elif (mark in _CLOSING or mark == '"') and inside:
            state[since:i] = 1
            inside = False
        else:
            continue
        state[i] = 2
    return state


def build_features() -> Model[list[Doc], list[Ints2d]]:
    """Layer: docs → their feature matrices."""

    def forward(model: Model, docs: list[Doc], is_train: bool):
        return [model.ops.asarray2i(doc_features(doc), dtype="uint64") for doc in docs], lambda d: []

    return Model("attribution_features", forward)


def build_tagger(shape: NetworkShape) -> Model[list[Doc], list[Floats2d]]:
    """docs → per-token probabilities over ``LABELS``."""
    # numpy's BLAS multiplies these small matrices about 3x faster than thinc's default blis
    # on the CPUs measured here (see docs/attribution-model.md).
    with use_ops("numpy", use_blis=False):
        tables = [
            HashEmbed(
                nO=shape.lexical_embed if name in _LEXICAL else shape.embed,
                nV=shape.lexical_rows if name in _LEXICAL else shape.rows,
                column=i,
                seed=i + 1,
            )
            for i, name in enumerate(FEATURES)
        ]
        concat_width = sum(table.get_dim("nO") for table in tables)
        embed = chain(
            build_features(),
            list2ragged(),
            with_array(concatenate(*tables)),
            with_array(Maxout(shape.width, concat_width, nP=shape.maxout_pieces, normalize=True)),
            ragged2list(),
        )
        encode = MaxoutWindowEncoder(
            width=shape.width, window_size=shape.window, maxout_pieces=shape.maxout_pieces, depth=shape.depth
        )
        return chain(
            embed,
            with_array(Dropout(shape.dropout)),
            encode,
            with_array(Softmax(nO=len(LABELS), nI=shape.width)),
        )
