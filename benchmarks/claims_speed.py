"""How much the claims stage adds to spaCy's parse, and how fast ``analyze`` runs end to end.

One process, one run, the same texts for every measurement:
  1. parse: ``parse_paragraphs`` (nlp.pipe) over every article's paragraphs → the baseline;
  2. claims: ``claims_from_parse`` on those parses (entities, attribution spans, speakers, hedges);
  3. end to end: ``pipeline.analyze`` on each text as a Document (extract → provenance → claims).
Reports claims time / parse time (the target is at most 0.25; best of two rounds each) and words
per second per process.

Texts: the PolNeAR dev articles from the shared corpus (raw text, one paragraph per line).

    PYTHONPATH=src python benchmarks/claims_speed.py [--limit N] [--polnear PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from newstrace.claims import claims_from_parse
from newstrace.claims.nlp import load_nlp, parse_paragraphs
from newstrace.claims.polnear import article_from_text
from newstrace.model import Document
from newstrace.pipeline import analyze

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "polnear" / "dev.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--polnear", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=40, help="articles to use (default 40)")
    args = parser.parse_args()
    if not args.polnear.is_file():
        sys.exit(f"no texts at {args.polnear}")
    with args.polnear.open(encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in handle if line.strip()][: args.limit]
    articles = [article_from_text(text) for text in texts]
    words = sum(len(text.split()) for text in texts)

    load_nlp()  # loading is per process, not per text: keep it out of every timing
    parse_paragraphs(["Warm-up sentence, said the benchmark."])

    # Best of two rounds each: the machine is shared, and the best round is the least disturbed one.
    parse_s = claims_s = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        parsed = [parse_paragraphs(a.paragraph_texts()) for a in articles]
        parse_s = min(parse_s, time.perf_counter() - start)
        start = time.perf_counter()
        claims = sum(len(claims_from_parse(a, docs)[1]) for a, docs in zip(articles, parsed))
        claims_s = min(claims_s, time.perf_counter() - start)

    start = time.perf_counter()
    for number, text in enumerate(texts):
        analyze(Document(content=text, path=f"polnear-{number}.txt", content_type="text/plain"))
    analyze_s = time.perf_counter() - start

    print(f"texts: {len(texts)} articles, {words} words, {claims} claims")
    print(f"spaCy parse (baseline):   {parse_s:7.2f} s  {words / parse_s:8.0f} words/s")
    print(f"claims stage on parses:   {claims_s:7.2f} s  = {claims_s / parse_s:.3f} x parse time (target <= 0.25)")
    print(f"analyze end to end:       {analyze_s:7.2f} s  {words / analyze_s:8.0f} words/s per process")


if __name__ == "__main__":
    main()
