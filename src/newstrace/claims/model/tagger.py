"""The trained attribution tagger: load it, run it on parsed paragraphs, save it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy
from spacy.tokens import Doc
from thinc.api import Config, Model

from newstrace.claims.model.data import LABELS, AttributionSpans
from newstrace.claims.model.decode import best_labels, link, read_spans, to_attributions
from newstrace.claims.model.network import NetworkShape, build_tagger
from newstrace.claims.model.wordpieces import load_vectors

WEIGHTS_FILE = "weights.bin"
CONFIG_FILE = "config.cfg"
META_FILE = "meta.json"


@dataclass(slots=True)
class AttributionTagger:
    """A tagger network with the settings it was built from."""

    network: Model
    config: Config
    meta: dict[str, Any]

    @classmethod
    def from_config(cls, config: Config) -> AttributionTagger:
        """An untrained tagger shaped by ``config``'s ``[network]`` section."""
        shape = network_shape(config)
        vectors = load_vectors() if shape.wordpieces else None
        return cls(network=build_tagger(shape, vectors), config=config, meta={})

    @classmethod
    def load(cls, path: str | Path) -> AttributionTagger:
        """Load a tagger saved with ``save`` (offline: three files in one folder)."""
        folder = Path(path)
        config = Config().from_disk(folder / CONFIG_FILE)
        tagger = cls.from_config(config)
        tagger.network.from_bytes((folder / WEIGHTS_FILE).read_bytes())
        tagger.meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
        return tagger

    def save(self, path: str | Path) -> None:
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / WEIGHTS_FILE).write_bytes(self.network.to_bytes())
        self.config.to_disk(folder / CONFIG_FILE)
        (folder / META_FILE).write_text(json.dumps(self.meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    @property
    def spacy_model(self) -> str:
        """The spaCy pipeline whose analyses the tagger was trained on."""
        return str(self.config["features"]["spacy_model"])

    def label_docs(self, docs: Sequence[Doc]) -> list[numpy.ndarray]:
        """The most likely well-formed label ids of each doc's tokens."""
        nonempty = [doc for doc in docs if len(doc)]
        scores = iter(self.network.predict(nonempty) if nonempty else [])
        return [best_labels(next(scores), doc) if len(doc) else numpy.zeros(0, dtype=int) for doc in docs]

    def find(self, docs: Sequence[Doc], offsets: Sequence[int] | None = None) -> list[AttributionSpans]:
        """Attributions in parsed paragraphs; ``offsets[i]`` is where paragraph i starts in the text."""
        offsets = offsets if offsets is not None else [0] * len(docs)
        found: list[AttributionSpans] = []
        for doc, offset, labels in zip(docs, offsets, self.label_docs(docs)):
            found.extend(to_attributions(link(read_spans(labels, doc), doc), doc, offset))
        return found


def network_shape(config: Config) -> NetworkShape:
    """The ``[network]`` section as a ``NetworkShape``."""
    return NetworkShape(**{k: v for k, v in config["network"].items() if k in NetworkShape.__dataclass_fields__})


def describe(shape: NetworkShape) -> dict[str, Any]:
    return {"labels": list(LABELS), "network": asdict(shape)}
