"""Shared fixtures: paths to the repo's samples and to the shared corpora beside the checkout."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
SHARED = Path(os.environ.get("NEWSTRACE_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "corpus"
SEED_PAGE = CORPUS / "seed" / "000_c2304675d03e5138.txt"
SEED_GOLD = CORPUS / "seed" / "gold.json"


def need_shared() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS} (set NEWSTRACE_SHARED)")


@pytest.fixture
def seed_page() -> Path:
    need_shared()
    return SEED_PAGE


@pytest.fixture
def seed_gold() -> dict:
    import json

    need_shared()
    return json.loads(SEED_GOLD.read_text(encoding="utf-8"))
