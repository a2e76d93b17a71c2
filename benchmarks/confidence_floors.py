"""The confidence model's floors, measured out of fold on PolNeAR train (docs/attribution-model-history.md, stop 17).

    PYTHONPATH=src .venv/bin/python benchmarks/confidence_floors.py \
        --train ../shared/corpus/polnear/train.jsonl [--readings benchmarks/out/fold-readings.pkl]

The folds' taggers read train as `newstrace train attribution` has them read it (about 35
minutes on two cores; ``--readings`` keeps their readings in a file and reads them from it next
time). The chooser and the boundary ranker are fitted on all the readings, as in training. The
confidence models are fitted on one fold's judged attributions and applied to the other fold's,
and the other way round; the shared scorer then scores all of train with the attributions both
models doubt dropped, for each pair of floors, against nothing dropped.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

import numpy
from thinc.api import Config

sys.path.insert(0, str(Path(__file__).resolve().parent))

from attribution_model import OUT, SHARED, score  # noqa: E402

from newstrace.claims.model.confidence import fit_confidence  # noqa: E402
from newstrace.claims.model.data import parse_records, read_records  # noqa: E402
from newstrace.claims.model.train import DEFAULT_CONFIG, fit_on_readings, fold_readings, judge_readings  # noqa: E402
from newstrace.claims.nlp import load_nlp  # noqa: E402
from newstrace.claims.polnear import to_record  # noqa: E402

CONTENT_FLOORS = (0.2, 0.25, 0.3, 0.35, 0.4)
CUE_FLOORS = (0.3, 0.4, 0.5, 0.6)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", type=Path, default=SHARED / "corpus" / "polnear" / "train.jsonl")
    parser.add_argument("--readings", type=Path, help="a file keeping the folds' readings between runs")
    parser.add_argument("--config", default=str(DEFAULT_CONFIG))
    args = parser.parse_args()
    config = Config().from_disk(args.config)
    articles = list(parse_records(read_records(args.train), load_nlp(config["features"]["spacy_model"])))
    if args.readings and args.readings.exists():
        probabilities = pickle.loads(args.readings.read_bytes())
        by_id = {article.id: article for article in articles}
        readings = [(by_id[article_id], probs) for article_id, probs in probabilities]
    else:
        readings = fold_readings(articles, config)
        if args.readings:
            args.readings.write_bytes(pickle.dumps([(article.id, probs) for article, probs in readings]))
    readers = fit_on_readings(readings, config)
    judged = judge_readings(readings, readers.chooser, readers.boundaries)
    folds = int(config["chooser"]["folds"])
    index = {article.id: i for i, article in enumerate(articles)}
    fold_of = [index[article.id] % folds for article, _ in readings]

    # Each fold's attributions judged by models fitted on the other folds' ones.
    chances: list[list[tuple[float, float]]] = [[] for _ in readings]
    for fold in range(folds):
        rest = [j for article, f in zip(judged, fold_of) if f != fold for j in article]
        models = fit_confidence(
            numpy.asarray([j.features for j in rest]),
            numpy.asarray([j.cue_right for j in rest]),
            numpy.asarray([j.content_right for j in rest]),
            0.0,
            0.0,
            float(config["confidence"]["l2"]),
        )
        for n, f in enumerate(fold_of):
            if f == fold:
                chances[n] = [(models.content.probability(j.features), models.cue.probability(j.features)) for j in judged[n]]

    OUT.mkdir(parents=True, exist_ok=True)

    def scored(content_floor: float, cue_floor: float) -> dict:
        predictions = OUT / "confidence-floors.jsonl"
        with predictions.open("w", encoding="utf-8") as handle:
            for (article, _), attributions, chance in zip(readings, judged, chances):
                kept = [to_record(j.attribution) for j, (content, cue) in zip(attributions, chance) if content >= content_floor or cue >= cue_floor]
                handle.write(json.dumps({"id": article.id, "attributions": kept}) + "\n")
        return score(args.train, predictions)

    roles = ("source_exact_f1", "cue_exact_f1", "content_exact_f1", "attribution_jacc_f1")
    base = scored(0.0, 0.0)
    table = {"nothing dropped": {role: base[role] for role in roles}}
    for content_floor in CONTENT_FLOORS:
        for cue_floor in CUE_FLOORS:
            result = scored(content_floor, cue_floor)
            table[f"content {content_floor}, cue {cue_floor}"] = {role: round(result[role] - base[role], 4) for role in roles}
    print(json.dumps(table, indent=1))


if __name__ == "__main__":
    main()
