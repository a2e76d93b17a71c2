"""The held-GIL entity recognizer against spaCy's greedy one: the same entities, and the time.

    PYTHONPATH=src python benchmarks/entity_recognizer.py [--limit N] [--rounds R]

Both pipelines load as newstrace loads spaCy (numpy's BLAS, the indexed attribute ruler); one
decodes its NER with a beam of one, holding the GIL (``claims/entity_recognizer.py``), the other
with spaCy's greedy loop. Over PolNeAR's paragraphs (dev, then train; ``--limit`` of them, all by
default) and the sample pages:
  - agreement: paragraphs whose entities (character spans and labels) or tokens' IOB tags and
    types differ, with each difference shown;
  - time: the whole spaCy pipeline over the 40 first dev texts an article at a time (as the
    claims stage parses them), and the NER's decoding alone on those paragraphs, as
    ``Parser.pipe`` batches them; alternating, best and median of ``--rounds``, in µs a word.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

for _threads in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_threads, "1")

import spacy
from thinc.api import use_ops

from newstrace.claims.indexed_ruler import index_attribute_ruler
from newstrace.claims.nlp import BATCH_SIZE, load_nlp
from newstrace.claims.polnear import article_from_text, read_gold
from newstrace.config import settings

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSTRACE_SHARED", REPO.parent / "shared"))
POLNEAR = SHARED / "corpus" / "polnear"


def greedy_pipeline():
    """spaCy's pipeline as newstrace loads it, but with spaCy's own (greedy) NER decoder."""
    with use_ops("numpy", use_blis=False):
        nlp = spacy.load(settings().spacy_model)
    index_attribute_ruler(nlp)
    return nlp


def agreement(held, greedy, paragraphs: list[str]) -> dict:
    def read(nlp):
        docs = list(nlp.pipe(paragraphs, batch_size=BATCH_SIZE))
        return [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in docs], [[(t.ent_iob_, t.ent_type_) for t in d] for d in docs]

    (held_ents, held_tags), (greedy_ents, greedy_tags) = read(held), read(greedy)
    differences = [
        {
            "paragraph": paragraphs[i][:200],
            "held_gil": [[paragraphs[i][s:e], label] for s, e, label in held_ents[i] if (s, e, label) not in greedy_ents[i]],
            "greedy": [[paragraphs[i][s:e], label] for s, e, label in greedy_ents[i] if (s, e, label) not in held_ents[i]],
        }
        for i in range(len(paragraphs))
        if held_ents[i] != greedy_ents[i] or held_tags[i] != greedy_tags[i]
    ]
    return {"paragraphs": len(paragraphs), "entities": sum(map(len, held_ents)), "paragraphs_differing": len(differences), "differences": differences}


def timed(runs: dict[str, Callable[[], object]], rounds: int, words: int) -> dict:
    seconds: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            seconds[name].append(time.perf_counter() - start)
    return {
        name: {"best_us_per_word": round(min(s) / words * 1e6, 1), "median_us_per_word": round(statistics.median(s) / words * 1e6, 1)}
        for name, s in seconds.items()
    }


def speed(held, greedy, rounds: int) -> dict:
    texts = [text for _, text in read_gold(POLNEAR / "dev.jsonl")][:40]
    words = sum(len(text.split()) for text in texts)
    articles = [article_from_text(text).paragraph_texts() for text in texts]
    # The NER's input as Parser.pipe hands it over: an article's parsed paragraphs, sorted by
    # length, BATCH_SIZE // 4 at a time.
    batches = []
    for paragraphs in articles:
        docs = sorted(held.pipe(paragraphs, batch_size=BATCH_SIZE, disable=["ner"]), key=len)
        batches += [docs[i : i + BATCH_SIZE // 4] for i in range(0, len(docs), BATCH_SIZE // 4)]
    held_ner, greedy_ner = held.get_pipe("ner"), greedy.get_pipe("ner")
    results = timed(
        {
            "parse_held_gil": lambda: [list(held.pipe(p, batch_size=BATCH_SIZE)) for p in articles],
            "parse_greedy": lambda: [list(greedy.pipe(p, batch_size=BATCH_SIZE)) for p in articles],
            "ner_decode_held_gil": lambda: [held_ner.predict(b) for b in batches],
            "ner_decode_greedy": lambda: [greedy_ner.predict(b) for b in batches],
        },
        rounds,
        words,
    )
    ratio = {
        f"{part}_held_gil_vs_greedy_{stat}": round(results[f"{part}_held_gil"][f"{stat}_us_per_word"] / results[f"{part}_greedy"][f"{stat}_us_per_word"], 3)
        for part in ("parse", "ner_decode")
        for stat in ("best", "median")
    }
    return {"texts": len(texts), "words": words, "rounds": rounds, **results, **ratio}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, help="PolNeAR paragraphs to compare (default: all)")
    parser.add_argument("--rounds", type=int, default=5, help="speed rounds (default 5)")
    args = parser.parse_args()
    texts = [text for split in ("dev", "train") for _, text in read_gold(POLNEAR / f"{split}.jsonl")]
    paragraphs = [p for text in texts for p in article_from_text(text).paragraph_texts()][: args.limit]
    paragraphs += [page.read_text(encoding="utf-8") for page in sorted((REPO / "samples").glob("*.txt"))]
    held, greedy = load_nlp(), greedy_pipeline()
    results = {"speed": speed(held, greedy, args.rounds), "agreement": agreement(held, greedy, paragraphs)}
    out = REPO / "benchmarks" / "out" / "entity-recognizer.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
