"""The attribution model: PolNeAR dev scores, and end-to-end speed with and without it.

    PYTHONPATH=src python benchmarks/attribution_model.py [--limit N] [--rounds R] [--skip-scores]

Scores (shared scorer ../shared/tools/score_attribution.py; exact-match F1 per role, whole
attributions under `jacc`), each system's predictions in benchmarks/out/:
  - hybrid: the default span finder (tagger cues, the rules' reading where they agree);
  - rules: the rules alone (``--no-model``);
  - tagger: the tagger's own spans, no rules.
Speed, in one process on the same texts, alternating which goes first: the pipeline end to end
(extract → provenance → claims) with the model and with the rules alone, over the texts as a
stream (``pipeline.analyze_many``, as ``newstrace analyze`` and ``ingest`` run it: several
articles' paragraphs parsed together) and one ``pipeline.analyze`` call per text (as the web API
runs it); and the spaCy parse alone, an article at a time (as newstrace loads it, and the three
baselines for how it loads it: thinc's blis ops, spaCy's own attribute ruler, spaCy's greedy
parser and NER decoders); words per second, best of ``--rounds`` rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

# Speed is per process on one core: BLAS must not spread a multiply over the others. Set before
# numpy loads.
for _threads in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_threads, "1")

import spacy
from thinc.api import use_ops

from newstrace.claims.attribution import find_attributions
from newstrace.claims.indexed_ruler import index_attribute_ruler
from newstrace.claims.model import default_span_finder, load_tagger, shipped_model_path
from newstrace.claims.model.data import AttributionSpans
from newstrace.claims.nlp import BATCH_SIZE, load_nlp, parse_paragraphs
from newstrace.claims.polnear import article_from_text, predict_texts, read_gold
from newstrace.claims.transition_decoders import use_step_loop_decoders
from newstrace.config import settings
from newstrace.model import Document, NewstraceError
from newstrace.pipeline import analyze, analyze_many

from transition_decoders import greedy_pipeline  # benchmarks/, the script's own folder

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSTRACE_SHARED", REPO.parent / "shared"))
OUT = REPO / "benchmarks" / "out"


def score(gold: Path, predictions: Path) -> dict:
    """The shared scorer's results for one predictions file."""
    results = predictions.with_suffix(".scores.json")
    scorer = SHARED / "tools" / "score_attribution.py"
    subprocess.run(
        [sys.executable, str(scorer), str(gold), str(predictions), "--json", str(results)],
        check=True,
        capture_output=True,
    )
    res = json.loads(results.read_text())
    return {
        **{f"{role}_exact_f1": round(res[role]["exact"]["f1"], 4) for role in ("source", "cue", "content")},
        "attribution_jacc_f1": round(res["attribution"]["jacc"]["f1"], 4),
        "attribution_jacc_p": round(res["attribution"]["jacc"]["p"], 4),
        "attribution_jacc_r": round(res["attribution"]["jacc"]["r"], 4),
    }


def tagger_alone(records: list[tuple[str, str]]) -> list[dict]:
    """The tagger's own spans for each record (paragraphs as the claims stage splits them)."""
    tagger = load_tagger()
    out = []
    for record_id, text in records:
        article = article_from_text(text)
        docs = parse_paragraphs(article.paragraph_texts())
        found: list[AttributionSpans] = tagger.find(docs, [p.span[0] for p in article.paragraphs])
        out.append({"id": record_id, "attributions": [a.to_record() for a in found]})
    return out


def scores(gold: Path) -> dict:
    records = list(read_gold(gold))
    systems = {
        "hybrid": list(predict_texts(records, default_span_finder(True))),
        "rules": list(predict_texts(records, find_attributions)),
        "tagger": tagger_alone(records),
    }
    out = {}
    for name, predictions in systems.items():
        path = OUT / f"attribution-dev-{name}.jsonl"
        path.write_text("".join(json.dumps(p) + "\n" for p in predictions), encoding="utf-8")
        out[name] = score(gold, path)
    return out


