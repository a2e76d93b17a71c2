"""Refit the content readers alone (chooser, boundary ranker, confidence model), as `newstrace
train attribution` fits them.

They are fitted on out-of-fold readings (taggers trained on one fold read the other), so this
takes the folds' training time (about 35 minutes on two cores) but not the shipped tagger's. It
writes chooser.json, boundaries.json and confidence.json to --out; copied into a model folder,
they replace that model's. Used when only the readers changed, and to check that fitting them
reproduces.

    PYTHONPATH=src .venv/bin/python benchmarks/refit_content_readers.py \
        --train ../shared/corpus/polnear/train.jsonl --out benchmarks/out/readers
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from thinc.api import Config

from newstrace.claims.model.data import parse_records, read_records
from newstrace.claims.model.train import DEFAULT_CONFIG, fit_content_readers
from newstrace.claims.nlp import load_nlp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--config", default=str(DEFAULT_CONFIG))
    args = parser.parse_args()
    config = Config().from_disk(args.config)
    started = time.perf_counter()
    articles = list(parse_records(read_records(args.train), load_nlp(config["features"]["spacy_model"])))
    print(f"parsed {len(articles)} articles in {time.perf_counter() - started:.0f} s", flush=True)
    readers = fit_content_readers(articles, config, lambda line: print(line, flush=True))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    readers.save(out)
    print(f"fitted in {time.perf_counter() - started:.0f} s; saved to {out}", flush=True)


if __name__ == "__main__":
    main()
