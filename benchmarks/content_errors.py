"""Where predicted contents go wrong: each gold content counted by what happened to it.

    PYTHONPATH=src python benchmarks/content_errors.py GOLD.jsonl PRED.jsonl

A gold content is looked up by its cue among the predictions (exact cue, as the shared scorer
normalises spans), then sorted into: exact; cue missed (no predicted cue touches it); cue read
differently (a predicted cue overlaps but is not it; the content may still be exactly right
under it); and, under an exact cue, which edge is wrong or whether the fragments differ. It also
counts the gold contents split by their own cue ("[Compaq], she predicted, [would come to
them]"). The spans are normalised by the shared scorer's own code (../shared/tools), so the
counts agree with its exact matches. docs/attribution-model-history.md (stop 15) has the table for
PolNeAR train read out of fold.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSTRACE_SHARED", REPO.parent / "shared"))


def load(path: Path) -> dict[str, dict]:
    with path.open(encoding="utf-8") as handle:
        return {record["id"]: record for record in map(json.loads, handle) if record}


def split_by_own_cue(content: tuple, cue: tuple) -> bool:
    """Whether the cue lies between two of the content's fragments."""
    return any(end <= c_start and c_end <= start for (_, end), (start, _) in zip(content, content[1:]) for c_start, c_end in cue)


def what_happened(gold_content: tuple, gold_cue: tuple, predicted: dict[tuple, tuple], scorer_doc) -> str:
    """The category of one gold content (``predicted``: each predicted cue's content)."""
    content = predicted.get(gold_cue)
    if content is None:
        cue_tokens = scorer_doc.tokens(gold_cue)
        overlapping = [c for q, c in predicted.items() if scorer_doc.tokens(q) & cue_tokens]
        if not overlapping:
            return "cue missed"
        exact = any(c == gold_content for c in overlapping)
        return "cue read differently, content exact" if exact else "cue read differently, content not"
    if content == gold_content:
        return "exact"
    if not content:
        return "cue exact, no content"
    if len(content) != len(gold_content):
        return "cue exact, fragments differ"
    same_start, same_end = content[0][0] == gold_content[0][0], content[-1][1] == gold_content[-1][1]
    if same_start and not same_end:
        return "cue exact, end too long" if content[-1][1] > gold_content[-1][1] else "cue exact, end too short"
    if same_end and not same_start:
        return "cue exact, start wrong"
    return "cue exact, both edges wrong" if not (same_start or same_end) else "cue exact, inner gap differs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("predictions", type=Path)
    args = parser.parse_args()
    sys.path.insert(0, str(SHARED / "tools"))
    from score_attribution import Doc  # the shared scorer's span normalisation

    gold, predictions = load(args.gold), load(args.predictions)
    counts: Counter[str] = Counter()
    split: Counter[str] = Counter()
    for record_id, record in gold.items():
        doc = Doc(record["text"])
        predicted: dict[tuple, tuple] = {}
        for attribution in predictions.get(record_id, {}).get("attributions", []):
            predicted.setdefault(doc.canon(attribution["cue"]), doc.canon(attribution.get("content") or []))
        for attribution in record["attributions"]:
            content, cue = doc.canon(attribution["content"] or []), doc.canon(attribution["cue"] or [])
            if not content:
                continue
            category = what_happened(content, cue, predicted, doc)
            counts[category] += 1
            if split_by_own_cue(content, cue):
                split[category] += 1
    total = sum(counts.values())
    print(f"{total} gold contents; {sum(split.values())} of them split by their own cue")
    print(f"{'what happened':<40} {'contents':>9} {'split by cue':>13}")
    for category, n in counts.most_common():
        print(f"{category:<40} {n:>9} {split[category]:>13}")


if __name__ == "__main__":
    main()
