"""Train the attribution model on PolNeAR-style records: fixed seeds, one config file.

Fine-tunes the pretrained encoder with the labelling layers on top (``network.py``, torch), then
exports the network to ONNX with int8 weights and saves it as a folder that ``AttributionTagger``
loads. Before that, the content chooser (``chooser.py``) and the boundary ranker (``boundaries.py``)
are fitted on out-of-fold readings: taggers trained on part of the corpus read the rest. Needs the
``train`` extra (torch, transformers, onnx and the pretrained encoder's package).
"""

from __future__ import annotations

import copy
import json
import platform
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import numpy
import spacy
from spacy.tokens import Doc
from thinc.api import Config

from newstrace.claims.attribution import Attribution
from newstrace.claims.model.boundaries import BOUNDARIES_FILE, BoundaryRanker, ParagraphTokens, edge_groups, fit_edge_model
from newstrace.claims.model.boundaries import FEATURES as BOUNDARY_FEATURES
from newstrace.claims.model.chooser import CHOOSER_FILE, FEATURES, ContentChooser, choice_features, fit_chooser
from newstrace.claims.model.confidence import CONFIDENCE_FILE, AttributionConfidence, attribution_features, fit_confidence
from newstrace.claims.model.confidence import FEATURES as CONFIDENCE_FEATURES
from newstrace.claims.model.data import LABELS, AttributionSpans, ParsedArticle, parse_records, read_records, token_labels
from newstrace.claims.model.features import rules_fingerprint
from newstrace.claims.model.finder import HybridSpanFinder
from newstrace.claims.model.inputs import LabelledInput
from newstrace.claims.model.tagger import CONFIG_FILE, META_FILE, MODEL_FILE, AttributionTagger, encoder_inputs, input_shape
from newstrace.claims.model.wordpieces import VOCAB_FILE, Wordpieces
from newstrace.claims.nlp import load_nlp
from newstrace.model import Span

DEFAULT_CONFIG = Path(__file__).with_name("config.cfg")

Example = tuple[Doc, numpy.ndarray]
Log = Callable[[str], None]


def examples_of(articles: Iterable[ParsedArticle]) -> list[Example]:
    """Parsed articles' non-empty paragraphs with their gold label ids."""
    return [
        (doc, numpy.asarray(labels, dtype="int64"))
        for article in articles
        for doc, labels in zip(article.docs, token_labels(article))
        if len(doc)
    ]


def encoder_path(config: Config) -> Path:
    """The pretrained encoder's folder: ``model/`` in the package that the config names."""
    return Path(str(files(config["network"]["encoder"]) / "model"))


def labelled_inputs(examples: Sequence[Example], wordpieces: Wordpieces, config: Config) -> list[LabelledInput]:
    """Each example's parts as the network reads them, with their tokens' gold labels."""
    shape = input_shape(config)
    return [(part, gold[part.start : part.end]) for doc, gold in examples for part in encoder_inputs(doc, wordpieces, shape)]


def fit(train: Sequence[Example], config: Config, log: Log = print, dev: Sequence[Example] = ()):
    """Fine-tune a tagger network on parsed, labelled paragraphs; deterministic for a given config
    (and number of threads). Returns the torch network. ``dev``: token accuracy after each epoch."""
    from newstrace.claims.model.network import fit_network

    path = encoder_path(config)
    wordpieces = Wordpieces(path / VOCAB_FILE)
    return fit_network(labelled_inputs(train, wordpieces, config), config, path, log, labelled_inputs(dev, wordpieces, config))


def save(network, config: Config, meta: dict, out: str | Path) -> AttributionTagger:
    """Write the trained network as the folder the tagger loads: the int8 ONNX graph, the config,
    meta and the encoder's vocabulary. Returns the tagger loaded from it."""
    from newstrace.claims.model.network import export_onnx, quantize

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        float_graph = Path(tmp) / "float32.onnx"
        export_onnx(network, float_graph)
        quantize(float_graph, folder / MODEL_FILE)
    shutil.copyfile(encoder_path(config) / VOCAB_FILE, folder / VOCAB_FILE)
    config.to_disk(folder / CONFIG_FILE)
    (folder / META_FILE).write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return AttributionTagger.load(folder)


def predict_records(tagger: AttributionTagger, records: Sequence[dict], nlp) -> list[dict]:
    """Predictions for attribution records, in the scorer's format."""
    return tagger_predictions(tagger, parse_records(records, nlp))


