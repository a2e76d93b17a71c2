"""The claims stage on real news pages from the shared article corpus: who speaks, resolved and
of which kind, where the small pipeline's names mislead."""

from __future__ import annotations

import pytest

from conftest import CORPUS, need_shared
from newstrace.pipeline import analyze
from newstrace.sources.pages import read_file


def speakers_of(page_id: str) -> dict[str, tuple[str | None, str, str | None]]:
    """Speaker as written → (resolved, kind, role), for each claim of the page."""
    need_shared()
    analysis = analyze(read_file(CORPUS / "articles" / "html" / f"{page_id}.html.gz"))
    return {c.speaker: (c.speaker_resolved, c.speaker_kind, c.speaker_role) for c in analysis.claims if c.speaker}


@pytest.fixture(scope="module")
def davis_cup() -> dict:
    # AP's Davis Cup Finals report: players' surnames alone, some unmarked or taken for products.
    return speakers_of("0d46122928b6f468cc4bbc694051d0dbae5702bc75a16dab82a99b58daf150a0")


@pytest.mark.parametrize(
    "written,resolved",
    [("Lopez", "Feliciano Lopez"), ("Mahut", "Nicolas Mahut"), ("Nadal", "Rafael Nadal")],
)
def test_surnames_resolve_to_the_players_full_names(davis_cup, written, resolved):
    assert davis_cup[written][:2] == (resolved, "person")


def test_a_player_the_pipeline_calls_an_organisation_is_a_person(davis_cup):
    resolved = {r: kind for r, kind, _ in davis_cup.values()}
    assert resolved["Diego Schwartzman"] == "person"


def test_a_chief_executive_with_titles_before_his_name_speaks_for_the_company():
    # Fox Business on Home Depot's results: "chairman, CEO and president Craig Menear said".
    speakers = speakers_of("51374560f40088e227f0053ff1bb0b8525d10a8d7bfbff1cd6033f42347fd85b")
    assert speakers["chairman, CEO and president Craig Menear"][0] == "Craig Menear"
    menear = [v[1:] for v in speakers.values() if v[0] == "Craig Menear"]
    assert set(menear) == {("organization", "chairman, CEO and president")}
