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


HOSTILE_PAGE = Path(__file__).parent / "fixtures" / "web" / "hostile-page.html"


@pytest.fixture(scope="session")
def web_store(tmp_path_factory):
    """The sample corpus plus a hostile page (script and HTML payloads in its title, byline, site
    name, body and claims), ingested once into a fresh SQLite store for the web tests."""
    from newstrace.config import load_settings
    from newstrace.ingest import ingest
    from newstrace.store import open_store

    engine = open_store(f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.db'}")
    summary = ingest([str(SAMPLES / "corpus"), str(HOSTILE_PAGE)], engine, config=load_settings())
    assert summary.failed == 0
    return engine


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch arguments, on Debian's Chromium: Playwright cannot download its own here."""
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}
