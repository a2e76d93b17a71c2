"""Article-extraction benchmark: newstrace against plain trafilatura, same pages, same process.

Runs both extractors over a folder of pages with gold bodies (``html/<id>.html.gz`` and ``gold.json``,
the layout of the shared Zyte-benchmark sample), writes each system's predictions in the scorer's
format to ``benchmarks/out/``, scores them with the shared scorer (called as a program, never copied),
and times both extractors page by page, interleaved, over several rounds.

    python benchmarks/extraction.py [--pages DIR] [--rounds N] [--scorer PATH] [--out DIR]

Defaults: the pages in ../shared/corpus/articles and the scorer in ../shared/tools, relative to the
repository root (or under $NEWSTRACE_SHARED), and the output in benchmarks/out/.

Timing: each round runs every page through both extractors back to back, alternating which goes
first, so that machine load hits both alike; the reported time per page and the ratio
newstrace/trafilatura are the medians over rounds. Both get the page as decoded text; newstrace's
time includes everything ``newstrace.extract.extract`` does (parsing, metadata, body, cleanup).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import trafilatura

from newstrace.extract import extract
from newstrace.model import Document, NewstraceError

REPO = Path(__file__).resolve().parents[1]
# The shared data beside the checkout, as in the tests (NEWSTRACE_SHARED overrides).
SHARED = Path(os.environ.get("NEWSTRACE_SHARED", REPO.parent / "shared"))
DEFAULT_PAGES = SHARED / "corpus" / "articles"
DEFAULT_SCORER = SHARED / "tools" / "score_extraction.py"
DEFAULT_OUT = REPO / "benchmarks" / "out"


def load_pages(folder: Path) -> tuple[dict[str, dict], dict[str, str]]:
    """The gold records and each page's HTML, decoded as UTF-8 (with replacement for stray bytes)."""
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    pages = {}
    for page_id in gold:
        raw = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
        pages[page_id] = raw.decode("utf-8", errors="replace")
    return gold, pages


def run_newstrace(page_id: str, html: str, url: str | None) -> str:
    try:
        return extract(Document(content=html, url=url, path=page_id, content_type="text/html")).text
    except NewstraceError:
        return ""


def run_trafilatura(html: str) -> str:
    return trafilatura.extract(html) or ""


def benchmark(gold: dict[str, dict], pages: dict[str, str], rounds: int) -> dict:
    """Predictions of both systems and their per-round mean time per page, in seconds."""
    predictions: dict[str, dict[str, str]] = {"newstrace": {}, "trafilatura": {}}
    times: dict[str, list[float]] = {"newstrace": [], "trafilatura": []}
    failures = 0
    for round_index in range(rounds):
        spent = {"newstrace": 0.0, "trafilatura": 0.0}
        for index, (page_id, html) in enumerate(pages.items()):
            url = gold[page_id].get("url")
            order = ("newstrace", "trafilatura") if (index + round_index) % 2 == 0 else ("trafilatura", "newstrace")
            for system in order:
                start = time.perf_counter()
                text = run_newstrace(page_id, html, url) if system == "newstrace" else run_trafilatura(html)
                spent[system] += time.perf_counter() - start
                if round_index == 0:
                    predictions[system][page_id] = text
                    if system == "newstrace" and not text:
                        failures += 1
        for system, seconds in spent.items():
            times[system].append(seconds / len(pages))
    return {"predictions": predictions, "times": times, "empty": failures}


def score(scorer: Path, gold_path: Path, predictions_path: Path) -> dict:
    """The shared scorer's summary line (F1, precision, recall, accuracy) for one predictions file."""
    result = subprocess.run(
        [sys.executable, str(scorer), str(gold_path), str(predictions_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES, help="folder with gold.json and html/")
    parser.add_argument("--scorer", type=Path, default=DEFAULT_SCORER, help="score_extraction.py")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where predictions and the summary go")
    parser.add_argument("--rounds", type=int, default=3, help="timing rounds (median reported)")
    args = parser.parse_args(argv)

    gold, pages = load_pages(args.pages)
    run = benchmark(gold, pages, max(1, args.rounds))
    args.out.mkdir(parents=True, exist_ok=True)
    summary: dict[str, dict] = {}
    for system, predicted in run["predictions"].items():
        path = args.out / f"extraction-{system}.json"
        path.write_text(json.dumps({k: {"articleBody": v} for k, v in predicted.items()}, ensure_ascii=False), encoding="utf-8")
        summary[system] = score(args.scorer, args.pages / "gold.json", path)
        summary[system]["ms_per_page"] = 1000 * statistics.median(run["times"][system])
        summary[system]["ms_per_page_rounds"] = [round(1000 * t, 2) for t in run["times"][system]]
    ratios = [n / t for n, t in zip(run["times"]["newstrace"], run["times"]["trafilatura"], strict=True)]
    summary["ratio"] = {"median": statistics.median(ratios), "rounds": [round(r, 3) for r in ratios]}
    summary["pages"] = len(pages)
    summary["newstrace_empty_pages"] = run["empty"]
    (args.out / "extraction-summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")

    print(f"{len(pages)} pages from {args.pages}, {args.rounds} timing rounds")
    print(f"{'system':<12} {'F1':>7} {'prec':>7} {'recall':>7} {'exact':>7} {'ms/page':>9}")
    for system in ("newstrace", "trafilatura"):
        row = summary[system]
        print(
            f"{system:<12} {row['f1']:7.4f} {row['precision']:7.4f} {row['recall']:7.4f} "
            f"{row['accuracy']:7.4f} {row['ms_per_page']:9.1f}"
        )
    print(f"time ratio newstrace/trafilatura: {summary['ratio']['median']:.2f} (median of rounds {summary['ratio']['rounds']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
