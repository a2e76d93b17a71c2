"""What the tagger network reads and writes, as plain numpy: its labels, the columns of its parse
features, and a paragraph part's inputs.

Nothing here needs spaCy, so the network and its training loop (``network.py``) also run where
only torch is installed: a GPU machine (``benchmarks/tagger_sweep.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy

LABELS = ("O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-CON", "I-CON")
# Columns of the feature matrix (features.py), in order; each gets its own hashed embedding table.
FEATURES = ("tag", "dep", "head_dep", "child_deps", "clause_dep", "governor", "quote", "rules")
# Width of the spaCy pipeline's context vectors (doc.tensor), read per token.
TENSOR_WIDTH = 96


@dataclass(frozen=True, slots=True)
class InputShape:
    """How a paragraph becomes the network's inputs (the ``[inputs]`` section of the config)."""

    # Wordpieces the encoder reads at once, [CLS] and [SEP] aside; longer paragraphs are cut
    # between tokens into parts of at most this many.
    max_pieces: int = 254
    # A token longer than this many wordpieces (a URL) is read by its first ones.
    pieces_per_token: int = 6
    # Embedding rows each feature id is hashed into; the governor lemma gets more.
    rows: int = 1000
    lexical_rows: int = 5000

    def feature_rows(self) -> numpy.ndarray:
        """Per feature column, its number of rows."""
        return numpy.array([self.lexical_rows if name == "governor" else self.rows for name in FEATURES], dtype=numpy.uint64)


@dataclass(slots=True)
class EncoderInput:
    """A paragraph, or the part of it between tokens ``start`` and ``end``, as the network reads it."""

    start: int
    end: int
    input_ids: numpy.ndarray  # (n_pieces + 2,) int64: [CLS], the tokens' wordpieces, [SEP]
    first: numpy.ndarray  # (n_tokens,) int64: where each token's first wordpiece is
    features: numpy.ndarray  # (n_tokens, len(FEATURES)) int64: embedding rows
    tensor: numpy.ndarray  # (n_tokens, TENSOR_WIDTH) float32: the pipeline's context vectors

    def feeds(self) -> dict[str, numpy.ndarray]:
        """The ONNX graph's inputs."""
        return {"input_ids": self.input_ids, "first": self.first, "features": self.features, "tensor": self.tensor}


# A paragraph part's inputs and the gold label ids of its tokens.
LabelledInput = tuple[EncoderInput, numpy.ndarray]


def input_shape(config: Mapping) -> InputShape:
    """The ``[inputs]`` section of a config as an ``InputShape``."""
    return InputShape(**{k: v for k, v in config["inputs"].items() if k in InputShape.__dataclass_fields__})
