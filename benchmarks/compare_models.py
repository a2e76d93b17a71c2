"""Two trained attribution models side by side: PolNeAR dev scores and `analyze` speed in one process.

    PYTHONPATH=src python benchmarks/compare_models.py MODEL_DIR [MODEL_DIR ...] [--limit N] [--rounds R]

Each MODEL_DIR is a folder as ``newstrace train attribution --out`` writes it (``shipped`` names
the model in the package). For each: the hybrid finder's dev scores (shared scorer), then the
speed of extract → provenance → claims with each model and with the rules alone, timed in the
same process, rounds alternating the order, best of ``--rounds``: the machine's noise falls on
all of them alike (docs/attribution-model-history.md, stop 16).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

# Speed is per process on one core; set before numpy loads.
for _threads in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_threads, "1")

sys.path.insert(0, str(Path(__file__).resolve().parent))

from attribution_model import OUT, SHARED, fastest, score  # noqa: E402

from newstrace.claims import analyze_claims  # noqa: E402
from newstrace.claims.attribution import find_attributions  # noqa: E402
from newstrace.claims.model import default_span_finder, shipped_model_path  # noqa: E402
from newstrace.claims.nlp import load_nlp  # noqa: E402
from newstrace.claims.polnear import predict_texts, read_gold  # noqa: E402
from newstrace.model import Document  # noqa: E402
from newstrace.pipeline import read_article  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", nargs="+", help="model folders (or 'shipped')")
    parser.add_argument("--gold", type=Path, default=SHARED / "corpus" / "polnear" / "dev.jsonl")
    parser.add_argument("--limit", type=int, default=40, help="texts for the speed runs (default 40)")
    parser.add_argument("--rounds", type=int, default=3, help="speed rounds, best kept (default 3)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    finders = {folder: default_span_finder(True, str(shipped_model_path()) if folder == "shipped" else folder) for folder in args.models}
    records = list(read_gold(args.gold))
    results: dict[str, dict] = {}
    for n, (folder, finder) in enumerate(finders.items()):
        predictions = OUT / f"compare-{n}.jsonl"
        predictions.write_text("".join(json.dumps(p) + "\n" for p in predict_texts(records, finder)), encoding="utf-8")
        results[folder] = {"dev_scores": score(args.gold, predictions)}

    texts = [text for _, text in records][: args.limit]
    words = sum(len(text.split()) for text in texts)
    documents = [Document(content=t, path=f"polnear-{n}.txt", content_type="text/plain") for n, t in enumerate(texts)]
    timed = {**finders, "rules alone": find_attributions}
    load_nlp()
    for finder in timed.values():  # warm-up: loading is per process, not per text
        analyze_claims(read_article(documents[0]).article, finder)

    def analyze_all(finder) -> None:
        for document in documents:
            analyze_claims(read_article(document).article, finder)

    best = fastest({name: (lambda finder=finder: analyze_all(finder)) for name, finder in timed.items()}, args.rounds)
    baseline = best[args.models[0]]
    for name, seconds in best.items():
        results.setdefault(name, {}).update(words_per_s=round(words / seconds), time_vs_first=round(seconds / baseline, 3))
    print(json.dumps({"texts": len(texts), "words": words, "models": results}, indent=1))


if __name__ == "__main__":
    main()
