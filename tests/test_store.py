"""The store: idempotent writes, versions of a changed page, resumable ingest, recorded errors."""

from __future__ import annotations

import shutil
from collections import defaultdict

import pytest
from sqlalchemy import func, inspect, select

from newstrace.config import load_settings
from newstrace.ingest import IngestEvent, ingest as ingest_with_claims
from newstrace.pipeline import read_article
from newstrace.store import open_store, queries
from newstrace.store.schema import articles, copy_bands, documents, errors, versions

from conftest import SAMPLES

CORPUS = SAMPLES / "corpus"


def ingest(*args, **kwargs):
    """Ingest without the claims stage: these tests are about storing, and spaCy is slow."""
    return ingest_with_claims(*args, analyze=read_article, **kwargs)


def _count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def _store(tmp_path, name="store.db"):
    return open_store(f"sqlite:///{tmp_path / name}")


def test_a_changed_page_is_a_new_version_of_the_same_article(tmp_path):
    page = tmp_path / "pages" / "museum.html"
    page.parent.mkdir()
    original = (CORPUS / "html" / "meridian-museum.html").read_text()
    page.write_text(original)
    engine = _store(tmp_path)
    first = ingest([str(page.parent)], engine, config=load_settings())
    assert (first.new, first.versions) == (1, 0)
    bands = _count(engine, copy_bands)
    assert bands > 0

    page.write_text(original.replace("Entry will be free for the first month.", "Entry will cost five pounds from April."))
    second = ingest([str(page.parent)], engine, config=load_settings())
    assert (second.new, second.versions) == (0, 1)
    assert _count(engine, articles) == 1 and _count(engine, versions) == 2
    with engine.connect() as conn:
        assert [h.article.title for h in queries.search_articles(conn, "five pounds")] == ["City museum reopens after three-year renovation"]
        assert queries.search_articles(conn, "free first month") == []  # the old text left the index
    # Its copy index follows the current text: one set of LSH bands, not one per version.
    assert _count(engine, copy_bands) == bands

    page.write_text(original)  # back to the first text: that version is current again, nothing new stored
    third = ingest([str(page.parent)], engine, config=load_settings())
    assert (third.new, third.versions) == (0, 1)
    assert _count(engine, versions) == 2 and _count(engine, copy_bands) == bands
    with engine.connect() as conn:
        assert queries.search_articles(conn, "free first month")


def test_an_interrupted_ingest_resumes_without_duplicates_or_losses(tmp_path):
    config = load_settings(ingest_batch_size=4)
    clean = _store(tmp_path, "clean.db")
    ingest([str(CORPUS)], clean, config=config)

    engine = _store(tmp_path, "resumed.db")
    seen = []

    def interrupt_after_eleven(event: IngestEvent) -> None:
        seen.append(event)
        if len(seen) == 11:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest([str(CORPUS)], engine, config=config, on_document=interrupt_after_eleven)
    # Two full batches of four were committed (five articles: three of those eight documents were
    # the feed's entries read again through the OPML list); the open batch was rolled back.
    assert _count(engine, documents) == _count(engine, articles) == 5
    resumed = ingest([str(CORPUS)], engine, config=config)
    assert resumed.new == 29 - 5 and resumed.failed == 0

    def state(db):
        with db.connect() as conn:
            rows = conn.execute(select(articles.c.key, articles.c.copy_group_id, articles.c.story_id)).all()

        def partition(attribute):
            parts = defaultdict(set)
            for row in rows:
                parts[getattr(row, attribute)].add(row.key)
            return {frozenset(p) for p in parts.values()}

        return sorted(r.key for r in rows), partition("copy_group_id"), partition("story_id")

    assert state(engine) == state(clean)
    assert _count(engine, versions) == _count(clean, versions) == 29


def test_bad_documents_are_recorded_and_never_stop_the_run(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "empty.html").write_bytes(b"")
    (folder / "image.html").write_bytes(bytes(range(256)) * 20)
    (folder / "lines.jsonl").write_text('{"url": "https://x.example/a", "text": "A headline\\n\\nA body paragraph."}\nnot json\n')
    shutil.copy(CORPUS / "html" / "meridian-museum.html", folder / "museum.html")
    engine = _store(tmp_path)
    events: list[IngestEvent] = []
    summary = ingest([str(folder), str(tmp_path / "missing.txt")], engine, config=load_settings(), on_document=events.append)
    assert (summary.new, summary.failed) == (2, 4)
    reasons = {e.document.rsplit("/", 1)[-1]: e.reason for e in events if e.outcome == "failed"}
    assert set(reasons) == {"empty.html", "image.html", "lines.jsonl:2", "missing.txt"}
    assert "binary" in reasons["image.html"] and "not valid JSON" in reasons["lines.jsonl:2"]

    again = ingest([str(folder), str(tmp_path / "missing.txt")], engine, config=load_settings())
    assert (again.new, again.failed) == (0, 4)
    with engine.connect() as conn:
        listed = queries.list_errors(conn)
    assert len(listed) == 4 == _count(engine, errors)  # the same failure is counted, not repeated
    assert all(e.count == 2 for e in listed)


def test_workers_give_the_same_store_as_one_process(tmp_path):
    # The rail strike: a wire story and its copies, an own report, a denial, and a look-alike.
    sources = [str(CORPUS / "records.jsonl")] + [
        str(CORPUS / "html" / name)
        for name in ("openwire-rail-strike.html", "pacific-rail-strike.html", "weekly-rail-strike.html", "meridian-rail-denial.html", "coastline-lyon-trams.html")
    ]
    config = load_settings(ingest_batch_size=3)
    serial, parallel = _store(tmp_path, "serial.db"), _store(tmp_path, "parallel.db")
    ingest(sources, serial, config=config)
    summary = ingest(sources + [str(tmp_path / "missing.html")], parallel, config=config, workers=2)
    assert (summary.documents, summary.new, summary.failed) == (10, 9, 1)

    def state(db):
        with db.connect() as conn:
            rows = conn.execute(select(articles.c.key, articles.c.copy_group_id, articles.c.story_id)).all()
        by_group, by_story = defaultdict(set), defaultdict(set)
        for row in rows:
            by_group[row.copy_group_id].add(row.key)
            by_story[row.story_id].add(row.key)
        return {frozenset(g) for g in by_group.values()}, {frozenset(s) for s in by_story.values()}

    assert state(parallel) == state(serial)


def test_listing_commands_do_not_create_a_database(tmp_path):
    from newstrace.model import NewstraceError

    with pytest.raises(NewstraceError, match="no such database"):
        open_store(f"sqlite:///{tmp_path / 'nothing.db'}", create=False)
    assert not (tmp_path / "nothing.db").exists()


def test_a_store_made_before_a_column_existed_gains_it_when_opened(tmp_path):
    engine = _store(tmp_path)
    ingest([str(CORPUS / "text")], engine, config=load_settings())
    with engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE claims DROP COLUMN verbs")
    engine.dispose()
    engine = _store(tmp_path)
    with engine.connect() as conn:
        assert "verbs" in {c["name"] for c in inspect(conn).get_columns("claims")}
        assert conn.execute(select(func.count()).select_from(articles)).scalar_one() > 0
