"""The sample corpus end to end: ingest it, then check copy groups, stories and origins exactly
against tests/corpus_gold.py, idempotency across sources, search and exports."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy import select
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newstrace.config import load_settings
from newstrace.ingest import ingest
from newstrace.store import open_store, queries
from newstrace.store.export import export
from newstrace.store.schema import articles, copy_groups, versions

import corpus_gold as gold
from conftest import SAMPLES

CORPUS = SAMPLES / "corpus"


def label(url: str | None, path: str | None) -> str:
    return url or Path(path).name


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The sample corpus ingested once into a fresh SQLite store."""
    engine = open_store(f"sqlite:///{tmp_path_factory.mktemp('store') / 'corpus.db'}")
    summary = ingest([str(CORPUS)], engine, config=load_settings())
    return engine, summary


def _partition(engine, column) -> list[frozenset[str]]:
    groups: dict[int, set[str]] = defaultdict(set)
    with engine.connect() as conn:
        for row in conn.execute(select(column, articles.c.url, articles.c.path)):
            groups[row[0]].add(label(row.url, row.path))
    return [frozenset(g) for g in groups.values()]


def test_every_document_is_stored_once(corpus):
    engine, summary = corpus
    # 32 documents: the feed's three entries come twice (the feed file and the OPML list naming it).
    assert (summary.documents, summary.new, summary.unchanged, summary.failed) == (32, 29, 3, 0)
    with engine.connect() as conn:
        labels = [label(r.url, r.path) for r in conn.execute(select(articles.c.url, articles.c.path))]
    expected = set().union(*gold.STORIES.values()) | gold.SINGLE_STORIES
    assert sorted(labels) == sorted(expected)


def test_copy_groups_are_exact(corpus):
    engine, _ = corpus
    found = {g for g in _partition(engine, articles.c.copy_group_id) if len(g) > 1}
    assert found == {frozenset(g) for g in gold.COPY_GROUPS.values()}


def test_copy_groups_name_the_wire_agency_as_origin(corpus):
    engine, _ = corpus
    with engine.connect() as conn:
        rows = conn.execute(
            select(copy_groups.c.id, copy_groups.c.agency, copy_groups.c.origin_article_id, copy_groups.c.size).where(copy_groups.c.size > 1)
        ).all()
        for row in rows:
            members = {
                label(r.url, r.path): r
                for r in conn.execute(
                    select(articles.c.id, articles.c.url, articles.c.path, versions.c.agency)
                    .join(versions, versions.c.id == articles.c.current_version_id)
                    .where(articles.c.copy_group_id == row.id)
                )
            }
            name = next(n for n, g in gold.COPY_GROUPS.items() if g == set(members))
            assert row.agency == gold.COPY_GROUP_AGENCY[name]
            origin = next(m for m in members.values() if m.id == row.origin_article_id)
            assert origin.agency == row.agency  # the origin is a member that credits the agency
    assert len(rows) == len(gold.COPY_GROUPS)


def test_stories_are_exact(corpus):
    engine, _ = corpus
    found = set(_partition(engine, articles.c.story_id))
    expected = {frozenset(s) for s in gold.STORIES.values()} | {frozenset({single}) for single in gold.SINGLE_STORIES}
    assert found == expected


def test_story_origins_and_counts(corpus):
    engine, _ = corpus
    with engine.connect() as conn:
        summaries = queries.list_stories(conn, limit=100)
        assert len(summaries) == len(gold.STORIES) + len(gold.SINGLE_STORIES)
        for summary in summaries:
            story = queries.get_story(conn, summary.id)
            members = {label(a.url, a.path) for a in story.articles}
            name = next((n for n, s in gold.STORIES.items() if s == members), None)
            if name is None:
                assert len(members) == 1 and members <= gold.SINGLE_STORIES
                continue
            assert {o.origin.name for o in story.origins} == gold.STORY_ORIGINS[name]
            # Every count is the length of the list behind it.
            assert summary.origins == len(story.origins) == len(gold.STORY_ORIGINS[name])
            assert summary.articles == len(story.articles) == len(gold.STORIES[name])
            assert summary.outlets == len(story.outlets)
            assert sum(len(ids) for _, ids in story.outlets) == summary.articles
            assert sorted(i for o in story.origins for i in o.articles) == sorted(a.id for a in story.articles)
            assert summary.first_seen <= summary.last_seen


