"""Attribution model benchmark: PolNeAR dev scores and speed, with and without the model.

    PYTHONPATH=src python benchmarks/attribution_model.py [--model DIR] [--gold DEV.jsonl]

Scores come from the shared scorer (../shared/tools/score_attribution.py): exact-match F1 per
role and whole-attribution F1 under `jacc`. Speed is words per second in one process over
the same paragraphs, measured in the same run: the spaCy pipeline alone (what the rules
stage needs anyway) and the pipeline plus the tagger.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import spacy

from newstrace.claims.model import load_tagger, shipped_model_path
from newstrace.claims.model.data import read_records, split_paragraphs
from newstrace.config import settings
from newstrace.pipeline import read_article
from newstrace.sources.pages import read_page

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSTRACE_SHARED", REPO.parent / "shared"))
OUT = REPO / "benchmarks" / "out"


def score(gold: Path, predictions: Path) -> dict:
    """Run the shared scorer; its full results as a dict."""
    results = OUT / "attribution_scores.json"
    scorer = SHARED / "tools" / "score_attribution.py"
    subprocess.run([sys.executable, str(scorer), str(gold), str(predictions), "--json", str(results)], check=True)
    return json.loads(results.read_text())


def seed_claims(tagger, nlp) -> dict:
    """How many of the seed page's gold claims the model finds (content and speaker).

    A gold claim is found when a predicted content contains its ``content_has`` words; its
    speaker also matches when the predicted source is one of its names or a pronoun (the
    claims stage resolves those).
    """
    gold = json.loads((SHARED / "corpus" / "seed" / "gold.json").read_text(encoding="utf-8"))
    article = read_article(read_page(str(SHARED / "corpus" / "seed" / gold["document"]))).article
    docs = list(nlp.pipe(article.paragraph_texts()))
    found = tagger.find(docs, [p.span[0] for p in article.paragraphs])
    text = article.text

    def joined(fragments):
        return " ".join(text[s:e] for s, e in fragments)

    content_hits = speaker_hits = 0
    for claim in gold["claims"]:
        matches = [a for a in found if claim["content_has"].lower() in joined(a.content).lower()]
        content_hits += bool(matches)
        names = [n.lower() for n in claim["speaker"]]
        speaker_hits += any(
            (source := joined(a.source).lower()) in {"he", "she", "they", "it"}
            or any(n in source or source in n for n in names if source)
            for a in matches
        )
    return {"claims": len(gold["claims"]), "content_found": content_hits, "content_and_speaker": speaker_hits}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="trained model folder (default: the shipped model)")
    parser.add_argument("--gold", type=Path, default=SHARED / "corpus" / "polnear" / "dev.jsonl")
    parser.add_argument("--rounds", type=int, default=1, help="timing rounds (best is kept)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)

    tagger = load_tagger(args.model)
    nlp = spacy.load(settings().spacy_model)
    records = read_records(args.gold)
    layout = [(record, split_paragraphs(record["text"])) for record in records]
    texts = [para for _, paras in layout for _, para in paras]
    words = sum(len(record["text"].split()) for record in records)

    parse_s = model_s = float("inf")
    for _ in range(args.rounds):
        started = time.perf_counter()
        docs = list(nlp.pipe(texts, batch_size=64))
        parsed = time.perf_counter()
        found, k = [], 0
        for record, paras in layout:
            found.append(tagger.find(docs[k : k + len(paras)], [offset for offset, _ in paras]))
            k += len(paras)
        done = time.perf_counter()
        parse_s, model_s = min(parse_s, parsed - started), min(model_s, done - parsed)

    predictions = OUT / "attribution_dev_predictions.jsonl"
    with open(predictions, "w", encoding="utf-8") as handle:
        for (record, _), spans in zip(layout, found):
            handle.write(json.dumps({"id": record["id"], "attributions": [s.to_record() for s in spans]}) + "\n")
    results = score(args.gold, predictions)

    size = sum(f.stat().st_size for f in Path(args.model or shipped_model_path()).glob("*"))
    summary = {
        "words": words,
        "exact_f1": {role: round(results[role]["exact"]["f1"], 4) for role in ("source", "cue", "content")},
        "attribution_jacc_f1": round(results["attribution"]["jacc"]["f1"], 4),
        "words_per_s_spacy_only": round(words / parse_s),
        "words_per_s_with_model": round(words / (parse_s + model_s)),
        "words_per_s_model_alone": round(words / model_s),
        "model_share_of_time": round(model_s / (parse_s + model_s), 3),
        "model_bytes": size,
        "seed_page": seed_claims(tagger, nlp),
    }
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
