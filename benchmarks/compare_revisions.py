"""End-to-end speed of the working tree against a git revision, in one process, interleaved.

    PYTHONPATH=src python benchmarks/compare_revisions.py REVISION [--rounds R] [--texts N]

This machine's speed drifts by ±8% between passes of the same code, more than most changes gain,
so separate runs cannot tell them apart. Here the revision's ``src/newstrace`` is copied out of
git under another package name (``newstrace_at_<rev>``, its data folder taken from the working
tree) and imported beside the working tree's; both run ``analyze_many`` with the model over the
first dev texts, in alternating order, round after round, and the time ratio of each round is
reported. Both must give the same claims. The revision must share the working tree's model files.
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

for _threads in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_threads, "1")

from newstrace.claims.polnear import read_gold

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSTRACE_SHARED", REPO.parent / "shared"))


def import_revision(revision: str, folder: Path) -> str:
    """Copy the package at ``revision`` into ``folder`` under a new name; return that name."""
    commit = subprocess.run(["git", "rev-parse", "--short", revision], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    name = f"newstrace_at_{commit}"
    archive = subprocess.run(["git", "archive", commit, "src/newstrace"], cwd=REPO, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder / "archive", filter="data")
    package = folder / name
    shutil.move(folder / "archive" / "src" / "newstrace", package)
    shutil.rmtree(package / "data")
    shutil.copytree(REPO / "src" / "newstrace" / "data", package / "data")
    # Module paths, resource lookups and spaCy factory names all start with "newstrace": renamed,
    # the two copies register their own factories side by side.
    for source in package.rglob("*.py"):
        source.write_text(re.sub(r"\bnewstrace(?![a-z])", name, source.read_text(encoding="utf-8")), encoding="utf-8")
    sys.path.insert(0, str(folder))
    return name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("revision")
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--texts", type=int, default=40)
    args = parser.parse_args()
    texts = [text for _, text in read_gold(SHARED / "corpus" / "polnear" / "dev.jsonl")][: args.texts]
    words = sum(len(text.split()) for text in texts)
    with tempfile.TemporaryDirectory() as folder:
        other = import_revision(args.revision, Path(folder))
        sides = {}
        for label, package in (("working tree", "newstrace"), (args.revision, other)):
            pipeline, model = importlib.import_module(f"{package}.pipeline"), importlib.import_module(f"{package}.model")
            documents = [model.Document(content=text, path=f"dev-{n}.txt", content_type="text/plain") for n, text in enumerate(texts)]
            sides[label] = (pipeline.analyze_many, documents)

        def run(label: str) -> tuple[float, list]:
            analyze_many, documents = sides[label]
            start = time.perf_counter()
            analyses = list(analyze_many(documents))
            return time.perf_counter() - start, [[repr(c) for c in a.claims] for a in analyses]

        (_, ours), (_, theirs) = run("working tree"), run(args.revision)
        if ours != theirs:
            raise SystemExit("the two give different claims: compare their predictions first")
        seconds: dict[str, list[float]] = {label: [] for label in sides}
        for round_ in range(args.rounds):
            for label in list(sides) if round_ % 2 == 0 else list(sides)[::-1]:
                seconds[label].append(run(label)[0])
    for label, times in seconds.items():
        print(f"{label}: words/s per round", " ".join(f"{words / t:.0f}" for t in times), f"| median {words / statistics.median(times):.0f}")
    ratios = [a / b for a, b in zip(*seconds.values())]
    print(f"time ratio, working tree / {args.revision}, per round:", " ".join(f"{r:.3f}" for r in ratios), f"| median {statistics.median(ratios):.3f}")


if __name__ == "__main__":
    main()