def tagger_predictions(tagger: AttributionTagger, articles: Iterable[ParsedArticle]) -> list[dict]:
    """The tagger's own spans for parsed articles, in the scorer's format."""
    return [
        {"id": article.id, "attributions": [a.to_record() for a in tagger.find(article.docs, article.offsets)]}
        for article in articles
    ]


class StoredReadings:
    """Stands in for a tagger: gives back the probabilities a fold's tagger read for the article at hand."""

    def __init__(self) -> None:
        self.current: list[numpy.ndarray] = []

    def probabilities(self, docs: Sequence[Doc], readings: Sequence[list[Attribution]] | None = None) -> list[numpy.ndarray]:
        return self.current


class _ContentRecorder(HybridSpanFinder):
    """The hybrid finder, noting what the content readers learn from: without a chooser, each
    content choice it meets with which reading was right; given one and ``sides``, each content
    edge on those sides with the candidate the gold edge falls on; given the boundary ranker instead
    of sides, each attribution the confidence model judges, with whether its cue and content are
    exactly right (``judge_readings``)."""

    def __init__(self, chooser: ContentChooser | None = None, sides: Sequence[str] = (), boundaries: BoundaryRanker | None = None):
        super().__init__(StoredReadings(), chooser, boundaries)
        self.sides = tuple(sides)
        self.gold: list[AttributionSpans] = []
        self.text = ""
        self.gold_exact: dict[str, set[tuple[Span, ...]]] = {}
        self.features: list[numpy.ndarray] = []
        self.tagger_right: list[int] = []
        self.edges: dict[str, list[tuple[numpy.ndarray, int]]] = {side: [] for side in self.sides}
        self.judged: list[numpy.ndarray] = []
        self.judged_attributions: list[Attribution] = []
        self.cue_right: list[int] = []
        self.content_right: list[int] = []

    def read(self, article: ParsedArticle, probabilities: list[numpy.ndarray]) -> None:
        self.tagger.current, self.gold = probabilities, article.gold
        self.text = article.text
        self.gold_exact = {role: {_canonical(getattr(a, role), self.text) for a in self.gold} for role in ("cue", "content")}
        self(article.paragraph_spans(), article.docs)

    def keeps_tagger_content(self, doc: Doc, base: int, probs, ruled: Attribution, tagged: Attribution) -> bool:
        if self.chooser is not None:
            return super().keeps_tagger_content(doc, base, probs, ruled, tagged)
        gold = {tuple(sorted(a.content)) for a in self.gold if a.content}
        rules_right, tagger_right = (tuple(sorted(a.content)) in gold for a in (ruled, tagged))
        if rules_right != tagger_right:  # choices where neither or both are right teach nothing
            self.features.append(choice_features(doc, base, probs, ruled, tagged))
            self.tagger_right.append(int(tagger_right))
        return False

    def place_edges(self, doc: Doc, base: int, probs, attributions: list[Attribution]) -> list[Attribution]:
        if self.boundaries is not None:
            return super().place_edges(doc, base, probs, attributions)
        if not self.sides:
            return attributions
        gold_contents = [a.content for a in self.gold if a.content]
        paragraph = ParagraphTokens(doc, base, probs, attributions, self.sides)
        for attribution in attributions:
            gold = _gold_reading(attribution.content, gold_contents)
            edges = paragraph.edges(attribution) if gold else None
            if edges is not None:
                for side, group in edge_groups(edges, gold, self.sides).items():
                    self.edges[side].append(group)
        return attributions

    def keeps(self, doc: Doc, base: int, probs, labels, attribution: Attribution, ruled: list[Attribution]) -> bool:
        if self.boundaries is None:
            return True
        self.judged.append(attribution_features(doc, base, probs, labels, attribution, ruled))
        self.judged_attributions.append(attribution)
        for role, right in (("cue", self.cue_right), ("content", self.content_right)):
            right.append(int(_canonical(getattr(attribution, role), self.text) in self.gold_exact[role]))
        return True


def _canonical(fragments: Sequence[Span], text: str) -> tuple[Span, ...]:
    """Fragments as the shared scorer compares them exactly: each trimmed of whitespace, and those
    that overlap or lie only whitespace apart joined."""
    out: list[list[int]] = []
    for start, end in sorted(fragments):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            continue
        if out and (start <= out[-1][1] or text[out[-1][1] : start].isspace()):
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return tuple((start, end) for start, end in out)


