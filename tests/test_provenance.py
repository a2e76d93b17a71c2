"""Provenance: the wire agency behind a text, with evidence, and the republisher."""

from __future__ import annotations

from newstrace.extract import extract
from newstrace.model import Document
from newstrace.provenance import find_origin, fingerprint_text
from newstrace.provenance.fingerprint import to_minhash
from newstrace.sources.pages import read_file


def origin_of(page: str, **document):
    article = extract(Document(content=page, path="page.txt", content_type="text/plain", **document))
    return find_origin(article)


def test_seed_page_is_an_afp_wire_republished_under_a_staff_byline(seed_page, seed_gold):
    origin = find_origin(extract(read_file(seed_page)))
    gold = seed_gold["origin"]
    assert origin.agency == gold["agency"] == "AFP"
    assert origin.republished_by == gold["republished_by"]
    assert origin.byline_is_reporter is False
    joined = " | ".join(origin.evidence)
    assert "he told AFP" in joined and "AFP journalists in India and Nepal" in joined and "cdl-hs/ceb/rsc" in joined


def test_teasers_after_the_body_are_not_evidence(seed_page):
    # The seed's "Related articles" carry a "WASHINGTON (AP) —" teaser: it must not count.
    origin = find_origin(extract(read_file(seed_page)))
    assert not any("AP" in e.split("'")[0] and "(AP)" in e for e in origin.evidence)


def test_reuters_dateline_and_credit_line():
    page = (
        "Central bank holds rates\n\n"
        "FRANKFURT, March 6 (Reuters) - The central bank kept interest rates unchanged on Thursday, "
        "its president said, as inflation slowed for a third month.\n\n"
        "Markets had expected the decision.\n\n"
        "(Reporting by Anna Keller; Editing by Tom Briggs)\n"
    )
    origin = origin_of(page)
    assert origin.agency == "Reuters"
    assert any(e.startswith("dateline 'FRANKFURT, March 6 (Reuters) -") for e in origin.evidence)
    assert origin.republished_by is None


def test_ap_dateline_with_an_em_dash_and_an_agency_byline():
    page = (
        "Storm closes schools\n\nBy The Associated Press\n\n"
        "MIAMI (AP) — Schools across the region closed on Monday as the storm approached the coast, "
        "the governor said.\n\nMore rain is forecast for Tuesday.\n"
    )
    origin = origin_of(page, hints={"site_name": "Coastal Times"})
    assert origin.agency == "AP"
    assert origin.republished_by == "Coastal Times"
    assert origin.byline_is_reporter is True


def test_a_citation_alone_does_not_make_a_wire_story():
    page = (
        "Local firm wins contract\n\nBy Sam Ortiz\n\n"
        "A local engineering firm has won a contract to rebuild the harbour bridge, according to Reuters, "
        "which first reported the deal last week.\n\nThe firm employs 200 people.\n"
    )
    origin = origin_of(page)
    assert origin.agency is None
    assert origin.byline_is_reporter is True


def test_an_outlets_own_additional_reporting_credit_is_no_wire():
    page = (
        "Band announces reunion tour\n\nBy Jon Blistein\n\n"
        "The band will reunite for a 50th anniversary tour next summer, its manager said on Tuesday.\n\n"
        "Tickets go on sale on Friday.\n\n"
        "Additional reporting by Joseph Hudak\n"
    )
    origin = origin_of(page)
    assert origin.agency is None
    assert origin.byline_is_reporter is True


def test_fingerprint_is_near_for_an_edited_copy_and_far_for_another_text():
    text = (
        "The council approved the budget on Tuesday after a long debate about school funding and road repairs. "
        "The mayor said the plan would balance the books within two years without raising local taxes."
    )
    edited = text.replace("on Tuesday", "late on Tuesday") + " Opposition members voted against it."
    other = "A new bakery opened on the high street, selling bread baked overnight in a wood-fired oven by its two owners."
    a, b, c = (to_minhash(fingerprint_text(t)) for t in (text, edited, other))
    assert a.jaccard(b) > 0.5
    assert a.jaccard(c) < 0.1
