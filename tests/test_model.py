"""The analysis record: the JSON contract of DESIGN.md, and its round trip back into types."""

from __future__ import annotations

import json

from newstrace.model import SCHEMA, Analysis
from newstrace.pipeline import analyze
from newstrace.sources.pages import read_file

from conftest import SAMPLES


def test_record_round_trips_through_json():
    analysis = analyze(read_file(SAMPLES / "harbour-wire-republished.txt"))
    record = analysis.to_record(fingerprint=True)
    assert record["schema"] == SCHEMA
    again = Analysis.from_record(json.loads(json.dumps(record)))
    assert again.to_record(fingerprint=True) == record
    assert again.claims and again.claims[0].span == analysis.claims[0].span


def test_fingerprint_is_left_out_of_the_record_unless_asked():
    analysis = analyze(read_file(SAMPLES / "harbour-wire-republished.txt"))
    assert "fingerprint" not in analysis.to_record()["origin"]
    assert len(analysis.to_record(fingerprint=True)["origin"]["fingerprint"]["hashvalues"]) == 128
