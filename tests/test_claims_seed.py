"""The seed page's gold claims and entities (shared/corpus/seed/gold.json), through ``pipeline.analyze``."""

from __future__ import annotations

import json

import pytest

from conftest import SAMPLES, SEED_GOLD, SEED_PAGE, need_shared
from newstrace.model import Analysis, Claim
from newstrace.pipeline import analyze
from newstrace.sources import iter_pages


def _analyze(path) -> Analysis:
    (document,) = list(iter_pages([str(path)]))
    return analyze(document)


@pytest.fixture(scope="module")
def seed() -> tuple[Analysis, dict]:
    need_shared()
    return _analyze(SEED_PAGE), json.loads(SEED_GOLD.read_text(encoding="utf-8"))


def _matches(claim: Claim, gold: dict) -> bool:
    names = {name.lower() for name in gold["speaker"]}
    return gold["content_has"] in claim.content and (claim.speaker_resolved or "").lower() in names


def _found(analysis: Analysis, gold: dict) -> dict[int, Claim]:
    return {
        g["id"]: next(c for c in analysis.claims if _matches(c, g))
        for g in gold["claims"]
        if any(_matches(c, g) for c in analysis.claims)
    }


def test_at_least_16_of_17_gold_claims_with_resolved_speaker_and_content(seed):
    analysis, gold = seed
    found = _found(analysis, gold)
    missing = [g["id"] for g in gold["claims"] if g["id"] not in found]
    assert len(found) >= 16, f"missing gold claims {missing}"


def test_no_more_than_three_claims_the_gold_does_not_have(seed):
    analysis, gold = seed
    extras = [c for c in analysis.claims if not any(_matches(c, g) for g in gold["claims"])]
    assert len(extras) <= 3, [(c.speaker, c.cue, c.content[:60]) for c in extras]


def test_both_denials_have_deny_stance(seed):
    analysis, gold = seed
    found = _found(analysis, gold)
    denials = [g for g in gold["claims"] if g["stance"] == "deny"]
    assert len(denials) == 2
    for g in denials:
        assert found[g["id"]].stance == "deny", g
        assert found[g["id"]].cue_lemma == "deny"
    assert all(c.stance == "assert" for i, c in found.items() if i not in {g["id"] for g in denials})


def test_every_hedged_gold_claim_has_a_hedge_and_certainty_below_one(seed):
    analysis, gold = seed
    found = _found(analysis, gold)
    for g in gold["claims"]:
        claim = found.get(g["id"])
        if claim is None:
            continue
        if g["hedged"]:
            assert claim.hedge and claim.certainty < 1.0, (g["id"], claim.content)
        else:
            assert claim.certainty == 1.0, (g["id"], claim.hedge)


def test_speaker_kinds_quote_types_and_cues_follow_the_gold(seed):
    analysis, gold = seed
    found = _found(analysis, gold)
    kinds = sum(found[g["id"]].speaker_kind == g["kind"] for g in gold["claims"] if g["id"] in found)
    quotes = sum(found[g["id"]].quote == g["quote"] for g in gold["claims"] if g["id"] in found)
    cues = sum(found[g["id"]].cue_lemma == g["cue"] for g in gold["claims"] if g["id"] in found)
    assert kinds >= 15 and quotes >= 15 and cues >= 15, (kinds, quotes, cues)
    continuation = next(g for g in gold["claims"] if g["cue"] is None)
    assert found[continuation["id"]].cue is None and found[continuation["id"]].cue_span is None


def test_entities_named_by_the_gold_are_found_with_their_kinds(seed):
    analysis, gold = seed
    have = {(e.name, e.kind) for e in analysis.entities}
    missing = [tuple(pair) for pair in gold["entities_must_include"] if tuple(pair) not in have]
    assert not missing


def test_capitals_the_north_and_roles_resolve(seed):
    analysis, _ = seed
    entities = {e.name: e for e in analysis.entities}
    assert "Seoul" in entities["South Korea"].aliases
    assert "Pyongyang" in entities["North Korea"].aliases
    assert "the North" in entities["North Korea"].aliases
    assert "Moscow" in entities["Russia"].aliases
    assert entities["Kim Yong-hyun"].role == "South Korean defence minister"
    assert "he" in entities["Kim Yong-hyun"].aliases
    assert entities["Lim Eul-chul"].role.startswith("professor at")
    kim_claims = [c for c in analysis.claims if c.speaker == "Kim"]
    assert kim_claims and all(c.speaker_resolved == "Kim Yong-hyun" for c in kim_claims)


def _check_spans(analysis: Analysis) -> None:
    text = analysis.article.text
    for claim in analysis.claims:
        start, end = claim.span
        assert 0 <= start < end <= len(text)
        assert text[claim.content_span[0] : claim.content_span[1]] == claim.content
        assert start <= claim.content_span[0] and claim.content_span[1] <= end
        for span, written in ((claim.cue_span, claim.cue), (claim.speaker_span, claim.speaker)):
            if span is not None:
                assert text[span[0] : span[1]] == written
                assert start <= span[0] and span[1] <= end
        assert claim.content.strip() == claim.content and claim.content
    for entity in analysis.entities:
        for s, e in entity.mentions:
            assert 0 <= s < e <= len(text)


def test_claim_spans_point_at_their_text_on_the_seed_page(seed):
    _check_spans(seed[0])


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.name)
def test_claim_spans_point_at_their_text_on_the_samples(sample):
    analysis = _analyze(sample)
    assert analysis.claims
    _check_spans(analysis)