@pytest.mark.parametrize("name", sorted(gold.CLAIMS))
def test_claim_support_is_exact(corpus, name):
    expected = gold.CLAIMS[name]
    engine, _ = corpus
    with engine.connect() as conn:
        labels = {r.id: label(r.url, r.path) for r in conn.execute(select(articles.c.id, articles.c.url, articles.c.path))}
        story_id = next(
            s.id for s in queries.list_stories(conn, limit=100)
            if {labels[a.id] for a in queries.get_story(conn, s.id).articles} == gold.STORIES[expected["story"]]
        )
        story = queries.get_story(conn, story_id)
    pattern = re.compile(expected["pattern"])
    found = [g for g in story.claim_groups if g.stance == "assert" and any(pattern.search(c.content) for c in g.claims)]
    assert len(found) == 1, [g.content for g in found]
    group = found[0]
    support = group.support
    assert {labels[a] for a in support.articles} == expected["articles"]
    assert {o.origin.name for o in support.origins} == expected["origins"]
    assert {s.name for s in support.speakers} == expected["speakers"]
    count, where = expected["denials"]
    assert len(support.denials) == count
    assert {labels[d.article_id] for d in support.denials} == where
    # The stored counts (what `claims --about` sorts by) agree with the lists.
    record = group.to_json()["support"]
    assert [record[k]["count"] for k in ("speakers", "independent_origins", "articles", "denials")] == [
        len(expected["speakers"]), len(expected["origins"]), len(expected["articles"]), count
    ]


def test_claims_about_puts_the_best_supported_group_first(corpus):
    engine, _ = corpus
    with engine.connect() as conn:
        groups = queries.find_claim_groups(conn, "ignored warnings")
    strength = [(len(g.support.origins), len(g.support.speakers), len(g.support.articles)) for g in groups]
    assert strength == sorted(strength, reverse=True)
    # The company's denial (AFP, Andes Observer and The Daily Meridian carry it) comes before the
    # union's claim it denies (AFP and Andes Observer).
    claim = next(g for g in groups if g.stance == "assert" and re.search(gold.CLAIMS["mine-warnings"]["pattern"], g.content))
    assert groups[0].stance == "deny" and groups[0].denies_group_id == claim.id
    assert [o.origin.name for o in groups[0].support.origins] and len(groups[0].support.origins) == 3


def test_stories_are_listed_most_recent_first(corpus):
    engine, _ = corpus
    with engine.connect() as conn:
        listed = queries.list_stories(conn, limit=100)
    dated = [s.last_seen for s in listed]
    assert dated == sorted(dated, reverse=True)


def test_summary_only_feed_entry_is_kept_and_marked(corpus):
    engine, _ = corpus
    with engine.connect() as conn:
        rows = conn.execute(
            select(articles.c.url, versions.c.partial, versions.c.text).join(versions, versions.c.id == articles.c.current_version_id)
        ).all()
    partial = {r.url: r for r in rows if r.partial}
    assert set(partial) == gold.PARTIAL
    entry = partial["https://lakesidecourier.example/local/library-weekend-hours"]
    assert "summary only" in entry.partial and "open until 8pm" in entry.text


def test_ingesting_again_changes_nothing(corpus):
    engine, _ = corpus
    before = _partition(engine, articles.c.story_id)
    again = ingest([str(CORPUS)], engine, config=load_settings())
    assert (again.new, again.versions, again.failed, again.unchanged) == (0, 0, 0, 32)
    assert again.link is None  # nothing changed, nothing to relink
    assert sorted(map(sorted, _partition(engine, articles.c.story_id))) == sorted(map(sorted, before))


def test_a_page_from_a_web_archive_is_the_article_already_stored(corpus, tmp_path):
    engine, _ = corpus
    known = (CORPUS / "html" / "meridian-museum.html").read_bytes()
    fresh = known.replace(b"City museum reopens after three-year renovation", b"City aquarium opens a new shark tunnel").replace(
        b"city-museum-reopens", b"city-aquarium-shark-tunnel"
    ).replace(b"Harbour City Museum reopened its doors", b"Harbour City Aquarium opened a shark tunnel")
    archive = tmp_path / "crawl.warc.gz"
    with archive.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for uri, body in (
            ("https://dailymeridian.example/culture/2025/03/12/city-museum-reopens", known),
            ("https://dailymeridian.example/culture/2025/03/12/city-aquarium-shark-tunnel", fresh),
        ):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers))
    summary = ingest([str(archive)], engine, config=load_settings())
    assert (summary.documents, summary.new, summary.unchanged) == (2, 1, 1)
    with engine.connect() as conn:
        hits = queries.search_articles(conn, "shark tunnel")
    assert [h.article.url for h in hits] == ["https://dailymeridian.example/culture/2025/03/12/city-aquarium-shark-tunnel"]


def test_search_by_words_in_very_many_articles_lists_the_newest_first(corpus, monkeypatch):
    engine, _ = corpus
    with engine.connect() as conn:
        ranked = queries.search_articles(conn, "the fire", limit=50)
        monkeypatch.setattr(queries, "RANKED_SEARCH_MAX_DOCS", 0)
        newest = queries.search_articles(conn, "the fire", limit=50)
        version_of = dict(conn.execute(select(articles.c.id, articles.c.current_version_id)).all())
    assert len(ranked) > 2
    assert {h.article.id for h in newest} == {h.article.id for h in ranked}
    versions = [version_of[h.article.id] for h in newest]
    assert versions == sorted(versions, reverse=True)
    assert [h.article.id for h in ranked] != [h.article.id for h in newest]