def fastest(runs: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Seconds of each run, best of ``rounds``, in one process; every other round in reverse
    order, so that the machine's drift falls on all runs alike."""
    best = dict.fromkeys(runs, float("inf"))
    for round_ in range(rounds):
        for name in list(runs) if round_ % 2 == 0 else list(runs)[::-1]:
            start = time.perf_counter()
            runs[name]()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def speed(gold: Path, limit: int, rounds: int) -> dict:
    texts = [text for _, text in read_gold(gold)][:limit]
    words = sum(len(text.split()) for text in texts)
    documents = [Document(content=t, path=f"polnear-{n}.txt", content_type="text/plain") for n, t in enumerate(texts)]
    articles = [article_from_text(text) for text in texts]
    load_nlp()
    # Baselines for the three ways newstrace loads spaCy's pipeline faster (claims/nlp.py), each
    # with the other two: on thinc's default ops (blis) instead of numpy's BLAS; with spaCy's own
    # attribute ruler, not the indexed one; with spaCy's greedy parser and NER decoders, not the
    # step-loop ones.
    nlp_blis = spacy.load(settings().spacy_model)
    use_step_loop_decoders(nlp_blis)
    index_attribute_ruler(nlp_blis)
    with use_ops("numpy", use_blis=False):
        nlp_spacy_ruler = spacy.load(settings().spacy_model)
        use_step_loop_decoders(nlp_spacy_ruler)
    nlp_greedy = greedy_pipeline()
    load_tagger()
    analyze(documents[0], use_model=True)  # warm-up: loading is per process, not per text

    def parse_with(nlp) -> None:
        for article in articles:
            list(nlp.pipe(article.paragraph_texts(), batch_size=BATCH_SIZE))

    def analyze_all(use_model: bool) -> None:
        for analysis in analyze_many(documents, use_model=use_model):
            if isinstance(analysis, NewstraceError):
                raise analysis

    def analyze_each(use_model: bool) -> None:
        for document in documents:
            analyze(document, use_model=use_model)

    best = fastest(
        {
            "parse_blis": lambda: parse_with(nlp_blis),
            "parse_spacy_ruler": lambda: parse_with(nlp_spacy_ruler),
            "parse_greedy_decoders": lambda: parse_with(nlp_greedy),
            "parse": lambda: parse_with(load_nlp()),
            "with_model": lambda: analyze_all(True),
            "rules_only": lambda: analyze_all(False),
            "with_model_one_call_per_text": lambda: analyze_each(True),
            "rules_only_one_call_per_text": lambda: analyze_each(False),
        },
        rounds,
    )
    return {
        "texts": len(texts),
        "words": words,
        **{f"words_per_s_{name}": round(words / seconds) for name, seconds in best.items()},
        "model_cost_vs_rules_only": round(best["with_model"] / best["rules_only"], 3),
        "stream_vs_one_call_per_text_with_model": round(best["with_model"] / best["with_model_one_call_per_text"], 3),
        "parse_numpy_blas_vs_blis": round(best["parse"] / best["parse_blis"], 3),
        "parse_indexed_vs_spacy_ruler": round(best["parse"] / best["parse_spacy_ruler"], 3),
        "parse_step_loop_vs_greedy_decoders": round(best["parse"] / best["parse_greedy_decoders"], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=SHARED / "corpus" / "polnear" / "dev.jsonl")
    parser.add_argument("--limit", type=int, default=40, help="texts for the speed runs (default 40)")
    parser.add_argument("--rounds", type=int, default=2, help="speed rounds, best kept (default 2)")
    parser.add_argument("--skip-scores", action="store_true", help="speed only")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    model_bytes = sum(f.stat().st_size for f in shipped_model_path().glob("*"))
    summary = {"model_bytes": model_bytes}
    if not args.skip_scores:
        summary["dev_scores"] = scores(args.gold)
    summary["speed"] = speed(args.gold, args.limit, args.rounds)
    text = json.dumps(summary, indent=1)
    (OUT / "attribution-summary.json").write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
