"""The web reader in a real browser: Playwright drives Debian's Chromium against uvicorn on loopback,
over the sample corpus and a hostile page ingested once (tests/conftest.py ``web_store``).

Each test saves a full-page screenshot under test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
import socket
import threading
import time

import pytest
from sqlalchemy import func, select

from newstrace.store import browse, queries
from newstrace.store.schema import articles, claims, stories

from conftest import CHROMIUM, HOSTILE_PAGE, REPO, SEED_PAGE, need_shared

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"),
]

SHOTS = REPO / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def server(web_store):
    """uvicorn serving the reader over ``web_store`` on a free loopback port, in a thread."""
    import uvicorn

    from newstrace.serve.web import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(web_store), host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def dialogs(page):
    """Every JavaScript dialog the page opens (there must be none)."""
    opened = []

    def record(dialog):
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return opened


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth + 1")


def wire_copy_id(engine) -> int:
    """An article republished from a wire with the most claims: the richest article page."""
    with engine.connect() as conn:
        return conn.scalar(
            select(articles.c.id)
            .join(claims, claims.c.version_id == articles.c.current_version_id)
            .where(articles.c.origin_key.like("agency:%"))
            .group_by(articles.c.id)
            .order_by(func.count().desc(), articles.c.id)
        )


def test_front_page_lists_stories(page, server, web_store, dialogs):
    with web_store.connect() as conn:
        expected = queries.list_stories(conn, limit=20)
    page.goto(server + "/")
    cards = page.locator("ul.stories > li")
    assert cards.count() == len(expected) > 3
    for card, story in zip(cards.all(), expected):
        assert card.locator("h2").inner_text() == story.title
        assert f"{story.origins} independent origin" in card.inner_text()
    assert page.locator("ul.recent li").count() > 0
    assert page.get_by_role("searchbox", name="Search articles and claims").is_visible()
    shoot(page, "front")
    page.set_viewport_size(PHONE)
    assert no_horizontal_scroll(page)
    shoot(page, "front-phone")
    assert dialogs == []


def test_article_page_highlights_claims_and_shows_the_origin(page, server, web_store, dialogs):
    article_id = wire_copy_id(web_store)
    with web_store.connect() as conn:
        view = browse.get_article(conn, article_id)
    page.goto(f"{server}/articles/{article_id}")
    highlighted = page.locator("section.text a.claim")
    marks = [(h.get_attribute("href"), h.inner_text()) for h in highlighted.all()]
    claims_ = view.analysis.claims
    # Each claim's content is highlighted (claims with one content span share a highlight)...
    assert len({href for href, _ in marks}) == len({c.content_span for c in claims_}) > 1
    for href, text in marks:
        claim = claims_[int(href.removeprefix("#claim-")) - 1]
        assert " ".join(text.split()) in " ".join(claim.content.split())
    # ...with its speaker, cue, stance and certainty on hover.
    href, _ = marks[0]
    first = claims_[int(href.removeprefix("#claim-")) - 1]
    tooltip = highlighted.first.get_attribute("title")
    assert (first.speaker_resolved or first.speaker) in tooltip and first.stance in tooltip and f"{first.certainty:.2f}" in tooltip
    origin = page.locator("section.origin")
    assert view.analysis.origin.agency in origin.inner_text()
    assert origin.locator("ul.evidence li").count() == len(view.analysis.origin.evidence) > 0
    # A click on a highlight leads to its row in the claims table (no script needed).
    highlighted.first.click()
    row = page.locator("tr:target")
    assert row.get_attribute("id") == href.removeprefix("#") and (first.speaker_resolved or first.speaker) in row.inner_text()
    shoot(page, "article")
    assert dialogs == []


def test_article_page_reads_without_javascript(browser, server, web_store):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server}/articles/{wire_copy_id(web_store)}")
    assert page.locator("section.text a.claim").count() > 0
    assert page.locator("section.claims tbody tr").count() > 0
    context.close()


def test_story_page_support_counts_match_the_store(page, server, web_store, dialogs):
    with web_store.connect() as conn:
        story_id = conn.scalar(select(stories.c.id).order_by(stories.c.claim_groups.desc(), stories.c.id))
        detail = queries.get_story(conn, story_id)
    page.goto(f"{server}/stories/{story_id}")

    def counts(name: str) -> list[int]:
        return [int(n) for n in page.locator(f'[data-count="{name}"]').all_inner_texts()]

    assert counts("articles") == [len(detail.articles)]
    assert counts("origins") == [len(detail.origins)]
    assert counts("outlets") == [len(detail.outlets)]
    assert counts("speakers") == [len(g.support.speakers) for g in detail.claim_groups]
    assert counts("group-origins") == [len(g.support.origins) for g in detail.claim_groups]
    assert counts("group-articles") == [len(g.support.articles) for g in detail.claim_groups]
    assert counts("denials") == [len(g.support.denials) for g in detail.claim_groups]
    assert any(len(g.support.origins) > 1 for g in detail.claim_groups)
    # The chart: one bar per publication day, as many articles as are dated; the undated are named.
    dated = [a.published for a in detail.articles if a.published]
    bars = page.locator("svg.chart rect title").all_text_contents()
    assert len(bars) == len(set(dated)) and sum(int(re.search(r": (\d+) article", b)[1]) for b in bars) == len(dated)
    if len(dated) < len(detail.articles):
        assert f"{len(detail.articles) - len(dated)} undated" in page.locator("figure.coverage figcaption").inner_text()
    assert page.locator("table.timeline tbody tr").count() == len(detail.articles)
    shoot(page, "story")
    page.set_viewport_size(PHONE)
    assert no_horizontal_scroll(page)
    shoot(page, "story-phone")
    assert dialogs == []


def test_search_finds_an_article(page, server, web_store, dialogs):
    with web_store.connect() as conn:
        article_id, title = conn.execute(
            select(articles.c.id, articles.c.title).where(articles.c.title.like("%Kefalonia%")).order_by(articles.c.id)
        ).first()
    page.goto(server + "/")
    page.get_by_role("searchbox", name="Search articles and claims").fill("Kefalonia wildfire")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=Kefalonia"))
    results = page.locator("ul.results a")
    assert title in results.all_inner_texts()
    assert page.locator(f'ul.results a[href$="/articles/{article_id}"]').count() == 1
    shoot(page, "search")
    page.get_by_label("Stance").select_option("deny")
    page.get_by_label("Words").fill("")
    page.get_by_role("button", name="Search").last.click()
    page.wait_for_url(re.compile(r"stance=deny"))
    assert page.locator("ul.claim-list li").count() > 0
    assert all(" denied" in text or "deny" in text for text in page.locator("ul.claim-list li").all_inner_texts())
    shoot(page, "search-denials")
    assert dialogs == []


def test_entity_page(page, server, web_store, dialogs):
    with web_store.connect() as conn:
        name = conn.scalar(
            select(claims.c.speaker_resolved).where(claims.c.stance == "deny").group_by(claims.c.speaker_resolved).order_by(func.count().desc())
        )
        entity = browse.get_entity(conn, name)
    page.goto(server + "/")
    page.goto(f"{server}/entities/{name}")
    assert page.locator("h1").inner_text() == name
    assert page.locator("ul.claim-list").first.locator("li").count() == len(entity.claims_by)
    shoot(page, "entity")
    assert dialogs == []


def test_add_form_analyzes_the_seed_page(page, server, dialogs):
    need_shared()
    page.goto(server + "/add")
    page.get_by_label("or paste its HTML or text").fill(SEED_PAGE.read_text(encoding="utf-8"))
    shoot(page, "add")
    page.get_by_role("button", name="Analyze").click()
    page.wait_for_selector("section.claims table", timeout=60_000)
    speakers = page.locator("section.claims tbody tr td:nth-child(2)").all_inner_texts()
    assert any("Kim Yong-hyun" in s for s in speakers)
    assert "AFP" in page.locator("section.origin").inner_text()
    assert page.locator("section.text a.claim").count() > 0
    shoot(page, "add-result")
    assert dialogs == []


def test_hostile_page_runs_nothing_and_shows_the_payload_as_text(page, server, web_store, dialogs):
    with web_store.connect() as conn:
        article_id, story_id = conn.execute(
            select(articles.c.id, articles.c.story_id).where(articles.c.path.like(f"%{HOSTILE_PAGE.name}"))
        ).first()
    page.goto(f"{server}/articles/{article_id}")
    assert '<script>alert("title")</script>' in page.locator("h1").inner_text()
    assert '"><svg onload=alert("byline")>' in page.locator("p.meta").inner_text()
    assert '<img src=x onerror=alert("body")>' in page.locator("section.text").inner_text()
    assert page.evaluate("document.querySelectorAll('script, main img, main svg, main b').length") == 0
    assert no_horizontal_scroll(page)
    shoot(page, "hostile-article")
    for path in ("/", f"/stories/{story_id}", "/search?q=harbour+budget", "/entities/Marta%20Ilves"):
        page.goto(server + path)
        assert page.evaluate("document.querySelectorAll('script, main img').length") == 0, path
    shoot(page, "hostile-entity")
    page.goto(server + "/add")
    page.get_by_label("or paste its HTML or text").fill(HOSTILE_PAGE.read_text(encoding="utf-8"))
    page.get_by_role("button", name="Analyze").click()
    page.wait_for_selector("section.claims table", timeout=60_000)
    assert "<script>alert('claim')</script>" in page.locator("section.claims").inner_text()
    shoot(page, "hostile-add")
    assert dialogs == []


def test_article_fits_a_phone(browser, server, web_store):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    for path in (f"/articles/{wire_copy_id(web_store)}", "/search?q=mine&stance=deny", "/add", "/docs"):
        page.goto(server + path)
        assert no_horizontal_scroll(page), path
    page.goto(f"{server}/articles/{wire_copy_id(web_store)}")
    shoot(page, "article-phone")
    context.close()


def test_api_reference_renders_offline(page, server, dialogs):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(server + "/docs")
    assert page.get_by_role("heading", name="GET /api/stories", exact=True).is_visible()
    assert all(url.startswith(server) for url in requested), requested
    shoot(page, "api")
    assert dialogs == []


def test_keyboard_reaches_the_search_box_and_a_claim(page, server, web_store):
    page.goto(f"{server}/articles/{wire_copy_id(web_store)}")
    reached = set()
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(() => { const e = document.activeElement; return e.id === 'q' ? 'search' : e.matches('a.claim') ? 'claim' : e.tagName; })()"
        )
        reached.add(focused)
        if focused == "claim":
            break
    assert {"search", "claim"} <= reached
    # Enter on a focused claim follows it to the claims table.
    page.keyboard.press("Enter")
    assert page.locator("tr:target").count() == 1