def test_search_ranks_and_quotes(corpus):
    engine, _ = corpus
    with engine.connect() as conn:
        hits = queries.search_articles(conn, "Kefalonia aircraft late")
        phrase = queries.search_articles(conn, '"Minera Altiplano" denied')
        nothing = queries.search_articles(conn, "zeppelin")
    assert hits and hits[0].article.url == "https://northgatetimes.example/world/2025/jul/22/greek-fire-service-rejects-claims"
    assert all(h.article.story_id == hits[0].article.story_id for h in hits)
    assert "[" in hits[0].snippet
    assert phrase and all("Altiplano" in h.article.title or h.article.story_id == phrase[0].article.story_id for h in phrase)
    assert nothing == []


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_exports_stream_every_row(corpus, tmp_path, fmt):
    engine, _ = corpus
    with engine.connect() as conn:
        total_articles = len(_partition(engine, articles.c.id))
        total_stories = len(queries.list_stories(conn, limit=1000))
        for what, total in (("articles", total_articles), ("stories", total_stories)):
            out = tmp_path / f"{what}.{fmt}"
            assert export(conn, what, fmt, out) == total
            if fmt == "jsonl":
                rows = [json.loads(line) for line in out.read_text().splitlines()]
            elif fmt == "csv":
                rows = list(csv.DictReader(out.open()))
            else:
                rows = pq.read_table(out).to_pylist()
            assert len(rows) == total
            if what == "stories":
                sizes = sorted(len(json.loads(r["article_ids"]) if fmt == "csv" else r["article_ids"]) for r in rows)
                assert sizes[-4:] == sorted(len(s) for s in gold.STORIES.values())


def _cli(*args: str):
    from typer.testing import CliRunner

    from newstrace.serve.cli import app

    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_listing_commands_print_the_documented_json(corpus):
    engine, _ = corpus
    db = ["--db", str(engine.url)]
    listed = json.loads(_cli("stories", "--json", *db).stdout)
    assert listed["schema"] == "newstrace.stories/1" and listed["total"] == len(listed["stories"])
    assert set(listed["stories"][0]) == {"id", "title", "first_seen", "last_seen", "articles", "outlets", "independent_origins", "claim_groups"}

    biggest = max(listed["stories"], key=lambda s: s["articles"])
    story = json.loads(_cli("story", str(biggest["id"]), "--json", *db).stdout)
    assert story["schema"] == "newstrace.story/1"
    for key in ("articles", "outlets", "independent_origins", "claim_groups"):
        assert story["counts"][key] == len(story[key]) == biggest[key]
    article = story["articles"][0]
    assert {"id", "url", "title", "outlet", "origin", "copy_group", "published", "partial"} <= set(article)
    assert {"key", "name", "kind"} == set(article["origin"])
    group = story["claim_groups"][0]
    for key in ("speakers", "independent_origins", "articles", "denials"):
        assert group["support"][key]["count"] == len(group["support"][key]["items"])
    assert {"speaker", "speaker_resolved", "cue", "content", "stance", "span", "article", "counted_as"} <= set(group["claims"][0])

    about = json.loads(_cli("claims", "--about", "refused to negotiate", "--json", *db).stdout)
    assert about["schema"] == "newstrace.claim-groups/1" and about["claim_groups"]
    hits = json.loads(_cli("search", "Nordbahn", "--json", *db).stdout)
    assert hits["schema"] == "newstrace.search/1" and all("snippet" in h for h in hits["hits"])
    errors = json.loads(_cli("errors", "--json", *db).stdout)
    assert errors == {"schema": "newstrace.errors/1", "errors": []}

    missing = _cli("story", "999999", *db)
    assert missing.exit_code == 1


def test_ingest_command_reports_failures_and_errors_lists_them(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("A headline for a test page\n\nA body paragraph that says something about a harbour.\n")
    (folder / "bad.html").write_bytes(b"")
    db = ["--db", f"sqlite:///{tmp_path / 'cli.db'}"]
    result = _cli("ingest", str(folder), *db)
    assert result.exit_code == 0
    rows = {" ".join(line.strip("│ ").split()[:-1]): line.strip("│ ").split()[-1] for line in result.stdout.splitlines() if "│" in line}
    assert (rows["documents"], rows["new articles"], rows["failed"]) == ("2", "1", "1")
    assert "1 document(s) failed; `newstrace errors` lists them" in result.stdout
    listed = json.loads(_cli("errors", "--json", *db).stdout)["errors"]
    assert [(Path(e["document"]).name, e["reason"]) for e in listed] == [("bad.html", "empty document")]
    out = tmp_path / "articles.csv"
    assert _cli("export", str(out), "--format", "csv", "--what", "articles", *db).exit_code == 0
    assert list(csv.DictReader(out.open()))[0]["title"] == "A headline for a test page"


def test_listing_needs_an_existing_database(tmp_path):
    result = _cli("stories", "--db", f"sqlite:///{tmp_path / 'none.db'}")
    assert result.exit_code == 1 and not (tmp_path / "none.db").exists()
