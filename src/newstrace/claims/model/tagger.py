"""The trained attribution tagger: a small transformer reads the paragraph, one label per token.

The encoder is all-MiniLM-L6-v2 (Apache-2.0) cut to its first layers and fine-tuned on PolNeAR
(``train.py``). It reads the paragraph's wordpieces; each spaCy token is labelled from the
encoder's vector of its first wordpiece, joined with what the parse and the rules say of it
(``features.py``). The trained network ships as an ONNX graph with int8 weights and runs in
onnxruntime on one thread, so ``analyze`` needs no torch (docs/attribution-model.md).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy
from spacy.tokens import Doc
from thinc.api import Config

from newstrace.claims.attribution import Attribution
from newstrace.claims.model.data import LABELS, AttributionSpans
from newstrace.claims.model.decode import best_labels, link, read_spans, to_attributions
from newstrace.claims.model.features import doc_features, doc_tensor
from newstrace.claims.model.inputs import EncoderInput, InputShape, input_shape
from newstrace.claims.model.wordpieces import VOCAB_FILE, Wordpieces

MODEL_FILE = "model.onnx"
CONFIG_FILE = "config.cfg"
META_FILE = "meta.json"


def encoder_inputs(doc: Doc, wordpieces: Wordpieces, shape: InputShape, reading: list[Attribution] | None = None) -> list[EncoderInput]:
    """The network's inputs for a parsed paragraph: one per part that fits the encoder
    (``reading``: the paragraph's ``read_paragraph``, where the caller has it)."""
    if not len(doc):
        return []
    pieces = [wordpieces.pieces(token.text)[: shape.pieces_per_token] for token in doc]
    rows = (doc_features(doc, reading) % shape.feature_rows()).astype(numpy.int64)
    tensor = doc_tensor(doc)
    out = []
    for start, end in _parts(pieces, shape.max_pieces):
        ids, first = [wordpieces.cls], []
        for token_pieces in pieces[start:end]:
            first.append(len(ids))
            ids.extend(token_pieces)
        ids.append(wordpieces.sep)
        out.append(
            EncoderInput(
                start,
                end,
                numpy.asarray(ids, dtype=numpy.int64),
                numpy.asarray(first, dtype=numpy.int64),
                rows[start:end],
                tensor[start:end],
            )
        )
    return out


def _parts(pieces: list[list[int]], limit: int) -> list[tuple[int, int]]:
    """(start, end) token ranges whose wordpieces number at most ``limit`` (a longer token alone)."""
    out, start, size = [], 0, 0
    for i, token_pieces in enumerate(pieces):
        if size + len(token_pieces) > limit and i > start:
            out.append((start, i))
            start, size = i, 0
        size += len(token_pieces)
    out.append((start, len(pieces)))
    return out


class AttributionTagger:
    """The trained network (an onnxruntime session) with the settings it was trained with."""

    def __init__(self, session, wordpieces: Wordpieces, config: Config, meta: dict[str, Any]):
        self.session = session
        self.wordpieces = wordpieces
        self.config = config
        self.meta = meta
        self.shape = input_shape(config)

    @classmethod
    def load(cls, path: str | Path) -> AttributionTagger:
        """Load a tagger saved by training (a folder: the graph, its config, meta and vocabulary)."""
        import onnxruntime

        folder = Path(path)
        options = onnxruntime.SessionOptions()
        # One thread: newstrace scales out by processes (one per core), which threads would fight.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(str(folder / MODEL_FILE), options, providers=["CPUExecutionProvider"])
        return cls(
            session,
            Wordpieces(folder / VOCAB_FILE),
            Config().from_disk(folder / CONFIG_FILE),
            json.loads((folder / META_FILE).read_text(encoding="utf-8")),
        )

    @property
    def spacy_model(self) -> str:
        """The spaCy pipeline whose analyses the tagger was trained on."""
        return str(self.config["features"]["spacy_model"])

    def probabilities(self, docs: Sequence[Doc], readings: Sequence[list[Attribution]] | None = None) -> list[numpy.ndarray]:
        """Per doc, the (n_tokens, len(LABELS)) label probabilities (``readings``: each doc's
        ``read_paragraph``, where the caller has them)."""
        out = []
        for doc, reading in zip(docs, readings if readings is not None else [None] * len(docs)):
            probs = numpy.zeros((len(doc), len(LABELS)))
            for part in encoder_inputs(doc, self.wordpieces, self.shape, reading):
                (probs[part.start : part.end],) = self.session.run(None, part.feeds())
            out.append(probs)
        return out

    def label_docs(self, docs: Sequence[Doc]) -> list[numpy.ndarray]:
        """The most likely well-formed label ids of each doc's tokens."""
        return [
            best_labels(probs, doc) if len(doc) else numpy.zeros(0, dtype=int)
            for doc, probs in zip(docs, self.probabilities(docs))
        ]

    def find(self, docs: Sequence[Doc], offsets: Sequence[int] | None = None) -> list[AttributionSpans]:
        """Attributions in parsed paragraphs; ``offsets[i]`` is where paragraph i starts in the text."""
        offsets = offsets if offsets is not None else [0] * len(docs)
        found: list[AttributionSpans] = []
        for doc, offset, labels in zip(docs, offsets, self.label_docs(docs)):
            found.extend(to_attributions(link(read_spans(labels, doc), doc), doc, offset))
        return found
