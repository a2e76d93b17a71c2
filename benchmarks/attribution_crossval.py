"""Out-of-fold scores on PolNeAR train: how the hybrid finder's choices are measured without dev.

    PYTHONPATH=src python benchmarks/attribution_crossval.py [--folds 2] [--limit N]

The hybrid finder (claims/model/finder.py) decides, where the tagger and the rules disagree,
whose cue, source and content to keep. Those choices must be counted on data the tagger was not
trained on, and dev is for checking, not tuning. So: train articles are split into folds by
position (article i goes to fold i mod k); for each fold, a tagger (the shipped config) is
trained on the other folds, saved as int8 like the shipped one, and predicts this one. Every train
article then has predictions from a tagger that never saw it: about 20,000 attributions to
count choices on, ten times dev.

Writes benchmarks/out/crossval-{hybrid,tagger,rules}.jsonl and crossval-summary.json (shared
scorer: exact-match F1 per role, whole attributions under `jacc`). A tagger trained on half the
corpus is weaker than the shipped one: these scores sit below dev's, and only their
differences between finder versions mean anything. The hybrid finder uses the shipped content
chooser, which training fitted on these same folds' readings: its choices here are in-sample (a
logistic model of 35 weights on some 2,000 choices, so the optimism is small).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

for _threads in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_threads, "1")

from thinc.api import Config

from newstrace.claims.attribution import find_attributions
from newstrace.claims.model import load_boundaries, load_chooser
from newstrace.claims.model.data import parse_records, read_records
from newstrace.claims.model.finder import HybridSpanFinder
from newstrace.claims.model.train import DEFAULT_CONFIG, examples_of, fit, save, tagger_predictions
from newstrace.claims.nlp import load_nlp
from newstrace.claims.polnear import prediction_record

from attribution_model import OUT, SHARED, score  # this folder's dev benchmark: paths, the shared scorer's summary

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", type=Path, default=SHARED / "corpus" / "polnear" / "train.jsonl")
    parser.add_argument("--folds", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="first N articles only (a quick check)")
    args = parser.parse_args()
    config = Config().from_disk(DEFAULT_CONFIG)
    records = read_records(args.train)[: args.limit]
    started = time.perf_counter()
    articles = list(parse_records(records, load_nlp(config["features"]["spacy_model"])))
    print(f"parsed {len(articles)} articles in {time.perf_counter() - started:.0f} s", flush=True)

    systems: dict[str, list[dict]] = {"hybrid": [], "tagger": [], "rules": []}
    for fold in range(args.folds):
        held_out = articles[fold :: args.folds]
        rest = [a for i, a in enumerate(articles) if i % args.folds != fold]
        network = fit(examples_of(rest), config, lambda line, f=fold: print(f"fold {f}: {line}", flush=True))
        tagger = save(network, config, {"fold": fold}, OUT / f"crossval-tagger-{fold}")
        for name, find in (("hybrid", HybridSpanFinder(tagger, load_chooser(), load_boundaries())), ("rules", find_attributions)):
            systems[name] += [prediction_record(a.id, a.paragraph_spans(), a.docs, find) for a in held_out]
        systems["tagger"] += tagger_predictions(tagger, held_out)

    OUT.mkdir(parents=True, exist_ok=True)
    gold = OUT / "crossval-gold.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    summary = {"folds": args.folds, "articles": len(articles)}
    for name, predicted in systems.items():
        path = OUT / f"crossval-{name}.jsonl"
        path.write_text("".join(json.dumps(p) + "\n" for p in predicted), encoding="utf-8")
        summary[name] = score(gold, path)
    gold.unlink()
    text = json.dumps(summary, indent=1)
    (OUT / "crossval-summary.json").write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
