"""The web reader's JSON API and pages through FastAPI's TestClient, over the sample corpus (and one
hostile page) ingested once per session: pagination, support counts against the store, the analysis
record's schema, search and claim filters, entities, the Add page's token rule, and escaping."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from newstrace.store import queries
from newstrace.store.schema import articles, claims, stories

from conftest import HOSTILE_PAGE, SEED_PAGE, need_shared

PAYLOADS = ('<script>alert("', '<img src=x onerror=alert("', '"><svg onload=alert("')
RAW_MARKUP = ("<script", "<img src=x", "<svg onload")


@pytest.fixture(scope="module")
def client(web_store):
    from newstrace.serve.web import create_app

    with TestClient(create_app(web_store)) as client:
        yield client


@pytest.fixture(scope="module")
def hostile_id(web_store) -> int:
    with web_store.connect() as conn:
        return conn.scalar(select(articles.c.id).where(articles.c.path.like(f"%{HOSTILE_PAGE.name}")))


def all_pages(client, path: str, limit: int) -> list[dict]:
    items, offset = [], 0
    while True:
        body = client.get(path, params={"limit": limit, "offset": offset}).json()
        items += body["items"]
        offset += limit
        if offset >= body["total"]:
            return items


def test_stories_are_listed_newest_first_and_paginate(client, web_store):
    with web_store.connect() as conn:
        stored = set(conn.scalars(select(stories.c.id)))
    first = client.get("/api/stories", params={"limit": 3}).json()
    assert first["total"] == len(stored) and len(first["items"]) == 3
    listed = all_pages(client, "/api/stories", limit=4)
    ids = [s["id"] for s in listed]
    assert len(ids) == len(set(ids)) and set(ids) == stored
    assert ids[:3] == [s["id"] for s in first["items"]]
    last_seen = [s["last_seen"] for s in listed]
    assert last_seen == sorted(last_seen, reverse=True)
    assert client.get("/api/stories", params={"limit": 0}).status_code == 422
    # What the front page shows of each story is there too: outlet and origin names, top claims.
    with web_store.connect() as conn:
        for item in first["items"]:
            detail = queries.get_story(conn, item["id"])
            assert sorted(item["outlet_names"]) == sorted(name for name, _ in detail.outlets)
            assert len(item["origin_names"]) == item["independent_origins"] == len(detail.origins)
            best = [g for g in detail.claim_groups if g.stance == "assert"][:2]
            assert [g["independent_origins"] for g in item["top_claim_groups"]] == [len(g.support.origins) for g in best]


def test_articles_paginate_without_overlap(client, web_store):
    with web_store.connect() as conn:
        stored = set(conn.scalars(select(articles.c.id)))
    ids = [a["id"] for a in all_pages(client, "/api/articles", limit=7)]
    assert len(ids) == len(set(ids)) and set(ids) == stored


def test_story_support_counts_equal_the_store(client, web_store):
    with web_store.connect() as conn:
        story_ids = list(conn.scalars(select(stories.c.id)))
        origin_of = {r.id: r.origin_key for r in conn.execute(select(articles.c.id, articles.c.origin_key))}
        members = defaultdict(list)
        for row in conn.execute(select(claims.c.claim_group_id, claims.c.article_id).where(claims.c.claim_group_id.is_not(None))):
            members[row.claim_group_id].append(row.article_id)
        in_story = {r.story_id: r.n for r in conn.execute(select(articles.c.story_id, func.count().label("n")).group_by(articles.c.story_id))}
        details = {i: queries.get_story(conn, i) for i in story_ids}
    checked_groups = 0
    for story_id, detail in details.items():
        body = client.get(f"/api/stories/{story_id}").json()
        assert body["counts"]["articles"] == in_story[story_id] == len(body["articles"])
        assert len(body["independent_origins"]) == len(detail.origins)
        assert [g["id"] for g in body["claim_groups"]] == [g.id for g in detail.claim_groups]
        for group, view in zip(body["claim_groups"], detail.claim_groups):
            support = group["support"]
            assert support["speakers"]["count"] == len(view.support.speakers)
            assert support["independent_origins"]["count"] == len(view.support.origins)
            assert support["articles"]["count"] == len(view.support.articles)
            assert support["denials"]["count"] == len(view.support.denials)
            # Independently of the store's readers: distinct origins of the group's articles.
            group_articles = set(members[group["id"]])
            assert support["articles"]["count"] == len(group_articles)
            assert support["independent_origins"]["count"] == len({origin_of[a] for a in group_articles if origin_of[a]})
            checked_groups += 1
    assert checked_groups > 10
    assert any(g["support"]["independent_origins"]["count"] > 1 for s in story_ids for g in client.get(f"/api/stories/{s}").json()["claim_groups"])


def test_story_page_shows_the_same_counts(client, web_store):
    with web_store.connect() as conn:
        story_id = conn.scalar(select(stories.c.id).order_by(stories.c.claim_groups.desc()))
        detail = queries.get_story(conn, story_id)
    html = client.get(f"/stories/{story_id}").text
    shown = [int(n) for n in re.findall(r'data-count="group-origins">(\d+)<', html)]
    assert shown == [len(g.support.origins) for g in detail.claim_groups]
    assert int(re.search(r'data-count="articles">(\d+)<', html)[1]) == len(detail.articles)


def test_article_analysis_record_has_the_schema(client, web_store):
    with web_store.connect() as conn:
        article_id = conn.scalar(select(articles.c.id).where(articles.c.origin_key == "agency:afp").order_by(articles.c.id))
    record = client.get(f"/api/articles/{article_id}/analysis").json()
    assert record["schema"] == "newstrace.analysis/1"
    for key in ("source", "title", "bylines", "published", "site_name", "language", "text", "origin", "entities", "claims"):
        assert key in record
    assert record["origin"]["agency"] == "AFP" and record["origin"]["evidence"]
    assert set(record["origin"]) >= {"agency", "evidence", "republished_by", "byline_is_reporter"}
    assert record["claims"]
    text = record["text"]
    for claim in record["claims"]:
        assert text[slice(*claim["content_span"])] == claim["content"]
        assert claim["stance"] in ("assert", "deny") and 0 <= claim["certainty"] <= 1
    for entity in record["entities"]:
        assert {"name", "kind", "mentions"} <= set(entity)
    full = client.get(f"/api/articles/{article_id}").json()
    assert full["analysis"] == record and full["id"] == article_id
    assert all(c["copy_group"]["id"] == full["copy_group"] for c in full["copies"])


@pytest.mark.parametrize(
    "path", ["/api/articles/999999", "/api/articles/999999/analysis", "/api/stories/999999", "/api/entities/Nobody%20Atall"]
)
def test_missing_things_are_json_404s(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert "error" in response.json()


def test_missing_pages_are_html_404s(client):
    response = client.get("/articles/999999")
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")


def test_search_finds_an_article_by_a_word_of_its_title(client, web_store):
    with web_store.connect() as conn:
        rows = conn.execute(select(articles.c.id, articles.c.title).where(articles.c.title.is_not(None)).order_by(articles.c.id)).all()
    for row in rows[::5]:
        word = max(re.findall(r"[^\W\d_]+", row.title), key=len)
        found = client.get("/api/search", params={"q": word, "limit": 50}).json()["articles"]
        assert row.id in [a["id"] for a in found], (word, row.title)
        assert any(word.lower() in a["title"].lower() or word.lower() in a["snippet"].lower() for a in found)
    html = client.get("/search", params={"q": word}).text
    assert re.search(f'href="[^"]*/articles/{row.id}"', html)
    assert re.search(f"<mark>{word}</mark>", html, re.I)  # the matched words, marked in the snippets


def test_claim_filters(client, web_store):
    denials = client.get("/api/search", params={"stance": "deny", "limit": 200}).json()["claims"]
    with web_store.connect() as conn:
        stored_denials = conn.scalar(select(func.count()).select_from(claims).where(claims.c.stance == "deny"))
    assert len(denials) == stored_denials > 0
    assert {c["stance"] for c in denials} == {"deny"}
    hedged = client.get("/api/search", params={"min_certainty": 0.4, "max_certainty": 0.9, "limit": 200}).json()["claims"]
    assert hedged and all(0.4 <= c["certainty"] <= 0.9 for c in hedged)
    sure = client.get("/api/search", params={"min_certainty": 0.95, "limit": 200}).json()["claims"]
    assert sure and not {c["id"] for c in sure} & {c["id"] for c in hedged}
    outlet = denials[0]["outlet"]
    by_outlet = client.get("/api/search", params={"outlet": outlet, "stance": "deny"}).json()["claims"]
    assert by_outlet and {c["outlet"] for c in by_outlet} == {outlet}
    speaker = denials[0]["speaker_resolved"]
    by_speaker = client.get("/api/search", params={"speaker": speaker.lower()}).json()["claims"]
    assert by_speaker and all(speaker.lower() in (c["speaker_resolved"] or c["speaker"]).lower() for c in by_speaker)
    assert client.get("/api/search", params={"stance": "maybe"}).status_code == 422
    assert client.get("/api/search", params={"min_certainty": 2}).status_code == 422


def test_search_by_words_and_dates(client, web_store):
    with web_store.connect() as conn:
        published = {r.id: r.published for r in conn.execute(select(articles.c.id, articles.c.published))}
    march = {"q": "trapped", "since": "2025-03-01", "until": "2025-03-31", "limit": 200}
    found = client.get("/api/search", params=march).json()
    everywhere = client.get("/api/search", params={"q": "trapped", "limit": 200}).json()
    assert found["articles"] and found["claims"]
    assert all("2025-03-01" <= a["published"] <= "2025-03-31" for a in found["articles"])
    assert all("2025-03-01" <= published[c["article"]] <= "2025-03-31" for c in found["claims"])
    # The dates only narrow: what they leave out is dated outside them (or undated).
    left_out = {a["id"] for a in everywhere["articles"]} - {a["id"] for a in found["articles"]}
    assert left_out and all(not ("2025-03-01" <= (published[i] or "") <= "2025-03-31") for i in left_out)


def test_search_pages_through_results(client):
    everything = client.get("/api/search", params={"q": "the", "limit": 200}).json()
    assert len(everything["articles"]) > 4 and len(everything["claims"]) > 4
    pages = [client.get("/api/search", params={"q": "the", "limit": 3, "offset": o}).json() for o in (0, 3)]
    assert [a["id"] for p in pages for a in p["articles"]] == [a["id"] for a in everything["articles"][:6]]
    assert [c["id"] for p in pages for c in p["claims"]] == [c["id"] for c in everything["claims"][:6]]
    # The search page pages by shareable URLs too.
    first = client.get("/search", params={"q": "the"}).text
    following = re.search(r'<a href="([^"]*page=2[^"]*)">Next', first)
    assert following and "q=the" in following[1]
    second = client.get(following[1].replace("&amp;", "&")).text
    links = lambda html: set(re.findall(r'/articles/(\d+)"', html))  # noqa: E731
    assert links(second) and links(second) != links(first)


@pytest.mark.parametrize("path", ["/nowhere", "/articles/not-a-number", "/search?min_certainty=7"])
def test_bad_page_requests_get_an_html_error(client, path):
    response = client.get(path)
    assert response.status_code in (404, 422) and response.headers["content-type"].startswith("text/html")
    assert '<p class="error">' in response.text


def test_search_form_with_empty_fields(client):
    # A browser submits every field of the form; empty ones mean "any".
    blank = dict.fromkeys(("since", "until", "outlet", "speaker", "stance", "min_certainty", "max_certainty"), "")
    page = client.get("/search", params={"q": "trapped", **blank})
    assert page.status_code == 200 and re.search(r'href="[^"]*/articles/\d+"', page.text)
    narrowed = client.get("/search", params={**blank, "q": "trapped", "stance": "deny"})
    assert narrowed.status_code == 200 and "denied" in narrowed.text


def test_entity_endpoint_has_claims_by_and_about(client, web_store):
    with web_store.connect() as conn:
        speaker = conn.scalar(
            select(claims.c.speaker_resolved).where(claims.c.stance == "deny").group_by(claims.c.speaker_resolved).order_by(func.count().desc())
        )
    body = client.get(f"/api/entities/{speaker}").json()
    assert body["name"] == speaker and body["kind"] and body["articles"] >= 1
    assert body["claims_by"] and all(c["speaker_resolved"] == speaker for c in body["claims_by"])
    assert all(c["speaker_resolved"] != speaker for c in body["claims_about"])
    page = client.get(f"/entities/{speaker}")
    assert page.status_code == 200 and speaker in page.text


def test_openapi_documents_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/stories", "/api/stories/{story_id}", "/api/articles", "/api/articles/{article_id}",
                 "/api/articles/{article_id}/analysis", "/api/claim-groups", "/api/entities/{name}", "/api/search", "/api/analyze"):
        assert path in paths
    reference = client.get("/docs")
    assert reference.status_code == 200
    for path in paths:
        assert path in reference.text
    # Rendered here, not by Swagger UI from a CDN: it works offline and runs no script.
    assert "<script" not in reference.text and "cdn" not in reference.text
    assert "script-src 'none'" in reference.headers["content-security-policy"]
    assert ">limit</code></td><td>query</td><td>integer</td><td>no</td><td>20</td><td>≥ 1, ≤ 200<" in reference.text
    assert ">url</code></td><td>form</td>" in reference.text
    assert client.get("/redoc").status_code == 404


def test_claim_groups_about_a_subject(client):
    groups = client.get("/api/claim-groups", params={"about": "miners"}).json()["items"]
    assert groups
    origins = [g["support"]["independent_origins"]["count"] for g in groups]
    assert origins == sorted(origins, reverse=True)


def test_add_analyzes_the_seed_page(client):
    need_shared()
    content = SEED_PAGE.read_text(encoding="utf-8")
    record = client.post("/api/analyze", data={"content": content}).json()
    assert "Kim Yong-hyun" in {c["speaker_resolved"] for c in record["claims"]}
    assert record["origin"]["agency"] == "AFP"
    page = client.post("/add", data={"content": content})
    assert page.status_code == 200
    assert re.search(r'<tr id="claim-\d+".*?Kim Yong-hyun', page.text, re.S)


def test_add_without_input_is_a_clear_error(client):
    response = client.post("/api/analyze", data={})
    assert response.status_code == 422 and "paste a page or give a URL" in response.json()["reason"]


def test_add_beyond_loopback_needs_the_token(web_store):
    from newstrace.serve.web import create_app

    page = "<html><head><title>Quay opens</title></head><body><p>The quay opened on Monday, the mayor said.</p></body></html>"
    with TestClient(create_app(web_store, host="0.0.0.0")) as closed:
        assert closed.post("/api/analyze", data={"content": page}).status_code == 403
        assert closed.post("/add", data={"content": page}).status_code == 403
        assert "Adding pages is off" in closed.get("/add").text
    with TestClient(create_app(web_store, host="0.0.0.0", add_token="s3cret-token")) as guarded:
        assert guarded.post("/api/analyze", data={"content": page}).status_code == 403
        assert guarded.post("/api/analyze", data={"content": page, "token": "wrong"}).status_code == 403
        assert guarded.post("/add", data={"content": page, "token": "wrong"}).status_code == 403
        accepted = guarded.post("/api/analyze", data={"content": page, "token": "s3cret-token"})
        assert accepted.status_code == 200 and accepted.json()["title"] == "Quay opens"
        assert 'name="token"' in guarded.get("/add").text
    for everywhere in ("", "::", "192.0.2.7"):
        with TestClient(create_app(web_store, host=everywhere)) as closed:
            assert closed.post("/api/analyze", data={"content": page}).status_code == 403
    with TestClient(create_app(web_store, host="::1")) as loopback:
        assert loopback.post("/api/analyze", data={"content": page}).status_code == 200


def test_pages_forbid_scripts(client, hostile_id):
    for path in ("/", f"/articles/{hostile_id}", "/search?q=budget", "/add"):
        policy = client.get(path).headers["content-security-policy"]
        assert "script-src 'none'" in policy and "default-src 'none'" in policy
    assert client.get("/api/stories").headers["x-content-type-options"] == "nosniff"


def assert_escaped(html: str, where: str) -> None:
    for raw in RAW_MARKUP:
        assert raw not in html, f"{raw!r} unescaped in {where}"
    assert "&lt;script&gt;alert(" in html, f"payload missing from {where}"


def test_hostile_page_is_escaped_everywhere(client, web_store, hostile_id):
    record = client.get(f"/api/articles/{hostile_id}/analysis").json()
    # The payloads reach the store as text (the API returns them as JSON strings)...
    assert '<script>alert("title")</script>' in record["title"]
    assert '"><svg onload=alert("byline")>' in record["bylines"][0]
    assert '<img src=x onerror=alert("body")>' in record["text"]
    speakers = {c["speaker_resolved"] for c in record["claims"]}
    assert any("<script>" in c["content"] for c in record["claims"])
    # ...and every page shows them as text only.
    story_id = client.get(f"/api/articles/{hostile_id}").json()["story"]
    pages = {
        "article": f"/articles/{hostile_id}",
        "story": f"/stories/{story_id}",
        "front": "/",
        "search": "/search?q=harbour+council&stance=assert",
        **{f"entity {s}": f"/entities/{s}" for s in speakers},
    }
    for where, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, where
        if where.startswith("entity"):
            assert not any(raw in response.text for raw in RAW_MARKUP), where
        else:
            assert_escaped(response.text, where)
    article = client.get(pages["article"]).text
    assert "&lt;img src=x onerror=alert(&#34;body&#34;)&gt;" in article
    assert "&#34;&gt;&lt;svg onload=alert(&#34;byline&#34;)&gt;" in article
    added = client.post("/add", data={"content": HOSTILE_PAGE.read_text(encoding="utf-8")})
    assert added.status_code == 200
    assert_escaped(added.text, "add")
    # A search query echoed back is untrusted too.
    echoed = client.get("/search", params={"q": PAYLOADS[2] + 'x")>'}).text
    assert "<svg onload" not in echoed and "&lt;svg onload" in echoed
