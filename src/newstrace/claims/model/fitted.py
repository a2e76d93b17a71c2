"""The JSON files of the small fitted models (the content chooser, the boundary ranker).

Each names the features its weights are for: a file fitted on other features than this version
computes is refused, not misread.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path


def write_fitted(path: str | Path, features: Sequence[str], fields: dict) -> None:
    """Save a fitted model's ``fields`` (JSON-ready) with the names of its ``features``."""
    record = {"features": list(features), **fields}
    Path(path).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


def read_fitted(path: str | Path, features: Sequence[str], what: str) -> dict:
    """A fitted model's saved fields; ValueError naming ``what`` and the file if its features differ."""
    record = json.loads(Path(path).read_text(encoding="utf-8"))
    if tuple(record["features"]) != tuple(features):
        raise ValueError(f"{path}: the {what} was fitted on other features than this version computes; retrain the model")
    return record
