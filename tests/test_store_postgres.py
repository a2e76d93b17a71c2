"""The same store on PostgreSQL: the schema, idempotent ingest, linking and the LIKE search fallback.

Starts its own server in a temporary folder (PostgreSQL 15 from Debian, as scripts/setup.sh --test
installs it); skipped where there is none.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import select

from newstrace.config import load_settings
from newstrace.ingest import ingest
from newstrace.pipeline import read_article
from newstrace.store import open_store, queries
from newstrace.store.schema import articles

import corpus_gold as gold
from conftest import SAMPLES

PG_BIN = Path("/usr/lib/postgresql/15/bin")
pytestmark = pytest.mark.postgres


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run(command: list) -> None:
    """Run a PostgreSQL tool; on failure, fail the test with what the tool said."""
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        pytest.fail(f"{command[-1] if len(command) < 4 else command[:6]} failed: {done.stdout}{done.stderr}")


@pytest.fixture(scope="module")
def postgres_url(tmp_path_factory):
    if not (PG_BIN / "initdb").exists():
        pytest.skip("PostgreSQL 15 is not installed")
    data = tmp_path_factory.mktemp("pg") / "data"
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        as_postgres = ["runuser", "-u", "postgres", "--"]
        shutil.chown(data.parent, "postgres")
        for parent in data.parents:
            if parent == Path("/"):
                break
            parent.chmod(parent.stat().st_mode | 0o005)
    port = _free_port()
    _run([*as_postgres, PG_BIN / "initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"])
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {data}"
    _run([*as_postgres, PG_BIN / "pg_ctl", "-D", data, "-l", data / "log", "-w", "-o", options, "start"])
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_postgres, PG_BIN / "pg_ctl", "-D", data, "-m", "fast", "stop"], capture_output=True)


def test_the_sample_corpus_on_postgresql(postgres_url):
    engine = open_store(postgres_url)
    config = load_settings()
    first = ingest([str(SAMPLES / "corpus")], engine, analyze=read_article, config=config)
    again = ingest([str(SAMPLES / "corpus")], engine, analyze=read_article, config=config)
    assert (first.new, first.failed, again.new, again.unchanged) == (29, 0, 0, 32)

    groups: dict[int, set[str]] = defaultdict(set)
    stories: dict[int, set[str]] = defaultdict(set)
    with engine.connect() as conn:
        for row in conn.execute(select(articles.c.url, articles.c.path, articles.c.copy_group_id, articles.c.story_id)):
            name = row.url or Path(row.path).name
            groups[row.copy_group_id].add(name)
            stories[row.story_id].add(name)
        hits = queries.search_articles(conn, "Kefalonia aircraft")
        listed = queries.list_stories(conn, limit=100)
    assert {frozenset(g) for g in groups.values() if len(g) > 1} == {frozenset(g) for g in gold.COPY_GROUPS.values()}
    assert {frozenset(s) for s in stories.values() if len(s) > 1} == {frozenset(s) for s in gold.STORIES.values()}
    assert hits and all(h.article.story_id == hits[0].article.story_id for h in hits)
    assert len(listed) == len(gold.STORIES) + len(gold.SINGLE_STORIES)
    engine.dispose()
