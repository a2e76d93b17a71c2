"""Train the attribution tagger on PolNeAR-style records: fixed seeds, one config file."""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy
import spacy
import thinc
from spacy.tokens import Doc
from thinc.api import Adam, Config, SequenceCategoricalCrossentropy, fix_random_seed

from newstrace.claims.model.data import LABELS, ParsedArticle, parse_records, read_records, token_labels
from newstrace.claims.model.network import TokenInputs, rules_fingerprint
from newstrace.claims.model.tagger import AttributionTagger, describe, network_shape, round_to_float16
from newstrace.claims.nlp import load_nlp

DEFAULT_CONFIG = Path(__file__).with_name("config.cfg")

Example = tuple[Doc, numpy.ndarray]
# A paragraph's network inputs and its gold label ids.
LabelledInputs = tuple[TokenInputs, numpy.ndarray]
Log = Callable[[str], None]


def load_examples(path: str | Path, nlp, limit: int | None = None) -> tuple[list[dict], list[Example]]:
    """Records of a JSONL file and their parsed paragraphs with gold label ids."""
    records = read_records(path)[:limit]
    return records, examples_of(parse_records(records, nlp))


def examples_of(articles: Iterable[ParsedArticle]) -> list[Example]:
    """Parsed articles' non-empty paragraphs with their gold label ids."""
    return [
        (doc, numpy.asarray(labels, dtype="int32"))
        for article in articles
        for doc, labels in zip(article.docs, token_labels(article))
        if len(doc)
    ]


def batches(
    examples: Sequence[LabelledInputs], batch_tokens: int, rng: numpy.random.RandomState
) -> Iterable[list[LabelledInputs]]:
    """Shuffled batches of whole paragraphs, about ``batch_tokens`` tokens each."""
    batch, size = [], 0
    for i in rng.permutation(len(examples)):
        batch.append(examples[i])
        size += len(examples[i][0])
        if size >= batch_tokens:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def fit(
    train: Sequence[Example],
    config: Config,
    log: Log = print,
    dev: Sequence[Example] = (),
    after_epoch: Callable[[int, int, AttributionTagger], None] | None = None,
) -> AttributionTagger:
    """Train a tagger on parsed, labelled paragraphs; deterministic for a given config.

    Each of the ``[training] members`` networks is trained alone, member k from seed ``seed + k``.
    ``dev`` examples, if given, report token accuracy after each epoch; ``after_epoch`` is called
    with the member, the epoch number and a tagger of that network as it stands.
    """
    settings = config["training"]
    tagger = AttributionTagger.from_config(config)
    started = time.perf_counter()
    # The inputs are the same for every member and epoch: compute them once.
    train_inputs = list(zip(tagger.inputs([doc for doc, _ in train]), (gold for _, gold in train)))
    log(f"read the inputs of {len(train)} paragraphs in {time.perf_counter() - started:.0f} s")
    for member, network in enumerate(tagger.networks):
        seed = int(settings["seed"]) + member
        fix_random_seed(seed)
        rng = numpy.random.RandomState(seed)
        sample = [inputs for inputs, _ in train_inputs[:16]]
        network.initialize(X=sample, Y=[network.ops.alloc2f(len(x), len(LABELS)) for x in sample])
        optimizer = Adam(
            learn_rate=float(settings["learn_rate"]), L2=float(settings["L2"]), grad_clip=float(settings["grad_clip"])
        )
        loss_fn = SequenceCategoricalCrossentropy(normalize=False)
        alone = AttributionTagger([network], tagger.vectors, tagger.config, {})
        for epoch in range(1, int(settings["epochs"]) + 1):
            started, total = time.perf_counter(), 0.0
            for batch in batches(train_inputs, int(settings["batch_tokens"]), rng):
                guesses, backprop = network.begin_update([inputs for inputs, _ in batch])
                grads, loss = loss_fn(guesses, [gold for _, gold in batch])
                backprop(grads)
                network.finish_update(optimizer)
                total += float(loss)
            # Evaluate and keep the running average of the weights (steadier than the last step's).
            with network.use_params(optimizer.averages):
                line = f"member {member} epoch {epoch}: loss {total:.1f}, {time.perf_counter() - started:.0f} s"
                if dev:
                    line += f", dev token accuracy {token_accuracy(alone, dev):.4f}"
                log(line)
                if after_epoch is not None:
                    after_epoch(member, epoch, alone)
                averaged = network.to_bytes()
        network.from_bytes(averaged)
        round_to_float16(network)
    return tagger


def token_accuracy(tagger: AttributionTagger, examples: Sequence[Example]) -> float:
    """Share of non-O gold or predicted tokens labelled right (a quick progress signal)."""
    predicted = tagger.label_docs([doc for doc, _ in examples])
    right = seen = 0
    for (_, gold), guess in zip(examples, predicted):
        mask = (gold != 0) | (guess != 0)
        seen += int(mask.sum())
        right += int(((gold == guess) & mask).sum())
    return right / seen if seen else 0.0


def predict_records(tagger: AttributionTagger, records: Sequence[dict], nlp) -> list[dict]:
    """Predictions for attribution records, in the scorer's format."""
    return tagger_predictions(tagger, parse_records(records, nlp))


def tagger_predictions(tagger: AttributionTagger, articles: Iterable[ParsedArticle]) -> list[dict]:
    """The tagger's own spans for parsed articles, in the scorer's format."""
    return [
        {"id": article.id, "attributions": [a.to_record() for a in tagger.find(article.docs, article.offsets)]}
        for article in articles
    ]


def train_attribution_model(
    train_path: str | Path,
    dev_path: str | Path | None,
    out_dir: str | Path,
    config_path: str | Path = DEFAULT_CONFIG,
    limit: int | None = None,
    log: Log = print,
) -> AttributionTagger:
    """Parse the corpora, train, save the model to ``out_dir`` and its dev predictions beside it.

    ``limit`` keeps the first N articles of each file (for quick checks).
    """
    config = Config().from_disk(config_path)
    started = time.perf_counter()
    # The whole pipeline, loaded as at run time: the rules, whose reading is a feature, look at entities.
    nlp = load_nlp(config["features"]["spacy_model"])
    _, train = load_examples(train_path, nlp, limit)
    dev_records, dev = load_examples(dev_path, nlp, limit) if dev_path else ([], [])
    parsed = time.perf_counter()
    log(f"parsed {len(train)} training and {len(dev)} dev paragraphs in {parsed - started:.0f} s")
    tagger = fit(train, config, log, dev)
    trained = time.perf_counter()
    tagger.meta = {
        **describe(network_shape(config)),
        "spacy_model": config["features"]["spacy_model"],
        "trained_on": Path(train_path).name,
        "rules_fingerprint": rules_fingerprint(nlp.vocab),
        "training_seconds": round(trained - parsed, 1),
        "versions": {"spacy": spacy.__version__, "thinc": thinc.__version__, "python": platform.python_version()},
    }
    out = Path(out_dir)
    tagger.save(out)
    if dev_records:
        with open(out / "dev_predictions.jsonl", "w", encoding="utf-8") as handle:
            for record in predict_records(tagger, dev_records, nlp):
                handle.write(json.dumps(record) + "\n")
    log(f"trained in {trained - parsed:.0f} s; model saved to {out}")
    return tagger