def _gold_reading(content: Sequence[Span], gold_contents: Sequence[Sequence[Span]]) -> Sequence[Span] | None:
    """The gold content that ``content`` is a reading of: the one sharing the most characters with
    it, at least half of the two together; None if there is none.

    Matched by the content itself, not by the cue: the ranker moves the edges of every content at
    run time, those whose cue is read a word off ("also said" for "said") included, so it learns
    from them too. On PolNeAR train, out of fold, learning starts only from contents whose cue was
    read exactly moved right starts of others wrong (53 broken, 7 fixed in one half)."""
    best, best_share = None, 0.0
    length = sum(e - s for s, e in content)
    for gold in gold_contents:
        common = sum(max(0, min(e, f) - max(s, g)) for s, e in content for g, f in gold)
        union = length + sum(f - g for g, f in gold) - common
        share = common / union if union else 0.0
        if share > best_share:
            best, best_share = gold, share
    return best if best_share >= 0.5 else None


@dataclass(frozen=True, slots=True)
class ContentReaders:
    """What the hybrid finder fits on out-of-fold readings besides the tagger."""

    chooser: ContentChooser
    boundaries: BoundaryRanker
    confidence: AttributionConfidence

    def save(self, folder: str | Path) -> None:
        """Write them into a model folder, beside the tagger."""
        self.chooser.save(Path(folder) / CHOOSER_FILE)
        self.boundaries.save(Path(folder) / BOUNDARIES_FILE)
        self.confidence.save(Path(folder) / CONFIDENCE_FILE)


def fit_content_readers(articles: Sequence[ParsedArticle], config: Config, log: Log = print) -> ContentReaders:
    """The content chooser, the boundary ranker and the confidence model, fitted on out-of-fold
    readings (``fold_readings``), so that they learn how far to trust a tagger on text it has not
    seen. Each learns from what the ones before it leave, as it meets it at run time."""
    return fit_on_readings(fold_readings(articles, config, log), config, log)


def fold_readings(
    articles: Sequence[ParsedArticle], config: Config, log: Log = print
) -> list[tuple[ParsedArticle, list[numpy.ndarray]]]:
    """Out-of-fold readings: articles are split into folds by position (article i to fold i mod
    k); a tagger trained on the other folds reads each fold. Each article comes with its
    paragraphs' label probabilities, fold by fold."""
    folds = int(config["chooser"]["folds"])
    # The folds' taggers only show how far to trust a tagger on text it has not seen; they train for
    # fewer epochs than the shipped one (docs/attribution-model-history.md, stop 13: no loss, 20 minutes less).
    fold_config = copy.deepcopy(config)
    fold_config["training"]["epochs"] = int(config["chooser"]["epochs"])
    readings: list[tuple[ParsedArticle, list[numpy.ndarray]]] = []
    for fold in range(folds):
        rest = [a for i, a in enumerate(articles) if i % folds != fold]
        if not rest or not articles[fold::folds]:
            log(f"fold {fold + 1} of {folds}: too few articles, left out")
            continue
        network = fit(examples_of(rest), fold_config, lambda line, f=fold: log(f"fold {f + 1} of {folds}: {line}"))
        with tempfile.TemporaryDirectory() as tmp:
            tagger = save(network, config, {"fold": fold}, tmp)
            readings.extend((article, tagger.probabilities(article.docs)) for article in articles[fold::folds])
    return readings


