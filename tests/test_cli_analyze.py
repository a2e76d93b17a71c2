"""The command line end to end: ``newstrace analyze --json`` and ``newstrace eval attribution``."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import REPO, SAMPLES

SAMPLE = SAMPLES / "harbour-wire-republished.txt"


def _newstrace(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    return subprocess.run(
        [sys.executable, "-m", "newstrace", *args], capture_output=True, text=True, env=env, timeout=300, cwd=REPO
    )


def test_analyze_json_gives_claims_pointing_at_the_text():
    result = _newstrace("analyze", "--json", str(SAMPLE))
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["schema"] == "newstrace.analysis/1"
    text = record["text"]
    claims = record["claims"]
    assert claims and record["entities"]
    for claim in claims:
        start, end = claim["content_span"]
        assert text[start:end] == claim["content"]
        if claim["cue_span"]:
            assert text[claim["cue_span"][0] : claim["cue_span"][1]] == claim["cue"]
    keys = {"speaker", "speaker_resolved", "speaker_kind", "speaker_role", "cue", "cue_lemma", "cue_commitment",
            "content", "quote", "stance", "hedge", "certainty", "span", "content_span", "speaker_span", "cue_span"}
    assert keys <= set(claims[0])
    assert any(c["stance"] == "deny" for c in claims)
    assert any(c["certainty"] < 1 for c in claims)


def test_eval_attribution_writes_predictions_with_exact_offsets(tmp_path):
    texts = {
        "one": "Ferry talks stall.\n\nThe port will reopen in March, Jonas Weber said on Monday.\n",
        "two": "  Budget.\n\n\"We are out of money,\" the treasurer told the council.\n\nNo one spoke after that.",
    }
    gold = tmp_path / "gold.jsonl"
    # Gold attributions are never read: a record with none still gets predictions.
    gold.write_text("".join(json.dumps({"id": k, "text": v, "attributions": []}) + "\n" for k, v in texts.items()))
    pred = tmp_path / "pred.jsonl"
    result = _newstrace("eval", "attribution", str(gold), "--out", str(pred))
    assert result.returncode == 0, result.stderr
    records = {r["id"]: r for r in map(json.loads, pred.read_text().splitlines())}
    assert set(records) == set(texts)

    def roles(key: str) -> list[dict[str, list[str]]]:
        text = texts[key]
        return [
            {role: [text[s:e] for s, e in a[role]] for role in ("source", "cue", "content")}
            for a in records[key]["attributions"]
        ]

    assert roles("one") == [{"source": ["Jonas Weber"], "cue": ["said"], "content": ["The port will reopen in March"]}]
    assert roles("two") == [{"source": ["the treasurer"], "cue": ["told"], "content": ['"We are out of money,"']}]
