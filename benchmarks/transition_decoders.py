"""The step-loop parser and entity recognizer against spaCy's greedy ones: the same analyses,
and the time.

    PYTHONPATH=src python benchmarks/transition_decoders.py [--limit N] [--rounds R]

Both pipelines load as newstrace loads spaCy (numpy's BLAS, the indexed attribute ruler); one
decodes its parser and NER with spaCy's Python step loop, holding the GIL, 64 paragraphs at a
time (``claims/transition_decoders.py``), the other with spaCy's greedy decoder, 16 at a time.
Over PolNeAR's paragraphs (dev, then train; ``--limit`` of them, all by default) and the sample
pages:
  - agreement: paragraphs whose parse (heads, dependency labels, sentence starts) or entities
    (character spans and labels, tokens' IOB tags and types) differ, with each difference shown;
  - time: the whole spaCy pipeline over the 40 first dev texts, as ``analyze_many`` parses them
    (16 articles' paragraphs at a time), and each decoder alone on those paragraphs as its
    ``pipe`` hands them over; alternating, best and median of ``--rounds``, in µs a word.
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
from newstrace.claims.transition_decoders import STEP_BATCH
from newstrace.config import settings
from newstrace.pipeline import DOCUMENTS_PER_PARSE

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSTRACE_SHARED", REPO.parent / "shared"))
POLNEAR = SHARED / "corpus" / "polnear"
# spaCy's Parser.pipe decodes a quarter of the batch nlp.pipe hands it at a time.
SPACY_STEP_BATCH = BATCH_SIZE // 4


def greedy_pipeline():
    """spaCy's pipeline as newstrace loads it, but with spaCy's own (greedy) parser and NER decoders."""
    with use_ops("numpy", use_blis=False):
        nlp = spacy.load(settings().spacy_model)
    index_attribute_ruler(nlp)
    return nlp


def analyses(nlp, paragraphs: list[str]) -> list[tuple]:
    """Per paragraph: its parse, its entities, its tokens' IOB tags and types."""
    return [
        (
            [(t.head.i, t.dep_, t.is_sent_start) for t in doc],
            [(e.start_char, e.end_char, e.label_) for e in doc.ents],
            [(t.ent_iob_, t.ent_type_) for t in doc],
        )
        for doc in nlp.pipe(paragraphs, batch_size=BATCH_SIZE)
    ]


def agreement(step_loop, greedy, paragraphs: list[str]) -> dict:
    ours, spacys = analyses(step_loop, paragraphs), analyses(greedy, paragraphs)
    differences = []
    for i, (mine, theirs) in enumerate(zip(ours, spacys)):
        if mine == theirs:
            continue
        parse = [(k, a, b) for k, (a, b) in enumerate(zip(mine[0], theirs[0])) if a != b]
        differences.append(
            {
                "paragraph": paragraphs[i][:200],
                "tokens_parsed_differently": len(parse),
                "step_loop_entities": [[paragraphs[i][s:e], label] for s, e, label in mine[1] if (s, e, label) not in theirs[1]],
                "greedy_entities": [[paragraphs[i][s:e], label] for s, e, label in theirs[1] if (s, e, label) not in mine[1]],
            }
        )
    return {
        "paragraphs": len(paragraphs),
        "tokens": sum(len(a[0]) for a in ours),
        "entities": sum(len(a[1]) for a in ours),
        "paragraphs_parsed_differently": sum(1 for d in differences if d["tokens_parsed_differently"]),
        "paragraphs_with_other_entities": sum(1 for d in differences if d["step_loop_entities"] or d["greedy_entities"]),
        "differences": differences,
    }


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


def sorted_batches(docs: list, outer: int, size: int) -> list[list]:
    """``docs`` as a component's ``pipe`` hands them to ``predict``: each ``outer`` sorted by length, ``size`` at a time."""
    out = []
    for start in range(0, len(docs), outer):
        by_length = sorted(docs[start : start + outer], key=len)
        out += [by_length[i : i + size] for i in range(0, len(by_length), size)]
    return out


def speed(step_loop, greedy, rounds: int) -> dict:
    texts = [text for _, text in read_gold(POLNEAR / "dev.jsonl")][:40]
    words = sum(len(text.split()) for text in texts)
    articles = [article_from_text(text).paragraph_texts() for text in texts]
    chunks = [[p for article in articles[i : i + DOCUMENTS_PER_PARSE] for p in article] for i in range(0, len(articles), DOCUMENTS_PER_PARSE)]
    # Each decoder's input: the paragraphs as parsed up to it.
    before = {
        name: [d for chunk in chunks for d in step_loop.pipe(chunk, batch_size=BATCH_SIZE, disable=disabled)]
        for name, disabled in (("parser", ["parser", "attribute_ruler", "lemmatizer", "ner"]), ("ner", ["ner"]))
    }
    decoders = {}
    for name in ("parser", "ner"):
        ours, spacys = step_loop.get_pipe(name), greedy.get_pipe(name)
        our_batches = sorted_batches(before[name], 4 * STEP_BATCH, STEP_BATCH)
        spacy_batches = sorted_batches(before[name], BATCH_SIZE, SPACY_STEP_BATCH)
        decoders[f"{name}_decode_step_loop"] = lambda c=ours, b=our_batches: [c.predict(x) for x in b]
        decoders[f"{name}_decode_greedy"] = lambda c=spacys, b=spacy_batches: [c.predict(x) for x in b]
    results = timed(
        {
            "parse_step_loop": lambda: [list(step_loop.pipe(c, batch_size=BATCH_SIZE)) for c in chunks],
            "parse_greedy": lambda: [list(greedy.pipe(c, batch_size=BATCH_SIZE)) for c in chunks],
            **decoders,
        },
        rounds,
        words,
    )
    ratio = {
        f"{part}_step_loop_vs_greedy_{stat}": round(results[f"{part}_step_loop"][f"{stat}_us_per_word"] / results[f"{part}_greedy"][f"{stat}_us_per_word"], 3)
        for part in ("parse", "parser_decode", "ner_decode")
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
    step_loop, greedy = load_nlp(), greedy_pipeline()
    results = {"speed": speed(step_loop, greedy, args.rounds), "agreement": agreement(step_loop, greedy, paragraphs)}
    out = REPO / "benchmarks" / "out" / "transition-decoders.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    counts = {key: value for key, value in results["agreement"].items() if key != "differences"}
    print(json.dumps({**results, "agreement": counts}, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