def fit_on_readings(
    readings: Sequence[tuple[ParsedArticle, list[numpy.ndarray]]], config: Config, log: Log = print
) -> ContentReaders:
    """The content chooser, then the boundary ranker, then the confidence model, fitted on taggers'
    readings of articles (``readings``: each article with its paragraphs' label probabilities)."""
    choices = _ContentRecorder()
    for article, probabilities in readings:
        choices.read(article, probabilities)
    # No choices at all (a run whose folds are all left out) still fits: the chooser then keeps the rules' content.
    x = numpy.asarray(choices.features).reshape(-1, len(FEATURES))
    y = numpy.asarray(choices.tagger_right)
    chooser = fit_chooser(x, y, float(config["chooser"]["l2"]))
    right = sum(chooser.prefers_tagger(row) == bool(label) for row, label in zip(x, y))
    log(f"content chooser: {len(y)} choices, the tagger's content right in {int(y.sum())}; {right} chosen right")
    sides = list(config["boundaries"]["sides"])
    edges = _ContentRecorder(chooser, sides)
    for article, probabilities in readings:
        edges.read(article, probabilities)
    models = {}
    for side in sides:
        groups = edges.edges[side]
        models[side] = fit_edge_model(groups, float(config["boundaries"]["l2"]))
        right = sum(models[side].best(rows) == label for rows, label in groups)
        kept = sum(rows[label, BOUNDARY_FEATURES.index("current")] == 1 for rows, label in groups)
        log(f"content {side}s: {len(groups)} with the gold {side} among the candidates, {kept} right where they were; "
            f"{right} placed right")
    boundaries = BoundaryRanker(models)
    judged = [j for article in judge_readings(readings, chooser, boundaries) for j in article]
    section = config["confidence"]
    confidence = fit_confidence(
        numpy.asarray([j.features for j in judged]).reshape(-1, len(CONFIDENCE_FEATURES)),
        numpy.asarray([j.cue_right for j in judged]),
        numpy.asarray([j.content_right for j in judged]),
        float(section["cue_floor"]),
        float(section["content_floor"]),
        float(section["l2"]),
    )
    dropped = sum(not confidence.keeps(j.features) for j in judged)
    log(f"attribution confidence: {len(judged)} attributions, cue right in {sum(j.cue_right for j in judged)}, "
        f"content right in {sum(j.content_right for j in judged)}; {dropped} of them doubted on both and dropped")
    return ContentReaders(chooser, boundaries, confidence)


@dataclass(frozen=True, slots=True)
class Judged:
    """An attribution the finder read on a fold's reading, as the confidence model learns from it."""

    attribution: Attribution
    features: numpy.ndarray  # confidence.FEATURES
    cue_right: int  # 1 where its cue is exactly a gold one
    content_right: int  # ... its content


def judge_readings(
    readings: Sequence[tuple[ParsedArticle, list[numpy.ndarray]]], chooser: ContentChooser, boundaries: BoundaryRanker
) -> list[list[Judged]]:
    """Per article of ``readings``, the attributions the finder with this chooser and ranker reads
    that the confidence model judges (those PolNeAR would mark), in the order it judges them."""
    recorder = _ContentRecorder(chooser, (), boundaries)
    out = []
    for article, probabilities in readings:
        start = len(recorder.judged)
        recorder.read(article, probabilities)
        out.append(
            [
                Judged(*row)
                for row in zip(
                    recorder.judged_attributions[start:], recorder.judged[start:], recorder.cue_right[start:], recorder.content_right[start:]
                )
            ]
        )
    return out


def train_attribution_model(
    train_path: str | Path,
    dev_path: str | Path | None,
    out_dir: str | Path,
    config_path: str | Path = DEFAULT_CONFIG,
    limit: int | None = None,
    log: Log = print,
) -> AttributionTagger:
    """Parse the corpora, fit the content readers (chooser, boundary ranker, confidence), train the tagger, save the model to ``out_dir``
    and the tagger's dev predictions beside it.

    ``limit`` keeps the first N articles of each file (for quick checks).
    """
    import torch
    import transformers

    config = Config().from_disk(config_path)
    started = time.perf_counter()
    # The whole pipeline, loaded as at run time: the rules, whose reading is a feature, look at entities.
    nlp = load_nlp(config["features"]["spacy_model"])
    articles = list(parse_records(read_records(train_path)[:limit], nlp))
    dev_records = read_records(dev_path)[:limit] if dev_path else []
    dev = examples_of(parse_records(dev_records, nlp))
    train = examples_of(articles)
    parsed = time.perf_counter()
    log(f"parsed {len(train)} training and {len(dev)} dev paragraphs in {parsed - started:.0f} s")
    readers = fit_content_readers(articles, config, log)
    network = fit(train, config, log, dev)
    trained = time.perf_counter()
    meta = {
        "labels": list(LABELS),
        "spacy_model": config["features"]["spacy_model"],
        "trained_on": Path(train_path).name,
        "rules_fingerprint": rules_fingerprint(nlp.vocab),
        "training_seconds": round(trained - parsed, 1),
        "versions": {
            "spacy": spacy.__version__,
            "torch": torch.__version__,
            "transformers": transformers.__version__,
            "python": platform.python_version(),
        },
    }
    tagger = save(network, config, meta, out_dir)
    readers.save(out_dir)
    if dev_records:
        with open(Path(out_dir) / "dev_predictions.jsonl", "w", encoding="utf-8") as handle:
            for record in predict_records(tagger, dev_records, nlp):
                handle.write(json.dumps(record) + "\n")
    log(f"trained in {trained - parsed:.0f} s; model saved to {out_dir}")
    return tagger
