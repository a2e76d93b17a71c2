"""The trained attribution tagger: load it, run it on parsed paragraphs, save it.

A tagger is an ensemble: several networks of one shape, trained alike from different seeds,
whose label probabilities are averaged before decoding. Averaging steadies the tagger where
single networks disagree from seed to seed (about 0.01 F1 on PolNeAR dev).
"""

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
from newstrace.claims.model.network import NetworkShape, TokenInputs, build_tagger, featurize
from newstrace.claims.model.wordpieces import WordpieceVectors, load_vectors

CONFIG_FILE = "config.cfg"
META_FILE = "meta.json"


def weights_file(member: int) -> str:
    return f"weights-{member}.bin"


@dataclass(slots=True)
class AttributionTagger:
    """The networks of an ensemble with the settings they were built from."""

    networks: list[Model]
    vectors: WordpieceVectors | None
    config: Config
    meta: dict[str, Any]

    @classmethod
    def from_config(cls, config: Config) -> AttributionTagger:
        """An untrained tagger shaped by ``config``: ``[training] members`` networks shaped by ``[network]``."""
        shape = network_shape(config)
        vectors = load_vectors() if shape.wordpieces else None
        width = vectors.width if vectors is not None else 0
        networks = [build_tagger(shape, width) for _ in range(ensemble_size(config))]
        return cls(networks=networks, vectors=vectors, config=config, meta={})

    @classmethod
    def load(cls, path: str | Path) -> AttributionTagger:
        """Load a tagger saved with ``save`` (offline: a config, a meta file and one weights file per member)."""
        folder = Path(path)
        config = Config().from_disk(folder / CONFIG_FILE)
        tagger = cls.from_config(config)
        for member, network in enumerate(tagger.networks):
            network.from_bytes((folder / weights_file(member)).read_bytes())
            _set_float32(network)
        tagger.meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
        return tagger

    def save(self, path: str | Path) -> None:
        """Write the tagger to a folder, its weights as float16 (training rounds them to that
        precision, so what loads is what was trained)."""
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        for member, network in enumerate(self.networks):
            (folder / weights_file(member)).write_bytes(_float16_bytes(network))
        self.config.to_disk(folder / CONFIG_FILE)
        (folder / META_FILE).write_text(json.dumps(self.meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    @property
    def spacy_model(self) -> str:
        """The spaCy pipeline whose analyses the tagger was trained on."""
        return str(self.config["features"]["spacy_model"])

    def inputs(self, docs: Sequence[Doc]) -> list[TokenInputs]:
        """What the networks read of each doc."""
        return featurize(list(docs), self.vectors)

    def probabilities(self, docs: Sequence[Doc]) -> list[numpy.ndarray]:
        """Per doc, the members' mean (n_tokens, len(LABELS)) label probabilities."""
        nonempty = [doc for doc in docs if len(doc)]
        if not nonempty:
            return [numpy.zeros((0, len(LABELS))) for _ in docs]
        inputs = self.inputs(nonempty)
        summed = [numpy.asarray(p, dtype=numpy.float64) for p in self.networks[0].predict(inputs)]
        for network in self.networks[1:]:
            for total, p in zip(summed, network.predict(inputs)):
                total += p
        means = iter([total / len(self.networks) for total in summed])
        return [next(means) if len(doc) else numpy.zeros((0, len(LABELS))) for doc in docs]

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


def network_shape(config: Config) -> NetworkShape:
    """The ``[network]`` section as a ``NetworkShape``."""
    return NetworkShape(**{k: v for k, v in config["network"].items() if k in NetworkShape.__dataclass_fields__})


def ensemble_size(config: Config) -> int:
    """How many networks the tagger averages (``[training] members``)."""
    return int(config["training"].get("members", 1))


def describe(shape: NetworkShape) -> dict[str, Any]:
    return {"labels": list(LABELS), "network": asdict(shape)}


def round_to_float16(network: Model) -> None:
    """Round the network's parameters to float16 precision (kept as float32): half the size on
    disk; PolNeAR dev scores move by less than 0.002 (docs/attribution-model.md)."""
    for node, name in _params(network):
        node.set_param(name, node.get_param(name).astype(numpy.float16).astype(numpy.float32))


def _float16_bytes(network: Model) -> bytes:
    """The network serialised with its parameters as float16 (the network is left as it was)."""
    kept = {(node.id, name): node.get_param(name) for node, name in _params(network)}
    for node, name in _params(network):
        node.set_param(name, kept[(node.id, name)].astype(numpy.float16))
    try:
        return network.to_bytes()
    finally:
        for node, name in _params(network):
            node.set_param(name, kept[(node.id, name)])


def _set_float32(network: Model) -> None:
    for node, name in _params(network):
        node.set_param(name, node.get_param(name).astype(numpy.float32))


def _params(network: Model) -> list[tuple[Model, str]]:
    """(layer, parameter name) for every parameter the network holds."""
    return [(node, name) for node in network.walk() for name in node.param_names if node.has_param(name)]
